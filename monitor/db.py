"""Read-only DuckDB connections per warehouse file; a cursor per query (thread safety); one
warehouse version per page run.

A rebuild replaces the file in one rename. A new page run notices the new file (inode and
mtime) and opens it; DuckDB caches database instances per path, so `duckdb.connect(path)`
would hand back the old, still open file: the warehouse is ATTACHed read-only into a fresh
in-memory database instead. Cursors of other sessions finish on the old one undisturbed.

Each page run reads ONE warehouse: app.py calls begin_run() before the page, which fixes the
run's `Warehouse` (the current file, or a kept release a link is pinned to) for this thread;
every query and cache key of the run uses it, so a swap during the run cannot give a heading
from one version and a chart from another. Outside a run (a script, a notebook, a test, the
warm-up thread) each query reads the current file, as before. Work handed to another thread
(a download made on click) takes the run's warehouse with it: `carry(fn)`.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "warehouse.duckdb"
RELEASES_SUFFIX = ".releases"  # etl/release.py: <warehouse stem>.releases/<id>.duckdb
MAX_OPEN = 6  # open warehouse files kept (current, a few pinned releases); older ones dropped
_lock = threading.Lock()
_open: OrderedDict[tuple, Warehouse] = OrderedDict()
_run = threading.local()


class NoWarehouse(RuntimeError):
    """There is no warehouse file yet."""


@dataclass(frozen=True)
class Warehouse:
    """One opened warehouse file: its identity, connection and release id."""

    path: Path
    key: tuple
    con: duckdb.DuckDBPyConnection = field(repr=False, compare=False)
    release_id: str | None  # None: a warehouse from before releases were recorded

    @property
    def version(self) -> str:
        """A token that changes when the file changes (part of every cache key)."""
        return f"{self.key[1]}-{self.key[2]}"


def warehouse_path() -> Path:
    """The warehouse the app reads: $REM_WAREHOUSE or data/warehouse.duckdb."""
    value = os.environ.get("REM_WAREHOUSE")
    return Path(value).expanduser() if value else DEFAULT_PATH


def releases_dir(path: Path | None = None) -> Path:
    """The folder of kept releases beside the warehouse."""
    path = path or warehouse_path()
    return path.with_name(path.stem + RELEASES_SUFFIX)


def file_key(path: Path) -> tuple | None:
    """Identity of the file on disk: a rebuild swaps in a new inode."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (str(path), stat.st_ino, stat.st_mtime_ns)


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A fresh database instance with the warehouse attached read-only as `wh`."""
    con = duckdb.connect(":memory:")
    con.execute("attach ? as wh (read_only)", [str(path)])
    return con


def read_release_id(con: duckdb.DuckDBPyConnection) -> str | None:
    """The release id recorded in an attached warehouse (None before releases existed)."""
    cursor = con.cursor()
    try:
        found = cursor.execute("select count(*) from duckdb_tables() where database_name = 'wh' "
                               "and table_name = 'release'").fetchall()[0][0]
        if not found:
            return None
        rows = cursor.execute("select release_id from wh.release").fetchall()
        return rows[0][0] if rows else None
    finally:
        cursor.close()


def open_file(path: Path) -> Warehouse | None:
    """The opened warehouse at path (shared; opened once per file version), None if absent."""
    for _ in range(3):
        key = file_key(path)
        if key is None:
            return None
        with _lock:
            found = _open.get(key)
            if found is not None:
                _open.move_to_end(key)
                return found
        con = open_read_only(path)
        if file_key(path) != key:  # replaced while opening: open what is there now
            con.close()
            continue
        warehouse = Warehouse(path, key, con, read_release_id(con))
        with _lock:
            warehouse = _open.setdefault(key, warehouse)
            _open.move_to_end(key)
            # Older versions are forgotten, not closed: cursors of other sessions may still
            # be reading them; a connection goes when the last of them is released.
            while len(_open) > MAX_OPEN:
                _open.popitem(last=False)
        return warehouse
    raise NoWarehouse(f"{path} keeps being replaced")


def current() -> Warehouse:
    """The current warehouse file, opened."""
    path = warehouse_path()
    warehouse = open_file(path)
    if warehouse is None:
        raise NoWarehouse(str(path))
    return warehouse


def kept_release(release_id: str) -> Warehouse | None:
    """A kept release (the current one included), opened; None when it is not kept."""
    now = current()
    if release_id == now.release_id:
        return now
    if "/" in release_id or release_id.startswith("."):
        return None
    kept = open_file(releases_dir() / f"{release_id}.duckdb")
    return kept if kept is not None and readable(kept) else None


_readable: dict[tuple, bool] = {}


def readable(warehouse: Warehouse) -> bool:
    """Whether this version of the app can show a kept release: every table and column the
    current schema describes is in it (a release built by older code may lack some; it is
    then treated as no longer kept, rather than failing half-way through a page)."""
    if warehouse.key not in _readable:
        from etl.schema import TABLES  # the warehouse contract, one source

        cursor = warehouse.con.cursor()
        try:
            have = set(cursor.execute("select table_name, column_name from duckdb_columns() "
                                      "where database_name = 'wh'").fetchall())
        finally:
            cursor.close()
        need = {(t.name, c.name) for t in TABLES for c in t.columns}
        _readable[warehouse.key] = need <= have
    return _readable[warehouse.key]


def begin_run(release_id: str | None = None) -> Warehouse | None:
    """Fix the warehouse of this page run (this thread) until the next begin_run: the current
    file, or the kept release asked for. Returns it; None when that release is not kept (the
    run then reads the current file) or there is no warehouse."""
    _run.warehouse, _run.link = None, None
    try:
        warehouse = kept_release(release_id) if release_id else current()
    except NoWarehouse:
        return None
    _run.warehouse = warehouse if warehouse is not None else current()
    return warehouse


def end_run() -> None:
    """Forget this thread's run warehouse (queries read the current file again)."""
    _run.warehouse = None
    _run.link = None


def set_run_link(link: str | Callable[[], str] | None) -> None:
    """The link with fixed figures of this run's view (app.py), for files made in it: a
    text, or a callable that makes it when asked (the view as the URL then stands: a page
    writes its choices into the URL while it runs, before it draws its download buttons)."""
    _run.link = link


def _link_now() -> str | None:
    """This thread's run link as it stands now."""
    link = getattr(_run, "link", None)
    return link() if callable(link) else link


def run_link() -> str | None:
    """The link with fixed figures of this run's view; outside the app a link that needs
    only the app's address in front ('?release=<id>'), or None without a release."""
    link = _link_now()
    if link:
        return link
    try:
        release = release_id()
    except NoWarehouse:
        return None
    return f"?release={release}" if release else None


def run_warehouse() -> Warehouse:
    """The warehouse of this run, else the current file."""
    warehouse = getattr(_run, "warehouse", None)
    return warehouse if warehouse is not None else current()


def carry(fn: Callable) -> Callable:
    """fn, to be called on another thread, reading this run's warehouse there (a partial:
    what it will call stays inspectable)."""
    warehouse, link = getattr(_run, "warehouse", None), _link_now()
    if warehouse is None:
        return fn
    return functools.partial(_in_run, warehouse, link, fn)


def _in_run(warehouse: Warehouse, link: str | None, fn: Callable, *args, **kwargs):
    """Call fn with the given run warehouse and link set for this thread."""
    before = getattr(_run, "warehouse", None), getattr(_run, "link", None)
    _run.warehouse, _run.link = warehouse, link
    try:
        return fn(*args, **kwargs)
    finally:
        _run.warehouse, _run.link = before


def connection() -> duckdb.DuckDBPyConnection:
    """The connection of this run (or of the current file)."""
    return run_warehouse().con


def data_version() -> str:
    """A token for the warehouse this run reads: monitor/cached.py puts it in the key of every
    cached result, so a rebuild is read at once, without a restart, and a pinned release's
    results are kept apart from the current one's."""
    try:
        return run_warehouse().version
    except NoWarehouse:
        return "none"


def current_version() -> str:
    """The token of the current file, whatever this run reads."""
    key = file_key(warehouse_path())
    return "none" if key is None else f"{key[1]}-{key[2]}"


def release_id() -> str | None:
    """The release this run reads."""
    return run_warehouse().release_id


def query(sql: str, params: list | tuple | None = None) -> pd.DataFrame:
    """Run one query on its own cursor and return a frame."""
    cursor = connection().cursor()
    try:
        cursor.execute("use wh")
        return cursor.execute(sql, list(params or [])).df()
    finally:
        cursor.close()


def has_warehouse() -> bool:
    """Whether a warehouse file exists."""
    return warehouse_path().is_file()
