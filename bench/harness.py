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
         "eigen_regio": "eigen_regio", "vergelijken": "vergelijken", "trends": "trends",
         "export": "export", "over_de_data": "over_de_data"}


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


@contextlib.contextmanager
def serve(warehouse: Path, port: int | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `streamlit run app.py` on 127.0.0.1 against `warehouse`; yield (url, process)."""
    port = port or free_port()
    env = {**os.environ, "REM_WAREHOUSE": str(warehouse)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
           "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


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


# Done = the script run finished (no status widget, no skeletons, no stale elements), the
# footer caption of app.py is there, every plotly chart has its SVG/canvas, and the page
# has not changed for 3 polls in a row.
DRAWN_JS = """() => {
    const q = s => document.querySelector(s);
    if (!q('[data-testid="stApp"]') || q('[data-testid="stStatusWidget"]')) return false;
    if (q('[data-testid="stSkeleton"]') || q('[data-stale="true"]')) return false;
    const main = q('[data-testid="stMain"]');
    if (!main || !/CC BY 4.0/.test(main.innerText)) return false;
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    if (!plots.every(p => p.querySelector('.main-svg, canvas'))) return false;
    const sig = main.innerText.length + ':' + document.querySelectorAll('*').length;
    window.__remStable = (window.__remSig === sig) ? (window.__remStable || 0) + 1 : 0;
    window.__remSig = sig;
    return window.__remStable >= 3;
}"""


def wait_drawn(page, timeout_ms: int = 30_000) -> None:
    """Wait until Streamlit finished running and every chart/table on the page has drawn."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_function(DRAWN_JS, timeout=timeout_ms, polling=150)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    for p in [pid, *child_pids(pid)]:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


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
