"""Shared fixtures: one warehouse built per session from the data bundle, no network.

The bundle (data/bundle/) ships with the code, so every test that needs data has it. The raw
offline snapshot (../shared) is only for the few tests that check the bundle against it or
need files the bundle does not keep: they skip locally without it, and FAIL in CI (CI=true),
where the snapshot is present, so a missing prerequisite never turns into a green run.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    parser.addoption("--run-network", action="store_true", help="run tests that call CBS/PDOK")
    parser.addoption("--no-browser", action="store_true", help="skip the Chromium tests")


# The slowest modules, slowest first (`--durations`, November 2026). Under pytest-xdist
# (scripts/test.sh: one module per worker, --no-loadscope-reorder) they start first, so no
# long module starts last while the other workers idle, and the two browser modules seldom
# run at the same time. The order of the tests within a module does not change.
SLOW_FIRST = ("test_browser_meeting_room.py", "test_build_guard.py", "test_fuzz_params.py",
              "test_browser.py", "test_bundle.py", "test_serve.py", "test_rebuild_live.py",
              "test_build.py", "test_live_build.py", "test_releases.py")


def pytest_collection_modifyitems(config, items):
    if hasattr(config, "workerinput"):  # an xdist worker: the order is the schedule
        rank = {name: i for i, name in enumerate(SLOW_FIRST)}
        items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
    for item in items:
        if "network" in item.keywords and not config.getoption("--run-network"):
            item.add_marker(pytest.mark.skip(reason="network test: use --run-network"))
        if "browser" in item.keywords and config.getoption("--no-browser"):
            item.add_marker(pytest.mark.skip(reason="--no-browser given"))


def is_loopback(address) -> bool:
    """Whether a socket address points at this machine."""
    host = address[0] if isinstance(address, tuple) else address
    if host in ("localhost",) or isinstance(host, bytes | str) and str(host).startswith("/"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def block_network(request, monkeypatch):
    """Any outbound connection other than loopback fails the test (unless marked network)."""
    if "network" in request.keywords:
        return
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        if sock.family == socket.AF_UNIX or is_loopback(address):
            return real_connect(sock, address)
        raise RuntimeError(f"test tried to reach the network: {address}")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


def in_ci() -> bool:
    """Whether the tests run in CI, where every prerequisite must be present."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def find_snapshot() -> Path | None:
    """The offline snapshot: $REM_SNAPSHOT_DIR or ../shared beside the checkout."""
    candidate = Path(os.environ.get("REM_SNAPSHOT_DIR") or REPO.parent / "shared")
    return candidate if (candidate / "cbs").is_dir() else None


def missing(message: str, in_ci_note: str) -> NoReturn:
    """A prerequisite is missing: skip locally, fail in CI (where it must be present)."""
    if in_ci():
        pytest.fail(f"{message}; {in_ci_note}")
    pytest.skip(message)


def require_snapshot() -> Path:
    """The raw snapshot, for tests that compare with it: skip locally, fail in CI."""
    path = find_snapshot()
    if path is None:
        missing("offline snapshot not found (../shared beside the checkout or "
                "$REM_SNAPSHOT_DIR); this test compares the bundle with it", "CI must provide it")
    return path


def require_chromium() -> None:
    """Browser tests need Debian's chromium and Playwright: skip locally, fail in CI (where
    scripts/test.sh installs chromium); `--no-browser` is the explicit local opt-out."""
    from bench import harness

    if harness.chromium_available():
        return
    missing(f"Chromium not found at {harness.CHROMIUM} or Playwright not installed "
            "(scripts/test.sh installs chromium with apt-get when run as root; "
            "or run with --no-browser)", "CI must run the browser tests")


def require_cjk_font() -> Path:
    """IPAexGothic from the matplotlib-fontja wheel (requirements.txt): skip locally without
    it, fail in CI (where the locked install has it)."""
    from monitor import fonts

    path = fonts.cjk_path()
    if path is None:
        missing("CJK font missing: pip install matplotlib-fontja (requirements.txt)",
                "CI installs it from requirements.lock")
    return path


def require_wide_font() -> Path:
    """Debian's fonts-wqy-microhei (Hangul): skip locally without it, fail in CI (where
    scripts/setup.sh installs it as root)."""
    from monitor import fonts

    path = fonts.wide_path()
    if path is None:
        missing("Korean font missing: apt-get install fonts-wqy-microhei",
                "scripts/setup.sh installs it in CI")
    return path


@pytest.fixture(scope="session")
def snapshot_dir() -> Path:
    """The raw offline snapshot (see require_snapshot)."""
    return require_snapshot()


@pytest.fixture(scope="session")
def bundle_table():
    """Read one declared table from the shipped bundle as a RawTable: bundle_table('85644NED')."""
    from etl.bundle import read_bundle_table, read_manifest
    from etl.catalog import get_table

    manifest = read_manifest()
    return lambda table_id: read_bundle_table(get_table(table_id), manifest=manifest)


@pytest.fixture(scope="session")
def cbs_layout_dir(tmp_path_factory) -> Path:
    """A snapshot-shaped folder (cbs/<ID>/*.json as cbsodata writes them, geo/) made from the
    bundle, for tests of the snapshot and live code paths that do not need the raw snapshot."""
    from etl.bundle import export_cbs_layout

    root = tmp_path_factory.mktemp("cbs_layout")
    export_cbs_layout(root)
    return root


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    """The whole warehouse built once from the data bundle into a temporary directory."""
    from etl.build import build_warehouse
    from etl.bundle import BUNDLE_DIR

    root = tmp_path_factory.mktemp("warehouse")
    target = root / "warehouse.duckdb"
    build_warehouse(None, target, raw_dir=root / "raw", bundle_dir=BUNDLE_DIR)
    return target


@pytest.fixture(scope="session")
def server(warehouse):
    """One dashboard server (bench/harness.py) on the session warehouse for every browser test
    module: its URL. Pages only read, so the modules can share it and its warm caches."""
    from bench import harness

    require_chromium()
    with harness.serve(warehouse) as (url, _):
        yield url


@pytest.fixture(scope="module")
def chrome():
    """Headless Chromium for one test module. Not session-wide: while Playwright's sync API
    is open, its event loop counts as running in the main thread (asyncio.run fails there
    and a second sync_playwright, as in test_serve.py, cannot start)."""
    from bench import harness

    require_chromium()
    with harness.browser() as instance:
        yield instance


@pytest.fixture
def con(warehouse):
    """A read-only connection to the session warehouse."""
    import duckdb

    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


@contextlib.contextmanager
def reading(warehouse: Path) -> Iterator[None]:
    """The monitor library reads `warehouse` inside the block (REM_WAREHOUSE set); the query
    caches are emptied before and after (st.cache_data survives between tests). For
    module-scoped fixtures, where monkeypatch is not available."""
    import streamlit as st

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REM_WAREHOUSE", str(warehouse))
        st.cache_data.clear()
        try:
            yield
        finally:
            st.cache_data.clear()


@pytest.fixture
def lib(warehouse, monkeypatch):
    """The monitor library reading the session warehouse (caches emptied first). Through the
    test's own monkeypatch, so a test that sets REM_WAREHOUSE itself is undone in order."""
    import streamlit as st

    monkeypatch.setenv("REM_WAREHOUSE", str(warehouse))
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def make_app(monkeypatch):
    """An AppTest of app.py against a given warehouse file (not yet run).

    Every run goes through app.py, as in the browser: AppTest resets Streamlit's legacy
    pages/-folder mode before each run, which would run a switched-to page file on its own
    (no st.navigation, language or notices); the patch runs app.py instead, as
    monitor/__init__.py makes a live server do. The query caches are cleared first:
    st.cache_data survives between AppTest runs.
    """
    import runpy

    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    def run_app_script(main_script_path) -> None:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(main_script_path), run_name="__main__")

    monkeypatch.setattr(script_runner, "_mpa_v1", run_app_script)

    def make(warehouse_path, page: str | None = None, timeout: float = 60,
             **params) -> AppTest:
        monkeypatch.setenv("REM_WAREHOUSE", str(warehouse_path))
        st.cache_data.clear()
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
        for key, value in params.items():
            at.query_params[key] = value
        if page:
            at.switch_page(page)
        return at

    return make


@pytest.fixture
def run_page(warehouse, make_app):
    """Run the app (one page, with URL parameters) in AppTest against the session warehouse.

    Usage: at = run_page("pages/kaart.py", indicator="werkloosheid_pct", year="2024").
    """

    def run(page: str | None = None, timeout: float = 60, **params):
        return make_app(warehouse, page, timeout, **params).run()

    return run


def pytest_terminal_summary(terminalreporter):
    """Count and list the simulated data-source fault cases (issue: hardening)."""
    cases = [r for key in ("passed", "failed") for r in terminalreporter.stats.get(key, [])
             if getattr(r, "when", "") == "call" and "test_faults.py" in r.nodeid]
    if cases:
        terminalreporter.write_sep("-", f"data-source fault cases covered: {len(cases)}")
        for report in cases:
            terminalreporter.write_line(f"{report.outcome:7} {report.nodeid.split('::')[-1]}")


@pytest.fixture
def downloads(monkeypatch):
    """Deferred downloads by file id: (file name, the callable that makes the file)."""
    files: dict[str, tuple[str, object]] = {}
    from streamlit.runtime.media_file_manager import MediaFileManager

    real = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = real(self, data_callable, mimetype, coordinates, file_name=file_name,
                       **kwargs)
        files[file_id] = (file_name, data_callable)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return files
