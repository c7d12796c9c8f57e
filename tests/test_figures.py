"""PNG figures: the gemeente map with title, legend, source and date in the picture."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text
from PIL import Image

from monitor import figures, maps, numbers

DAY = "2026-11-22"


@pytest.fixture
def data(warehouse, monkeypatch):
    """The query layer reading the session warehouse (fresh caches)."""
    import streamlit as st

    monkeypatch.setenv("REM_WAREHOUSE", str(warehouse))
    st.cache_data.clear()
    from monitor import queries

    return queries


def gemeente_map_spec(queries, indicator: str = "werkloosheid_pct", year: int = 2024) -> dict:
    """The spec the Kaart page's PNG button builds for the gemeente map."""
    frame = queries.values_by_level(indicator, year, "gemeente")
    meta = queries.indicator_row(indicator)
    pilots = queries.regions("proeftuin")
    pilots = pilots[pilots["is_default_variant"]]
    codes = list(pilots["region_code"])
    outline = {"geojson": queries.geometry(tuple(codes)), "codes": codes,
               "names": list(pilots["region_name"]), "label": "Proeftuinen (omlijnd)",
               "highlight": "PR_zeeland"}
    footer = figures.source_text([meta["source_table"]], DAY, DAY,
                                 {"source": "Bron: CBS, tabel {tables} (StatLine); CC BY 4.0",
                                  "built": "data gebouwd {built}", "made": "gemaakt {made}"})
    return figures.map_spec(
        frame, queries.level_geometry("gemeente"),
        {"direction": meta["direction"], "decimals": meta["decimals"], "unit": meta["unit_nl"]},
        title=f"{meta['title_nl']}, {year}", subtitle=f"Per gemeente · {meta['unit_nl']}",
        legend_title=f"{meta['unit_nl']}\ndonker = gunstiger", footer_text=footer,
        no_value="geen waarde", outline=outline)


def dark_share(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    """Share of near-black pixels (text) in a box of the picture."""
    pixels = np.asarray(image.crop(box).convert("L"))
    return float((pixels < 90).mean())


def test_gemeente_map_png(data):
    spec = gemeente_map_spec(data)
    png = figures.map_png(spec)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == figures.MAP_SIZE == (1920, 1080)
    pixels = np.asarray(image).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 200  # a drawn map, not a blank page
    assert (pixels < 250).any(axis=1).mean() > 0.08  # not all white
    # every class colour of the legend fills a visible part of the map
    for colour, label, kind in spec["legend"]:
        if kind == "patch":
            rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
            assert (np.abs(pixels.astype(int) - rgb).sum(axis=1) < 6).sum() > 500, label
    # title band and footer band hold dark text; the middle of the map area has none of it
    assert dark_share(image, (0, 0, 1920, 75)) > 0.01
    assert dark_share(image, (0, 1020, 1920, 1080)) > 0.003


def test_map_spec_says_what_source_and_when(data):
    spec = gemeente_map_spec(data)
    assert spec["title"] == "Werkloosheid, 2024"
    assert "Bron: CBS, tabel 86088NED" in spec["footer"]
    assert f"gemaakt {DAY}" in spec["footer"] and f"data gebouwd {DAY}" in spec["footer"]
    labels = [label for _, label, kind in spec["legend"] if kind == "patch"]
    assert len(labels) >= 3
    assert [label for _, label, kind in spec["legend"] if kind == "line"] == [
        "Proeftuinen (omlijnd)", "Zeeland"]
    assert len(spec["fills"]) == 342
    # quintile classes of the 342 gemeente figures of 2024 (CBS 86088NED: lowest 2,5 %,
    # highest 5,4 %), equal quintiles merged, lowest (best) first
    assert labels == ["2,5 – 2,8", "2,9 – 3,1", "3,2 – 3,4", "3,5 – 5,4"]


def test_missing_values_are_grey_and_in_the_legend(data):
    # 2022: 80305ned lacks Zwolle and Zwijndrecht there (2023 is complete since 85830ENG fills it)
    spec = gemeente_map_spec(data, "afstand_huisarts_km", 2022)
    assert maps.MISSING_COLOR in spec["fills"].values()
    assert (maps.MISSING_COLOR, "geen waarde", "patch") in spec["legend"]


def test_factor_bars_png_and_plain_text(data):
    from monitor import regions

    scores = regions.factor_profile((regions.stored("PR_zeeland"), regions.stored("NL01")))
    titles = {"arbeidsmarkt": "Arbeidsmarkt", "digitalisering": "Digitalisering"}
    texts = {"title": "Ecosysteemprofiel: $x$ <b>", "axis": "Score", "no_data": "geen data",
             "number": numbers.number_format(1, "nl"), "footer": "Bron: CBS"}
    png = figures.render(figures.draw_factor_bars, scores, {"PR_zeeland": "Zeeland",
                                                            "NL01": "Nederland"}, titles, texts)
    image = Image.open(io.BytesIO(png))
    assert image.size == figures.CHART_SIZE
    assert dark_share(image.convert("RGB"), (0, 0, 1600, 70)) > 0.01  # '$x$' stays text


def test_svg_is_inline_and_has_no_urls(data):
    svg = figures.render(figures.draw_region_map, data.level_geometry("gemeente"),
                         list(data.members("PR_zeeland")), fmt="svg", label='Zeeland "<x>"')
    assert svg.startswith("<svg role=\"img\" aria-label=\"Zeeland &quot;&lt;x&gt;&quot;\"")
    assert not re.search(r"https?:", svg)
    assert "<path" in svg


def test_filenames_say_what_is_in_them():
    assert figures.filename("kaart", "werkloosheid_pct", "gemeente", 2024, DAY) == \
        "kaart_werkloosheid_pct_gemeente_2024_2026-11-22.png"
    assert figures.filename("regiorapport", "Noordoost Fryslân <b>", DAY, ext="html") == \
        "regiorapport_noordoost_fryslan_b_2026-11-22.html"


def test_kaart_and_overzicht_offer_png_with_alt_text(run_page):
    at = run_page("pages/kaart.py", indicator="werkloosheid_pct", level="gemeente")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download als PNG" in labels
    chart = at.get("image")[0].proto.imgs[0]  # the picture shown first (monitor.show)
    assert "Werkloosheid" in chart.alt and "tabel" in chart.alt
    at = run_page(region="PR_zeeland")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download als PNG" in labels and "Regiorapport (HTML)" in labels
    assert "Zeeland" in at.get("image")[0].proto.imgs[0].alt


def test_trend_picture_has_title_lines_legend_and_source():
    """The Trends PNG: title band, both series drawn in their colours, source line."""
    panel = {"title": "%", "unit": "%", "years": [2022, 2023, 2024],
             "series": [("Zeeland", [3.0, 2.8, 2.9], "#0072B2", False),
                        ("Nederland", [3.5, 3.6, float("nan")], "#555555", True)]}
    texts = {"title": "Werkloosheid", "axis_number": figures.number_format(1, "nl")
             if hasattr(figures, "number_format") else str, "footer": "Bron: CBS, tabel X"}
    png = figures.render(figures.draw_trend_picture, panel, texts)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == figures.CHART_SIZE
    pixels = np.asarray(image).reshape(-1, 3).astype(int)
    blue = (np.abs(pixels - np.array([0, 114, 178])).sum(axis=1) < 30).sum()
    assert blue > 300  # Zeeland's line is drawn
    assert dark_share(image, (0, 0, 1600, 70)) > 0.01  # the title
    assert dark_share(image, (0, 850, 1600, 900)) > 0.002  # the source line


def drawn(fig):
    """The figure laid out as a PNG would be: its renderer, to measure what is drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def test_axis_titles_and_legend_stay_whole_and_clear():
    """The pictures as the pages draw them: the scatter's long axis titles wrap within their
    axis (the y title was cut at the top, '..den (hbo/wo)'), the Trends legend lies under the
    year labels (it lay over Zeeland's line), and one year is that year (not 1920-2120)."""
    number = numbers.number_format(1, "nl")
    texts = {"title": "", "footer": "", "x_number": number, "y_number": number,
             "x_axis": "Werkloosheid (% van de beroepsbevolking), 2024",
             "y_axis": "Hoogopgeleiden (hbo/wo) (% van de bevolking 15-75 jaar), 2023",
             "netherlands": "Nederland", "others": ""}
    points = pd.DataFrame({"region_name": ["Zeeland", "Twente"], "x": [2.9, 3.5],
                           "y": [24.0, 28.0], "population": [391634, 630000],
                           "colour": ["#0072B2", "#E69F00"]})
    fig = figures.draw_scatter(points, None, (3.7, 33.0), texts, size=(1100, 680))
    renderer = drawn(fig)
    ax = fig.axes[0]
    axis = ax.get_window_extent(renderer)
    for label, along in ((ax.yaxis.label, "height"), (ax.xaxis.label, "width")):
        extent = label.get_window_extent(renderer)
        assert getattr(extent, along) <= getattr(axis, along) + 1, label.get_text()
    panel = {"title": "Werkloosheid", "unit": "%", "years": [2024],
             "series": [("Zeeland", [2.9], "#0072B2", False),
                        ("Nederland", [3.7], "#555555", True)]}
    fig = figures.draw_trend_picture(panel, {"title": "", "footer": "",
                                             "axis_number": number}, size=(1100, 620))
    renderer = drawn(fig)
    ax = fig.axes[0]
    assert list(ax.get_xticks()) == [2024] and ax.get_xlim() == (2023, 2025)
    ticks = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    legend = fig.legends[0].get_window_extent(renderer)
    assert legend.y1 <= min(t.y0 for t in ticks)  # under the year labels, off the lines


def factor_bars_png(name: str) -> bytes:
    """The profile's factor bars with one region named `name` (legend), beside Nederland."""
    from monitor import regions

    scores = regions.factor_profile((regions.stored("PR_zeeland"), regions.stored("NL01")))
    titles = {"arbeidsmarkt": "Arbeidsmarkt", "digitalisering": "Digitalisering"}
    texts = {"title": f"Ecosysteemprofiel: {name}", "axis": "Score", "no_data": "geen data",
             "number": numbers.number_format(1, "nl"), "footer": "Bron: CBS"}
    return figures.render(figures.draw_factor_bars, scores,
                          {"PR_zeeland": name, "NL01": "Nederland"}, titles, texts)


def test_cjk_and_full_width_names_are_drawn_with_real_glyphs(data, monkeypatch):
    """Issue 24: a name in CJK or full-width characters is drawn with IPAexGothic's glyphs.
    Missing glyphs are all the same box and matplotlib warns about each; real glyphs differ."""
    import warnings

    from conftest import require_cjk_font, require_wide_font

    require_cjk_font()
    require_wide_font()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pictures = {name: factor_bars_png(name)
                    for name in ("東京 テスト", "大阪 テスト", "ＡＢＣ", "ＸＹＺ", "서울", "부산")}
    assert not [w for w in caught if "missing from font" in str(w.message)], \
        [str(w.message) for w in caught]
    assert pictures["東京 テスト"] != pictures["大阪 テスト"]
    assert pictures["ＡＢＣ"] != pictures["ＸＹＺ"]
    assert pictures["서울"] != pictures["부산"]  # Hangul: WenQuanYi Micro Hei (Debian)
    # Latin text keeps DejaVu Sans: the same picture as with DejaVu Sans alone
    latin = factor_bars_png("Zeeuwse kern")
    monkeypatch.setitem(figures.RC, "font.family", ["DejaVu Sans"])
    assert factor_bars_png("Zeeuwse kern") == latin
    # ... and without the fallback, the two CJK names become the same boxes (the test can fail)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert factor_bars_png("東京 テスト") == factor_bars_png("大阪 テスト")


def test_missing_cjk_font_is_a_warning_not_a_failure(monkeypatch, caplog):
    """Without the wheel the figures keep DejaVu Sans alone and the log says what is missing."""
    import importlib.util
    import logging

    from monitor import fonts

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(fonts, "WIDE_PATH", fonts.WIDE_PATH.with_name("absent.ttc"))
    caches = (fonts.cjk_path, fonts.wide_path, fonts.matplotlib_families)
    for cache in caches:
        cache.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="monitor.fonts"):
            assert fonts.matplotlib_families() == ("DejaVu Sans", "sans-serif")
        assert "matplotlib-fontja" in caplog.text
    finally:
        for cache in caches:
            cache.cache_clear()


def test_screen_pictures_keep_haloed_text_as_text():
    """On screen (monitor.show) a text on a white halo is SVG text stroked white beneath its
    fill, as the PNG draws it, not the outlines matplotlib writes for a path effect (those
    made the scatter's SVG 130 kB instead of 28 kB, sent again with every change of regions)."""
    number = numbers.number_format(1, "nl")
    points = pd.DataFrame({"region_name": ["Zeeland", "Twente"], "x": [2.9, 3.5],
                           "y": [24.0, 28.0], "population": [391634, 630000],
                           "colour": ["#0072B2", "#E69F00"]})
    texts = {"title": "", "footer": "", "x_number": number, "y_number": number,
             "x_axis": "Werkloosheid", "y_axis": "Hoogopgeleiden", "netherlands": "Nederland",
             "others": ""}
    svg = figures.render(figures.draw_scatter, points, None, (3.7, 33.0), texts, fmt="screen")
    halo = ('style="paint-order: stroke; stroke: #ffffff; stroke-width: 3; '
            'stroke-linejoin: round">')
    for name in ("Zeeland", "Twente"):
        assert re.search(rf'{re.escape(halo)}\s*<text [^>]*>{name}</text>', svg), name
    bars = figures.render(figures.draw_value_bars, points.assign(
        value=points["x"], is_nl=False), {"title": "", "footer": "", "axis": "%",
                                          "number": number, "axis_number": number},
        fmt="screen")
    assert re.search(rf'{re.escape(halo)}\s*<text [^>]*>2,9</text>', bars)
    # the same figure as a PNG still draws the halo by matplotlib's path effect
    fig = figures.draw_scatter(points, None, (3.7, 33.0), texts)
    assert sum(bool(t.get_path_effects()) for t in fig.findobj(Text)) == 2
