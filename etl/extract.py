"""Fill the raw cache data/raw/cbs/<TABLE_ID>/: copied from a snapshot, or fetched live from CBS
(and the gemeente boundaries from PDOK into data/raw/cbs/PDOK/).

Every live fetch has a timeout per read, retries with backoff for what is transient, and a
deadline for the whole table (FETCH_DEADLINE_S: all requests, pages, retries and waits): the
download runs in a forked child process that is stopped when the deadline passes, so a server
that trickles a byte at a time fails with a clear message instead of hanging the refresh.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

from etl import config
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


class DeadlineExceeded(ExtractError):
    """A table (or the boundaries) did not arrive in full within its deadline."""


def fetch_deadline() -> float:
    """Seconds one table may take in all (config, or $REM_FETCH_DEADLINE_S at call time)."""
    value = os.environ.get(config.DEADLINE_ENV)
    return float(value) if value else config.FETCH_DEADLINE_S


def _die_with_parent() -> None:
    """Linux: the download process is killed when the build is (kill -9 leaves no orphan)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(action: Callable[[], None], conn) -> None:
    """Run the action in the forked child; send back None or the error's message."""
    _die_with_parent()
    try:
        action()
        conn.send(None)
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent as text
        conn.send(f"{exc}" if isinstance(exc, ExtractError | RawTableError)
                  else f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


def run_with_deadline(action: Callable[[], None], what: str,
                      deadline: float | None = None) -> None:
    """Run `action` in a forked process; stop it and raise DeadlineExceeded when it is not
    done within `deadline` seconds of wall time (requests' timeout is per read only)."""
    deadline = fetch_deadline() if deadline is None else deadline
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(action, send), daemon=True)
    start = time.monotonic()
    proc.start()
    send.close()
    try:
        if not receive.poll(deadline):
            raise DeadlineExceeded(
                f"{what}: not complete within {deadline:.0f} s (the deadline for all its "
                f"requests, pages and retries together; {time.monotonic() - start:.0f} s "
                "passed). The source answers too slowly or stalls: try again later, or allow "
                f"more time with {config.DEADLINE_ENV}=SECONDS")
        try:
            error = receive.recv()
        except EOFError:
            error = f"the download process stopped (exit code {proc.exitcode})"
        if error is not None:
            raise ExtractError(error)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        receive.close()


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
            if not is_transient(exc):
                raise ExtractError(f"{what}: {type(exc).__name__}: {exc}") from exc
            if attempt == retries:
                raise ExtractError(f"{what}: gave up after {retries} attempts: "
                                   f"{type(exc).__name__}: {exc}") from exc
            wait = backoff * 2 ** (attempt - 1)
            log.warning("%s failed (%s); retry %d/%d in %.0fs", what, exc, attempt, retries, wait)
            sleep(wait)
    raise AssertionError("unreachable")


SUB_MUNICIPAL_PREFIXES = ("WK", "BU")  # for tables declared `wijken: true`


def region_prefixes(spec: TableSpec | None = None) -> tuple[str, ...]:
    """The region types fetched for a table: ours, and wijken/buurten where declared."""
    return REGION_PREFIXES + (SUB_MUNICIPAL_PREFIXES if spec is not None and spec.wijken
                              else ())


def region_filter(spec: TableSpec | None = None) -> str:
    """OData filter keeping the region types we use (CBS keys start with the type code), on
    the table's own region dimension (RegioS, WerkregioS, WijkenEnBuurten, ...)."""
    dim = spec.region_dimension if spec is not None else "RegioS"
    return " or ".join(f"substringof('{p}',{dim})" for p in region_prefixes(spec))


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
    """cbsodata's catalog_url when a mirror is configured (else CBS itself). A mirror given
    as http://host:port is asked over plain HTTP (cbsodata's use_https option)."""
    catalog = os.environ.get(CBS_CATALOG_ENV)
    if not catalog:
        return {}
    if catalog.startswith(("http://", "https://")):
        import cbsodata

        cbsodata.options.use_https = catalog.startswith("https://")
        catalog = catalog.split("://", 1)[1]
    return {"catalog_url": catalog.rstrip("/")}


def expected_rows(spec: TableSpec, table_dir: Path) -> int | None:
    """Rows a complete download holds: CBS tables are full cubes of their dimensions."""
    raw = read_raw_table(table_dir, spec.id)
    regions = raw.dimensions.get(spec.region_dimension)
    if regions is None:
        return None
    n = int(regions["Key"].astype(str).str.strip().str[:2].isin(region_prefixes(spec)).sum())
    for dim, codes in raw.dimensions.items():
        if dim == spec.region_dimension:
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


def download_table(cbs, spec: TableSpec, tmp: Path) -> None:
    """Codes of the slice dimensions, then the filtered data set, into tmp (with retries)."""
    dims = {d: with_retries(lambda d=d: cbs.get_meta(spec.id, d, timeout=CBS_TIMEOUT_S,
                                                     **catalog_kwargs()),
                            f"{spec.id} {d} codes")
            for d in {d for s in spec.slices for d, _ in s.titles}}
    filters = [f for f in (slice_filter(spec, dims),
                           None if spec.boundaries == "none" else f"({region_filter(spec)})")
               if f]
    with_retries(lambda: download_once(cbs, spec, tmp, " and ".join(filters) or None),
                 f"download {spec.id}")


def fetch_live(spec: TableSpec, target: Path, cbsodata_module=None,
               deadline: float | None = None) -> None:
    """Download one table with cbsodata (codes kept, rows filtered, timeout, retries) and swap
    it into target. With a deadline, the download runs in a child process stopped then."""
    import cbsodata

    cbs = cbsodata_module or cbsodata
    tmp = Path(tempfile.mkdtemp(prefix="tmp", dir=target.parent))
    try:
        if deadline is None:
            download_table(cbs, spec, tmp)
        else:
            run_with_deadline(lambda: download_table(cbs, spec, tmp),
                              f"CBS table {spec.id}", deadline)
        replace_dir(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


PDOK_DIR = "PDOK"
PDOK_FILE = "gemeente_2024.geojson"


def pdok_url() -> str:
    """The boundaries' URL: $REM_PDOK_URL, else PDOK's WFS."""
    from etl.geometry import PDOK_WFS_URL

    return os.environ.get(config.PDOK_URL_ENV) or PDOK_WFS_URL


def boundaries_file(raw_dir: Path) -> Path:
    """Where a live refresh keeps the gemeente boundaries it fetched."""
    return Path(raw_dir) / PDOK_DIR / PDOK_FILE


def download_boundaries(url: str, path: Path) -> None:
    """One GET of the boundaries (timeout per read, retries with backoff), checked by the
    build's own reader before it is kept."""
    from etl.geometry import GeometryError, read_gemeenten

    def get() -> None:
        response = requests.get(url, timeout=CBS_TIMEOUT_S)
        response.raise_for_status()
        path.write_bytes(response.content)

    with_retries(get, "PDOK gemeente boundaries")
    try:
        read_gemeenten(path)
    except GeometryError as exc:
        raise ExtractError(f"PDOK gemeente boundaries: {exc}") from exc


def fetch_boundaries(raw_dir: Path, deadline: float | None = None) -> Path:
    """The 2024 gemeente boundaries from PDOK into the raw cache; a failure keeps the old copy."""
    target = boundaries_file(raw_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"tmp-{os.getpid()}-{target.name}")
    try:
        run_with_deadline(lambda: download_boundaries(pdok_url(), tmp),
                          "PDOK gemeente boundaries", deadline)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


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
            fetch_live(spec, target, deadline=fetch_deadline())
    except RawTableError as exc:
        raise ExtractError(str(exc)) from exc
    return target
