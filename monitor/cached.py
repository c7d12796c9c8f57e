"""The app's caches, in one place: every @memo function of the data layer, cached by Streamlit
and keyed by the warehouse version (a rebuild swaps the file: the next call reads the new one,
no restart). Bounds (entries, age) are set here and nowhere else."""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st

from monitor import db, memo

# Per function (module.qualname) where it differs from the default.
DEFAULT_LIMITS = {"max_entries": 512}
LIMITS = {
    "monitor.profile.indicator_table_for": {"max_entries": 256},
    "monitor.export.sources_table_for": {"max_entries": 256},
}
# Built objects shared by every session as they are (figures: cache_data would pickle them and
# rebuild them on every hit), per arguments and warehouse version.
SHARED_LIMITS = {"max_entries": 32}
_seen_version: dict[str, str] = {}


def versioned(fn: Callable, cache) -> Callable:
    """fn under a Streamlit cache decorator, with the warehouse version in every key."""

    def run(*args, warehouse_version: str, **kwargs):
        return fn(*args, **kwargs)

    # The cache names the function by the original's module, name and source (so each
    # function keeps its own cache) and hashes the arguments by the original's parameters.
    functools.update_wrapper(run, fn)
    cached = cache(run)

    def call(*args, **kwargs):
        return cached(*args, warehouse_version=db.data_version(), **kwargs)

    return call


def keyed(fn: Callable) -> Callable:
    """fn cached by Streamlit (a copy per hit), keyed by arguments and warehouse version."""
    limits = LIMITS.get(f"{fn.__module__}.{fn.__qualname__}", DEFAULT_LIMITS)
    return versioned(fn, st.cache_data(show_spinner=False, **limits))


def shared(fn: Callable) -> Callable:
    """fn built once per arguments and warehouse version, the same object for every session
    (bounded: SHARED_LIMITS). For what is costly to build and only read afterwards, such as a
    map figure: callers must not change what they get."""
    return versioned(fn, st.cache_resource(show_spinner=False, **SHARED_LIMITS))


def install() -> None:
    """Cache the data layer for this process, and drop results of a replaced warehouse (their
    keys can never match again; dropping them frees the memory at once)."""
    memo.use(keyed)
    version = db.data_version()
    if _seen_version.get("v") not in (None, version):
        st.cache_data.clear()
    _seen_version["v"] = version
