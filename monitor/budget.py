"""Heavy exports under a budget: one at a time per session, a few at a time per server
process, each made in a short-lived worker process so it never holds the server's interpreter
(and with it every other session's page run).

A download button's file is made when it is clicked, on a thread of the server. Writing a
large CSV or Excel file is pure Python for seconds; on that thread it takes the interpreter lock
from every page run in the process (issue 24: a bystander's page went from 0.15 s to 16 s while
one session asked for eight large CSVs at once). Here a heavy file is made in a worker process
(`concurrent.futures.ProcessPoolExecutor` on a forkserver that has the export code loaded; one
task per worker, so the worker's memory goes back to the system when the file is made), while
the server thread only waits. A session that asks for a second heavy file while its first is
still being made is refused with a message, and so is anyone once MAX_IN_PROCESS files are
being made in this process.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from monitor.i18n import tr

# Files of at least this many rows are heavy (the largest page table, Regioprofiel's, has ~60
# rows; an export page selection has up to 250,000): below it a file is made on the thread.
HEAVY_ROWS = 5_000
MAX_IN_PROCESS = 2  # heavy files made at once in one server process (one per core)
WORKERS = 2
WAIT_SECONDS = 170  # the browser gives up on a deferred file after 180 s
log = logging.getLogger("monitor.budget")


class ExportRefused(Exception):
    """A heavy file that the budget does not allow now; the message says why (for the user)."""


_lock = threading.Lock()
_busy_sessions: set[str] = set()
_in_process = 0
_pool: ProcessPoolExecutor | None = None
# Refusals per session not yet answered, for the server's answer to the browser.
_refusals: dict[str, list[str]] = {}


def pool() -> ProcessPoolExecutor:
    """The worker pool, started on first use."""
    global _pool
    with _lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["monitor.export"])
            _pool = ProcessPoolExecutor(WORKERS, mp_context=context, max_tasks_per_child=1)
        return _pool


def reset_pool() -> None:
    """Forget a broken pool (the next heavy file starts a new one)."""
    global _pool
    with _lock:
        broken, _pool = _pool, None
    if broken is not None:
        broken.shutdown(wait=False, cancel_futures=True)


def in_process() -> int:
    """Heavy files being made in this process now."""
    return _in_process


def take_refusal(session_id: str) -> str | None:
    """The message of one of this session's unanswered refusals (once), or None."""
    with _lock:
        waiting = _refusals.get(session_id)
        if not waiting:
            return None
        message = waiting.pop(0)
        if not waiting:
            del _refusals[session_id]
        return message


def reserve(session_id: str, lang: str) -> None:
    """Take a place for one heavy file, or raise ExportRefused saying why."""
    global _in_process
    with _lock:
        if session_id in _busy_sessions:
            message = tr("export_busy_session", lang)
        elif _in_process >= MAX_IN_PROCESS:
            message = tr("export_busy_server", lang)
        else:
            _busy_sessions.add(session_id)
            _in_process += 1
            return
        _refusals.setdefault(session_id, []).append(message)
    log.info("export refused for session %s: %s", session_id, message)
    raise ExportRefused(message)


def release(session_id: str) -> None:
    """Give the place back."""
    global _in_process
    with _lock:
        _busy_sessions.discard(session_id)
        _in_process -= 1


def run_heavy(make: Callable[[], bytes | str], session_id: str, lang: str,
              in_worker: bool = True) -> bytes | str:
    """Make one heavy file within the budget: in a worker process (make must pickle: a
    functools.partial of module-level functions), or on this thread (in_worker=False)."""
    reserve(session_id, lang)
    try:
        if not in_worker:
            return make()
        try:
            return pool().submit(make).result(timeout=WAIT_SECONDS)
        except BrokenProcessPool:  # a worker could not start or was killed: a new pool next
            log.warning("export worker pool broken; making this file on the thread",
                        exc_info=True)
            reset_pool()
            return make()
    finally:
        release(session_id)
        forget_soon()


def forget_soon(after: tuple[float, ...] = (30, 60)) -> None:
    """Streamlit keeps a made file in memory until two of its clean-ups have passed it by
    (at the end of later page runs); a heavy one is dropped within a minute of being made
    even when nobody runs a page: the browser fetched it long before."""
    try:
        from streamlit import runtime
    except ImportError:
        return
    if not runtime.exists():
        return
    manager = runtime.get_instance().media_file_mgr
    for seconds in after:
        timer = threading.Timer(seconds, manager.remove_orphaned_files)
        timer.daemon = True
        timer.start()


def budgeted(make: Callable[[], bytes | str], rows: int, session_id: str | None,
             lang: str) -> Callable[[], bytes | str]:
    """The callable a download button gets: `make` itself for a small file, else `make` under
    the budget (see run_heavy)."""
    if rows < HEAVY_ROWS or session_id is None:
        return make
    return functools.partial(run_heavy, make, session_id, lang)


def session_id() -> str | None:
    """The current Streamlit session's id (None outside a session: scripts, tests)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:
        return None
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx else None


def install_refusal_messages() -> None:
    """Let the browser show the refusal's own message under the button, instead of
    Streamlit's generic 'Failed to generate file for download' (server start, once)."""
    try:
        from streamlit.runtime.backend_operation_handler import DeferredFileHandler
    except ImportError:  # another Streamlit: the generic message stays
        return
    if getattr(DeferredFileHandler.handle, "_rem_budget", False):
        return
    original = DeferredFileHandler.handle

    async def handle(self, request, session_id):
        response = await original(self, request, session_id)
        if response.error_msg:  # refused (or failed otherwise: then nothing is waiting)
            response.error_msg = take_refusal(session_id) or response.error_msg
        return response

    handle._rem_budget = True
    DeferredFileHandler.handle = handle
