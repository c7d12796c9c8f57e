"""Build the warehouse: extract, load, stage, regions, geometry, indicators; validate; swap in."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import bundle, config, release
from etl.catalog import TableSpec, load_tables
from etl.mergers import read_mergers
from etl.placement import (
    AGGREGATE_REASON,
    HISTORIC_LIST_FROM,
    PRE_LIST_REASON,
    drop_aggregates,
    left_out_text,
    unplaced_before_list,
)
from etl.raw import RawTable, RawTableError, read_raw_table
from etl.regions import (
    build_regions,
    read_historic_codes,
    read_pilot_regions,
    unknown_gemeente_codes,
)
from etl.stage import fill_gaps, stage_table, stage_wide
from etl.wijken import WIJK_GEO_FILE, build_wijk_tables, wijk_shapes, wijk_values

Progress = Callable[[str, int, int], None]
Reader = Callable[[TableSpec], RawTable]
GEBIEDEN_TABLE = "85755NED"
# Where the data came from, as build_meta/build_info say it: never a filesystem path.
SOURCE_KINDS = {
    "bundle": "data bundle shipped with the code",
    "snapshot": "offline snapshot of CBS StatLine",
    "live": "CBS OData (opendata.cbs.nl) and PDOK, fetched live",
}


class BuildError(RuntimeError):
    """The build failed; the message names the table or file and why. The old warehouse stays."""


@dataclass
class BuildReport:
    """What a build did, for the summary and the build_info table."""

    target: Path
    source_kind: str
    taken_at: dt.datetime
    tables: list[dict] = field(default_factory=list)
    steps: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    resumed: tuple[str, list[str]] | None = None  # (refresh started at, tables kept from it)
    periods: dict[str, list[str]] = field(default_factory=dict)  # per table, as the bundle's
    gap_pairs: dict[str, set] = field(default_factory=dict)  # per table (gemeente, year) gaps
    period_status: list[dict] = field(default_factory=list)  # per table, period: CBS status
    release_id: str | None = None
    changes: pd.DataFrame | None = None  # since the release it replaced (None: first one)
    removed_releases: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        """The source in words, with the date the data was taken; no path."""
        return f"{SOURCE_KINDS[self.source_kind]}, taken {self.taken_at:%Y-%m-%d}"

    def summary(self) -> str:
        """A few lines: what was built from what, counts, and where the details are."""
        rows = sum(t["row_count"] for t in self.tables)
        size = self.target.stat().st_size / 1e6 if self.target.exists() else 0
        gaps = sum(t["gap_count"] for t in self.tables)
        gap_tables = sum(1 for t in self.tables if t["gap_count"])
        c = self.counts
        return "\n".join([
            f"Built {self.target.name} ({size:.0f} MB) in {sum(self.steps.values()):.1f} s "
            f"from the {self.source}.",
            f"{len(self.tables)} CBS tables, {rows:,} rows; {c.get('regions', 0)} regions, "
            f"{c.get('indicators', 0)} indicators, {c.get('values', 0):,} values; "
            f"{len(self.warnings)} warnings; {gaps} gaps (a gemeente missing in some years) in "
            f"{gap_tables} tables.",
            *[f"Rule: {line}." for line in left_out_summary(self)],
            *([f"Resumed the refresh started {self.resumed[0]}: {len(self.resumed[1])} tables "
               "kept from it, the rest fetched now."] if self.resumed else []),
            f"Release {self.release_id}: {self.changes_line()}",
            "Details: the tables build_meta (warnings) and build_info (per table: source, "
            "rows, gaps, rows left out) in the warehouse; what changed: release_change.",
        ])

    def changes_line(self) -> str:
        """What changed since the release this build replaced, in one line."""
        if self.changes is None:
            return "the first release of this warehouse (nothing to compare with)."
        if self.changes.empty:
            return "no figure, year, status, method or region changed since the previous release."
        counts = self.changes["kind"].value_counts()
        parts = ", ".join(f"{counts[k]} {k.replace('_', ' ')}" for k in release.CHANGE_KINDS
                          if k in counts)
        return f"changed since the previous release: {parts}."


@contextlib.contextmanager
def timed(report: BuildReport, step: str):
    """Record a step's duration; turn any failure inside it into a BuildError naming it."""
    start = time.perf_counter()
    try:
        yield
    except BuildError:
        raise
    except (ValueError, KeyError, OSError, RuntimeError, duckdb.Error) as exc:
        raise BuildError(f"{step} failed: {type(exc).__name__}: {exc}") from exc
    finally:
        report.steps[step] = report.steps.get(step, 0.0) + time.perf_counter() - start


def code_version() -> str | None:
    """The git commit the build ran from, if known."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=config.REPO_DIR,
                             capture_output=True, text=True, timeout=5)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def write_frame(con: duckdb.DuckDBPyConnection, name: str, frame) -> None:
    """Create (or replace) a warehouse table from a frame (pandas, or an Arrow table)."""
    con.register("_frame", frame)
    con.execute(f'create or replace table "{name}" as select * from _frame')
    con.unregister("_frame")


def load_table(con, spec: TableSpec, read: Reader) -> tuple[RawTable, pd.DataFrame | None, list,
                                                             dict]:
    """Read one raw table, keep what tables.yaml declares (whatever the source, so a build
    from the bundle equals one from a snapshot), store it as raw_cbs__<id>, stage it."""
    raw = read(spec)
    write_frame(con, spec.raw_name, raw.data if raw.arrow is None else raw.arrow)
    if spec.boundaries == "none":
        write_frame(con, f"stg_{spec.alias}", stage_wide(raw, spec))
        return raw, None, [], {}
    staged, absent = stage_table(raw, spec)
    staged, aggregates = drop_aggregates(staged, raw)
    return raw, staged, absent, aggregates


def table_info(spec: TableSpec, raw: RawTable, staged, absent, report: BuildReport,
               aggregates: dict | None = None) -> dict:
    """One build_info row for a CBS table (gaps and gemeenten before our reference data are
    filled in once every table is read)."""
    aggregates = aggregates or {}
    return {
        "table_id": spec.id, "title": spec.title, "alias": spec.alias,
        "boundaries": spec.boundaries, "source": report.source,
        "source_kind": report.source_kind, "retrieved_at": report.taken_at,
        "row_count": len(raw.data), "staged_rows": 0 if staged is None else len(staged),
        "cbs_modified": raw.modified, "absent_optional_slices": "; ".join(absent) or None,
        "statline_url": spec.statline_url, "gap_count": 0, "gaps": None,
        "aggregate_rows_left_out": sum(aggregates.values()),
        "aggregates_left_out": left_out_text(aggregates),
        "early_rows_left_out": 0, "early_gemeenten_left_out": None,
    }


def add_gaps(report: BuildReport, raws: dict[str, RawTable]) -> None:
    """Per table the gemeenten missing per year (derived by comparison; see etl.bundle)."""
    specs = {s.id: s for s in load_tables()}
    gaps = bundle.table_gaps(raws, specs)
    for info in report.tables:
        found = gaps.get(info["table_id"], [])
        report.gap_pairs[info["table_id"]] = {(g["gemeente_code"], y) for g in found
                                              for y in expand_years(g["years"])}
        info["gap_count"] = len(found)
        info["gaps"] = bundle.gaps_text(found) if found else None


JOURNAL = "REFRESH.json"  # in the raw cache: the live refresh under way and what it fetched


def read_journal(raw_dir: Path) -> dict | None:
    """The journal of a live refresh that did not finish, if any."""
    path = raw_dir / JOURNAL
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def write_journal(raw_dir: Path, journal: dict) -> None:
    """Write the journal in one rename (a kill never leaves half a file)."""
    path = raw_dir / JOURNAL
    tmp = path.with_name(f"{JOURNAL}.part")
    tmp.write_text(json.dumps(journal, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def finish_journal(raw_dir: Path) -> None:
    """The refresh is complete (warehouse swapped in): the next one starts afresh."""
    (raw_dir / JOURNAL).unlink(missing_ok=True)


def extract_all(specs, raw_dir: Path, snapshot: Path | None, progress: Progress,
                report: BuildReport | None = None, resume: bool = True) -> None:
    """Fill the raw cache for every table (a failure names the table). Live, a journal in
    the raw cache records each table as it arrives: a refresh that broke off (killed, or a
    table that failed) resumes where it stopped, keeping the tables it already fetched."""
    from etl.extract import ExtractError, extract_table, fetch_boundaries

    raw_dir.mkdir(parents=True, exist_ok=True)
    if snapshot is not None:
        finish_journal(raw_dir)  # the cache now holds snapshot copies: nothing to resume
        for i, spec in enumerate(specs, 1):
            progress(f"extract {spec.id}", i, len(specs))
            try:
                extract_table(spec, raw_dir, snapshot)
            except ExtractError as exc:
                raise BuildError(f"extract failed for CBS table {spec.id}: {exc}") from exc
        return
    journal = read_journal(raw_dir) if resume else None
    if journal is None:
        journal = {"started_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
                   "fetched": {}}
    kept = [s.id for s in specs if s.id in journal["fetched"] and (raw_dir / s.id).is_dir()]
    if kept and report is not None:
        report.resumed = (journal["started_at"], kept)
    write_journal(raw_dir, journal)
    for i, spec in enumerate(specs, 1):
        progress(f"extract {spec.id}", i, len(specs) + 1)
        if spec.id in kept:
            continue
        try:
            extract_table(spec, raw_dir, None)
        except ExtractError as exc:
            done = len(journal["fetched"])
            raise BuildError(f"extract failed for CBS table {spec.id}: {exc}\n{done} of "
                             f"{len(specs)} tables are fetched and kept: run the same command "
                             "again to resume from this table (--restart fetches all "
                             "again)") from exc
        journal["fetched"][spec.id] = dt.datetime.now(dt.UTC).strftime("%H:%M:%S")
        write_journal(raw_dir, journal)
    progress("extract PDOK", len(specs) + 1, len(specs) + 1)
    try:
        fetch_boundaries(raw_dir)
    except ExtractError as exc:
        raise BuildError(f"extract failed for the gemeente boundaries: {exc}\nEvery CBS table "
                         "is fetched and kept: run the same command again to resume") from exc


def load_all(con, specs, read: Reader, report: BuildReport, progress: Progress,
             where: Callable[[TableSpec], str] = lambda spec: spec.id
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load and stage every table; return the long staged rows of all period tables and the
    wijk and buurt rows (wijk_value, written with the wijk tables)."""
    staged_parts, raws = [], {}
    for i, spec in enumerate(specs, 1):
        progress(f"load {spec.id}", i, len(specs))
        try:
            raw, staged, absent, aggregates = load_table(con, spec, read)
        except Exception as exc:  # noqa: BLE001 - whatever breaks, the message names the table
            detail = str(exc) if isinstance(exc, RawTableError | bundle.BundleError) else \
                f"{type(exc).__name__}: {exc}"
            raise BuildError(f"load failed for CBS table {spec.id} ({where(spec)}): "
                             f"{detail}") from exc
        raws[spec.id] = raw
        report.periods[spec.id] = bundle.period_codes(raw)
        report.period_status += release.periods_of(raw)
        report.tables.append(table_info(spec, raw, staged, absent, report, aggregates))
        report.warnings += [f"{spec.id}: optional slice absent: {a}" for a in absent]
        if staged is not None:
            staged_parts.append(staged)
    add_gaps(report, raws)
    staged_all, fills = fill_gaps(pd.concat(staged_parts, ignore_index=True), specs)
    write_frame(con, "stg_cbs_value", staged_all)
    write_frame(con, "value_fill", fills)
    return staged_all, wijk_values(raws, specs)


def build_region_tables(con) -> tuple[pd.DataFrame, pd.DataFrame]:
    """region and region_membership from Gebieden in Nederland and the pilot YAML."""
    gebieden = con.execute(f"select * from stg_{alias_of(GEBIEDEN_TABLE)}").df()
    regions, membership = build_regions(gebieden, read_pilot_regions())
    write_frame(con, "region", regions)
    write_frame(con, "region_membership", membership)
    return regions, membership


def leave_out_early_gemeenten(con, staged: pd.DataFrame, regions: pd.DataFrame,
                              report: BuildReport) -> pd.DataFrame:
    """Rows of gemeenten before our reference data (etl.placement) out of stg_cbs_value,
    counted per table in build_info; the staged rows without them."""
    current = set(regions.loc[regions["region_level"] == "gemeente", "region_code"])
    placeable = current | read_historic_codes() | set(read_mergers()["old_code"])
    early = unplaced_before_list(staged, placeable)
    if not early.any():
        return staged
    dropped = staged.loc[early, ["table_id", "region_code"]]
    con.register("_early", dropped.drop_duplicates())
    con.execute("delete from stg_cbs_value s using _early e where s.table_id = e.table_id and "
                f"s.region_code = e.region_code and s.year < {HISTORIC_LIST_FROM}")
    con.unregister("_early")
    for info in report.tables:
        rows = dropped[dropped["table_id"] == info["table_id"]]
        if len(rows):
            codes = sorted(rows["region_code"].unique())
            info["early_rows_left_out"] = len(rows)
            info["early_gemeenten_left_out"] = (
                f"{len(codes)} gemeenten before {HISTORIC_LIST_FROM} ({', '.join(codes[:8])}"
                f"{', ...' if len(codes) > 8 else ''}): {PRE_LIST_REASON}")
    return staged.loc[~early]


def left_out_summary(report: BuildReport) -> list[str]:
    """Lines on what the rules left out (etl.placement), for the summary and build_meta."""
    lines = []
    agg = sum(t.get("aggregate_rows_left_out", 0) for t in report.tables)
    if agg:
        n = sum(1 for t in report.tables if t.get("aggregate_rows_left_out"))
        lines.append(f"left out {agg:,} rows in {n} tables: {AGGREGATE_REASON}")
    early = sum(t.get("early_rows_left_out", 0) for t in report.tables)
    if early:
        n = sum(1 for t in report.tables if t.get("early_rows_left_out"))
        lines.append(f"left out {early:,} rows in {n} tables: {PRE_LIST_REASON}")
    return lines


def check_region_codes(staged: pd.DataFrame, regions: pd.DataFrame) -> None:
    """Fail on gemeente codes we cannot place (e.g. a merger after our reference data)."""
    current = set(regions.loc[regions["region_level"] == "gemeente", "region_code"])
    known = read_historic_codes() | set(read_mergers()["old_code"])
    unknown = unknown_gemeente_codes(staged, current, known)
    if unknown:
        listed = "; ".join(f"CBS table {t}: {', '.join(c[:10])}" for t, c in unknown.items())
        raise BuildError(f"unknown gemeente codes ({listed}): neither a {config.BOUNDARY_YEAR} "
                         "gemeente nor a known historic one; a municipal change after the "
                         "reference data? Update etl/reference/mergers.csv and "
                         "gemeenten_historisch.csv")


def alias_of(table_id: str) -> str:
    """The alias of a declared table."""
    return next(s.alias for s in load_tables() if s.id == table_id)


def geometry_source(source: Source) -> str:
    """The gemeente boundaries: the bundle's GeoParquet, the snapshot's TopoJSON, or PDOK."""
    if source.kind == "live":
        from etl.extract import boundaries_file

        path = boundaries_file(source.raw_dir)
        if not path.is_file():
            raise BuildError(f"geometry file missing: {path} (fetched from PDOK by the "
                             "extract step)")
        return str(path)
    if source.kind == "bundle":
        try:
            return str(bundle.bundle_geometry(source.bundle_dir))
        except bundle.BundleError as exc:
            raise BuildError(str(exc)) from exc
    path = source.snapshot / "geo" / "gemeente_2024.topojson"
    if not path.is_file():
        raise BuildError("geometry file missing: geo/gemeente_2024.topojson in the snapshot")
    return str(path)


def geometry_table(membership: pd.DataFrame, source: Source) -> pd.DataFrame:
    """Gemeente polygons, simplified as a coverage, dissolved into every region."""
    from etl.geometry import build_geometry_table

    higher = membership[membership["region_code"] != membership["gemeente_code"]]
    return build_geometry_table(geometry_source(source), higher)


def build_geometry(con, membership: pd.DataFrame, source: Source,
                   drawn: Future | None = None) -> None:
    """The geometry table: geometry_table's rows, drawn in the build's thread (`drawn`) or
    now."""
    write_frame(con, "geometry", drawn.result() if drawn is not None
                else geometry_table(membership, source))


def wijk_boundary_source(source: Source) -> str:
    """The 2024 wijk boundaries: the bundle's GeoParquet or the snapshot's GeoJSON. A live
    build reads the bundle's (the 2024 division does not change; PDOK's wijk layer is not
    fetched)."""
    if source.kind == "snapshot":
        path = source.snapshot / "geo" / "wijk_2024.geojson"
    else:
        path = Path(source.bundle_dir or bundle.BUNDLE_DIR) / WIJK_GEO_FILE
    if not path.is_file():
        raise BuildError(f"wijk boundaries missing: {path}")
    return str(path)


def build_wijken(con, values: pd.DataFrame, shapes: Future, report: BuildReport) -> None:
    """wijk, wijk_geometry and wijk_value (its rows staged with the tables, the boundaries
    drawn in a thread meanwhile: see build_database)."""
    report.counts.update(build_wijk_tables(con, values, shapes.result()))


def build_indicators(con, report: BuildReport) -> None:
    """indicator, indicator_value, scores (the analytical layer)."""
    from etl.indicators import build_indicator_tables

    report.warnings += build_indicator_tables(con)


def write_build_info(con, report: BuildReport) -> None:
    """Provenance: source, per table retrieval time, rows and CBS's modification date."""
    info = pd.DataFrame(report.tables)
    # CBS sends `Modified` as a timestamp string ("2025-03-27T02:00:00"); the snapshot null.
    info["cbs_modified"] = pd.to_datetime(info["cbs_modified"], errors="coerce").astype(
        "datetime64[us]")
    write_frame(con, "build_info", info)
    meta = pd.DataFrame([{
        "built_at": dt.datetime.now(dt.UTC).replace(tzinfo=None), "source": report.source,
        "source_kind": report.source_kind, "taken_at": report.taken_at,
        "code_version": code_version(), "boundary_year": config.BOUNDARY_YEAR,
        "warnings": "\n".join(report.warnings) or None,
    }])
    write_frame(con, "build_meta", meta)


def build_database(db_path: Path, source: Source, report: BuildReport,
                   progress: Progress) -> None:
    """Write every warehouse table into db_path (a temporary file)."""
    specs = load_tables()
    con = duckdb.connect(str(db_path))
    # The maps are drawn in a thread, mostly GEOS work, which releases the GIL: the wijk
    # boundaries (they need nothing from the tables) while the tables load, the gemeenten and
    # regions (they need the membership) while the indicators are computed. An error
    # surfaces in the step "geometry" or "wijken", in that order as before.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="build-maps")
    try:
        shapes = pool.submit(lambda: wijk_shapes(wijk_boundary_source(source)))
        with timed(report, "load+stage"):
            staged, wijk_rows = load_all(con, specs, source.reader(), report, progress,
                                         source.table_file)
        with timed(report, "regions"):
            regions, membership = build_region_tables(con)
            staged = leave_out_early_gemeenten(con, staged, regions, report)
            check_region_codes(staged, regions)
            report.counts["regions"] = len(regions)
        drawn = pool.submit(geometry_table, membership, source)
        with timed(report, "indicators"):
            progress("indicators", 1, 1)
            build_indicators(con, report)
            for key, table in (("indicators", "indicator"), ("values", "indicator_value")):
                report.counts[key] = con.execute(f"select count(*) from {table}").fetchall()[0][0]
        with timed(report, "geometry"):
            progress("geometry", 1, 1)
            build_geometry(con, membership, source, drawn)
        with timed(report, "wijken"):
            build_wijken(con, wijk_rows, shapes, report)
        with timed(report, "build_info"):
            write_build_info(con, report)
            con.execute("checkpoint")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        con.close()


@dataclass
class Source:
    """Where a build reads its tables: the bundle (default), a snapshot folder, or CBS live."""

    kind: str
    snapshot: Path | None = None
    bundle_dir: Path | None = None
    raw_dir: Path = config.RAW_DIR

    def reader(self) -> Reader:
        """A function reading one declared table as a RawTable."""
        if self.kind == "bundle":  # stored reduced already
            manifest = bundle.read_manifest(self.bundle_dir)
            return lambda spec: bundle.read_bundle_table(spec, self.bundle_dir, manifest)
        return self.read_raw

    def read_raw(self, spec: TableSpec) -> RawTable:
        """A table from the raw cache, reduced to what tables.yaml declares; errors name the
        snapshot's file (the one to fix), not the cache's copy of it."""
        cached = self.raw_dir / spec.id
        try:
            return bundle.reduce_raw(read_raw_table(cached, spec.id), spec)
        except RawTableError as exc:
            if self.snapshot is None or exc.path is None:
                raise
            original = self.snapshot / "cbs" / spec.id / exc.path.relative_to(cached)
            raise RawTableError(spec.id, exc.detail, original) from exc

    def table_file(self, spec: TableSpec) -> str:
        """Where a table's data comes from, for error messages: the file an operator fixes."""
        if self.kind == "snapshot":
            return str(self.snapshot / "cbs" / spec.id / "TypedDataSet.json")
        if self.kind == "bundle":
            return f"the bundle in {self.bundle_dir}"
        return f"CBS OData table {spec.id} (cached in {self.raw_dir / spec.id})"

    def taken_at(self) -> dt.datetime:
        """When the data was taken from CBS: the bundle's date, else now."""
        if self.kind == "bundle":
            day = bundle.read_manifest(self.bundle_dir)["taken_at"]
            return dt.datetime.fromisoformat(day)
        return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def resolve_source(snapshot_dir, live: bool, raw_dir, bundle_dir) -> Source:
    """The build's source from the options: --snapshot (or $REM_SNAPSHOT_DIR), --live, else
    the bundle."""
    raw = Path(raw_dir) if raw_dir else config.RAW_DIR
    # An explicit bundle wins over $REM_SNAPSHOT_DIR (the tests' warehouse, the bench).
    use_env = bundle_dir is None
    snapshot = config.resolve_snapshot_dir(snapshot_dir) if snapshot_dir or use_env else None
    if snapshot is not None and live:
        raise BuildError("choose one source: --snapshot DIR or --live, not both")
    if snapshot is not None:
        if not (snapshot / "cbs").is_dir():
            raise BuildError(f"snapshot directory {snapshot} has no cbs/ folder (set --snapshot or "
                             f"{config.SNAPSHOT_ENV} to a folder holding cbs/<TABLE_ID>/ and "
                             "geo/)")
        return Source("snapshot", snapshot=snapshot, raw_dir=raw)
    if live:
        return Source("live", raw_dir=raw)
    bundle_path = Path(bundle_dir) if bundle_dir else bundle.BUNDLE_DIR
    try:
        bundle.read_manifest(bundle_path)
    except bundle.BundleError as exc:
        raise BuildError(str(exc)) from exc
    return Source("bundle", bundle_dir=bundle_path, raw_dir=raw)


def lock_owner() -> dict:
    """Who holds a lock: process id, host, command and since when (written into the lock)."""
    return {"pid": os.getpid(), "host": socket.gethostname(),
            "command": " ".join(["python", *sys.argv])[:200],
            "since": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")}


def describe_owner(handle) -> str:
    """'pid 123 on host h (python -m etl build --live), since 2026-12-05 10:02:11 UTC'."""
    try:
        handle.seek(0)
        owner = json.loads(handle.read() or "{}")
    except (OSError, ValueError):
        owner = {}
    if not owner.get("pid"):
        return "by a process that did not say who it is"
    return (f"by pid {owner['pid']} on {owner.get('host', '?')} ({owner.get('command', '?')}), "
            f"since {owner.get('since', '?')}")


@contextlib.contextmanager
def exclusive(lock_path: Path, what: str, wait: bool = False,
              notify: Callable[[str], None] | None = None):
    """Hold an exclusive lock on lock_path (released when the build ends or its process dies);
    the holder writes who it is into the file, so whoever meets the lock is told.

    Without `wait`, a lock held by another build (another process, or another thread of this
    one: flock locks belong to an open file) fails at once with a clear BuildError; with it,
    `notify` is told whose lock is waited for, then the build waits its turn.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = describe_owner(handle)
            if not wait:
                raise BuildError(f"a build is already running for {what} (er loopt al een "
                                 f"build), held {holder}; try again when it has "
                                 "finished") from exc
            (notify or log_warning)(f"waiting for {what}: it is held {holder}")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(lock_owner()))
            handle.flush()
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def log_warning(message: str) -> None:
    """Say something to the operator on stderr (the build's progress goes there too)."""
    print(message, file=sys.stderr, flush=True)


def remove_stale(folder: Path, pattern: str) -> list[str]:
    """Remove leftovers of killed builds (temporary files and folders) matching pattern.
    Only called while holding the lock that guards them, so no running build owns them."""
    removed = []
    for path in sorted(folder.glob(pattern)) if folder.is_dir() else []:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def temp_path(target: Path) -> Path:
    """A temporary warehouse name unique to this build (two builds in one process differ)."""
    return target.with_name(f"{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:12]}")


@contextlib.contextmanager
def raw_cache(source: Source, report: BuildReport):
    """The raw cache, held by one build at a time (others sharing it wait their turn), with
    the leftovers of killed builds (tmp* folders, *.old copies) removed first."""
    if source.kind == "bundle":
        yield
        return
    raw = source.raw_dir
    with exclusive(raw.with_name(f"{raw.name}.lock"), f"the raw cache {raw}", wait=True):
        stale = remove_stale(raw, "tmp*") + remove_stale(raw, "*.old")
        if stale:
            report.warnings.append(f"removed leftovers of an interrupted build: {stale[:5]}")
        yield


def build_warehouse(snapshot_dir: str | os.PathLike | None = None,
                    target: str | os.PathLike | None = None,
                    raw_dir: str | os.PathLike | None = None,
                    progress: Progress | None = None, *, live: bool = False,
                    bundle_dir: str | os.PathLike | None = None,
                    write_bundle: str | os.PathLike | bool | None = None,
                    resume: bool = True, allow_withdrawn: bool = False) -> BuildReport:
    """Build into a temporary file, validate, then replace the old warehouse in one rename.

    The source is the snapshot folder if one is given (or $REM_SNAPSHOT_DIR), CBS and PDOK
    with live=True, else the data bundle in the repository (offline, no network). Live, a
    refresh resumes one that broke off (unless resume=False) and fails when CBS withdrew a
    period or region the bundle has (unless allow_withdrawn). With write_bundle (True, or the
    bundle folder), the bundle is rewritten from the same data before the warehouse is
    swapped in: a failure anywhere leaves both as they were.
    """
    from etl.validate import ValidationError, validate_warehouse

    source = resolve_source(snapshot_dir, live, raw_dir, bundle_dir)
    target = config.resolve_warehouse_path(target)
    progress = progress or (lambda *_: None)
    report = BuildReport(target, source.kind, source.taken_at())
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    # One build at a time per warehouse; under its lock, no other build owns a *.tmp-* file.
    with exclusive(target.with_name(f"{target.name}.lock"), target.name):
        stale = remove_stale(target.parent, f"{glob.escape(target.name)}.tmp-*")
        if stale:
            report.warnings.append(f"removed leftovers of an interrupted build: {stale[:5]}")
        try:
            with raw_cache(source, report):
                if source.kind != "bundle":
                    with timed(report, "extract"):
                        extract_all(load_tables(), source.raw_dir, source.snapshot, progress,
                                    report, resume)
                # pandas 3 keeps text in Arrow arrays by default; the build's many small
                # lookups, joins and groupings on codes (isin, map, merge) cost about a second
                # more CPU on those than on Python-stored text. Same 'str' dtype, same values.
                with pd.option_context("mode.string_storage", "python"):
                    build_database(tmp, source, report, progress)
                if source.kind == "live":
                    check_withdrawn(report, allow_withdrawn)
                with timed(report, "release"):  # recorded first: validation checks it too
                    report.release_id = release.record(
                        tmp, target if target.exists() else None, report.period_status)
                    report.changes = release_changes(tmp, report.release_id)
                try:
                    report.warnings += validate_warehouse(tmp)
                except ValidationError as exc:
                    raise BuildError(f"validation failed: {exc}") from exc
                record_warnings(tmp, report)
                if write_bundle:
                    folder = None if write_bundle is True else write_bundle
                    try:
                        write_bundle_from(source, folder, progress)
                    except (bundle.BundleError, RawTableError, ValueError, OSError) as exc:
                        raise BuildError(f"writing the bundle failed: {exc}") from exc
                os.replace(tmp, target)
                with timed(report, "release"):
                    report.removed_releases = release.keep(target, report.release_id)
                if source.kind == "live":
                    finish_journal(source.raw_dir)
        finally:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}.wal").unlink(missing_ok=True)
    return report


def expand_years(text: str) -> set[int]:
    """'2016-2018, 2021' -> {2016, 2017, 2018, 2021} (bundle.year_ranges read back)."""
    years: set[int] = set()
    for part in filter(None, (p.strip() for p in str(text).split(","))):
        first, _, last = part.partition("-")
        years.update(range(int(first), int(last or first) + 1))
    return years


def withdrawn(report: BuildReport, manifest: dict) -> list[str]:
    """What the bundle has that CBS no longer sends: periods of a table, and gemeenten with
    data in a year of the bundle that are now a gap in that year."""
    found = []
    entries = {e["id"]: e for e in manifest.get("tables", [])}
    for info in report.tables:
        entry = entries.get(info["table_id"])
        if entry is None:
            continue
        gone = sorted(set(entry.get("periods", [])) - set(report.periods.get(info["table_id"],
                                                                              [])))
        if gone:
            found.append(f"{info['table_id']}: period(s) {', '.join(gone)} withdrawn")
        before = {(g["gemeente_code"], y) for g in entry.get("gaps", [])
                  for y in expand_years(g["years"])}
        years = {int(p[:4]) for p in entry.get("periods", [])} - {int(p[:4]) for p in gone}
        now = report.gap_pairs.get(info["table_id"], set())
        lost = sorted((c, y) for c, y in now - before if y in years)
        if lost:
            shown = ", ".join(f"{c} {y}" for c, y in lost[:6])
            found.append(f"{info['table_id']}: {len(lost)} gemeente-years with data in the "
                         f"bundle now without ({shown}{', ...' if len(lost) > 6 else ''})")
    return found


def check_withdrawn(report: BuildReport, allow: bool) -> None:
    """Fail a live refresh that would lose periods or regions the bundle has, unless allowed
    (then it is a warning in build_meta)."""
    try:
        manifest = bundle.read_manifest(bundle.BUNDLE_DIR)
    except bundle.BundleError:
        report.warnings.append("no bundle to compare with: withdrawn periods not checked")
        return
    found = withdrawn(report, manifest)
    if not found:
        return
    if not allow:
        raise BuildError("CBS no longer sends data the current bundle has: "
                         + "; ".join(found) + ". Nothing was replaced. If CBS really withdrew "
                         "it, run again with --allow-withdrawn (the loss is then recorded in "
                         "build_meta's warnings)")
    report.warnings += [f"withdrawn by CBS (allowed): {f}" for f in found]


def release_changes(db_path: Path, release_id: str) -> pd.DataFrame | None:
    """The changes the new release logged against its predecessor (None: it has none)."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        previous = con.execute("select previous_release_id from release").fetchall()[0][0]
        if previous is None:
            return None
        if previous == release_id:
            return pd.DataFrame(columns=release.CHANGE_COLUMNS)
        return con.execute("select * exclude (from_release, to_release) from release_change "
                           "where to_release = ? and from_release = ?",
                           [release_id, previous]).df()
    finally:
        con.close()


def record_warnings(db_path: Path, report: BuildReport) -> None:
    """The validation's warnings (implausible jumps) into build_meta, beside the build's own."""
    con = duckdb.connect(str(db_path))
    try:
        con.execute("update build_meta set warnings = ?", ["\n".join(report.warnings) or None])
        con.execute("checkpoint")
    finally:
        con.close()


def write_bundle_from(source: Source, bundle_dir=None, progress: Progress | None = None) -> dict:
    """Refresh the bundle from the raw cache a snapshot or live build filled."""
    geo = geometry_source(source)
    return bundle.write_bundle(source.reader(), geo, source.kind, bundle_dir, progress,
                               wijk_source=wijk_boundary_source(source))
