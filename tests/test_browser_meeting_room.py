"""Browser: presentation mode fits a projector, nothing leaves the origin, the map needs no
WebGL, a phone keeps table labels, and axe-core finds no serious accessibility problem.

Debian's Chromium through Playwright (bench/harness.py). axe-core comes from the npm registry
into .cache/axe (git-ignored): scripts/test.sh installs it, or the fixture does with npm. The
scan's results are written to docs/accessibility-scan.json (committed: the proof).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bench import harness

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE_DIR = REPO / ".cache" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCAN_FILE = REPO / "docs" / "accessibility-scan.json"
SCREENS = [(1024, 768), (1366, 768), (1920, 1080)]
PAGES = {
    "overzicht": "?region=PR_zeeland",
    "kaart": "kaart?indicator=werkloosheid_pct&level=gemeente",
    "regioprofiel": "regioprofiel?region=PR_mra",
    "wijken": "wijken?region=PR_regio_zwolle",
    "eigen_regio": "eigen_regio?custom=GM0654,GM0664,GM0677&custom_name=Test",
    "vergelijken": "vergelijken",
    "trends": "trends?indicator=werkloosheid_pct",
    "export": "export?levels=proeftuin&indicators=werkloosheid_pct",
    "over_de_data": "over_de_data",
}


def open_page(chrome, url: str, width: int, height: int, **context):
    """A new page at a viewport size, every requested URL recorded in page.requested."""
    page = chrome.new_page(viewport={"width": width, "height": height}, **context)
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.goto(url)
    harness.wait_drawn(page, 180_000)  # a busy shared machine: some pages take long
    return page


def go_live(page, charts: int = 4) -> None:
    """Bring in the interactive charts of the page (monitor.show draws pictures first): press
    the first `charts` charts' 'Interactief' buttons, wait until the page is drawn again, and
    scroll back to the top."""
    for _ in range(charts):
        button = page.locator('[class*="st-key-live_"] button >> visible=true').first
        if not button.count():
            break
        before = harness.view_signature(page)
        button.click()
        harness.wait_drawn(page, 180_000, before=before)
    page.evaluate("""() => { window.scrollTo(0, 0);
        const main = document.querySelector('[data-testid="stMain"]');
        if (main) main.scrollTo(0, 0); }""")


def inside(box: dict, width: int, height: int) -> bool:
    return (box is not None and box["x"] >= -1 and box["y"] >= -1
            and box["x"] + box["width"] <= width + 1 and box["y"] + box["height"] <= height + 1)


@pytest.mark.parametrize(("width", "height"), SCREENS)
@pytest.mark.parametrize("level", ["gemeente", "proeftuin"])
def test_presentation_map_fits_the_screen(server, chrome, width, height, level):
    """The whole country (its drawn shapes), the legend and the source line lie inside the
    viewport without scrolling; nothing of the map hides under the pinned buttons."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page(chrome, f"{server}/kaart?indicator=werkloosheid_pct&level={level}"
                             "&present=1", width, height)
    page.screenshot(path=str(ARTIFACTS / f"present_kaart_{level}_{width}x{height}.png"))
    # first the picture (issue 23): whole on the first screen, below the title
    picture = page.locator(".st-key-present_map img").bounding_box()
    assert inside(picture, width, height), picture
    go_live(page)
    page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    shapes = page.locator(".js-plotly-plot .geo .choroplethlocation")
    assert shapes.count() >= 10
    country = page.locator(".js-plotly-plot .geo .layer.backplot, .js-plotly-plot .choropleth")
    boxes = [b for b in (country.nth(i).bounding_box() for i in range(country.count())) if b]
    assert boxes and all(inside(b, width, height) for b in boxes), boxes
    assert inside(page.locator(".js-plotly-plot .legend").bounding_box(), width, height)
    source = page.get_by_text("Bron: CBS, tabel 86088NED").first
    assert inside(source.bounding_box(), width, height)
    assert page.evaluate("document.scrollingElement.scrollTop") == 0
    buttons = [page.locator(f".st-key-{key}").bounding_box()
               for key in ("present_off", "present_controls")]
    title = page.evaluate("""() => {  // the title's text, not its box (padded on the right)
        const range = document.createRange();
        range.selectNodeContents(document.querySelector('h1'));
        const r = range.getBoundingClientRect();
        return {x: r.x, y: r.y, width: r.width, height: r.height};
    }""")
    for button in buttons:  # the pinned buttons cover neither the title nor the map
        for other in [title, *boxes]:
            assert (button["x"] >= other["x"] + other["width"]
                    or button["y"] + button["height"] <= other["y"]
                    or other["x"] >= button["x"] + button["width"]), (button, other)
    page.close()


def test_presentation_map_shows_the_highlighted_value_first(server, chrome):
    """A councillor asks 'and Zeeland?': at 1024x768 its value stands under the title on the
    first screen, the map whole beside a list of the values with Zeeland first."""
    page = open_page(chrome, f"{server}/kaart?indicator=werkloosheid_pct&level=proeftuin"
                             "&highlight=PR_zeeland&present=1", 1024, 768)
    page.screenshot(path=str(ARTIFACTS / "present_kaart_highlight_1024x768.png"))
    line = page.locator(".st-key-present_highlight")
    box = line.bounding_box()
    assert inside(box, 1024, 768), box
    # CBS StatLine 86088NED: unemployment in Zeeland, 2024: 2,9 % of the labour force
    assert re.search(r"Zeeland: 2,9\s?%", line.inner_text()), line.inner_text()
    picture = page.locator(".st-key-present_map img").bounding_box()
    assert inside(picture, 1024, 768), picture
    values = page.locator(".st-key-present_values")
    first = values.locator("tbody tr").first
    assert first.locator("td").all_inner_texts() == ["Zeeland", "2,9"]
    assert values.bounding_box()["y"] < 768 and first.bounding_box()["y"] + 20 < 768
    assert values.bounding_box()["x"] > picture["x"] + picture["width"] - 1  # beside it
    page.close()


# The map picture's texts (an SVG with real text) and their size on screen: [text, px].
PICTURE_TEXTS_JS = """async (img) => {
    const svg = new DOMParser().parseFromString(await (await fetch(img.src)).text(),
                                                'image/svg+xml').documentElement;
    const scale = img.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => [t.textContent.trim(),
        parseFloat((t.getAttribute('style') || '').match(/font[^;]*?([0-9.]+)px/)?.[1]
                   || t.getAttribute('font-size') || 0) * scale]);
}"""


def test_presentation_map_writes_values_on_the_provinces(server, chrome):
    """On a 1024x768 projector the province map carries every province's value on the
    province, at least 16 px high on the screen (CBS StatLine 86088NED, 2024: Zeeland 2,9,
    Noord-Brabant 3,2, Groningen 4,2 % of the labour force); the gemeente map, 342 regions,
    carries none (their values stand in the list beside it)."""
    page = open_page(chrome, f"{server}/kaart?indicator=werkloosheid_pct&level=provincie"
                             "&year=2024&present=1", 1024, 768)
    page.screenshot(path=str(ARTIFACTS / "present_kaart_provincie_values_1024x768.png"))
    img = page.locator(".st-key-present_map img").first
    assert inside(img.bounding_box(), 1024, 768)
    texts = img.evaluate(PICTURE_TEXTS_JS)
    values = [(text, px) for text, px in texts if re.fullmatch(r"\d+,\d", text)]
    assert len(values) == 12, texts
    assert {"2,9", "3,2", "4,2"} <= {text for text, _ in values}
    assert min(px for _, px in values) >= 16, values
    page.close()
    page = open_page(chrome, f"{server}/kaart?indicator=werkloosheid_pct&level=gemeente"
                             "&year=2024&present=1", 1024, 768)
    texts = page.locator(".st-key-present_map img").first.evaluate(PICTURE_TEXTS_JS)
    assert not [text for text, _ in texts if re.fullmatch(r"\d+,\d", text)]
    page.close()


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_presentation_profile_shows_the_factor_chart_first(server, chrome, width, height):
    page = open_page(chrome, f"{server}/regioprofiel?region=PR_zeeland&present=1&chart=bars",
                     width, height)
    page.screenshot(path=str(ARTIFACTS / f"present_profiel_{width}x{height}.png"))
    chart = page.locator(".st-key-present_chart img").bounding_box()  # the picture first
    assert inside(chart, width, height), chart
    page.close()


def test_presentation_profile_radar_labels_whole_and_large(server, chrome):
    """The default chart (radar) at 1024x768 on a projector: on the first screen, every
    factor name inside the chart (none cut at its edge) and larger than the body text."""
    width, height = 1024, 768
    page = open_page(chrome, f"{server}/regioprofiel?region=PR_mra&present=1", width, height)
    go_live(page, charts=1)  # the interactive radar (the picture is tested above)
    page.screenshot(path=str(ARTIFACTS / "present_profiel_radar_1024x768.png"))
    chart = page.locator(".st-key-present_chart .js-plotly-plot")
    area = chart.bounding_box()
    assert inside(area, width, height), area
    labels = chart.locator(".angularaxistick text")
    assert labels.count() == 7  # the seven factors
    body = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                         "'[data-testid=\"stMain\"] .stMarkdown p, [data-testid=\"stMain\"] "
                         "p')).fontSize)")
    for i in range(labels.count()):
        box = labels.nth(i).bounding_box()
        shifted = {**box, "x": box["x"] - area["x"], "y": box["y"] - area["y"]}
        assert inside(shifted, area["width"], area["height"]), (labels.nth(i).text_content(),
                                                                box, area)
        size = float(labels.nth(i).evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
        assert size > body, (labels.nth(i).text_content(), size, body)
    page.close()


# Boxes of what a reader must see (heading text, charts) and of every visible button;
# arg: whether text (captions, paragraphs) counts too and the tables' toolbars are buttons.
BOXES_JS = """(phone) => {
    const main = document.querySelector('[data-testid="stMain"]');
    const shown = e => e.checkVisibility({opacityProperty: true, visibilityProperty: true})
        && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0;
    const rect = (r, what) => ({x: r.x, y: r.y, width: r.width, height: r.height, what});
    const text = e => {  // a heading's text, not its box (padded right for the pinned buttons)
        const range = document.createRange();
        range.selectNodeContents(e);
        return rect(range.getBoundingClientRect(), e.innerText.slice(0, 40));
    };
    // not: chart internals, the sidebar, a multiselect's chips (clipped by their box)
    const skip = '.js-plotly-plot, [data-testid="stSidebar"], [data-testid="stHeader"], '
        + '[data-testid="stMultiSelect"]' + (phone ? '' : ', [data-testid="stElementToolbar"]');
    const buttons = [...document.querySelectorAll('button, [data-testid="stPageLink"] a')]
        .filter(shown).filter(b => !b.closest(skip))
        .map(b => rect(b.getBoundingClientRect(), 'button ' + (b.innerText.trim()
            || b.getAttribute('aria-label') || '').slice(0, 40)));
    const texts = phone ? 'h1, h2, h3, [data-testid="stCaptionContainer"] p, '
        + '[data-testid="stMarkdownContainer"] > p' : 'h1, h2, h3';
    const seen = [...[...main.querySelectorAll(texts)].filter(shown)
                      .filter(e => !e.closest('button, label, [data-testid="stPageLink"]'))
                      .map(text),
                  ...[...main.querySelectorAll('.js-plotly-plot')].filter(shown)
                      .map(p => rect(p.getBoundingClientRect(), 'chart'))];
    return {buttons, seen};
}"""


def overlap(a: dict, b: dict) -> bool:
    """Whether two boxes overlap by more than a pixel."""
    return (a["x"] < b["x"] + b["width"] - 1 and b["x"] < a["x"] + a["width"] - 1
            and a["y"] < b["y"] + b["height"] - 1 and b["y"] < a["y"] + a["height"] - 1)


@pytest.mark.parametrize("name", list(PAGES))
def test_presentation_buttons_cover_no_heading_or_chart(server, chrome, name):
    """Every page on a 1024x768 projector: no button (the pinned ones, downloads, pickers)
    lies over a heading's text or a chart, anywhere on the page."""
    url = f"{server}/{PAGES[name]}"
    page = open_page(chrome, url + ("&" if "?" in url else "?") + "present=1", 1024, 768)
    found = page.evaluate(BOXES_JS, False)
    assert found["buttons"] and found["seen"]
    hits = [(b["what"], s["what"]) for b in found["buttons"] for s in found["seen"]
            if overlap(b, s)]
    if hits:
        page.screenshot(path=str(ARTIFACTS / f"present_overlap_{name}.png"))
    assert not hits, hits
    page.close()


@pytest.mark.parametrize("name", ["kaart", "vergelijken", "trends", "regioprofiel"])
def test_phone_toolbars_cover_no_text(server, chrome, name):
    """On a touch screen (no hover) Streamlit shows every table's and chart's toolbar all the
    time, above the element: it must not lie over a heading, caption or paragraph."""
    page = open_page(chrome, f"{server}/{PAGES[name]}", 390, 844, is_mobile=True,
                     has_touch=True)
    found = page.evaluate(BOXES_JS, True)
    assert any(b["what"] for b in found["buttons"]) and found["seen"]
    hits = [(b["what"], s["what"]) for b in found["buttons"] for s in found["seen"]
            if overlap(b, s)]
    if hits:
        page.screenshot(path=str(ARTIFACTS / f"phone_overlap_{name}.png"), full_page=True)
    assert not hits, hits
    page.close()


def test_a_click_in_presentation_mode_highlights_and_stays(server, chrome):
    page = open_page(chrome, f"{server}/kaart?indicator=werkloosheid_pct&level=proeftuin"
                             "&present=1", 1366, 768)
    go_live(page)
    # a point inside a pilot region's shape (the second choropleth trace: the first is the
    # provinces drawn as background)
    point = page.evaluate("""() => {
        const traces = document.querySelectorAll('.js-plotly-plot .trace.choropleth');
        const path = traces[1].querySelector('.choroplethlocation');
        const box = path.getBoundingClientRect(), toPath = path.getScreenCTM().inverse();
        for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
            const x = box.x + box.width * i / 20, y = box.y + box.height * j / 20;
            if (path.isPointInFill(new DOMPoint(x, y).matrixTransform(toPath))) return [x, y];
        }
        return null;
    }""")
    assert point is not None
    page.mouse.click(*point)
    page.wait_for_url("**highlight=PR_**", timeout=30_000)
    harness.wait_drawn(page, 60_000)
    assert "/kaart" in page.url and "present=1" in page.url
    page.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_request_leaves_the_origin(server, chrome, name):
    """Fonts, icons, map data: everything from the server itself (in both modes)."""
    origin = urlparse(server).netloc
    for extra in ("", "&present=1"):
        url = f"{server}/{PAGES[name]}"
        url += extra if "?" in url else extra.replace("&", "?", 1)
        page = open_page(chrome, url, 1366, 768)
        foreign = {u for u in page.requested
                   if urlparse(u).scheme in ("http", "https", "ws", "wss")
                   and urlparse(u).netloc != origin}
        assert not foreign, foreign
        page.close()


def test_map_draws_without_webgl(server, chrome):
    """A Chromium with WebGL switched off (as on many virtual desktops) still draws the map."""
    browser = chrome.browser_type.launch(executable_path=harness.CHROMIUM,
                                         args=[*harness.CHROMIUM_ARGS, "--disable-webgl",
                                               "--disable-3d-apis"])
    try:
        page = open_page(browser, f"{server}/kaart?indicator=werkloosheid_pct&level=gemeente",
                         1366, 768)
        assert page.evaluate("!document.createElement('canvas').getContext('webgl')")
        go_live(page)
        page.screenshot(path=str(ARTIFACTS / "kaart_no_webgl.png"), full_page=True)
        assert page.locator(".js-plotly-plot .choroplethlocation").count() >= 342
        box = page.locator(".js-plotly-plot .geo").first.bounding_box()
        assert box["width"] > 300 and box["height"] > 300
    finally:
        browser.close()


def test_phone_comparison_table_keeps_row_labels(server, chrome):
    """At 390 px the comparison table shows its row labels beside values, the sidebar is
    closed, and the map's legend does not cover the map."""
    page = open_page(chrome, f"{server}/vergelijken?regions=PR_mra,PR_zeeland,PR_twente",
                     390, 844, is_mobile=True, has_touch=True)
    page.screenshot(path=str(ARTIFACTS / "phone_vergelijken.png"), full_page=True)
    sidebar = page.query_selector('[data-testid="stSidebar"]')
    assert sidebar is None or sidebar.bounding_box() is None or \
        sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 5
    table = page.locator('.st-key-sortable_compare_values')  # 'Alle indicatoren'
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 391
    # a plain table (monitor.show): the row label (indicator) and the regions' values beside
    # it, in that order
    drawn = table.evaluate("""t => ({
        head: [...t.querySelectorAll('table thead th')].map(h => h.innerText),
        rows: [...t.querySelectorAll('table tbody tr')].map(
            r => [...r.children].map(c => c.innerText))})""")
    assert drawn["head"][:3] == ["Indicator", "Jaar", "Metropoolregio Amsterdam"], drawn["head"]
    unemployment = next(r for r in drawn["rows"] if r[0].startswith("Werkloosheid"))
    assert re.fullmatch(r"\d+,\d", unemployment[2]), unemployment  # a value, Dutch notation
    page.close()
    page = open_page(chrome, f"{server}/kaart?indicator=werkloosheid_pct&level=gemeente",
                     390, 844, is_mobile=True, has_touch=True)
    go_live(page)
    legend = page.locator(".js-plotly-plot .legend").bounding_box()
    geo = page.locator(".js-plotly-plot .choropleth").first.bounding_box()
    assert legend["y"] >= geo["y"] + geo["height"] - 1  # the legend sits under the map
    page.close()


def test_phone_sidebar_closes_when_a_page_is_chosen(server, chrome):
    """At 390 px the sidebar opens over the page; choosing a page in it closes it, so the
    chosen page is what the phone shows (not three quarters of sidebar)."""
    page = open_page(chrome, f"{server}/vergelijken?regions=PR_mra,PR_zeeland", 390, 844,
                     is_mobile=True, has_touch=True)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 5  # starts closed
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.wait_for_function("document.querySelector('[data-testid=stSidebar]')"
                           ".getBoundingClientRect().right > 200")
    page.locator('[data-testid="stSidebarNav"] a', has_text="Kaart").click()
    page.wait_for_url("**/kaart**")
    harness.wait_drawn(page, 180_000)
    page.wait_for_function("document.querySelector('[data-testid=stSidebar]')"
                           ".getBoundingClientRect().right <= 5", timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "phone_after_navigation.png"))
    title = page.locator("h1").first.bounding_box()
    assert title["x"] >= 0 and title["x"] + title["width"] <= 391
    page.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("axe-core missing and no npm to install it (scripts/test.sh does)")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                        str(AXE_DIR), "axe-core@4"], check=True, capture_output=True,
                       timeout=300)
    return AXE_JS.read_text()


def test_axe_finds_no_serious_problem_on_any_page(server, chrome, axe_source):
    """axe-core (WCAG 2.x A/AA rules) on every page, normal and presentation mode: no serious
    or critical violation. The results go to docs/accessibility-scan.json."""
    results = {}
    for name, path in PAGES.items():
        for mode, extra in (("normaal", ""), ("presentatie", "present=1")):
            url = f"{server}/{path}"
            if extra:
                url += ("&" if "?" in url else "?") + extra
            page = open_page(chrome, url, 1366, 768)
            page.add_script_tag(content=axe_source)
            found = page.evaluate("""async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
                return {version: axe.version, violations: r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
                    targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))})),
                    passes: r.passes.length, incomplete: r.incomplete.length};
            }""")
            results[f"{name} ({mode})"] = found
            page.close()
    version = next(iter(results.values()))["version"]
    SCAN_FILE.write_text(json.dumps({"tool": f"axe-core {version}",
                                     "rules": "wcag2a, wcag2aa, wcag21a, wcag21aa",
                                     "viewport": "1366x768", "pages": results},
                                    indent=2, ensure_ascii=False) + "\n")
    serious = {page: [v for v in r["violations"] if v["impact"] in ("serious", "critical")]
               for page, r in results.items()}
    assert not any(serious.values()), {p: v for p, v in serious.items() if v}
