"""Start the dashboard on loopback and drive Debian's Chromium (tests and benchmarks)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("REM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PAGES = {"overzicht": "", "kaart": "kaart", "regioprofiel": "regioprofiel",
         "wijken": "wijken", "eigen_regio": "eigen_regio", "vergelijken": "vergelijken",
         "trends": "trends", "export": "export", "over_de_data": "over_de_data"}


def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium_available() -> bool:
    """Whether the Debian chromium binary and Playwright's Python package are here."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).is_file()


def wait_until_up(url: str, timeout: float = 60) -> None:
    """Poll Streamlit's health endpoint until it answers."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not come up at {url}")


def stop(proc: subprocess.Popen, timeout: float) -> None:
    """SIGTERM a process, as Ctrl-C would; SIGKILL it if it has not ended after `timeout` s."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def serve(warehouse: Path, port: int | None = None,
          script: Path = REPO / "app.py") -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `streamlit run app.py` (or another script) on 127.0.0.1 against `warehouse`;
    yield (url, process)."""
    port = port or free_port()
    env = {**os.environ, "REM_WAREHOUSE": str(warehouse)}
    # The dashboard starts as its scripts start it: with the background warm-up.
    launch = (["-m", "monitor.server"] if script == REPO / "app.py"
              else ["-m", "streamlit", "run", str(script)])
    cmd = [sys.executable, *launch, "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        yield url, proc
    finally:
        stop(proc, timeout=15)


def process_command(pid: int) -> str:
    """A process's command line, or '' when it is gone."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@contextlib.contextmanager
def serve_replicas(warehouse: Path, replicas: int, port: int | None = None
                   ) -> Iterator[tuple[str, list[int]]]:
    """Run scripts/serve.sh (N replicas behind HAProxy) on loopback; yield (balancer url,
    replica process ids). SIGTERM to the script on exit, as Ctrl-C would."""
    port = port or free_port()
    env = {**os.environ, "REM_WAREHOUSE": str(warehouse), "REM_PYTHON": sys.executable}
    proc = subprocess.Popen([str(REPO / "scripts" / "serve.sh"), "--replicas", str(replicas),
                             "--port", str(port)], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, timeout=420)
        pids = [p for p in child_pids(proc.pid) if "monitor.server" in process_command(p)]
        yield url, pids
    finally:
        stop(proc, timeout=30)


@contextlib.contextmanager
def browser():
    """A headless Chromium (Debian's binary) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


# Drawn = what a person sees: the script run finished (no running indicator, no skeletons,
# no stale elements), the page's own last line is there (app.py's footer, or the hello-world
# line), every plotly chart has its SVG or canvas, every plotly map subplot reports its
# maplibre instance loaded with its tiles (`_fullLayout.map._subplot.map`: plotly's map
# subplot wraps a maplibre Map; before `loaded()` the choropleth is not painted yet), every
# visible table (glide data grid) has its canvas and every image has loaded; and all of that stayed
# the same for 3 polls in a row. The function returns the clock time (ms) at which that final
# state was FIRST seen, so the stability window is not counted in the timing.
# The view is the app's own elements: hover overlays (a help tooltip, in Streamlit's overlay
# portal beside the app) are not. After a click on a button with a help text, such as
# Vergelijken's 'Toepassen', the pointer rests on it and its tooltip opens 0.5 s after the
# press (five elements): counted, it held the final view back to the first poll after that
# although the page had been complete since 0.24-0.27 s (a 5 ms watch of the page's state).

# `before`: a signature of the view before an interaction; the final view must differ from it.
DRAWN_JS = """([marker, before]) => {
    const q = s => document.querySelector(s);
    const notYet = () => { window.__remSig = null; window.__remStable = 0; return false; };
    if (!q('[data-testid="stApp"]') || q('[data-testid="stStatusWidget"]')) return notYet();
    if (q('[data-testid="stSkeleton"]') || q('[data-stale="true"]')) return notYet();
    const main = q('[data-testid="stMain"]');
    if (!main || !new RegExp(marker).test(main.innerText)) return notYet();
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    if (!plots.every(p => p.querySelector('.main-svg, canvas'))) return notYet();
    for (const gd of plots) {
        const layout = gd._fullLayout || {};
        for (const key of Object.keys(layout).filter(k => /^map[0-9]*$/.test(k))) {
            const map = layout[key]._subplot && layout[key]._subplot.map;
            if (!map || !map.loaded() || !map.areTilesLoaded()) return notYet();
        }
    }
    // Tables a person can see (one in a closed expander is not drawn until it opens).
    const grids = [...document.querySelectorAll('[data-testid="stDataFrame"]')]
        .filter(g => g.checkVisibility());
    if (!grids.every(g => g.querySelector('canvas'))) return notYet();
    if (![...main.querySelectorAll('img')].every(i => i.complete)) return notYet();
    const sig = main.innerText + '|' + q('[data-testid="stApp"]').querySelectorAll('*').length;
    if (before !== null && sig === before) return notYet();
    if (window.__remSig !== sig) {
        window.__remSig = sig; window.__remStable = 0; window.__remSince = Date.now();
        return false;
    }
    window.__remStable += 1;
    return window.__remStable >= 3 ? window.__remSince : false;
}"""
SIGNATURE_JS = """() => { const m = document.querySelector('[data-testid="stMain"]');
    const app = document.querySelector('[data-testid="stApp"]');
    return m ? m.innerText + '|' + app.querySelectorAll('*').length : ''; }"""
FOOTER = "CC BY 4.0"


def wait_drawn(page, timeout_ms: int = 30_000, marker: str = FOOTER,
               before: str | None = None) -> float:
    """Wait until the page is drawn as a person sees it (see DRAWN_JS); return the clock
    time (seconds since the epoch) at which it first looked that way."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.evaluate("() => { window.__remSig = null; window.__remStable = 0; }")
    handle = page.wait_for_function(DRAWN_JS, arg=[marker, before], timeout=timeout_ms,
                                    polling=100)
    return handle.json_value() / 1000


INPUTS_JS = """() => {
    window.__remInputs = [];
    if (!window.__remListening) {
        window.__remListening = true;
        for (const type of ['pointerdown', 'keydown']) {
            document.addEventListener(type, () => window.__remInputs.push(Date.now()), true);
        }
    }
}"""


def listen_for_input(page) -> None:
    """From now on, record when the page receives a press of a pointer or a key."""
    page.evaluate(INPUTS_JS)


def input_time(page, start: float) -> float:
    """When the page received the first press at or after `start` (seconds since the epoch,
    taken just before the automation began that action): the moment a person's action
    reaches the page, without the automation's own work before it (finding the element,
    waiting for it to be ready: 0.13-0.17 s per click here, seen in the page's own event
    times and its WebSocket frames). `start` where none was seen."""
    pressed = [t / 1000 for t in page.evaluate("() => window.__remInputs || []")]
    after = [t for t in pressed if t >= start - 0.002]
    return min(after) if after else start


def view_signature(page) -> str:
    """What the page shows now (text and element count), to tell a redrawn view from it."""
    return page.evaluate(SIGNATURE_JS)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    for p in [pid, *child_pids(pid)]:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def all_pids() -> list[int]:
    """Every process id this user can see."""
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def child_pids(pid: int) -> list[int]:
    """Direct and indirect children of a process."""
    out = []
    with contextlib.suppress(OSError):
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            out += [int(child), *child_pids(int(child))]
    return out


def app_test(warehouse: Path, page: str | None = None, **params):
    """An AppTest of app.py (routed through st.navigation, as the tests do) on a warehouse."""
    import runpy

    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    def run_app_script(main_script_path) -> None:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(main_script_path), run_name="__main__")

    script_runner._mpa_v1 = run_app_script  # the bench process only: see tests/conftest.py
    os.environ["REM_WAREHOUSE"] = str(warehouse)
    st.cache_data.clear()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.query_params.update(params)
    if page:
        at.switch_page(page)
    return at
