"""Which data-layer functions may be memoised, without deciding how (no Streamlit here).

The query layer and the builders mark their pure, repeatable functions with @memo. On its own
a marked function just runs (a script, a notebook, a test: every call reads the warehouse).
The app installs a cache at its edge (monitor/cached.py) with use(); from then on every call of
a marked function goes through that cache, inner calls between data-layer functions included.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

_state: dict = {"backend": None, "impls": {}}


def use(backend: Callable[[Callable], Callable] | None) -> None:
    """Route marked functions through backend(fn) from now on (None: run them directly)."""
    if _state["backend"] is not backend:
        _state["backend"], _state["impls"] = backend, {}


def memo(fn: Callable) -> Callable:
    """Mark a function whose result depends on its arguments and the warehouse only."""

    @functools.wraps(fn)
    def call(*args, **kwargs):
        backend = _state["backend"]
        if backend is None:
            return fn(*args, **kwargs)
        impls = _state["impls"]
        impl = impls.get(fn)
        if impl is None:
            impl = impls.setdefault(fn, backend(fn))
        return impl(*args, **kwargs)

    return call
