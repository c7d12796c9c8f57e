"""Start the dashboard's Streamlit server and warm it up in the background.

    python -m monitor.server --server.port 8501 [other `streamlit run` options]

The first page after a start pays for imports, the warehouse connection, the cached queries
and the map geometry. The app's modules are imported before the server starts (so it reports
healthy, and a balancer sends it sessions, once its code is loaded: about 2-4 s). Then a
background thread waits until this very server answers its health check, opens one session on
loopback and runs the most visited pages through Streamlit's own websocket protocol, as a
browser would: the first person to arrive finds them warm. With $REM_WARM_MARKER set (serve.sh
does), the thread touches that file when it is done, so a balancer can wait for it. The thread
dies with the process; failures are logged, never shown to anyone.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
import threading
import time
import urllib.request
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
# The default page first (where a shared link usually lands), then the heavier pages.
WARM_VIEWS = ("", "kaart", "regioprofiel", "vergelijken", "trends", "kaart?level=provincie")
# What the pages import (pandas, plotly, DuckDB, matplotlib come with them).
WARM_MODULES = ("plotly.graph_objects", "streamlit.elements.plotly_chart", "monitor.queries",
                "monitor.maps", "monitor.charts", "monitor.figures", "monitor.export",
                "monitor.profile", "monitor.report", "monitor.widgets", "monitor.state",
                "monitor.cached", "monitor.downloads")
log = logging.getLogger("monitor.server")


def rerun_message(view: str) -> bytes:
    """A BackMsg asking for a run of a page ('kaart?indicator=x') with its query string."""
    from urllib.parse import urlsplit

    from streamlit.proto.BackMsg_pb2 import BackMsg

    parts = urlsplit(view)
    msg = BackMsg()
    msg.rerun_script.query_string = parts.query
    msg.rerun_script.page_name = parts.path
    return msg.SerializeToString()


def inspect(data: bytes) -> tuple[bool, bool]:
    """(run finished, an exception element arrived) for one ForwardMsg."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.ParseFromString(data)
    kind = msg.WhichOneof("type")
    failed = (kind == "delta" and msg.delta.WhichOneof("type") == "new_element"
              and msg.delta.new_element.WhichOneof("type") == "exception")
    return kind == "script_finished", failed


async def run_view(ws, view: str, timeout: float) -> bool:
    """Ask for one page and read until the run finished; True when no exception came."""
    await ws.send(rerun_message(view))
    ok = True
    async with asyncio.timeout(timeout):
        while True:
            finished, failed = inspect(await ws.recv())
            ok = ok and not failed
            if finished:
                return ok


async def warm(port: int, views=WARM_VIEWS) -> None:
    """One loopback session running each view once."""
    import websockets

    async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream",
                                  subprotocols=["streamlit"], max_size=None) as ws:
        for view in views:
            if not await run_view(ws, view, timeout=120):
                log.warning("warm-up: %r raised an exception", view)


def wait_healthy(port: int, timeout: float = 120) -> bool:
    """Poll this server's health endpoint until it answers."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                        timeout=2) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def warm_in_background(port: int) -> None:
    """Warm-up thread body: never raises."""
    try:
        if wait_healthy(port):
            started = time.perf_counter()
            asyncio.run(warm(port))
            log.info("warm-up done in %.1f s", time.perf_counter() - started)
            # What is warm now (modules, geometry, shared figures) lives as long as the server:
            # keep it out of every later collection (postScriptGC is off, .streamlit/config.toml).
            gc.collect()
            gc.freeze()
    except Exception:  # noqa: BLE001 - a failed warm-up only means a slower first page
        log.warning("warm-up failed", exc_info=True)
    finally:
        # scripts/serve.sh waits for this file before the balancer sends the replica anyone.
        marker = os.environ.get("REM_WARM_MARKER")
        if marker:
            Path(marker).touch()


def port_option(args: list[str]) -> int:
    """The --server.port given on the command line (Streamlit's default 8501)."""
    for i, arg in enumerate(args):
        if arg.startswith("--server.port="):
            return int(arg.split("=", 1)[1])
        if arg == "--server.port" and i + 1 < len(args):
            return int(args[i + 1])
    return 8501


def refuse_clear_cache() -> None:
    """A browser may send Streamlit's `clear_cache` message (its menu item is hidden,
    toolbarMode = "viewer", but the message is still obeyed): it clears st.cache_data and
    st.cache_resource for every user of the process (issue 24: pages 0.81 -> 1.66 s). Here it
    clears only the sender's own session state; the shared caches stay (a new warehouse clears
    them by itself, monitor/cached.py)."""
    from streamlit.runtime.app_session import AppSession

    if getattr(AppSession._handle_clear_cache_request, "_rem_refused", False):
        return

    def handle_clear_cache_request(self) -> None:
        log.warning("refused a clear_cache request from session %s", self.id)
        self._session_state.clear()

    handle_clear_cache_request._rem_refused = True
    AppSession._handle_clear_cache_request = handle_clear_cache_request


# Where a link lands on a page (/kaart?...), Streamlit's browser code does not know where the
# app's root is: it asks /kaart/_stcore/health first, gets a 404 and tries / only after a
# fixed 100 ms wait (its DoInitPings back-off), on every full load of every page but the
# first. The page's own index.html tells it instead: when the last part of the address is one
# of our pages, the app lives one level up (whatever prefix a proxy adds before it), which is
# what Streamlit's own guess settles on 100 ms later. Set through window.__streamlit,
# Streamlit's documented hook for embedding (BACKEND_BASE_URL).
BASE_URL_SCRIPT = """<script>
(function () {
  var pages = %s;
  var path = window.location.pathname.replace(/\\/+$/, "");
  var cut = path.lastIndexOf("/");
  if (pages.indexOf(path.slice(cut + 1)) >= 0) {
    window.__streamlit = {BACKEND_BASE_URL: window.location.origin + path.slice(0, cut + 1)};
  }
})();
</script>
"""


# Streamlit's scripts for the kinds of element the pages show, named in index.html so that
# the browser fetches and compiles them while the connection opens, not one after another as
# the page's elements arrive (written by `python -m bench.chunks`; see there).
PRELOAD_FILE = Path(__file__).resolve().parent / "preload.json"


def static_js_in_index() -> set[str]:
    """The scripts Streamlit's own index.html already loads or preloads."""
    import re

    from streamlit import file_util

    html = (Path(file_util.get_static_dir()) / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r"static/js/([^\"']+\.js)", html))


def preload_links(html: str, static: Path) -> str:
    """<link rel="modulepreload"> lines for PRELOAD_FILE's scripts that this Streamlit has
    and its index.html does not name already ('' without the file)."""
    import json

    try:
        chunks = json.loads(PRELOAD_FILE.read_text(encoding="utf-8"))["chunks"]
    except (OSError, ValueError, KeyError):
        log.warning("no list of scripts to preload (%s)", PRELOAD_FILE)
        return ""
    present = [c for c in chunks if (static / "static" / "js" / c).is_file()
               and f"static/js/{c}" not in html]
    if len(present) < len(chunks):
        log.warning("%d of %d scripts to preload are not in this Streamlit: "
                    "run `python -m bench.chunks`", len(chunks) - len(present), len(chunks))
    return "".join(f'    <link rel="modulepreload" crossorigin href="./static/js/{c}">\n'
                   for c in present)


def page_paths() -> list[str]:
    """The pages' URL paths (app.py: each page's file name)."""
    return sorted(p.stem for p in (APP.parent / "pages").glob("*.py"))


def static_dir_with_base_url(target: Path | None = None) -> Path:
    """A copy of Streamlit's static folder whose index.html says where the app's root is
    (BASE_URL_SCRIPT) and names the scripts the pages will need (preload_links): links to
    everything else in Streamlit's folder, index.html rewritten. Made per start, in a
    temporary folder."""
    import json
    import tempfile

    from streamlit import file_util

    source = Path(file_util.get_static_dir())
    target = target or Path(tempfile.mkdtemp(prefix="rem-static-"))
    for entry in source.iterdir():
        if entry.name != "index.html":
            (target / entry.name).symlink_to(entry)
    html = (source / "index.html").read_text(encoding="utf-8")
    marker = '<script type="module"'
    if marker not in html:  # another Streamlit: leave its page as it is
        (target / "index.html").symlink_to(source / "index.html")
        log.warning("index.html without %r: base URL hint not added", marker)
        return target
    script = BASE_URL_SCRIPT % json.dumps(page_paths())
    html = html.replace(marker, script + "    " + marker, 1)
    if "</head>" in html:
        html = html.replace("</head>", preload_links(html, source) + "  </head>", 1)
    (target / "index.html").write_text(html, encoding="utf-8")
    return target


def tell_pages_their_root() -> None:
    """Serve static_dir_with_base_url() instead of Streamlit's own static folder."""
    import atexit
    import shutil

    from streamlit import file_util

    try:
        folder = static_dir_with_base_url()
    except OSError:
        log.warning("base URL hint not added", exc_info=True)
        return
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    file_util.get_static_dir = lambda: str(folder)


def with_few_malloc_arenas(argv: list[str]) -> None:
    """Run this program again with MALLOC_ARENA_MAX=2 unless that is set (Linux only; the
    same process id, so a supervisor or a test keeps track of it).

    glibc gives each thread that allocates its own malloc arena, up to 8 per core, and
    Streamlit runs every session's page on its own thread: large tables made and freed by
    several sessions at once left memory spread over arenas that never went back to the
    system. 100 distinct export links from 4 sessions ended at 1.2-1.4 GB with the default
    and at 0.7-1.2 GB with 2 arenas (the budget is 1.2 GB; `python -m bench --only export`).
    glibc reads the setting when the process starts; set later (mallopt) it did not hold
    reliably (1.2-1.4 GB)."""
    if os.environ.get("MALLOC_ARENA_MAX") or not sys.platform.startswith("linux"):
        return
    os.environ["MALLOC_ARENA_MAX"] = "2"
    os.execv(sys.executable, [sys.executable, "-m", "monitor.server", *argv])


def main(args: list[str] | None = None) -> None:
    """`streamlit run app.py <args>` with the warm-up thread started first."""
    import importlib

    from streamlit.web import cli

    if args is None:
        with_few_malloc_arenas(sys.argv[1:])
    args = list(sys.argv[1:] if args is None else args)
    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # a renamed module only makes the first page slower
            log.warning("warm-up: cannot import %s", name)
    from monitor import budget

    budget.install_refusal_messages()
    refuse_clear_cache()
    tell_pages_their_root()
    threading.Thread(target=warm_in_background, args=(port_option(args),), daemon=True,
                     name="warm-up").start()
    sys.argv = ["streamlit", "run", str(APP), *args]
    cli.main()


if __name__ == "__main__":
    main()
