"""AppTest: 'Over de data' lists every indicator with its source and the build provenance."""

from __future__ import annotations

import duckdb


def test_about_lists_every_indicator_and_table(run_page, warehouse):
    at = run_page("pages/over_de_data.py")
    assert not at.exception
    con = duckdb.connect(str(warehouse), read_only=True)
    n_indicators = con.execute("select count(*) from indicator").fetchone()[0]
    n_tables = con.execute("select count(*) from build_info").fetchone()[0]
    catalogue = [df.value for df in at.dataframe[:-1]]
    assert sum(len(frame) for frame in catalogue) == n_indicators
    assert len(at.dataframe[-1].value) == n_tables
    shown = {row["Indicator"]: row for frame in catalogue for _, row in frame.iterrows()}
    hbo = shown["Hoogopgeleiden (hbo/wo)"]
    assert hbo["Bron (CBS-tabel)"].endswith("/85525NED/table")
    first, last = con.execute("select min(year), max(year) from gm_value where indicator_id = "
                              "'hbo_wo_pct'").fetchone()
    assert hbo["Jaren"] == f"{first}-{last}"
    gaps = [row for row in shown.values() if row["Jaren"] == "geen data in deze bron"]
    assert len(gaps) == 3  # the digitalisation proxies, said out loud
    assert "CC BY 4.0" in at.info[-1].value
