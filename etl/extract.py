"""Fill the raw cache data/raw/cbs/<TABLE_ID>/: copied from a snapshot, or fetched live from CBS."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

from etl.catalog import TableSpec
from etl.config import CBS_BACKOFF_S, CBS_CATALOG_ENV, CBS_RETRIES, CBS_TIMEOUT_S
from etl.raw import RawTableError, read_raw_table

log = logging.getLogger(__name__)
# Region types the warehouse uses; the rest of a table (wijken, RES-regio's ...) is not fetched.
REGION_PREFIXES = ("NL", "LD", "PV", "CR", "AM", "GM")
TRANSIENT_STATUS = {429, 500, 502, 503, 504}


class ExtractError(RuntimeError):
    """A table could not be brought into the raw cache."""


class IncompleteDownload(ExtractError):
    """Fewer rows arrived than the table's dimensions promise (a page cut short)."""


def is_transient(exc: BaseException) -> bool:
    """Timeouts, resets, 5xx/429 answers, truncated bodies and short downloads are worth
    another try; anything else (404, a table that is empty or changed) is final.
    cbsodata re-raises HTTP errors without their response, so the cause chain is searched."""
    while exc is not None:
        if isinstance(exc, requests.HTTPError) and exc.response is not None:
            return exc.response.status_code in TRANSIENT_STATUS
        if isinstance(exc, (requests.ConnectionError, requests.Timeout,
                            requests.exceptions.ChunkedEncodingError, json.JSONDecodeError,
                            IncompleteDownload)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def with_retries(action: Callable[[], object], what: str, retries: int | None = None,
                 backoff: float | None = None, sleep: Callable[[float], None] = time.sleep):
    """Run `action`, retrying transient failures with exponential backoff."""
    retries = CBS_RETRIES if retries is None else retries
    backoff = CBS_BACKOFF_S if backoff is None else backoff
    for attempt in range(1, retries + 1):
        try:
            return action()
        except Exception as exc:  # noqa: BLE001 - classified right below
            if not is_transient(exc) or attempt == retries:
                raise ExtractError(f"{what}: {type(exc).__name__}: {exc}") from exc
            wait = backoff * 2 ** (attempt - 1)
            log.warning("%s failed (%s); retry %d/%d in %.0fs", what, exc, attempt, retries, wait)
            sleep(wait)
    raise AssertionError("unreachable")


def region_filter() -> str:
    """OData filter keeping the region types we use (CBS keys start with the type code)."""
    return " or ".join(f"substringof('{p}',RegioS)" for p in REGION_PREFIXES)


def slice_filter(spec: TableSpec, dimension_codes: dict[str, list[dict]]) -> str | None:
    """OData filter on dimension keys for the declared slices (looked up by title)."""
    clauses = []
    for dim in {d for s in spec.slices for d, _ in s.titles}:
        titles = {t for s in spec.slices for d, t in s.titles if d == dim}
        keys = [c["Key"] for c in dimension_codes.get(dim, []) if c.get("Title") in titles]
        if keys:
            clauses.append("(" + " or ".join(f"{dim} eq '{k}'" for k in keys) + ")")
    return " and ".join(clauses) or None


def catalog_kwargs() -> dict:
    """cbsodata's catalog_url when a mirror is configured (else CBS itself)."""
    catalog = os.environ.get(CBS_CATALOG_ENV)
    return {"catalog_url": catalog} if catalog else {}


def expected_rows(spec: TableSpec, table_dir: Path) -> int | None:
    """Rows a complete download holds: CBS tables are full cubes of their dimensions."""
    raw = read_raw_table(table_dir, spec.id)
    regions = raw.dimensions.get("RegioS")
    if regions is None:
        return None
    n = int(regions["Key"].astype(str).str.strip().str[:2].isin(REGION_PREFIXES).sum())
    for dim, codes in raw.dimensions.items():
        if dim == "RegioS":
            continue
        titles = {t for s in spec.slices for d, t in s.titles if d == dim}
        n *= int(codes["Title"].isin(titles).sum()) if titles else len(codes)
    return n


# cbsodata 1.3.x inverts its `typed` flag (issue J535D165/cbsodata#20, open): typed=False
# writes TypedDataSet.json. Start with what works here; flip once if a fixed release
# writes the untyped set instead, and remember that for the rest of the run.
_typed_flag = {"value": False}


def download_typed(cbs, spec: TableSpec, tmp: Path, filters: str | None) -> None:
    """Download the typed data set (TypedDataSet.json) whatever cbsodata's flag means."""
    for flag in (_typed_flag["value"], not _typed_flag["value"]):
        for old in tmp.glob("*.json"):
            old.unlink()
        cbs.download_data(spec.id, dir=str(tmp), typed=flag, filters=filters,
                          timeout=CBS_TIMEOUT_S, **catalog_kwargs())
        if (tmp / "TypedDataSet.json").is_file():
            _typed_flag["value"] = flag
            (tmp / "UntypedDataSet.json").unlink(missing_ok=True)
            return
    raise ExtractError(f"{spec.id}: cbsodata wrote no TypedDataSet.json")


def download_once(cbs, spec: TableSpec, tmp: Path, filters: str | None) -> None:
    """One download attempt into tmp, checked for emptiness and completeness."""
    download_typed(cbs, spec, tmp, filters)
    raw = read_raw_table(tmp, spec.id)  # raises on an empty or malformed table
    expected = expected_rows(spec, tmp)
    if expected is not None and len(raw.data) < expected:
        raise IncompleteDownload(f"{spec.id}: {len(raw.data)} of {expected} rows arrived")


def fetch_live(spec: TableSpec, target: Path, cbsodata_module=None) -> None:
    """Download one table with cbsodata (codes kept, rows filtered, timeout, retries)."""
    import cbsodata

    cbs = cbsodata_module or cbsodata
    dims = {d: with_retries(lambda d=d: cbs.get_meta(spec.id, d, timeout=CBS_TIMEOUT_S,
                                                     **catalog_kwargs()),
                            f"{spec.id} {d} codes")
            for d in {d for s in spec.slices for d, _ in s.titles}}
    filters = [f for f in (slice_filter(spec, dims),
                           None if spec.boundaries == "none" else f"({region_filter()})") if f]
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        with_retries(lambda: download_once(cbs, spec, Path(tmp),
                                           " and ".join(filters) or None),
                     f"download {spec.id}")
        replace_dir(Path(tmp), target)


def copy_snapshot(spec: TableSpec, snapshot_dir: Path, target: Path) -> None:
    """Copy one table from the snapshot directory's cbs/<TABLE_ID>/ into the raw cache."""
    source = snapshot_dir / "cbs" / spec.id
    if not source.is_dir():
        raise ExtractError(f"table {spec.id} not found in snapshot {snapshot_dir / 'cbs'}")
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        staged = Path(tmp) / spec.id
        shutil.copytree(source, staged)
        try:
            read_raw_table(staged, spec.id)
        except RawTableError as exc:  # name the snapshot's file, not the deleted temporary copy
            where = source / exc.path.relative_to(staged) if exc.path else source
            raise RawTableError(spec.id, exc.detail, where) from exc
        replace_dir(staged, target)


def replace_dir(new: Path, target: Path) -> None:
    """Swap `new` into place of `target`; the old copy survives until the new one is in."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    shutil.move(str(new), str(target))
    if old.exists():
        shutil.rmtree(old)


def extract_table(spec: TableSpec, raw_dir: Path, snapshot_dir: Path | None) -> Path:
    """Bring one table into raw_dir/<TABLE_ID>; a failure leaves the previous copy in place."""
    target = raw_dir / spec.id
    raw_dir.mkdir(parents=True, exist_ok=True)
    try:
        if snapshot_dir is not None:
            copy_snapshot(spec, snapshot_dir, target)
        else:
            fetch_live(spec, target)
    except RawTableError as exc:
        raise ExtractError(str(exc)) from exc
    return target
