"""scripts/serve.sh: two replicas behind HAProxy on loopback. Every session stays on its
replica (a download made by a page and an upload through the balancer work), each replica
serves complete pages, a rebuild is picked up by both, and stopping the script leaves no
process behind. serve.sh installs HAProxy with apt-get when it is missing and we are root
(as in CI); elsewhere these tests say why they cannot run."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest
import streamlit

from bench import harness

pytestmark = [pytest.mark.serve, pytest.mark.browser]
COOKIE = "REM_REPLICA"


def require_haproxy() -> None:
    if shutil.which("haproxy") is None and os.geteuid() != 0:
        pytest.skip("haproxy is not installed and serve.sh can only apt-get it as root: "
                    "apt-get install haproxy")
    if not harness.chromium_available():
        pytest.skip("Debian chromium or Playwright not installed (scripts/test.sh installs them)")


def marked_copy(source, target, built_at: str) -> None:
    """A warehouse copy whose build_meta says it was built at `built_at`."""
    shutil.copy(source, target)
    con = duckdb.connect(str(target))
    con.execute("update build_meta set built_at = ?::timestamp", [built_at])
    con.close()


@pytest.fixture(scope="module")
def live(warehouse, tmp_path_factory):
    """A warehouse file the balanced replicas read (a test swaps it, as a rebuild does)."""
    root = tmp_path_factory.mktemp("serve")
    target = root / "warehouse.duckdb"
    marked_copy(warehouse, target, "2001-01-01 00:00:00")
    return target


@pytest.fixture(scope="module")
def balancer(live):
    require_haproxy()
    with harness.serve_replicas(live, 2) as (url, pids):
        assert len(pids) == 2, "serve.sh should have started two replicas"
        yield url


def open_session(chrome, url: str, path: str = ""):
    """A fresh browser session (its own cookies) with a page drawn; (page, replica)."""
    context = chrome.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{url}/{path}")
    harness.wait_drawn(page, 120_000)
    replica = {c["name"]: c["value"] for c in context.cookies()}.get(COOKIE)
    return page, replica


def sessions_on_both(chrome, url: str, path: str = "") -> dict:
    """One drawn session per replica: {replica: page}."""
    found = {}
    for _ in range(6):
        page, replica = open_session(chrome, url, path)
        assert replica, "the balancer set no affinity cookie"
        found.setdefault(replica, page)
        if len(found) == 2:
            return found
    pytest.fail(f"sessions reached only {sorted(found)}")


def test_each_replica_serves_a_complete_page(balancer, chrome):
    pages = sessions_on_both(chrome, balancer, "kaart?indicator=werkloosheid_pct")
    for page in pages.values():
        assert page.query_selector('[data-testid="stException"]') is None
        assert page.locator(".js-plotly-plot").count() >= 1
        assert "Werkloosheid" in page.inner_text('[data-testid="stMain"]')


def test_a_download_made_by_a_page_works_through_the_balancer(balancer, chrome):
    page, replica = open_session(chrome, balancer, "kaart?indicator=werkloosheid_pct"
                                                   "&level=provincie")
    with page.expect_download(timeout=60_000) as info:
        page.locator('[data-testid="stDownloadButton"] button').filter(
            has_text="Download als CSV").first.click()
    download = info.value
    content = open(download.path(), encoding="utf-8-sig").read()
    assert "region_code" in content and "PV27" in content  # the 12 provincies, as CSV
    # The file lives in the replica that made it: pinned elsewhere, the same link is gone.
    other = "r2" if replica == "r1" else "r1"
    request = urllib.request.Request(download.url, headers={"Cookie": f"{COOKIE}={other}"})
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=30)
    mine = urllib.request.Request(download.url, headers={"Cookie": f"{COOKIE}={replica}"})
    with urllib.request.urlopen(mine, timeout=30) as resp:
        assert resp.status == 200


def test_an_upload_goes_through_the_balancer(balancer, chrome, tmp_path):
    page, _ = open_session(chrome, balancer, "eigen_regio")
    upload = tmp_path / "gemeenten.csv"
    upload.write_text("GM0363\nGM0344\nUtrecht\n", encoding="utf-8")
    page.get_by_text("Lijst laden (CSV)").first.click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(upload)
    page.get_by_text("gemeenten herkend").wait_for(timeout=60_000)
    assert "2 gemeenten herkend" in page.inner_text('[data-testid="stMain"]')
    assert page.query_selector('[data-testid="stException"]') is None


def test_a_rebuild_while_sessions_are_open_reaches_every_replica(balancer, chrome, live,
                                                               tmp_path):
    pages = sessions_on_both(chrome, balancer)
    for page in pages.values():
        assert "2001-01-01" in page.inner_text('[data-testid="stMain"]')
    fresh = tmp_path / "fresh.duckdb"
    marked_copy(live, fresh, "2002-02-02 00:00:00")
    os.replace(fresh, live)  # what etl.build does: one rename
    for replica, page in pages.items():
        page.reload()
        harness.wait_drawn(page, 120_000)
        text = page.inner_text('[data-testid="stMain"]')
        assert "2002-02-02" in text, f"replica {replica} still shows the old build"
        assert page.query_selector('[data-testid="stException"]') is None


def test_the_balancer_compresses_scripts_and_changes_nothing_else(balancer):
    # Streamlit sends its scripts uncompressed; plotly.js is the largest.
    static = Path(streamlit.__file__).parent / "static" / "static" / "js"
    name = next(static.glob("PlotlyChart.*.js")).name
    replica = balancer.rsplit(":", 1)[0] + f":{int(balancer.rsplit(':', 1)[1]) + 1}"
    with urllib.request.urlopen(f"{replica}/static/js/{name}", timeout=30) as resp:
        original = resp.read()
    asked = urllib.request.Request(f"{balancer}/static/js/{name}",
                                   headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(asked, timeout=30) as resp:
        assert resp.headers.get("Content-Encoding") == "gzip"
        sent = resp.read()
    assert len(sent) < len(original) / 2
    assert gzip.decompress(sent) == original
    # a client that does not ask for gzip gets the file as it is
    with urllib.request.urlopen(f"{balancer}/static/js/{name}", timeout=30) as resp:
        assert resp.headers.get("Content-Encoding") is None
        assert resp.read() == original


def test_stopping_serve_sh_leaves_no_process_behind(warehouse):
    require_haproxy()
    port = harness.free_port()
    env = {**os.environ, "REM_WAREHOUSE": str(warehouse), "REM_PYTHON": sys.executable}
    proc = subprocess.Popen([str(harness.REPO / "scripts" / "serve.sh"), "--replicas", "2",
                             "--port", str(port)], cwd=harness.REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        harness.wait_until_up(f"http://127.0.0.1:{port}", timeout=420)
        started = harness.child_pids(proc.pid)
        commands = [harness.process_command(p) for p in started]
        assert sum("monitor.server" in c for c in commands) == 2
        assert any(c.startswith("haproxy") for c in commands)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    deadline = time.time() + 30
    while time.time() < deadline and any(harness.process_command(p) for p in started):
        time.sleep(0.5)
    left = [harness.process_command(p) for p in started if harness.process_command(p)]
    assert not left, f"still running after serve.sh stopped: {left}"
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5)
