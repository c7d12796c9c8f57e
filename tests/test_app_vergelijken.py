"""AppTest and units: the Vergelijken page puts regions side by side, values from the warehouse."""

from __future__ import annotations

import base64
import functools
import json

import duckdb
import numpy as np
import pandas as pd
import pytest
from fixtures import ZEELAND, shown_tables

from monitor import charts
from monitor.numbers import format_value

PAGE = "pages/vergelijken.py"


@pytest.fixture
def run_app(run_page):
    """run_page for this page (through app.py: see conftest.run_page)."""
    return functools.partial(run_page, PAGE)


def latest(warehouse, indicator: str, region: str) -> tuple[int, float]:
    """The indicator's latest year (as the page takes it) and the region's value then."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("""
            select v.year, v.value from indicator_value v
            where v.indicator_id = ? and v.region_code = ?
              and v.year = (select max(year) from indicator_scale where indicator_id = ?)
        """, [indicator, region, indicator]).fetchone()
    finally:
        con.close()


def compare_table(at):
    """The comparison table (the first HTML table with an indicator per row; the factor
    scores, a region per row, come before it)."""
    return next(frame for frame in shown_tables(at) if "Indicator" in frame.columns)


def test_factor_scores_are_a_coloured_html_table(run_app):
    """The factor heatmap: a region per row, a factor per column, cells coloured by score
    (monitor.show: no st.table, no Arrow decoder at first paint)."""
    at = run_app(regions="PR_mra,PR_zeeland")
    assert not at.exception and not at.table
    scores = shown_tables(at)[0]
    assert scores.index.tolist()[:2] == ["Metropoolregio Amsterdam", "Zeeland"]
    assert scores.index.name == "Regio" and len(scores.columns) == 7
    body = next(h.proto.body for h in at.get("html") if "st-key" not in h.proto.body
                and "Zeeland</th>" in h.proto.body)
    assert body.count("background-color: #") >= 7


def table_row(at, title: str) -> pd.Series:
    """The comparison table's row of one indicator (its label starts with the title)."""
    table = compare_table(at)
    return table[table["Indicator"].str.startswith(title)].iloc[0]


def decode(array) -> list:
    """A plotly JSON array: a list, or a typed array {'dtype', 'bdata'} (base64)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def bar_values(at) -> dict[str, float]:
    """Region name -> value of the bar chart (the first plotly chart): the page shows a
    picture first, its button brings in the interactive chart."""
    if not at.get("plotly_chart"):
        at.button(key="live_compare_bars_on").click().run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = spec["data"][0]
    return dict(zip(decode(bars["y"]), decode(bars["x"]), strict=True))


def test_compare_default_renders(run_app):
    at = run_app()
    assert not at.exception
    assert at.title[0].value == "Regio's vergelijken"
    table = compare_table(at)
    assert {"Zeeland", "Twente", "Nederland"} <= set(table.columns)
    # first pictures (no plotly.js to wait for), the interactive charts on request
    assert len(at.get("image")) == 2 and not at.get("plotly_chart")


def test_compare_table_cell_matches_warehouse(run_app, warehouse):
    at = run_app(regions="PR_mra,PR_zeeland")
    assert not at.exception
    year, value = latest(warehouse, "werkloosheid_pct", "PR_zeeland")
    row = table_row(at, "Werkloosheid")
    assert row["Jaar"] == str(year)  # the table shows text
    assert row["Zeeland"] == format_value(value, 1)
    assert "% van de beroepsbevolking" in row["Indicator"]
    _, nl = latest(warehouse, "werkloosheid_pct", "NL01")
    assert row["Nederland"] == format_value(nl, 1)
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert "background-color" in bodies  # cells coloured by score


def test_compare_indicator_choice_redraws_bars(run_app, warehouse):
    at = run_app(regions="PR_mra,PR_zeeland")
    at.selectbox(key="indicator").set_value("hbo_wo_pct").run()
    assert not at.exception
    assert at.query_params["indicator"] == "hbo_wo_pct"
    year, value = latest(warehouse, "hbo_wo_pct", "PR_zeeland")
    _, nl = latest(warehouse, "hbo_wo_pct", "NL01")
    bars = bar_values(at)
    assert bars["Zeeland"] == pytest.approx(round(value, 1))  # CBS's precision
    assert bars["Nederland"] == pytest.approx(round(nl, 1))


def test_compare_malformed_regions_gives_notice(run_app):
    at = run_app(regions="PR_mra,<script>,GM9999,PR_twente")
    assert not at.exception
    assert any("regions" in w.value for w in at.warning)
    assert {"Metropoolregio Amsterdam", "Twente"} <= set(compare_table(at).columns)


def test_compare_fewer_than_two_regions_says_so(run_app):
    at = run_app(regions="PR_zeeland")
    assert not at.exception
    assert any("minstens twee" in i.value for i in at.info)
    assert not at.table and not shown_tables(at) and not at.get("image")


def test_compare_composed_region_equals_zeeland(run_app):
    at = run_app(regions="CUSTOM,PR_zeeland", custom=ZEELAND, custom_name="Mijn Zeeland")
    assert not at.exception
    assert not at.warning
    table = compare_table(at)
    assert table_row(at, "Werkloosheid")["Mijn Zeeland"] == table_row(at, "Werkloosheid")[
        "Zeeland"]
    assert table["Mijn Zeeland"].tolist() == table["Zeeland"].tolist()


def test_compare_composed_region_scores_equal_zeeland(warehouse, monkeypatch):
    import streamlit as st

    from monitor import regions

    monkeypatch.setenv("REM_WAREHOUSE", str(warehouse))
    st.cache_data.clear()
    values = regions.latest_values((regions.composed("", tuple(ZEELAND.split(","))),
                                    regions.stored("PR_zeeland")))
    scores = values.pivot(index="indicator_id", columns="region_code", values="score")
    assert scores["PR_zeeland"].notna().sum() > 20
    assert np.allclose(scores["CUSTOM"], scores["PR_zeeland"], equal_nan=True)


def test_compare_english(run_app):
    at = run_app(lang="en", regions="PR_zeeland,GM0344,PV26")
    assert not at.exception
    assert at.title[0].value == "Compare regions"
    columns = set(compare_table(at).columns)
    # gemeente and provincie Utrecht share a name: the columns say which is which
    assert {"Netherlands", "Utrecht (municipality)", "Utrecht (province)"} <= columns


def test_compare_table_unit():
    values = pd.DataFrame({"indicator_id": ["a", "a", "b"], "region_code": ["R1", "R2", "R1"],
                           "value": [1234.5, 2.0, 0.25], "score": [10.0, 0.0, np.nan]})
    rows = pd.DataFrame({"indicator_id": ["a", "b"], "factor": ["F", "F"],
                         "label": ["A (u)", "B"], "year": [2024, 2023], "decimals": [1, 2]})
    display, scores = charts.compare_table(values, rows, {"R1": "Een", "R2": "Twee"},
                                           ("Factor", "Indicator", "Jaar"))
    assert display["Een"].tolist() == ["1 234,5", "0,25"]
    assert display["Twee"].tolist() == ["2,0", "–"]
    assert display["Jaar"].tolist() == [2024, 2023]
    assert scores["Een"].tolist()[0] == 10.0 and np.isnan(scores["Een"].tolist()[1])
    assert scores["Jaar"].isna().all()
    dark, light = charts.score_style(10), charts.score_style(0)
    assert "#0c2c84" in dark and "color: #ffffff" in dark  # the map palette's darkest class
    assert "#7fcdbb" in light and "color: #000000" in light  # and its lightest
    assert charts.score_style(np.nan) == ""


def test_unique_labels_and_short_names():
    names = {"GM0344": "Utrecht", "PV26": "Utrecht", "PR_mra": "MRA"}
    longs = {"GM0344": "Utrecht (gemeente)", "PV26": "Utrecht (provincie)", "PR_mra": "x"}
    assert charts.unique_labels(names, longs) == {"GM0344": "Utrecht (gemeente)",
                                                  "PV26": "Utrecht (provincie)", "PR_mra": "MRA"}
    assert charts.unique_labels({"CUSTOM": "Jaar"}, {"CUSTOM": "Jaar (eigen regio)"},
                                reserved=("Jaar",)) == {"CUSTOM": "Jaar (eigen regio)"}
    assert charts.short_name("Metropoolregio Amsterdam (MRA)", "proeftuin") == \
        "Metropoolregio Amsterdam"
    assert charts.short_name("Bergen (NH.)", "gemeente") == "Bergen (NH.)"


def sensitivity_table(at) -> pd.DataFrame:
    return next(d for d in shown_tables(at)
                if any("standaard" in str(i) for i in d.index))


def test_sensitivity_ranks_under_other_weights_and_leave_one_out(run_app, warehouse):
    """Human capital for three pilot regions: default (marked), equal, own weights from the
    URL, and each of the factor's four indicators left out in turn."""
    at = run_app(regions="PR_mra,PR_zeeland,PR_twente", factor="human_capital",
                 weights="hbo_wo_pct:1")
    assert not at.exception
    table = sensitivity_table(at)
    labels = list(table.index)
    assert labels[0] == "standaardgewichten (standaard)"
    assert "uw eigen gewichten" in labels and "gelijke gewichten" in labels
    assert sum(label.startswith("zonder ") for label in labels) == 4
    # the default row repeats the factor score the warehouse holds for MRA
    with duckdb.connect(str(warehouse), read_only=True) as con:
        score = con.execute("select score from factor_score_latest where factor_id = "
                            "'human_capital' and region_code = 'PR_mra'").fetchone()[0]
    cell = table.loc["standaardgewichten (standaard)", "Metropoolregio Amsterdam"]
    assert cell.endswith(f"({score:.1f})".replace(".", ",")) or cell.endswith(f"({score:.1f})")


def test_sensitivity_refuses_bad_weights(run_app):
    at = run_app(regions="PR_mra,PR_zeeland", factor="human_capital", weights="nope:x")
    assert not at.exception
    assert "weights" in " ".join(w.value for w in at.warning)
    assert "uw eigen gewichten" not in list(sensitivity_table(at).index)


def test_a_burst_of_edits_is_applied_in_one_run(run_app):
    """Regions taken out and added in the box change nothing until 'Toepassen': then all of
    them at once, in one run (issue 23: removing seven regions used to be seven reruns)."""
    at = run_app(regions="PR_mra,PR_zeeland,PR_twente,PR_regio_zwolle")
    box = at.multiselect(key="regions")
    box.unselect("PR_zeeland").unselect("PR_twente").select("GM0363")
    assert at.query_params["regions"] == "PR_mra,PR_zeeland,PR_twente,PR_regio_zwolle"
    submit = next(b for b in at.get("form_submit_button") if b.label == "Toepassen")
    submit.click().run()
    assert not at.exception
    assert at.query_params["regions"] == "PR_mra,PR_regio_zwolle,GM0363"
    assert {"Metropoolregio Amsterdam", "Amsterdam"} <= set(compare_table(at).columns)
