"""Browser: the Wijken page of Amsterdam, Regio Zwolle and a composed region, on a desktop, a
1024x768 projector in presentation mode and a phone; a recoded wijk (Oisterwijk) drawn as
such. Screenshots go to tests/artifacts/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import harness

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
COMPOSED = "custom=GM0824,GM0855&custom_name=Mijn+regio&region=CUSTOM"
# every trace of the wijk map: its legend name, the wijk codes and the hover notes
TRACES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(gd =>
    gd.data.map(t => ({name: t.name || '', locations: [...(t.locations || [])],
                       notes: (t.customdata || []).map(c => c[2] || '')})))"""


def open_wijken(chrome, server: str, query: str, width: int, height: int, **context):
    """The Wijken page at a viewport size, drawn, without an error on it: first the map as a
    picture and the wijk table as HTML, without plotly.js or the data grid (monitor.show)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = chrome.new_page(viewport={"width": width, "height": height}, **context)
    page.goto(f"{server}/wijken?{query}")
    harness.wait_drawn(page, 180_000)  # a busy shared machine: some pages take long
    assert page.query_selector('[data-testid="stException"]') is None
    assert page.query_selector('[data-testid="stAlertContentError"]') is None
    assert page.query_selector(".js-plotly-plot") is None
    assert page.query_selector('[data-testid="stDataFrame"]') is None
    return page


def go_live(page, shot: str) -> None:
    """The interactive map, brought in by the button under the picture."""
    before = harness.view_signature(page)
    # :visible: on a touch screen the button also has a hidden copy
    page.locator(".st-key-live_wijk_map_on button:visible").first.click()
    harness.wait_drawn(page, 180_000, before=before)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)


def map_box(page, selector: str = ".js-plotly-plot") -> dict:
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().toJSON()")


PICTURE = '[data-testid="stImage"] img'


def test_amsterdam_on_a_desktop(server, chrome):
    page = open_wijken(chrome, server, "region=GM0363", 1366, 900)
    page.screenshot(path=str(ARTIFACTS / "wijken_amsterdam.png"), full_page=True)
    assert "Wijken van Amsterdam" in page.inner_text("h1")
    picture = map_box(page, PICTURE)
    assert picture["width"] > 600 and picture["height"] > 300
    # the wijk table as HTML, sortable: a click on the density header puts the densest first;
    # its first rows are drawn, the others when asked for or sorted (monitor.show)
    table = ".st-key-sortable_wijk_table table"
    assert 25 <= page.locator(f"{table} tbody tr").count() < 110
    assert "rijen tonen" in page.inner_text(".st-key-sortable_wijk_table .rem-more")
    header = page.locator(f"{table} thead th", has_text="Bevolkingsdichtheid")
    header.click()
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert page.locator(f"{table} tbody tr").count() >= 110  # sorted among all of them
    assert page.locator(".st-key-sortable_wijk_table .rem-more").count() == 0
    densities = page.eval_on_selector_all(
        f"{table} tbody tr td:nth-child(2)", "cells => cells.slice(0, 5).map(c => c.innerText)")
    values = [float(v.replace(" ", "").replace("\u202f", "").replace(",", "."))
              for v in densities]
    assert values == sorted(values, reverse=True) and values[0] > 20000
    go_live(page, "wijken_amsterdam_live.png")
    traces = page.evaluate(TRACES_JS)
    drawn = {code for t in traces for code in t["locations"]}
    assert "WK0363AA" in drawn and len([c for c in drawn if c.startswith("WK0363")]) == 110
    box = map_box(page)
    assert box["width"] > 600 and box["height"] > 400  # the map fits Amsterdam, not the country
    # the buurt table: a data grid on request
    before = harness.view_signature(page)
    page.locator(".st-key-buurten_show button:visible").first.click()
    harness.wait_drawn(page, 180_000, before=before)
    page.wait_for_selector('[data-testid="stDataFrame"] canvas', timeout=60_000)
    page.close()


def test_oisterwijk_recoded_wijk_is_shown_as_such(server, chrome):
    page = open_wijken(chrome, server, "region=GM0824&measure=huisarts", 1366, 900)
    page.screenshot(path=str(ARTIFACTS / "wijken_oisterwijk.png"), full_page=True)
    # in the table the vanished wijk is there, grey, with the reason
    gone = page.locator('.st-key-sortable_wijk_table tr[data-key="WK082420|2023"]')
    assert "bestaat niet meer in 2024" in gone.inner_text()
    assert gone.locator("td").first.evaluate("c => getComputedStyle(c).color") == \
        "rgb(107, 107, 118)"
    go_live(page, "wijken_oisterwijk_live.png")
    traces = page.evaluate(TRACES_JS)
    grey = next(t for t in traces if t["name"] == "geen waarde")
    at = grey["locations"].index("WK082404")
    assert "Buitengebied (Zuid)" in grey["notes"][at]  # its 2023 figure is not drawn on it
    coloured = {c for t in traces if t["name"] not in ("geen waarde", "") for c in
                t["locations"]}
    assert "WK082404" not in coloured and "WK082413" in coloured  # same code, same name
    page.close()


def test_regio_zwolle_on_a_projector(server, chrome):
    page = open_wijken(chrome, server, "region=PR_regio_zwolle&present=1", 1024, 768)
    page.screenshot(path=str(ARTIFACTS / "wijken_zwolle_present.png"))
    sidebar = page.query_selector('[data-testid="stSidebar"]')
    assert sidebar is None or not sidebar.is_visible()
    # the picture is on the first screen, large, without scrolling
    picture = map_box(page, PICTURE)
    assert picture["top"] < 300 and picture["top"] + picture["height"] <= 768 + 2
    assert picture["height"] > 400
    go_live(page, "wijken_zwolle_present_live.png")
    box = map_box(page)
    # the map is on the first screen, large, without scrolling
    assert box["top"] < 300 and box["top"] + box["height"] <= 768 + 2 and box["height"] > 400
    traces = page.evaluate(TRACES_JS)
    assert sum(len(t["locations"]) for t in traces) >= 225
    page.close()


def test_composed_region_on_a_phone(server, chrome):
    page = open_wijken(chrome, server, COMPOSED, 390, 844, is_mobile=True, has_touch=True)
    page.screenshot(path=str(ARTIFACTS / "wijken_composed_phone.png"), full_page=True)
    assert "Wijken van Mijn regio" in page.inner_text("h1")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 392  # nothing sticks out sideways
    assert 300 <= map_box(page, PICTURE)["width"] <= 390
    go_live(page, "wijken_composed_phone_live.png")
    box = map_box(page)
    assert 300 <= box["width"] <= 390
    drawn = {c for t in page.evaluate(TRACES_JS) for c in t["locations"]}
    assert any(c.startswith("WK0824") for c in drawn) and any(c.startswith("WK0855")
                                                                 for c in drawn)
    page.close()
