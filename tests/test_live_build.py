"""A live refresh on a fake CBS that answers like CBS: equal to the bundle build figure by
figure, and one an operator can trust. Everything listens on 127.0.0.1 only.

The fake (tests/fake_cbs.py) serves the bundle's figures in CBS's real shape (code keys,
padded, 10,000-row pages, `$filter` applied, `Modified` timestamps, `Perioden.Status`), plus
'niet in te delen' rows and a gemeente of before 2010, which the build must leave out by rule
(etl/placement.py) and count; a fake PDOK serves the bundle's boundaries.

One refresh, told in phases (each a real failure an operator meets):
1. `python -m etl build --live` is killed (SIGKILL) half-way through the tables;
2. run again: it resumes (the tables already fetched are not asked again), a 500 on table 12
   is retried, then PDOK hangs past its timeout on every try: the build fails, naming PDOK,
   and the previous warehouse and bundle stay byte for byte as they were;
3. run again: nothing is fetched from CBS again, the boundaries arrive, the warehouse and the
   bundle are replaced; every figure equals the bundle build's (bench/compare_builds.py).
Then: a period CBS withdrew fails the refresh unless --allow-withdrawn; a trickling CBS hits
the per-table deadline; a build waiting for a lock says whose it is.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import cbsodata
import duckdb
import pandas as pd
import pytest
from conftest import REPO
from fake_cbs import (
    AGGREGATE_TABLES,
    EARLY_TABLES,
    FIXTURE_EARLY_CODE,
    MODIFIED,
    FakeCbs,
    FakePdok,
)

from bench.compare_builds import TABLES, compare
from etl import config, extract
from etl.build import JOURNAL, BuildError, build_warehouse, exclusive
from etl.bundle import BUNDLE_DIR
from etl.catalog import get_table, load_tables
from etl.extract import DeadlineExceeded, extract_table
from etl.mergers import read_mergers
from etl.regions import read_historic_codes

pytestmark = pytest.mark.fault
TABLE_12 = load_tables()[11].id


def digest(path) -> str:
    """sha256 of a file, or of every file in a folder."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


def tables_asked(fake: FakeCbs, since: int = 0) -> set[str]:
    return {p.split("/")[3] for p in fake.log[since:] if "/TypedDataSet" in p}


@pytest.fixture(scope="module")
def fakes(cbs_layout_dir):
    with FakeCbs(cbs_layout_dir) as cbs, \
            FakePdok(cbs_layout_dir / "geo" / "gemeente_2024.topojson") as pdok, \
            pytest.MonkeyPatch.context() as mp:
        mp.setattr(cbsodata.options, "use_https", False)
        mp.setenv(config.CBS_CATALOG_ENV, cbs.url)
        mp.setenv(config.PDOK_URL_ENV, pdok.url)
        mp.delenv(config.SNAPSHOT_ENV, raising=False)
        mp.setattr(extract, "CBS_BACKOFF_S", 0.0)
        yield cbs, pdok


@pytest.fixture(scope="module")
def refresh(fakes, warehouse, tmp_path_factory):
    """The three phases of the module doc; what each saw, for the tests below."""
    cbs, pdok = fakes
    root = tmp_path_factory.mktemp("refresh")
    raw, target, bundle = root / "raw", root / "warehouse.duckdb", root / "bundle"
    shutil.copy(warehouse, target)
    shutil.copytree(BUNDLE_DIR, bundle)
    seen = {"before": (digest(target), digest(bundle))}

    # 1. killed half-way
    env = {**os.environ, "REM_RAW_DIR": str(raw), config.CBS_CATALOG_ENV: f"http://{cbs.url}",
           config.PDOK_URL_ENV: pdok.url}
    proc = subprocess.Popen([sys.executable, "-m", "etl", "build", "--live", "--quiet",
                             "--out", str(target)], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    journal = raw / JOURNAL
    deadline = time.monotonic() + 300  # generous: a loaded CI machine
    while time.monotonic() < deadline and proc.poll() is None:
        fetched = json.loads(journal.read_text())["fetched"] if journal.is_file() else {}
        if len(fetched) >= 6:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()[-2000:]
    seen["killed_after"] = set(json.loads(journal.read_text())["fetched"])
    seen["after_kill"] = (digest(target), digest(bundle))

    # 2. resumed; a 500 on table 12 (retried); PDOK hangs past its timeout on every try
    mark = len(cbs.log)
    cbs.fail(f"{TABLE_12}/TypedDataSet", "500")
    pdok.fail(*["hang"] * config.CBS_RETRIES)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(extract, "CBS_TIMEOUT_S", 2.0)
        with pytest.raises(BuildError) as failed:
            build_warehouse(None, target, raw_dir=raw, live=True, write_bundle=bundle)
    seen["failure"] = str(failed.value)
    seen["phase2_tables"] = tables_asked(cbs, mark)
    seen["table12_requests"] = [p for p in cbs.log[mark:] if f"/{TABLE_12}/TypedDataSet" in p]
    seen["after_failure"] = (digest(target), digest(bundle))

    # 3. resumed again: nothing more from CBS, the boundaries arrive, everything replaced
    mark = len(cbs.log)
    report = build_warehouse(None, target, raw_dir=raw, live=True, write_bundle=bundle)
    seen["phase3_tables"] = tables_asked(cbs, mark)
    seen["report"] = report
    seen["after_success"] = (digest(target), digest(bundle))
    seen["raw"], seen["target"], seen["bundle"] = raw, target, bundle
    return seen


@pytest.fixture(scope="module")
def live(refresh, fakes):
    """The completed live refresh: (warehouse, report, fake CBS, raw cache)."""
    return refresh["target"], refresh["report"], fakes[0], refresh["raw"]


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
    periods = pd.read_json(root / "86088NED" / "Perioden.json")
    assert set(periods["Status"]) == {"Definitief", "Voorlopig"}
    kinds = pd.read_json(root / "86088NED" / "Persoonskenmerken.json")
    assert kinds["Key"].tolist() == ["T001038 "] and kinds["Title"].tolist() == ["Totaal personen"]


def test_the_period_cbs_marks_voorlopig_is_marked_in_exports_and_on_kaart(live, make_app):
    """The fake answers as CBS does (module doc of fake_cbs): the latest period of a table
    Voorlopig, the others Definitief. After the live build, the export says so per row and
    Kaart marks the latest year's values '(v)', an earlier year's not."""
    from conftest import reading
    from fixtures import shown_tables

    from monitor import export, queries

    target = live[0]
    indicator = "werkloosheid_pct"  # 86088NED: periods are years
    con = duckdb.connect(str(target), read_only=True)
    try:
        years = [r[0] for r in con.execute(
            "select distinct year from gm_value where indicator_id = ? and value is not null "
            "order by year", [indicator]).fetchall()]
    finally:
        con.close()
    latest = years[-1]
    with reading(target):
        long = export.long_frame(queries.export_values(("NL01",), (indicator,), years[0],
                                                       latest))
    status = dict(zip(long["year"], long["cbs_status"], strict=True))
    assert status == {y: "voorlopig" if y == latest else "definitief" for y in years}
    at = make_app(target, "pages/kaart.py", indicator=indicator, year=str(latest),
                  level="provincie").run()
    assert not at.exception
    assert (shown_tables(at)[0]["Waarde"].str.endswith("\u00a0(v)")).all()
    before = make_app(target, "pages/kaart.py", indicator=indicator, year=str(latest - 1),
                      level="provincie").run()
    assert not before.exception
    assert not shown_tables(before)[0]["Waarde"].str.contains("(v)", regex=False).any()


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


def test_a_killed_refresh_changes_nothing_and_resumes_where_it_stopped(refresh):
    assert refresh["after_kill"] == refresh["before"]
    assert len(refresh["killed_after"]) >= 6
    all_ids = {s.id for s in load_tables()}
    # the resumed run asked CBS only for the tables the killed one had not finished
    assert refresh["phase2_tables"] == all_ids - refresh["killed_after"]
    assert refresh["phase3_tables"] == set()
    started, kept = refresh["report"].resumed
    assert set(kept) == all_ids
    assert "Resumed the refresh started" in refresh["report"].summary()


def test_a_500_on_table_12_is_retried(refresh):
    assert len(refresh["table12_requests"]) == 2  # the 500, then the table


def test_pdok_hanging_fails_clearly_and_keeps_warehouse_and_bundle(refresh):
    assert "gemeente boundaries" in refresh["failure"]
    assert "Timeout" in refresh["failure"]
    assert "run the same command again to resume" in refresh["failure"]
    assert refresh["after_failure"] == refresh["before"]


def test_the_completed_refresh_replaces_warehouse_and_bundle(refresh):
    target_digest, bundle_digest = refresh["after_success"]
    before_target, before_bundle = refresh["before"]
    assert target_digest != before_target and bundle_digest != before_bundle
    assert not (refresh["raw"] / JOURNAL).exists()  # the next refresh starts afresh
    manifest = json.loads((refresh["bundle"] / "manifest.json").read_text())
    assert manifest["source"] == "CBS OData"
    con = duckdb.connect(str(refresh["target"]), read_only=True)
    try:
        assert con.execute("select source_kind from build_meta").fetchone()[0] == "live"
    finally:
        con.close()


def test_a_withdrawn_period_fails_the_refresh_unless_allowed(refresh, fakes, tmp_path):
    """CBS drops 2024 from 86088NED: the refresh fails and says so; --allow-withdrawn
    accepts it and records it. (The other tables come from the raw cache: a journal that
    lists all but 86088NED, as a refresh broken off there leaves.)"""
    cbs, _ = fakes
    raw = tmp_path / "raw"
    shutil.copytree(refresh["raw"], raw)
    fetched = {s.id: "00:00:00" for s in load_tables() if s.id != "86088NED"}
    (raw / JOURNAL).write_text(json.dumps({"started_at": "earlier", "fetched": fetched}))
    target = tmp_path / "w.duckdb"
    shutil.copy(refresh["target"], target)
    before = digest(target)
    cbs.withdraw_period("86088NED", "2024JJ00")
    try:
        with pytest.raises(BuildError, match=r"86088NED: period\(s\) 2024JJ00 withdrawn.*"
                                             "--allow-withdrawn"):
            build_warehouse(None, target, raw_dir=raw, live=True)
        assert digest(target) == before
        report = build_warehouse(None, target, raw_dir=raw, live=True, allow_withdrawn=True)
    finally:
        cbs.tables.pop("86088ned", None)  # rebuilt from the layout on next use
    assert any("withdrawn by CBS (allowed): 86088NED" in w for w in report.warnings)
    con = duckdb.connect(str(target), read_only=True)
    try:
        warnings = con.execute("select warnings from build_meta").fetchone()[0]
    finally:
        con.close()
    assert "2024JJ00 withdrawn" in warnings


def test_a_trickling_cbs_hits_the_deadline_per_table(fakes, tmp_path, monkeypatch,
                                                     cbs_layout_dir):
    """One byte every 0.2 s never trips the read timeout (0.5 s here, 60 s live); the
    table's deadline (total wall time) does, with a clear message; the old copy stays."""
    cbs, _ = fakes
    raw = tmp_path / "raw"
    shutil.copytree(cbs_layout_dir / "cbs" / "86088NED", raw / "86088NED")
    (raw / "86088NED" / "MARKER").write_text("previous copy")
    monkeypatch.setattr(extract, "CBS_TIMEOUT_S", 0.5)
    monkeypatch.setenv(config.DEADLINE_ENV, "3")
    cbs.fail("86088NED/TypedDataSet", "trickle")
    with pytest.raises(DeadlineExceeded, match="86088NED: not complete within 3 s.*"
                                               "REM_FETCH_DEADLINE_S"):
        extract_table(get_table("86088NED"), raw, None)
    cbs.faults.pop("86088NED/TypedDataSet", None)
    assert (raw / "86088NED" / "MARKER").read_text() == "previous copy"
    assert not list(raw.glob("tmp*"))


def test_a_build_meeting_a_lock_says_whose_it_is(tmp_path, warehouse):
    target = tmp_path / "w.duckdb"
    lock = tmp_path / "w.duckdb.lock"
    with exclusive(lock, "w.duckdb"):
        with pytest.raises(BuildError, match=f"held by pid {os.getpid()} on "
                                             f"{socket.gethostname()} .*since 20"):
            build_warehouse(None, target, bundle_dir=BUNDLE_DIR)
        told = []

        def wait_for_lock() -> None:
            with exclusive(lock, "the raw cache", wait=True, notify=told.append):
                pass

        waiter = threading.Thread(target=wait_for_lock)
        waiter.start()
        for _ in range(100):
            if told:
                break
            time.sleep(0.05)
    waiter.join(10)
    assert told and f"held by pid {os.getpid()}" in told[0] and "since" in told[0]


def test_over_de_data_says_what_the_rules_left_out(live):
    """The provenance table on 'Over de data' counts the rows left out, per table (Dutch)."""
    from monitor import about

    target, _, _, _ = live
    con = duckdb.connect(str(target), read_only=True)
    try:
        info = con.execute("select * from build_info").df().set_index("table_id")
    finally:
        con.close()
    early = about.left_out(info.loc["80305ned"])
    assert "rijen van gemeenten vóór 2010" in early
    assert str(int(info.loc["80305ned", "early_rows_left_out"])) in early.replace(".", "")
    aggregates = about.left_out(info.loc["83648NED"])
    assert "rijen zonder gemeente" in aggregates
    assert about.left_out(info.loc["85644NED"]) == "–"


def test_a_bundle_written_by_a_live_refresh_builds_offline(refresh, tmp_path):
    """`--live --write-bundle` writes CBS's Modified timestamps and period statuses into the
    bundle; the default offline build reads it and gives the live build's figures."""
    manifest = json.loads((refresh["bundle"] / "manifest.json").read_text())
    entry = next(e for e in manifest["tables"] if e["id"] == "86088NED")
    assert entry["cbs_modified"] == MODIFIED
    assert entry["period_status"]["2024JJ00"] == "Voorlopig"
    target = tmp_path / "offline.duckdb"
    build_warehouse(None, target, raw_dir=tmp_path / "raw", bundle_dir=refresh["bundle"])
    for table, r in compare(refresh["target"], target).items():
        assert (r["only_before"], r["only_after"], r["changed"]) == (0, 0, 0), (table, r)
