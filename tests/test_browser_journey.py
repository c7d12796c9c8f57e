"""Browser: an analyst's day without dead ends (issue 22). One module, one Chromium, one server.

- The state follows a person: a composed region, the language, presentation mode, the chosen
  regions and indicator survive the sidebar, the browser's back button and a shared link.
- At the sizes people use (1366x768 laptop, 1024x768 beamer in presentation mode, 390x844
  phone), in both languages, nothing shows Streamlit's own English texts in the Dutch UI.

Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from bench import harness

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# The Achterhoek: the eight gemeenten of COROP-gebied CR21 (../shared/reference lists them)
ACHTERHOEK = ("GM0197", "GM1859", "GM1876", "GM0222", "GM1955", "GM1586", "GM1509", "GM0294")
COMPOSED = f"custom={','.join(ACHTERHOEK)}&custom_name=Achterhoek"


def query(page) -> dict[str, str]:
    """The page's URL parameters."""
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def sidebar_to(page, title: str) -> None:
    """Click a page in the sidebar, as a person does, and wait until it is drawn."""
    before = harness.view_signature(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    harness.wait_drawn(page, 60_000, before=before)


def main_text(page) -> str:
    return page.inner_text('[data-testid="stMain"]')


def no_error(page) -> None:
    assert page.query_selector('[data-testid="stException"]') is None
    assert page.query_selector('[data-testid="stAlertContentError"]') is None


@pytest.fixture
def tab(chrome):
    """A fresh browser tab (its own Streamlit session) at 1366x768."""
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    yield page
    page.close()


def test_composed_region_and_language_follow_the_sidebar(server, tab):
    """Compose the Achterhoek in English, then go everywhere through the sidebar: every page
    keeps lang=en and the region, the profile shows it, the pickers offer it, and back on
    'Custom region' its eight gemeenten are still chosen."""
    ARTIFACTS.mkdir(exist_ok=True)
    tab.goto(f"{server}/eigen_regio?{COMPOSED}&lang=en")
    harness.wait_drawn(tab, 60_000)
    assert "municipalities: 8" in main_text(tab)

    tab.get_by_role("button", name="Open in Region profile").click()
    harness.wait_drawn(tab, 60_000, before="")
    sidebar_to(tab, "Compare")
    sidebar_to(tab, "Region profile")
    params = query(tab)
    assert params.get("lang") == "en"
    assert params.get("custom") == ",".join(ACHTERHOEK)
    assert params.get("custom_name") == "Achterhoek"
    text = main_text(tab)
    no_error(tab)
    assert "Achterhoek" in tab.inner_text("h1")
    assert "Regioprofiel" not in text  # English page
    tab.screenshot(path=str(ARTIFACTS / "journey_profile_en.png"))

    sidebar_to(tab, "Compare")
    assert query(tab).get("lang") == "en"
    assert query(tab).get("custom") == ",".join(ACHTERHOEK)
    # the picker offers the composed region: type its name in the regions box
    box = tab.locator('[data-testid="stMultiSelect"]').first
    box.locator("input").fill("Achterhoek")
    options = tab.locator('[role="option"]').all_inner_texts()
    assert any(o.startswith("Achterhoek") and "custom" in o.lower() for o in options), options
    # Escape clears the typed text and leaves the list open (all 440 options); a second one
    # closes it. Closed before the next click, as a person sees it go: a click on the sidebar
    # while it was open could be taken by the list (once in CI: no page change, a timeout)
    tab.keyboard.press("Escape")
    tab.locator('[data-testid="stMain"] h1').first.click()  # away from the box, as a person
    tab.locator('[role="option"]').first.wait_for(state="detached", timeout=10_000)

    sidebar_to(tab, "Custom region")
    no_error(tab)
    text = main_text(tab)
    tab.screenshot(path=str(ARTIFACTS / "journey_compose_back_en.png"))
    assert "No municipalities chosen yet" not in text
    chosen = tab.locator('[data-testid="stMultiSelect"]').first.inner_text()
    assert all(code in chosen for code in ACHTERHOEK), chosen

    # back and forward: the profile again, still English, still the region
    before = harness.view_signature(tab)
    tab.go_back()
    harness.wait_drawn(tab, 60_000, before=before)
    assert query(tab).get("lang") == "en"
    assert query(tab).get("custom") == ",".join(ACHTERHOEK)
    no_error(tab)


def test_removed_region_stays_removed(server, tab):
    """Clearing the composed region on 'Eigen regio' removes it from every later page."""
    tab.goto(f"{server}/eigen_regio?{COMPOSED}")
    harness.wait_drawn(tab, 60_000)
    before = harness.view_signature(tab)
    tab.get_by_role("button", name="Alles wissen").click()
    harness.wait_drawn(tab, 60_000, before=before)
    assert "custom" not in query(tab)
    sidebar_to(tab, "Regioprofiel")
    assert "custom" not in query(tab)
    assert "Achterhoek" not in tab.inner_text("h1")
    no_error(tab)


def test_indicator_regions_and_presentation_follow(server, tab):
    """An indicator chosen on the map and regions chosen on Vergelijken are there on Trends;
    presentation mode survives the back button."""
    tab.goto(f"{server}/kaart?indicator=hbo_wo_pct&level=provincie&lang=en")
    harness.wait_drawn(tab, 60_000)
    sidebar_to(tab, "Trends")
    assert query(tab).get("indicator") == "hbo_wo_pct"
    assert query(tab).get("level") == "provincie"
    assert query(tab).get("lang") == "en"
    no_error(tab)
    assert tab.query_selector('[data-testid="stAlertContentWarning"]') is None  # no notices

    tab.goto(f"{server}/vergelijken?regions=PR_zeeland,PR_twente")
    harness.wait_drawn(tab, 60_000)
    sidebar_to(tab, "Trends")
    assert query(tab).get("regions") == "PR_zeeland,PR_twente"
    text = main_text(tab)
    assert "Zeeland" in text and "Twente" in text

    tab.goto(f"{server}/regioprofiel?region=PV29")
    harness.wait_drawn(tab, 60_000)
    sidebar_to(tab, "Kaart")
    tab.wait_for_url("**/kaart**", timeout=30_000)
    assert query(tab).get("region") == "PV29"
    tab.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]',
                has_text="Presentatiemodus").locator("label").click()
    tab.wait_for_url("**present=1**", timeout=30_000)
    harness.wait_drawn(tab, 60_000)
    # Back to the profile at a person's pace (a look at each page before the next press):
    # two presses, or three where Streamlit recorded the sidebar link's bare address as a
    # step of its own before the run put the view's parameters in (a race under load, seen
    # in CI). Presses in a row raced the runs: a late URL replaced the profile's entry.
    for _ in range(3):
        tab.go_back()
        tab.wait_for_timeout(1_500)
        harness.wait_drawn(tab, 60_000)
        if "/regioprofiel" in tab.url:
            break
    tab.wait_for_url("**/regioprofiel**", timeout=30_000)
    harness.wait_drawn(tab, 60_000)
    assert query(tab).get("region") == "PV29"
    assert "Zeeland" in tab.inner_text("h1")
    sidebar = tab.query_selector('[data-testid="stSidebar"]')
    assert sidebar is None or not sidebar.is_visible()  # still presented
    no_error(tab)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_profile_tells_its_story_first_on_a_beamer(server, chrome, lang):
    """1024x768 in presentation mode: the summary and the factor chart on the first screen;
    the way out and the settings scroll away with the page instead of covering it."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = chrome.new_page(viewport={"width": 1024, "height": 768})
    page.goto(f"{server}/regioprofiel?region=PR_zeeland&present=1&lang={lang}")
    harness.wait_drawn(page, 60_000)
    page.screenshot(path=str(ARTIFACTS / f"journey_profile_beamer_{lang}.png"))
    story = page.get_by_role("heading", name="In het kort" if lang == "nl" else "In brief")
    box = story.bounding_box()
    assert box["y"] + box["height"] < 768 * 0.5
    first = page.locator('[data-testid="stMain"] li').first.bounding_box()
    assert first["y"] + first["height"] < 768  # the first sentence of the story is read
    chart = page.locator(".st-key-present_chart").first.bounding_box()
    assert chart["y"] < 768 * 0.4 and chart["y"] + chart["height"] <= 768 + 5
    no_error(page)
    page.mouse.move(500, 400)
    page.mouse.wheel(0, 900)
    page.wait_for_timeout(500)
    leave = page.locator(".st-key-present_off").bounding_box()
    assert leave["y"] + leave["height"] < 0, "the way out scrolls away, not pinned over content"
    page.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_profile_table_on_a_phone_shows_values_beside_labels(server, chrome, lang):
    page = chrome.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/regioprofiel?region=PR_zeeland&lang={lang}")
    harness.wait_drawn(page, 60_000)
    table = page.locator(".st-key-sortable_profile_indicators table").first
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"journey_profile_phone_{lang}.png"))
    heads = table.locator("thead th")
    texts = [h.strip() for h in heads.all_inner_texts() if h.strip()]
    assert texts[:2] == (["Indicator", "Waarde"] if lang == "nl" else ["Indicator", "Value"])
    value = heads.filter(has_text=texts[1]).first.bounding_box()
    assert value["x"] + 40 < 390  # the value column starts on the screen, beside the label
    page.close()


# Streamlit's own English defaults that the app can replace (placeholders); what it cannot
# set is listed in the README ("Streamlit's own texts").
STREAMLIT_DEFAULTS = ("Choose options", "Choose an option", "No options to select")


@pytest.mark.parametrize("path", ["eigen_regio", "export", "vergelijken?regions=NL01",
                                  "kaart?level=provincie"])
def test_no_streamlit_default_english_in_the_dutch_ui(server, chrome, path):
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/{path}")
    harness.wait_drawn(page, 60_000)
    text = page.inner_text("body")
    assert not [w for w in STREAMLIT_DEFAULTS if w in text]
    no_error(page)
    page.close()
