"""AppTest: the Overzicht page shows a region's headline figures beside Nederland."""

from __future__ import annotations

import duckdb
from fixtures import shown_tables

from monitor.numbers import format_value


def test_overview_renders_pilot_region_against_warehouse(run_page, warehouse):
    at = run_page(region="PR_zeeland")
    assert not at.exception
    table = shown_tables(at)[0].reset_index()  # the headline figures (monitor.show)
    con = duckdb.connect(str(warehouse), read_only=True)
    year, value = con.execute(
        "select year, value from indicator_value where indicator_id = 'werkloosheid_pct' and "
        "region_code = 'PR_zeeland' and value is not null order by year desc limit 1").fetchone()
    row = table[table["Indicator"] == "Werkloosheid"].iloc[0]
    assert row["Jaar"] == str(year)
    assert row["Zeeland"].startswith(format_value(value, 1))


def test_overview_refuses_unknown_region_with_notice(run_page):
    at = run_page(region="GM9999';drop table region;--")
    assert not at.exception
    assert any("region" in w.value for w in at.warning)
    assert at.selectbox[0].value == "PR_mra"


def test_overview_english(run_page):
    at = run_page(lang="en", region="NL01")
    assert not at.exception
    assert at.title[0].value == "Regional Ecosystem Monitor"
    assert "Unemployment" in shown_tables(at)[0].reset_index()["Indicator"].tolist()
