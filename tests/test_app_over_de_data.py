"""AppTest: 'Over de data' lists every indicator with its source and the build provenance."""

from __future__ import annotations

import re

import duckdb
from fixtures import shown_tables


def test_about_lists_every_indicator_and_table(run_page, warehouse):
    at = run_page("pages/over_de_data.py")
    assert not at.exception
    con = duckdb.connect(str(warehouse), read_only=True)
    n_indicators = con.execute("select count(*) from indicator").fetchone()[0]
    n_tables = con.execute("select count(*) from build_info").fetchone()[0]
    catalogue = shown_tables(at)[:-1]
    assert sum(len(frame) for frame in catalogue) == n_indicators
    assert len(shown_tables(at)[-1]) == n_tables
    shown = {row["Indicator"]: row for frame in catalogue for _, row in frame.iterrows()}
    hbo = shown["Hoogopgeleiden (hbo/wo)"]
    # a link named by the table id, to the table on StatLine
    assert hbo["Bron (CBS-tabel)"] == "85525NED"
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert re.search(r'href="https://opendata\.cbs\.nl/[^"]*/85525NED/table"', bodies)
    first, last = con.execute("select min(year), max(year) from gm_value where indicator_id = "
                              "'hbo_wo_pct'").fetchone()
    assert hbo["Jaren"] == f"{first}-{last}"
    gaps = [row for row in shown.values() if row["Jaren"] == "geen data in deze bron"]
    declared = con.execute("select count(*) from indicator where data_gap is not null"
                           ).fetchone()[0]
    assert len(gaps) == declared >= 11  # digitalisation proxies and sector shares, said out loud
    assert "CC BY 4.0" in at.info[-1].value


def test_about_documents_peer_distance_and_narrative_rule(run_page):
    at = run_page("pages/over_de_data.py")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Vergelijkbare regio's" in [h.value for h in at.subheader]
    assert "1,4826 × MAD" in text and "wortel uit het gemiddelde" in text
    assert "Inwoners" in text and "Omgevingsadressendichtheid" in text  # the context list
    assert "0,25 × 1,4826 × MAD" in text and "geen duidelijk verschil" in text
    assert "**locatiequotiënt**" in text and "(banen in s in r / alle banen in r)" in text
    at = run_page("pages/over_de_data.py", lang="en")
    text = " ".join(m.value for m in at.markdown)
    assert "root mean square" in text and "no clear difference" in text
    assert "**location quotient**" in text
