"""Browser: a real server and headless Chromium open every page; nothing may show an error.

Screenshots go to tests/artifacts/ (git-ignored). Skip locally with --no-browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import harness

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
VIEWS = {
    "overzicht": "?region=PR_zeeland",  # the default page lives at /
    "kaart": "kaart?indicator=werkloosheid_pct&level=gemeente",
    "kaart_provincie_en": "kaart?indicator=hbo_wo_pct&level=provincie&lang=en",
    "regioprofiel": "regioprofiel?region=PR_mra",
    "wijken": "wijken?region=PR_regio_zwolle&measure=huisarts",
    "eigen_regio": "eigen_regio?custom=GM0654,GM0664,GM0677&custom_name=Test",
    "vergelijken": "vergelijken?regions=PR_mra,PR_zeeland,PR_twente",
    "trends": "trends?indicator=werkloosheid_pct",
    "export": "export?levels=proeftuin&indicators=werkloosheid_pct,hbo_wo_pct",
    "over_de_data": "over_de_data",
    "presentatie": "kaart?indicator=werkloosheid_pct&level=provincie&present=1",
}


@pytest.mark.parametrize("name", list(VIEWS))
def test_page_draws_without_error(server, chrome, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    events = []
    page.on("websocket", lambda ws: events.append("connected"))
    page.on("request", lambda request: events.append(request.url.split("/static/js/")[-1])
            if "/static/js/" in request.url else None)
    page.goto(f"{server}/{VIEWS[name]}")
    harness.wait_drawn(page, 60_000)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    # the code of every kind of element the page shows was named in its index.html and
    # fetched while the connection opened, none after (monitor/preload.json; regenerate with
    # `python -m bench.chunks` after a Streamlit upgrade or for a new kind of element)
    assert "connected" in events
    late = events[events.index("connected"):][1:]
    assert not late, f"scripts fetched after the connection opened: {late}"
    assert page.query_selector('[data-testid="stException"]') is None
    assert page.query_selector('[data-testid="stAlertContentError"]') is None
    text = page.inner_text('[data-testid="stMain"]')
    assert "Traceback" not in text
    if name.startswith("kaart") or name in ("presentatie", "wijken"):
        # first paint: the map as a picture, no plotly.js or data grid to wait for (issue 23)
        assert page.query_selector('[data-testid="stImage"] img') is not None
    # first paint without plotly.js or the data grid, on every page (issue 23)
    assert page.query_selector(".js-plotly-plot") is None
    assert page.query_selector('[data-testid="stDataFrame"]') is None
    # nor Streamlit's syntax highlighter (st.code: +0.3 s on every full load; monitor/show.py)
    assert page.query_selector('[data-testid="stCode"]') is None
    if name == "kaart":
        # 342 gemeenten: the best 80 drawn at first, the button draws them all (monitor.show)
        rows = page.locator(".st-key-sortable_map_table tbody tr")
        assert rows.count() == 80
        page.click(".st-key-sortable_map_table .rem-more button")
        assert rows.count() == 342
    if name == "presentatie":
        sidebar = page.query_selector('[data-testid="stSidebar"]')
        assert sidebar is None or not sidebar.is_visible()
    page.close()


def test_a_link_to_a_page_connects_at_the_apps_root_at_once(server, chrome):
    """A link that lands on a page (/kaart?...) connects to the app's root without first
    asking /kaart/_stcore/health: Streamlit's own guess gets a 404 there and waits 100 ms
    before it tries the root, on every full load (monitor/server.py, issue 23)."""
    page = chrome.new_page()
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{server}/kaart?indicator=werkloosheid_pct")
    harness.wait_drawn(page, 60_000)
    assert not [url for url in asked if "/kaart/_stcore/" in url]
    assert f"{server}/_stcore/health" in asked
    assert page.evaluate("() => window.__streamlit.BACKEND_BASE_URL") == f"{server}/"
    assert page.query_selector('[data-testid="stImage"] img') is not None  # Kaart's map
    # at the root Streamlit needs no hint and gets none
    page.goto(f"{server}/?region=PR_zeeland")
    harness.wait_drawn(page, 60_000)
    assert page.evaluate("() => window.__streamlit === undefined")
    page.close()


def test_language_switch_in_browser(server, chrome):
    page = chrome.new_page()
    page.goto(f"{server}/?lang=en")
    harness.wait_drawn(page, 60_000)
    assert page.inner_text("h1").strip() == "Regional Ecosystem Monitor"
    page.close()


def test_presentation_mode_toggled_in_sidebar(server, chrome):
    """The sidebar switch turns presentation mode on: sidebar gone, present=1 in the URL, the
    map full width, a visible way out; the way out brings the sidebar back."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = chrome.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/kaart?indicator=werkloosheid_pct&level=gemeente")
    harness.wait_drawn(page, 60_000)
    page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]',
                 has_text="Presentatiemodus").locator("label").click()
    page.wait_for_url("**present=1**", timeout=30_000)
    page.wait_for_selector('[data-testid="stSidebar"]', state="hidden", timeout=30_000)
    harness.wait_drawn(page, 60_000)
    page.screenshot(path=str(ARTIFACTS / "presentatie_toggle.png"))
    assert "present=1" in page.url
    sidebar = page.query_selector('[data-testid="stSidebar"]')
    assert sidebar is None or not sidebar.is_visible()
    chart = page.query_selector(".st-key-present_map img").bounding_box()
    assert chart["width"] > 800 and chart["y"] + chart["height"] <= 1080 + 40
    leave = page.get_by_role("button", name="Presentatie verlaten")
    assert leave.is_visible()
    leave.click()
    page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=30_000)
    assert "present=1" not in page.url
    page.close()


@pytest.mark.parametrize("width, height", [(1024, 768), (1366, 768), (390, 844)])
def test_profile_summary_peers_and_economy_in_browser(server, chrome, width, height):
    """Regioprofiel in a real browser: the summary, the similar regions with their
    explanation, and the economic profile's one sentence (no sector data in the bundle); the
    peer link opens Vergelijken with the region and its peers in the URL."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = chrome.new_page(viewport={"width": width, "height": height})
    page.goto(f"{server}/regioprofiel?region=PV29&peer_set=provincie&peer_k=4")
    harness.wait_drawn(page, 60_000)
    page.screenshot(path=str(ARTIFACTS / f"regioprofiel_peers_{width}.png"), full_page=True)
    text = page.inner_text('[data-testid="stMain"]')
    assert page.query_selector('[data-testid="stException"]') is None
    for words in ("In het kort", "Werkloosheid (2024): 2,9 % van de beroepsbevolking",
                  "Vergelijkbare regio's", "Ze lijken het meest op Zeeland in:",
                  "Economisch profiel en digitalisering",
                  "Banen per sector en ICT-beroepen per gemeente zitten niet in deze "
                  "gegevensbron"):
        assert words in text, words
    for part in ("Vergelijkbare regio's", "Economisch profiel en digitalisering"):
        page.get_by_role("heading", name=part).scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"regioprofiel_{part.split()[0].lower()}_"
                                               f"{width}.png"))
    if width == 1366:
        link = page.get_by_role("link", name="Vergelijk met deze regio's")
        link.scroll_into_view_if_needed()
        link.click()
        page.wait_for_url("**vergelijken?**", timeout=30_000)
        harness.wait_drawn(page, 60_000)
        assert "regions=PV29%2C" in page.url or "regions=PV29," in page.url
        assert page.query_selector('[data-testid="stException"]') is None
        page.screenshot(path=str(ARTIFACTS / "vergelijken_from_peers.png"), full_page=True)
    page.close()


# --- static first, interactive on request (issue 23, monitor/show.py) -------------------------

def live_kaart(chrome, server, path: str):
    """The Kaart page with its interactive map brought in by the button under the picture."""
    page = chrome.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{server}/{path}")
    harness.wait_drawn(page, 60_000)
    assert page.query_selector(".js-plotly-plot") is None  # the picture comes first
    before = harness.view_signature(page)
    page.locator(".st-key-live_kaart_map_on button").first.click()
    harness.wait_drawn(page, 60_000, before=before)
    return page


def inside_shape(page, selector: str) -> list[float]:
    """A point inside the first shape of `selector` (an SVG path of the map)."""
    point = page.evaluate("""(sel) => {
        const path = document.querySelector(sel);
        const box = path.getBoundingClientRect(), toPath = path.getScreenCTM().inverse();
        for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
            const x = box.x + box.width * i / 20, y = box.y + box.height * j / 20;
            if (path.isPointInFill(new DOMPoint(x, y).matrixTransform(toPath))) return [x, y];
        }
        return null;
    }""", selector)
    assert point is not None
    return point


def test_interactive_map_hovers_values_and_a_click_opens_the_profile(server, chrome):
    page = live_kaart(chrome, server, "kaart?indicator=werkloosheid_pct&level=provincie")
    shape = ".js-plotly-plot .trace.choropleth .choroplethlocation"
    page.mouse.move(*inside_shape(page, shape))
    hover = page.wait_for_selector(".js-plotly-plot .hoverlayer .hovertext", timeout=10_000)
    text = hover.text_content()
    assert re.search(r"\d+,\d", text), text  # a value, in Dutch notation
    page.mouse.click(*inside_shape(page, shape))
    page.wait_for_url("**/regioprofiel?**region=PV**", timeout=30_000)
    harness.wait_drawn(page, 60_000)
    page.close()


def test_map_table_sorts_by_a_column_header(server, chrome):
    """The Kaart numbers: a click on 'Waarde' sorts ascending, a second descending (numbers as
    numbers, Dutch notation; regions without a value last), Enter on 'Regio' by name."""
    page = chrome.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{server}/kaart?indicator=werkloosheid_pct&level=provincie&year=2024")
    harness.wait_drawn(page, 60_000)
    table = page.locator(".st-key-sortable_map_table table")

    def column(i: int) -> list[str]:
        return table.evaluate(f"t => [...t.tBodies[0].rows].map(r => r.cells[{i}].innerText)")

    def numbers(i: int) -> list[float]:
        return [float(v.replace(".", "").replace(",", ".")) for v in column(i) if v != "–"]

    header = table.locator("thead th", has_text="Waarde")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert numbers(1) == sorted(numbers(1)) and len(numbers(1)) == 12
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert numbers(1) == sorted(numbers(1), reverse=True)
    name = table.locator("thead th", has_text="Regio")
    name.focus()
    page.keyboard.press("Enter")
    assert column(0)[0] == "Drenthe" and column(0)[-1] == "Zuid-Holland"
    page.close()


# --- Kaart's level control whole on every screen (issue 22) -----------------------------------

LEVEL_OPTIONS = {"nl": ["Gemeente", "Provincie", "COROP-gebied", "Arbeidsmarktregio", "Proeftuin"],
                 "en": ["Municipality", "Province", "COROP region", "Labour-market region",
                        "Pilot region"]}
# Per option: its box inside the control's visible row (which scrolls what does not fit out of
# sight) and inside the screen, its text not wider than the button that shows it.
LEVEL_CLIPPING_JS = """() => {
    const row = document.querySelector('.st-key-level [data-testid="stButtonGroup"] button')
        .parentElement;
    const r = row.getBoundingClientRect(), screen = document.documentElement.clientWidth;
    const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1
        && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
    return {scrolls: row.scrollWidth > row.clientWidth + 1,
            options: [...row.querySelectorAll('button')].map(b => {
                const box = b.getBoundingClientRect(), text = b.querySelector('p') || b;
                return {text: b.innerText.trim(), in_row: inside(box, r),
                        on_screen: box.left >= 0 && box.right <= screen,
                        text_whole: inside(text.getBoundingClientRect(), box)
                            && text.scrollWidth <= text.clientWidth + 1};
            })};
}"""


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_kaart_level_options_whole_on_every_screen(server, chrome, lang):
    """Every level option whole at 1366x768, 1024x768 (also in presentation mode, in its
    settings popover) and 390x844: the control once scrolled 'Proeftuin' out of sight at 1366
    px and cut 'Arbeidsmarktregio' at 1024 px."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height, present in [(1366, 768, False), (1024, 768, False), (390, 844, False),
                                   (1024, 768, True)]:
        page = chrome.new_page(viewport={"width": width, "height": height})
        page.goto(f"{server}/kaart?indicator=werkloosheid_pct&level=gemeente&lang={lang}"
                  + ("&present=1" if present else ""))
        harness.wait_drawn(page, 60_000)
        if present:
            page.locator(".st-key-present_controls button").first.click()
            page.wait_for_selector(".st-key-level button", state="visible")
        page.locator(".st-key-level").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"kaart_level_{lang}_{width}{'_present' * present}"
                                             ".png"))
        measured = page.evaluate(LEVEL_CLIPPING_JS)
        where = f"{width}x{height}{' presentation' * present}"
        assert [o["text"] for o in measured["options"]] == LEVEL_OPTIONS[lang], where
        assert not measured["scrolls"], where
        cut = [o["text"] for o in measured["options"]
               if not (o["in_row"] and o["on_screen"] and o["text_whole"])]
        assert not cut, f"{where}: {cut}"
        page.close()
