"""Build the warehouse: extract, load, stage, regions, geometry, indicators; validate; swap in."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import config
from etl.catalog import TableSpec, load_tables
from etl.extract import ExtractError, extract_table
from etl.mergers import read_mergers
from etl.raw import RawTable, RawTableError, read_raw_table
from etl.regions import (
    build_regions,
    read_historic_codes,
    read_pilot_regions,
    unknown_gemeente_codes,
)
from etl.stage import stage_table, stage_wide

Progress = Callable[[str, int, int], None]
GEBIEDEN_TABLE = "85755NED"
LIVE_SOURCE = "live: CBS OData (opendata.cbs.nl) and PDOK"


class BuildError(RuntimeError):
    """The build failed; the message names the table or file and why. The old warehouse stays."""


@dataclass
class BuildReport:
    """What a build did, for the summary and the build_info table."""

    target: Path
    source: str
    tables: list[dict] = field(default_factory=list)
    steps: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        rows = sum(t["row_count"] for t in self.tables)
        size = self.target.stat().st_size / 1e6 if self.target.exists() else 0
        lines = [f"Warehouse {self.target} ({size:.1f} MB) from {self.source}",
                 f"{len(self.tables)} CBS tables, {rows} raw rows"]
        lines += [f"  {k}: {v:.2f}s" for k, v in self.steps.items()]
        lines += [f"  note: {w}" for w in self.warnings]
        return "\n".join(lines)


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


def write_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    """Create (or replace) a warehouse table from a frame."""
    con.register("_frame", frame)
    con.execute(f'create or replace table "{name}" as select * from _frame')
    con.unregister("_frame")


def load_table(con, spec: TableSpec, raw_dir: Path) -> tuple[RawTable, pd.DataFrame | None, list]:
    """Read one raw table, store it as raw_cbs__<id>, and return its staged rows."""
    raw = read_raw_table(raw_dir / spec.id, spec.id)
    write_frame(con, spec.raw_name, raw.data)
    if spec.boundaries == "none":
        write_frame(con, f"stg_{spec.alias}", stage_wide(raw, spec))
        return raw, None, []
    staged, absent = stage_table(raw, spec)
    return raw, staged, absent


def table_info(spec: TableSpec, raw: RawTable, staged, absent, source: str) -> dict:
    """One build_info row for a CBS table."""
    return {
        "table_id": spec.id, "title": spec.title, "alias": spec.alias,
        "boundaries": spec.boundaries, "source": source,
        "retrieved_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "row_count": len(raw.data), "staged_rows": 0 if staged is None else len(staged),
        "cbs_modified": raw.modified, "absent_optional_slices": "; ".join(absent) or None,
        "statline_url": spec.statline_url,
    }


def extract_all(specs, raw_dir: Path, snapshot: Path | None, progress: Progress) -> None:
    """Fill the raw cache for every table (a failure names the table)."""
    for i, spec in enumerate(specs, 1):
        progress(f"extract {spec.id}", i, len(specs))
        try:
            extract_table(spec, raw_dir, snapshot)
        except ExtractError as exc:
            raise BuildError(f"extract failed for CBS table {spec.id}: {exc}") from exc


def load_all(con, specs, raw_dir: Path, source: str, report: BuildReport,
             progress: Progress) -> pd.DataFrame:
    """Load and stage every table; return the long staged rows of all period tables."""
    staged_parts = []
    for i, spec in enumerate(specs, 1):
        progress(f"load {spec.id}", i, len(specs))
        try:
            raw, staged, absent = load_table(con, spec, raw_dir)
        except (RawTableError, ValueError, KeyError) as exc:
            raise BuildError(f"load failed for CBS table {spec.id}: {exc}") from exc
        report.tables.append(table_info(spec, raw, staged, absent, source))
        report.warnings += [f"{spec.id}: optional slice absent: {a}" for a in absent]
        if staged is not None:
            staged_parts.append(staged)
    staged_all = pd.concat(staged_parts, ignore_index=True)
    write_frame(con, "stg_cbs_value", staged_all)
    return staged_all


def build_region_tables(con) -> tuple[pd.DataFrame, pd.DataFrame]:
    """region and region_membership from Gebieden in Nederland and the pilot YAML."""
    gebieden = con.execute(f"select * from stg_{alias_of(GEBIEDEN_TABLE)}").df()
    regions, membership = build_regions(gebieden, read_pilot_regions())
    write_frame(con, "region", regions)
    write_frame(con, "region_membership", membership)
    return regions, membership


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


def geometry_source(snapshot: Path | None) -> str:
    """The gemeente boundaries: the snapshot's TopoJSON, or PDOK when live."""
    if snapshot is None:
        from etl.geometry import PDOK_WFS_URL

        return PDOK_WFS_URL
    path = snapshot / "geo" / "gemeente_2024.topojson"
    if not path.is_file():
        raise BuildError(f"geometry file missing: {path}")
    return str(path)


def build_geometry(con, membership: pd.DataFrame, snapshot: Path | None) -> None:
    """Gemeente polygons, simplified as a coverage, dissolved into every region."""
    from etl.geometry import build_geometry_table

    higher = membership[membership["region_code"] != membership["gemeente_code"]]
    write_frame(con, "geometry", build_geometry_table(geometry_source(snapshot), higher))


def build_indicators(con, report: BuildReport) -> None:
    """indicator, indicator_value, scores (the analytical layer)."""
    from etl.indicators import build_indicator_tables

    report.warnings += build_indicator_tables(con)


def write_build_info(con, report: BuildReport) -> None:
    """Provenance: source, per table retrieval time, rows and CBS's modification date."""
    info = pd.DataFrame(report.tables)
    write_frame(con, "build_info", info)
    meta = pd.DataFrame([{
        "built_at": dt.datetime.now(dt.UTC).replace(tzinfo=None), "source": report.source,
        "code_version": code_version(), "boundary_year": config.BOUNDARY_YEAR,
        "warnings": "\n".join(report.warnings) or None,
    }])
    write_frame(con, "build_meta", meta)


def build_database(db_path: Path, raw_dir: Path, snapshot: Path | None, report: BuildReport,
                   progress: Progress) -> None:
    """Write every warehouse table into db_path (a temporary file)."""
    specs = load_tables()
    con = duckdb.connect(str(db_path))
    try:
        with timed(report, "load+stage"):
            staged = load_all(con, specs, raw_dir, report.source, report, progress)
        with timed(report, "regions"):
            regions, membership = build_region_tables(con)
            check_region_codes(staged, regions)
        with timed(report, "geometry"):
            progress("geometry", 1, 1)
            build_geometry(con, membership, snapshot)
        with timed(report, "indicators"):
            progress("indicators", 1, 1)
            build_indicators(con, report)
        with timed(report, "build_info"):
            write_build_info(con, report)
            con.execute("checkpoint")
    finally:
        con.close()


def build_warehouse(snapshot_dir: str | os.PathLike | None = None,
                    target: str | os.PathLike | None = None,
                    raw_dir: str | os.PathLike | None = None,
                    progress: Progress | None = None) -> BuildReport:
    """Build into a temporary file, validate, then replace the old warehouse in one rename."""
    from etl.validate import ValidationError, validate_warehouse

    snapshot = config.resolve_snapshot_dir(snapshot_dir)
    if snapshot is not None and not (snapshot / "cbs").is_dir():
        raise BuildError(f"snapshot directory {snapshot} has no cbs/ folder "
                         f"(set --snapshot or {config.SNAPSHOT_ENV} to a folder holding "
                         "cbs/<TABLE_ID>/ and geo/)")
    target = config.resolve_warehouse_path(target)
    raw = Path(raw_dir) if raw_dir else config.RAW_DIR
    progress = progress or (lambda *_: None)
    report = BuildReport(target, f"snapshot: {snapshot}" if snapshot else LIVE_SOURCE)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        with timed(report, "extract"):
            extract_all(load_tables(), raw, snapshot, progress)
        build_database(tmp, raw, snapshot, report, progress)
        try:
            validate_warehouse(tmp)
        except ValidationError as exc:
            raise BuildError(f"validation failed: {exc}") from exc
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return report
