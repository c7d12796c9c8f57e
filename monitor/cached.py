"""The app's caches, in one place: every @memo function of the data layer, cached by Streamlit
and keyed by the warehouse version (a rebuild swaps the file: the next call reads the new one,
no restart). Bounds (entries, age) are set here and nowhere else."""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import Callable, Iterator

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from monitor import db, memo

# Memory budget (README, "Memory"): whatever links arrive, the data caches hold at most
# server.maxCacheDataSize (.streamlit/config.toml: 256 MB of pickled results, all functions
# together, least recently used dropped first), each function at most its max_size, and
# nothing older than its ttl (seconds). Export selections are unbounded in number and up to
# ~40 MB each: at most 3 of them, for 10 minutes.
DEFAULT_LIMITS = {"max_entries": 512, "max_size": "64MB", "ttl": 3600}
LIMITS = {
    "monitor.profile.indicator_table_for": {"max_entries": 256, "max_size": "32MB",
                                            "ttl": 3600},
    "monitor.export.sources_table_for": {"max_entries": 256, "max_size": "8MB", "ttl": 3600},
    "monitor.queries.export_values": {"max_entries": 3, "max_size": "128MB", "ttl": 600},
}
# Built objects shared by every session as they are (figures: cache_data would pickle them and
# rebuild them on every hit), per arguments and warehouse version; not in the byte budget, so
# few and short-lived.
SHARED_LIMITS = {"max_entries": 32, "ttl": 3600}
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
        if get_script_run_ctx(suppress_warning=True) is not None:
            return cached(*args, warehouse_version=db.data_version(), **kwargs)
        with quiet_outside_script():
            return cached(*args, warehouse_version=db.data_version(), **kwargs)

    return call


# A download is made when it is clicked, on a server thread without a script run (see
# monitor/downloads.py). Streamlit's caches work there, and say so: 'Thread ...: missing
# ScriptRunContext! This warning can be ignored when running in bare mode.' once per cached
# call (a region report: about 60 lines in the server log). By design here, so not logged; the
# same warning from anywhere else still is.
_outside = threading.local()
CTX_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


class _OutsideScriptFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (getattr(_outside, "on", False)
                    and "missing ScriptRunContext" in record.getMessage())


@contextlib.contextmanager
def quiet_outside_script() -> Iterator[None]:
    """Inside: this thread's 'missing ScriptRunContext' warnings are not logged."""
    logger = logging.getLogger(CTX_LOGGER)
    if not any(isinstance(f, _OutsideScriptFilter) for f in logger.filters):
        logger.addFilter(_OutsideScriptFilter())
    before, _outside.on = getattr(_outside, "on", False), True
    try:
        yield
    finally:
        _outside.on = before


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
    version = db.current_version()  # not the run's: a pinned release is no replacement
    if _seen_version.get("v") not in (None, version):
        st.cache_data.clear()
    _seen_version["v"] = version
