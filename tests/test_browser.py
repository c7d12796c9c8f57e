"""Browser: a real server and headless Chromium open every page; nothing may show an error.

Screenshots go to tests/artifacts/ (git-ignored). Skip locally with --no-browser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import harness

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
VIEWS = {
    "overzicht": "overzicht?region=PR_zeeland",
    "kaart": "kaart?indicator=werkloosheid_pct&level=gemeente",
    "kaart_provincie_en": "kaart?indicator=hbo_wo_pct&level=provincie&lang=en",
    "regioprofiel": "regioprofiel?region=PR_mra",
    "eigen_regio": "eigen-regio?custom=GM0654,GM0664,GM0677&custom_name=Test",
    "vergelijken": "vergelijken?regions=PR_mra,PR_zeeland,PR_twente",
    "trends": "trends?indicator=werkloosheid_pct",
    "over_de_data": "over-de-data",
    "presentatie": "kaart?indicator=werkloosheid_pct&level=provincie&present=1",
}


@pytest.fixture(scope="module")
def server(warehouse):
    if not harness.chromium_available():
        pytest.skip("Debian chromium or Playwright not installed (scripts/test.sh installs them)")
    with harness.serve(warehouse) as (url, _):
        yield url


@pytest.fixture(scope="module")
def chrome(server):
    with harness.browser() as instance:
        yield instance


@pytest.mark.parametrize("name", list(VIEWS))
def test_page_draws_without_error(server, chrome, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/{VIEWS[name]}")
    harness.wait_drawn(page, 60_000)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert page.query_selector('[data-testid="stException"]') is None
    assert page.query_selector('[data-testid="stAlertContentError"]') is None
    text = page.inner_text('[data-testid="stMain"]')
    assert "Traceback" not in text
    if name.startswith("kaart") or name == "presentatie":
        assert page.query_selector(".js-plotly-plot") is not None
    if name == "presentatie":
        sidebar = page.query_selector('[data-testid="stSidebar"]')
        assert sidebar is None or not sidebar.is_visible()
    page.close()


def test_language_switch_in_browser(server, chrome):
    page = chrome.new_page()
    page.goto(f"{server}/overzicht?lang=en")
    harness.wait_drawn(page, 60_000)
    assert page.inner_text("h1").strip() == "Regional Ecosystem Monitor"
    page.close()
