"""Fill the raw cache data/raw/cbs/<TABLE_ID>/: copied from a snapshot, or fetched live from CBS."""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

from etl.catalog import TableSpec
from etl.config import CBS_BACKOFF_S, CBS_RETRIES, CBS_TIMEOUT_S
from etl.raw import RawTableError, read_raw_table

log = logging.getLogger(__name__)
# Region types the warehouse uses; the rest of a table (wijken, RES-regio's ...) is not fetched.
REGION_PREFIXES = ("NL", "LD", "PV", "CR", "AM", "GM")
TRANSIENT_STATUS = {429, 500, 502, 503, 504}


class ExtractError(RuntimeError):
    """A table could not be brought into the raw cache."""


def is_transient(exc: BaseException) -> bool:
    """Timeouts, resets and 5xx/429 answers are worth another try; the rest is final."""
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return exc.response.status_code in TRANSIENT_STATUS
    return isinstance(exc, (requests.ConnectionError, requests.Timeout))


def with_retries(action: Callable[[], object], what: str, retries: int = CBS_RETRIES,
                 backoff: float = CBS_BACKOFF_S, sleep: Callable[[float], None] = time.sleep):
    """Run `action`, retrying transient failures with exponential backoff."""
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


def fetch_live(spec: TableSpec, target: Path, cbsodata_module=None) -> None:
    """Download one table with cbsodata (codes kept, rows filtered, timeout, retries)."""
    import cbsodata

    cbs = cbsodata_module or cbsodata
    dims = {d: with_retries(lambda d=d: cbs.get_meta(spec.id, d, timeout=CBS_TIMEOUT_S),
                            f"{spec.id} {d} codes")
            for d in {d for s in spec.slices for d, _ in s.titles}}
    filters = [f for f in (slice_filter(spec, dims),
                           None if spec.boundaries == "none" else f"({region_filter()})") if f]
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        with_retries(lambda: cbs.download_data(spec.id, dir=tmp, typed=True,
                                               filters=" and ".join(filters) or None,
                                               timeout=CBS_TIMEOUT_S),
                     f"download {spec.id}")
        read_raw_table(Path(tmp), spec.id)  # validate before it replaces the cache
        replace_dir(Path(tmp), target)


def copy_snapshot(spec: TableSpec, snapshot_dir: Path, target: Path) -> None:
    """Copy one table from the snapshot directory's cbs/<TABLE_ID>/ into the raw cache."""
    source = snapshot_dir / "cbs" / spec.id
    if not source.is_dir():
        raise ExtractError(f"table {spec.id} not found in snapshot {snapshot_dir / 'cbs'}")
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        staged = Path(tmp) / spec.id
        shutil.copytree(source, staged)
        read_raw_table(staged, spec.id)
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
