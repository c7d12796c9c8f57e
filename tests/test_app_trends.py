"""AppTest and units: the Trends page plots the warehouse's series, as values or as an index."""

from __future__ import annotations

import functools
import re

import duckdb
import numpy as np
import pandas as pd
import pytest
from fixtures import ZEELAND, shown_tables

from monitor import charts, queries
from monitor.numbers import format_value

PAGE = "pages/trends.py"


@pytest.fixture
def run_app(run_page):
    """run_page for this page (through app.py: see conftest.run_page)."""
    return functools.partial(run_page, PAGE)


def value_of(warehouse, indicator: str, region: str, year: int) -> float:
    """indicator_value of one region and year."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select value from indicator_value where indicator_id = ? and "
                           "region_code = ? and year = ?", [indicator, region, year]).fetchone()[0]
    finally:
        con.close()


def cell(at, year: int, column: str) -> str:
    """A cell of the table under the chart."""
    table = shown_tables(at)[0]
    return table.loc[table["Jaar"] == str(year), column].iloc[0]


def test_trends_default_renders(run_app):
    at = run_app()
    assert not at.exception
    assert at.title[0].value == "Trends"
    # first a picture (no plotly.js to wait for), the interactive chart on request
    assert len(at.get("image")) == 1 and not at.get("plotly_chart")
    assert {"Jaar", "Metropoolregio Amsterdam", "Zeeland", "Nederland"} <= set(
        shown_tables(at)[0].columns)
    at.button(key="live_trends_lines_on").click().run()
    assert len(at.get("plotly_chart")) == 1 and not at.get("image")


def test_trends_table_matches_warehouse_and_index(run_app, warehouse):
    at = run_app(regions="PR_zeeland,NL01", indicator="werkloosheid_pct")
    assert not at.exception
    value = value_of(warehouse, "werkloosheid_pct", "PR_zeeland", 2020)
    assert cell(at, 2020, "Zeeland") == format_value(value, 1)
    # the interaction: switch to an index and pick a base year
    at.segmented_control(key="mode").set_value("index").run()
    at.selectbox(key="base_werkloosheid_pct").set_value(2015).run()
    assert not at.exception
    assert at.query_params["mode"] == "index" and at.query_params["base"] == "2015"
    base = value_of(warehouse, "werkloosheid_pct", "PR_zeeland", 2015)
    assert cell(at, 2015, "Zeeland") == format_value(100.0, 1)
    assert cell(at, 2020, "Zeeland") == format_value(value / base * 100, 1)
    nl = value_of(warehouse, "werkloosheid_pct", "NL01", 2020)
    nl_base = value_of(warehouse, "werkloosheid_pct", "NL01", 2015)
    assert cell(at, 2020, "Nederland") == format_value(nl / nl_base * 100, 1)


def test_trends_gap_stays_open_and_flags_are_noted(run_app):
    at = run_app(regions="PR_mra,NL01", indicator="afstand_openbaar_groen_km")
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "niet geïnterpoleerd" in captions
    span = r"\d{4}(–\d{4})?"
    assert re.search(rf"herindeling\): Metropoolregio Amsterdam \({span}(, {span})*\)", captions)
    table = shown_tables(at)[0]
    years = [int(y) for y in table["Jaar"]]
    assert years == list(range(years[0], years[-1] + 1))  # every year of the span, gaps too
    assert (table["Nederland"] == "–").any()


def test_trends_malformed_params_give_notice(run_app):
    at = run_app(regions="PR_mra,PR_nope,GM12", mode="index", base="19x5")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "regions" in warnings and "base" in warnings
    assert "Metropoolregio Amsterdam" in shown_tables(at)[0].columns


def test_trends_composed_region_equals_zeeland(run_app):
    at = run_app(regions="CUSTOM,PR_zeeland", custom=ZEELAND, custom_name="Mijn Zeeland",
                  indicator="hbo_wo_pct")
    assert not at.exception
    table = shown_tables(at)[0]
    assert table["Mijn Zeeland"].tolist() == table["Zeeland"].tolist()


def test_trends_english(run_app):
    at = run_app(lang="en", regions="PR_twente,NL01", mode="index")
    assert not at.exception
    assert "Netherlands" in shown_tables(at)[0].columns
    assert any("Index (" in c.value for c in at.caption)


def test_index_to_base_unit():
    frame = pd.DataFrame({"region_code": ["A", "A", "A", "B", "B", "C"],
                          "year": [2020, 2021, 2022, 2020, 2022, 2021],
                          "value": [50.0, 75.0, np.nan, 4.0, 5.0, 9.0]})
    out = queries.index_to_base(frame, 2020)
    assert out["value"].tolist()[:2] == [100.0, 150.0]
    assert np.isnan(out["value"].iloc[2])  # a missing value stays missing
    assert out.loc[out["region_code"] == "B", "value"].tolist() == [100.0, 125.0]
    assert out.loc[out["region_code"] == "C", "value"].isna().all()  # no base value, no index
    assert queries.base_years(frame) == [2020, 2021, 2022]  # no year common to A, B and C
    assert queries.base_years(frame[frame["region_code"] != "C"]) == [2020]


def test_lines_keep_gaps_unit():
    frame = pd.DataFrame({"region_code": ["A", "A"], "region_name": ["A", "A"],
                          "year": [2014, 2016], "value": [1.0, 3.0], "flagged": [True, False]})
    fig = charts.lines(frame, "y")
    trace = fig.data[0]
    assert list(trace.x) == [2014, 2015, 2016]
    assert trace.y[1] is None or np.isnan(trace.y[1])
    assert trace.connectgaps is False
    assert list(trace.marker.color)[0] == "#ffffff"  # a flagged value: hollow marker
