"""Precision: values are shown and exported at the precision CBS publishes (one rounding
rule, numbers.at_precision); the warehouse keeps full precision."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.registry import load_registry
from monitor.numbers import at_precision, format_value


@pytest.mark.parametrize("value, decimals, text", [
    (290_456.0, -3, "290 000"),     # WOZ to EUR 1,000
    (35_149.9, -2, "35 100"),       # incomes to EUR 100
    (31.2468, 1, "31,2"),           # percentages to one decimal
    (1_849.0, -1, "1 850"),         # gas use to 10 m3
    (0.876, 2, "0,88"),
])
def test_format_value_rounds_to_cbs_precision(value, decimals, text):
    assert format_value(value, decimals, lang="nl") == text


def test_at_precision_on_series_and_numbers():
    assert at_precision(290_456.0, -3) == 290_000
    assert list(at_precision(pd.Series([35_149.9, None]), -2).fillna(-1)) == [35_100, -1]


@pytest.mark.parametrize("indicator_id, decimals", [
    ("woz_gemiddeld", -3), ("gem_gestandaardiseerd_inkomen", -2),
    ("mediaan_gestandaardiseerd_inkomen", -2), ("werkloosheid_pct", 1), ("hbo_wo_pct", 1),
])
def test_registry_declares_the_precision_cbs_publishes(indicator_id, decimals):
    assert load_registry().indicator(indicator_id).decimals == decimals


def test_no_published_gemeente_figure_loses_digits(con):
    """Where the gemeente value is CBS's own published figure (sum, weighted mean, median),
    rounding it to the declared precision changes nothing: we never show less than CBS.
    Stated exception: in 2015 alone CBS published the culture distances with two decimals
    (every other year one); the series is shown at one decimal throughout."""
    checked = 0
    two_decimals_2015 = {"afstand_museum_km", "afstand_podiumkunsten_km", "afstand_poppodium_km"}
    for ind in load_registry().indicators:
        if ind.data_gap or ind.aggregation == "ratio":
            continue
        skip = 2015 if ind.id in two_decimals_2015 else -1
        values = con.execute("select value from gm_value where indicator_id = ? and value is "
                             "not null and not is_converted and year <> ?", [ind.id, skip]
                             ).df()["value"]
        off = (values - values.round(ind.decimals)).abs() > 1e-6 * values.abs().clip(lower=1)
        assert not off.any(), (ind.id, values[off].head(3).tolist())
        checked += 1
    assert checked >= 25


def test_warehouse_keeps_full_precision(con):
    """A pilot region's WOZ mean is kept unrounded (the long export reads it as stored)."""
    value = con.execute("select value from indicator_value where indicator_id = "
                        "'woz_gemiddeld' and region_code = 'PR_zeeland' and year = 2024"
                        ).fetchone()[0]
    assert value != round(value, -3)
