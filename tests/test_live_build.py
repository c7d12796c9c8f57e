"""A live build on a fake CBS that answers like CBS equals the bundle build, figure by figure.

The fake (tests/fake_cbs.py) serves the bundle's figures in CBS's real shape (code keys,
padded, 10,000-row pages, `$filter` applied, `Modified` timestamps, `Perioden.Status`), plus
'niet in te delen' rows and a gemeente of before 2010, which the build must leave out by rule
(etl/placement.py) and count. A fake PDOK serves the bundle's boundaries. Every figure of the
live build is compared with the session's bundle build by bench/compare_builds.py, table by
table. No test leaves this machine: both fakes listen on 127.0.0.1.
"""

from __future__ import annotations

import cbsodata
import duckdb
import pandas as pd
import pytest
from conftest import find_snapshot
from fake_cbs import (
    AGGREGATE_TABLES,
    EARLY_TABLES,
    FIXTURE_EARLY_CODE,
    MODIFIED,
    FakeCbs,
    FakePdok,
)

from bench.compare_builds import TABLES, compare
from etl import config
from etl.build import build_warehouse
from etl.catalog import load_tables
from etl.mergers import read_mergers
from etl.regions import read_historic_codes


@pytest.fixture(scope="module")
def live(cbs_layout_dir, tmp_path_factory):
    """One live build on the fakes: (warehouse path, report, fake CBS)."""
    root = tmp_path_factory.mktemp("live")
    with pytest.MonkeyPatch.context() as mp, \
            FakeCbs(cbs_layout_dir, find_snapshot()) as cbs, \
            FakePdok(cbs_layout_dir / "geo" / "gemeente_2024.topojson") as pdok:
        mp.setattr(cbsodata.options, "use_https", False)
        mp.setenv(config.CBS_CATALOG_ENV, cbs.url)
        mp.setenv(config.PDOK_URL_ENV, pdok.url)
        mp.delenv(config.SNAPSHOT_ENV, raising=False)
        target = root / "live.duckdb"
        report = build_warehouse(None, target, raw_dir=root / "raw", live=True)
        yield target, report, cbs, root


def test_live_build_on_the_fake_equals_the_bundle_build(live, warehouse):
    target, _, _, _ = live
    result = compare(warehouse, target)
    assert set(result) == set(TABLES)
    for table, r in result.items():
        assert r["rows"] > 0, table
        assert (r["only_before"], r["only_after"], r["changed"]) == (0, 0, 0), (table, r)
    con = duckdb.connect(str(target), read_only=True)
    try:
        geometry = con.execute("select count(*) from geometry").fetchone()[0]
        kind = con.execute("select source_kind from build_meta").fetchone()[0]
    finally:
        con.close()
    assert kind == "live"
    assert geometry >= config.N_GEMEENTEN  # every gemeente and region has its shape


def test_live_build_fetched_through_filters_and_kept_what_cbs_sends(live):
    _, _, cbs, root = live
    data_requests = [p for p in cbs.log if "/TypedDataSet" in p]
    assert {p.split("/")[3] for p in data_requests} == {s.id for s in load_tables()}
    classifications = {s.id for s in load_tables() if s.boundaries == "none"}
    assert all("filter=" in p for p in data_requests
               if p.split("/")[3] not in classifications)
    # the wijk table has more than 10,000 rows: its next page was asked with the same filter
    paged = [p for p in data_requests if "skip=10000" in p]
    assert paged and all("filter=" in p for p in paged)
    # the raw cache holds CBS's answers as cbsodata wrote them: codes, Status, Modified
    periods = pd.read_json(root / "raw" / "86088NED" / "Perioden.json")
    assert set(periods["Status"]) == {"Definitief", "Voorlopig"}
    kinds = pd.read_json(root / "raw" / "86088NED" / "Persoonskenmerken.json")
    assert kinds["Key"].tolist() == ["T001038 "] and kinds["Title"].tolist() == ["Totaal personen"]


def test_rows_of_no_gemeente_and_early_gemeenten_are_left_out_and_counted(live):
    target, report, _, _ = live
    assert FIXTURE_EARLY_CODE not in read_historic_codes() | set(read_mergers()["old_code"])
    con = duckdb.connect(str(target), read_only=True)
    try:
        info = con.execute("select * from build_info").df().set_index("table_id")
        staged = con.execute("select count(*) from stg_cbs_value where region_code in "
                             "('GM0998', 'PV99', 'LD99', ?)", [FIXTURE_EARLY_CODE]).fetchone()[0]
    finally:
        con.close()
    assert staged == 0
    for table in AGGREGATE_TABLES:
        assert info.loc[table, "aggregate_rows_left_out"] > 0, table
        assert "GM0998 Gemeenten; niet in te delen" in info.loc[table, "aggregates_left_out"]
        assert "PV99 Niet in te delen (PV)" in info.loc[table, "aggregates_left_out"]
    others = info.drop(index=list(AGGREGATE_TABLES))
    assert (others["aggregate_rows_left_out"] == 0).all()
    for table in EARLY_TABLES:
        assert info.loc[table, "early_rows_left_out"] > 0, table
        assert FIXTURE_EARLY_CODE in info.loc[table, "early_gemeenten_left_out"]
    assert "left out" in report.summary() and "before 2010" in report.summary()
    # CBS's Modified arrives as a timestamp and is stored as one
    assert (info["cbs_modified"] == pd.Timestamp(MODIFIED)).all()
