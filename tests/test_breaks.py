"""Breaks in series: declared in the registry, verified in CBS's own figures, drawn in Trends
as a marker with no line across, flagged in exports, and never read as change by the index.
The small frames here are hand-made (not CBS data)."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.registry import load_registry
from monitor import charts, queries


def frame(values: dict[int, float], code: str = "R1") -> pd.DataFrame:
    return pd.DataFrame({"region_code": code, "region_name": "Een", "year": list(values),
                         "value": list(values.values())})


def test_index_does_not_run_across_a_break():
    data = frame({2016: 10.0, 2017: 11.0, 2018: 20.0, 2019: 21.0})
    out = queries.index_to_base(data, 2016, breaks=(2018,)).set_index("year")["value"]
    assert out[2016] == 100 and out[2017] == pytest.approx(110)
    assert out[[2018, 2019]].isna().all()  # not +100%: another basis
    after = queries.index_to_base(data, 2019, breaks=(2018,)).set_index("year")["value"]
    assert after[2019] == 100 and after[2018] == pytest.approx(20 / 21 * 100)
    assert after[[2016, 2017]].isna().all()
    plain = queries.index_to_base(data, 2016).set_index("year")["value"]
    assert plain[2019] == pytest.approx(210)


def test_no_line_across_a_break_and_a_marker():
    fig = charts.lines(frame({2016: 1.0, 2017: 1.1, 2018: 2.0, 2019: 2.1}), "km",
                       breaks=(2018,))
    trace = fig.data[0]
    xs, ys = list(trace.x), list(trace.y)
    gap = xs.index(2017.5)
    assert pd.isna(ys[gap]) and not trace.connectgaps  # the line stops at the break
    assert [x for x, y in zip(xs, ys, strict=True) if not pd.isna(y)] == [2016, 2017, 2018,
                                                                          2019]
    assert any(s["x0"] == 2017.5 for s in fig.layout.shapes)


BREAKS = {("afstand_overstapstation_km", 2019), ("afstand_overstapstation_km", 2021),
          ("afstand_kinderdagverblijf_km", 2018), ("mediaan_vermogen", 2022)}


def test_breaks_are_declared_with_reason_and_source():
    declared = {(i.id, year) for i in load_registry().indicators for year, _, _ in i.breaks}
    assert declared == BREAKS
    for ind in load_registry().indicators:
        for _, reason, source in ind.breaks:
            assert reason["nl"] and reason["en"] and "CBS" in source


@pytest.mark.parametrize("indicator_id, year, low, high", [
    ("afstand_overstapstation_km", 2019, 1.2, None),   # 10.7 -> 13.6 km
    ("afstand_overstapstation_km", 2021, None, 0.85),  # 13.5 -> 10.7 km
    ("afstand_kinderdagverblijf_km", 2018, None, 0.85),
    ("mediaan_vermogen", 2022, 1.4, None),             # +53%
])
def test_each_break_is_in_cbs_own_nederland_figures(con, indicator_id, year, low, high):
    """The jump at a declared break, in CBS's own Nederland row (the raw table)."""
    ind = load_registry().indicator(indicator_id)
    rows = dict(con.execute(
        "select year, value from stg_cbs_value where table_id = ? and measure = ? and slice = ? "
        "and region_code = 'NL01' and year in (?, ?)",
        [ind.numerator.table, ind.numerator.key, ind.numerator.slice_label, year - 1, year]
    ).fetchall())
    ratio = rows[year] / rows[year - 1]
    assert (low is None or ratio > low) and (high is None or ratio < high), ratio
    assert con.execute("select count(*) from series_break where indicator_id = ? and year = ?",
                       [indicator_id, year]).fetchone()[0] == 1
