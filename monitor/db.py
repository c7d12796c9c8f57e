"""One read-only DuckDB connection per warehouse file; a cursor per query (thread safety).

A rebuild replaces the file in one rename. The next query notices the new file (inode and
mtime) and opens it; DuckDB caches database instances per path, so `duckdb.connect(path)`
would hand back the old, still open file: the warehouse is ATTACHed read-only into a fresh
in-memory database instead. Cursors of other sessions finish on the old one undisturbed.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pandas as pd

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "warehouse.duckdb"
_lock = threading.Lock()
_state: dict = {"key": None, "con": None}


class NoWarehouse(RuntimeError):
    """There is no warehouse file yet."""


def warehouse_path() -> Path:
    """The warehouse the app reads: $REM_WAREHOUSE or data/warehouse.duckdb."""
    value = os.environ.get("REM_WAREHOUSE")
    return Path(value).expanduser() if value else DEFAULT_PATH


def file_key(path: Path) -> tuple | None:
    """Identity of the file on disk: a rebuild swaps in a new inode."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (str(path), stat.st_ino, stat.st_mtime_ns)


def connection() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection; reopened when a rebuild has replaced the file."""
    path = warehouse_path()
    key = file_key(path)
    if key is None:
        raise NoWarehouse(str(path))
    with _lock:
        if _state["key"] != key:
            # The old connection is not closed here: cursors of other sessions may still
            # be reading from it; it goes when the last of them is released.
            _state["con"] = open_read_only(path)
            _state["key"] = key
        return _state["con"]


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A fresh database instance with the warehouse attached read-only as `wh`."""
    con = duckdb.connect(":memory:")
    con.execute("attach ? as wh (read_only)", [str(path)])
    return con


def data_version() -> str:
    """A token that changes when the warehouse file changes: monitor/cached.py puts it in the
    key of every cached result, so a rebuild is read at once, without a restart."""
    key = file_key(warehouse_path())
    return "none" if key is None else f"{key[1]}-{key[2]}"


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
