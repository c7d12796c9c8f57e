"""Builds one at a time, and nothing implausible gets in (issue 15): locks, unique temporary
names, stale leftovers removed, type errors and implausible values fail naming the table, and
messages point at the snapshot's own file.

The damaged snapshots are copies of the real one (../shared) with one file changed; the
expected Amsterdam population is read from CBS's own table in the snapshot, not from the code.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from etl import build as build_module
from etl.build import BuildError, build_warehouse

AMSTERDAM = "GM0363"


def damaged_copy(snapshot: Path, root: Path, table: str, change) -> Path:
    """A snapshot whose table `table` has TypedDataSet.json changed by change(rows); the
    other tables and the boundaries are links to the real snapshot."""
    (root / "cbs").mkdir(parents=True)
    for folder in (snapshot / "cbs").iterdir():
        if folder.name != table:
            (root / "cbs" / folder.name).symlink_to(folder)
    shutil.copytree(snapshot / "cbs" / table, root / "cbs" / table, copy_function=shutil.copy)
    (root / "geo").symlink_to(snapshot / "geo")
    path = root / "cbs" / table / "TypedDataSet.json"
    path.chmod(0o644)
    rows = json.loads(path.read_text(encoding="utf-8"))
    change(rows)
    path.write_text(json.dumps(rows), encoding="utf-8")
    return root


def population_rows(rows: list[dict], code: str = AMSTERDAM) -> list[dict]:
    return [r for r in rows if r["RegioS"].strip() == code and r.get("Bevolking_1") is not None]


def negate_amsterdam(rows: list[dict]) -> None:
    for row in population_rows(rows):
        row["Bevolking_1"] = -row["Bevolking_1"]


def cbs_population_2024(snapshot: Path, code: str = AMSTERDAM) -> int:
    """Amsterdam's 2024 population as CBS publishes it (85644NED in the snapshot)."""
    rows = json.loads((snapshot / "cbs" / "85644NED" / "TypedDataSet.json").read_text())
    return next(r["Bevolking_1"] for r in population_rows(rows, code)
                if r["Perioden"] == "2024JJ00")


def warehouse_population(target: Path, code: str = AMSTERDAM) -> float:
    con = duckdb.connect(str(target), read_only=True)
    try:
        return con.execute("select value from indicator_value where indicator_id = 'bevolking' "
                           "and region_code = ? and year = 2024", [code]).fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def negated(snapshot_dir, tmp_path) -> Path:
    return damaged_copy(snapshot_dir, tmp_path / "negated", "85644NED", negate_amsterdam)


def run_in_thread(results: dict, name: str, **kwargs) -> threading.Thread:
    """A build in a thread of this process; its report or BuildError lands in results."""
    def run():
        try:
            results[name] = build_warehouse(**kwargs)
        except BuildError as exc:
            results[name] = exc

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def test_second_build_of_a_warehouse_is_refused_while_one_runs(snapshot_dir, negated,
                                                               tmp_path):
    """Build A (clean) runs; build B (Amsterdam negated) of the same warehouse, in another
    thread of the same process and with the same raw cache, starts while A runs: B is told a
    build is running, A's warehouse holds CBS's figure. B in turn fails validation."""
    target, raw = tmp_path / "out" / "warehouse.duckdb", tmp_path / "raw"
    results: dict = {}
    b_done, a_running = threading.Event(), threading.Event()

    def hold(*_):  # A's progress: wait (bounded) until B has tried
        a_running.set()
        b_done.wait(timeout=120)

    a = run_in_thread(results, "a", snapshot_dir=snapshot_dir, target=target, raw_dir=raw,
                      progress=hold)
    assert a_running.wait(timeout=120)
    b = run_in_thread(results, "b", snapshot_dir=negated, target=target, raw_dir=raw)
    b.join(timeout=120)
    b_done.set()
    a.join(timeout=600)
    assert isinstance(results["b"], BuildError), results["b"]
    assert "a build is already running" in str(results["b"])
    assert "er loopt al een build" in str(results["b"])
    assert not isinstance(results["a"], Exception), results["a"]
    assert warehouse_population(target) == cbs_population_2024(snapshot_dir)

    with pytest.raises(BuildError, match="population") as failed:  # B in its turn
        build_warehouse(negated, target, raw_dir=raw)
    assert AMSTERDAM in str(failed.value)
    assert warehouse_population(target) == cbs_population_2024(snapshot_dir)


def test_builds_sharing_a_raw_cache_take_turns(snapshot_dir, negated, tmp_path):
    """Two warehouses, one raw cache: B waits for A's turn to end, then copies its own
    (damaged) tables; A's warehouse never holds B's values, and B fails validation."""
    raw = tmp_path / "raw"
    target_a, target_b = tmp_path / "a" / "warehouse.duckdb", tmp_path / "b" / "warehouse.duckdb"
    results: dict = {}
    a_running = threading.Event()

    def slow(*_):  # A keeps the raw cache a little while after B asked for it
        if not a_running.is_set():
            a_running.set()
            threading.Event().wait(3)

    a = run_in_thread(results, "a", snapshot_dir=snapshot_dir, target=target_a, raw_dir=raw,
                      progress=slow)
    assert a_running.wait(timeout=120)
    b = run_in_thread(results, "b", snapshot_dir=negated, target=target_b, raw_dir=raw)
    a.join(timeout=600)
    b.join(timeout=600)
    assert not isinstance(results["a"], Exception), results["a"]
    assert warehouse_population(target_a) == cbs_population_2024(snapshot_dir)
    assert isinstance(results["b"], BuildError) and "population" in str(results["b"])
    assert not target_b.exists()


def test_temporary_names_differ_between_builds_of_one_process(tmp_path):
    target = tmp_path / "warehouse.duckdb"
    names = {build_module.temp_path(target).name for _ in range(50)}
    assert len(names) == 50
    assert all(n.startswith("warehouse.duckdb.tmp-") for n in names)


def test_leftovers_of_a_killed_build_are_removed_at_the_next(snapshot_dir, tmp_path):
    target, raw = tmp_path / "out" / "warehouse.duckdb", tmp_path / "raw"
    target.parent.mkdir()
    (raw / "tmpk1ll3d" / "86088NED").mkdir(parents=True)
    (raw / "tmpk1ll3d" / "86088NED" / "TypedDataSet.json").write_text("[")
    (raw / "85644NED.old").mkdir()
    stale = [target.with_name("warehouse.duckdb.tmp-4242"),
             target.with_name("warehouse.duckdb.tmp-4242.wal")]
    for path in stale:
        path.write_bytes(b"x" * 1000)
    other = target.with_name("other.duckdb.tmp-4242")  # another warehouse's: not ours to touch
    other.write_bytes(b"x")
    report = build_warehouse(snapshot_dir, target, raw_dir=raw)
    assert not any(p.exists() for p in stale)
    assert not (raw / "tmpk1ll3d").exists() and not (raw / "85644NED.old").exists()
    assert other.exists()
    assert any("leftovers" in w for w in report.warnings)


def test_text_in_a_numeric_column_fails_naming_table_column_and_rows(snapshot_dir, tmp_path):
    spoiled = []

    def spoil(rows):
        for row in [r for r in rows if r["Persoonskenmerken"] == "Totaal personen"][:50]:
            row["NettoArbeidsparticipatie_16"] = "abc"
            spoiled.append(row)

    snapshot = damaged_copy(snapshot_dir, tmp_path / "abc", "86088NED", spoil)
    with pytest.raises(BuildError) as failed:
        build_warehouse(snapshot, tmp_path / "out" / "warehouse.duckdb", raw_dir=tmp_path / "r")
    message = str(failed.value)
    first = f"RegioS {spoiled[0]['RegioS'].strip()} Perioden {spoiled[0]['Perioden']}"
    for part in ("86088NED", "NettoArbeidsparticipatie_16", "Double", "50 rows", "'abc'", first,
                 str(snapshot / "cbs" / "86088NED" / "TypedDataSet.json")):
        assert part in message, (part, message)
    assert not (tmp_path / "out" / "warehouse.duckdb").exists()


def test_negative_population_fails_the_build(negated, tmp_path):
    with pytest.raises(BuildError, match="validation failed") as failed:
        build_warehouse(negated, tmp_path / "out" / "warehouse.duckdb", raw_dir=tmp_path / "r")
    message = str(failed.value)
    assert "negative counts" in message and "gemeente population outside 500-1500000" in message
    assert f"bevolking {AMSTERDAM} 20" in message  # the gemeente itself is named


def test_duplicated_region_row_fails_naming_the_table(snapshot_dir, tmp_path):
    def repeat(rows):
        rows.append(dict(next(r for r in rows if r["RegioS"].strip() == AMSTERDAM),
                         ID=len(rows)))

    snapshot = damaged_copy(snapshot_dir, tmp_path / "dupe", "85755NED", repeat)
    with pytest.raises(BuildError, match="85755NED") as failed:
        build_warehouse(snapshot, tmp_path / "out" / "warehouse.duckdb", raw_dir=tmp_path / "r")
    assert "repeat" in str(failed.value) and AMSTERDAM in str(failed.value)


def test_malformed_file_is_named_in_the_snapshot_not_a_temporary_copy(snapshot_dir, tmp_path):
    def cut(rows):
        rows.clear()

    snapshot = damaged_copy(snapshot_dir, tmp_path / "cut", "83648NED", cut)
    path = snapshot / "cbs" / "83648NED" / "TypedDataSet.json"
    path.write_text('[{"ID": 0, "Re', encoding="utf-8")
    with pytest.raises(BuildError, match="malformed JSON") as failed:
        build_warehouse(snapshot, tmp_path / "out" / "warehouse.duckdb", raw_dir=tmp_path / "r")
    assert str(path) in str(failed.value)
    assert "/tmp" not in str(failed.value).replace(str(tmp_path), "")


def test_a_tenfold_jump_is_a_warning_in_the_report_and_build_meta(snapshot_dir, tmp_path):
    """Groningen's jobs (83582NED, all activities) twenty times as many in 2020: plausible on
    its own, so the build succeeds, and says so."""
    def jump(rows):
        row = next(r for r in rows if r["RegioS"].strip() == "GM0014"
                   and r["Perioden"] == "2020JJ00" and r["BedrijfstakkenBranchesSBI2008"]
                   .startswith("A-U"))
        row["BanenVanWerknemersInDecember_1"] *= 20

    snapshot = damaged_copy(snapshot_dir, tmp_path / "jump", "83582NED", jump)
    target = tmp_path / "out" / "warehouse.duckdb"
    report = build_warehouse(snapshot, target, raw_dir=tmp_path / "r")
    note = next(w for w in report.warnings
                if w.startswith("banen_werknemers:") and "change more than" in w)
    assert "change more than 10x" in note and "GM0014 2020: " in note
    con = duckdb.connect(str(target), read_only=True)
    assert note in con.execute("select warnings from build_meta").fetchone()[0]
    con.close()
