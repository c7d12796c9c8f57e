"""The region report as PDF: a real PDF, the region's name, CBS's published figures, the same
sections as the HTML report in either language, no filesystem path."""

from __future__ import annotations

import io
import re

import duckdb
import pypdf  # requirements-dev.txt: reads the PDF's text back
import pytest
from conftest import reading

from monitor.numbers import format_value
from monitor.regions import Region, composed, stored
from tests.test_app_export import fetch  # files made on click (downloads: conftest)

COMPOSED = ("GM0654", "GM0664", "GM0677")  # Borsele, Goes, Hulst
DAY = "2026-11-22"


@pytest.fixture(scope="module")
def report_pdf(warehouse):
    """monitor.report_pdf reading the session warehouse (fresh caches)."""
    with reading(warehouse):
        from monitor import report_pdf as module

        yield module


def pdf_text(data: bytes) -> str:
    """The text of every page, whitespace runs folded to one space (tables wrap cells)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def zeeland(report_pdf):
    data = report_pdf.build_pdf(stored("PR_zeeland"), "nl", DAY)
    return data, pdf_text(data)


def test_zeeland_pdf_has_cbs_published_unemployment(zeeland):
    """CBS publishes Zeeland's 2024 unemployment as 2.9% of the labour force, Nederland 3.7%."""
    data, text = zeeland
    assert data.startswith(b"%PDF-")
    assert "Regiorapport: Zeeland" in text
    assert "Werkloosheid (2024): 2,9 % van de beroepsbevolking" in text
    assert "lager dan Nederland (3,7)" in text
    for heading in ("In het kort", "Ecosysteemfactoren (score 0-10)", "Kerncijfers",
                    "Vergelijkbare regio's", "Economisch profiel", "Kaart", "Wijken",
                    "Ontwikkeling",
                    "Bronnen en methode"):
        assert heading in text, heading
    assert "Bron: CBS" in text and "CC BY 4.0" in text
    assert "Σ teller / Σ noemer" in text  # beyond Latin-1: the embedded font has it
    reader = pypdf.PdfReader(io.BytesIO(data))
    images = sum(len(page.images) for page in reader.pages)
    assert images == 4  # factor scores, map, wijken, trends


def test_pdf_has_no_path_or_url_but_statline(zeeland, warehouse):
    data, text = zeeland
    assert str(warehouse.parent) not in text and "/work/" not in text
    assert not re.search(r"(/home/|/tmp/|\.duckdb|[A-Z]:\\)", text)
    urls = re.findall(r"https?://[^\s)]+", text)
    assert urls and all(u.startswith("https://opendata.cbs.nl/") for u in urls), urls


def test_composed_region_pdf_shows_the_warehouse_figure(report_pdf, warehouse):
    """A composed region: its unemployment is Σ numerator / Σ denominator of its gemeenten,
    computed here from the gemeente values, as the HTML report's test does."""
    data = report_pdf.build_pdf(composed("Zeeuwse kern", COMPOSED), "nl", DAY)
    text = pdf_text(data)
    assert "Regiorapport: Zeeuwse kern" in text
    con = duckdb.connect(str(warehouse), read_only=True)
    year = con.execute("select max(year) from gm_value where indicator_id = 'werkloosheid_pct' "
                       "and value is not null").fetchone()[0]
    expected = con.execute("""
        select sum(g.numerator) / sum(g.denominator) * any_value(i.scale)
        from gm_value g join indicator i using (indicator_id)
        where g.indicator_id = 'werkloosheid_pct' and g.year = ?
          and list_contains(?, g.gemeente_code)""", [year, list(COMPOSED)]).fetchone()[0]
    con.close()
    shown = format_value(expected, 1, lang="nl")
    assert f"Werkloosheid ({year}): {shown} %" in text


def test_english_pdf_has_english_headings(report_pdf):
    text = pdf_text(report_pdf.build_pdf(stored("PV29"), "en", DAY))
    assert "Region report: Zeeland" in text
    assert "Unemployment (2024): 2.9 % of the labour force" in text
    for heading in ("In brief", "Ecosystem factors", "Key figures", "Similar regions", "Map",
                    "Trends", "Sources and method", "Source: CBS"):
        assert heading in text, heading
    for dutch in ("In het kort", "Kerncijfers", "Bronnen en methode", "Bron: CBS"):
        assert dutch not in text, dutch


def test_pdf_filename():
    from monitor.report import report_filename

    zeeland = Region("PR_zeeland", "Zeeland", "proeftuin", ("GM0654",), 1)
    assert report_filename(zeeland, "nl", DAY, ext="pdf") == "regiorapport_zeeland_2026-11-22.pdf"


def test_overzicht_offers_the_pdf_beside_the_html(run_page, downloads):
    """The Overzicht page's report buttons: HTML and PDF, the PDF made on click."""
    at = run_page(region="PR_zeeland")
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert "Regiorapport (HTML)" in labels and "Regiorapport (PDF)" in labels
    name, data = fetch(at, downloads, ".pdf", "regiorapport_")
    assert name.startswith("regiorapport_zeeland_") and data.startswith(b"%PDF-")
    assert "Werkloosheid (2024): 2,9 %" in pdf_text(data)


def test_user_typed_name_beyond_the_font_does_not_break_the_pdf(report_pdf):
    """A composed region's name is user input: markup stays text, '€' is in the font, an
    emoji that no embedded font has is left out instead of failing the download."""
    name = "Zee 🌊 & <b>Co</b> €"
    text = pdf_text(report_pdf.build_pdf(composed(name, COMPOSED), "nl", DAY))
    assert "Regiorapport: Zee & <b>Co</b> €" in text


def pdf_fonts(data: bytes) -> set[str]:
    """The base names of the fonts the PDF's pages use, without fpdf2's subset prefix."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_cjk_and_full_width_name_is_real_text_in_the_pdf(report_pdf):
    """Issue 24: a composed region named in Japanese, full-width letters and Korean is set in
    the embedded IPAexGothic and WenQuanYi Micro Hei (their glyphs, not missing ones): the text
    reads back as typed, and a Latin-only report embeds no CJK font."""
    from conftest import require_cjk_font, require_wide_font

    require_cjk_font()
    require_wide_font()
    name = "東京 テスト ＡＢＣ 서울"
    data = report_pdf.build_pdf(composed(name, COMPOSED), "nl", DAY)
    assert f"Regiorapport: {name}" in pdf_text(data)
    used = pdf_fonts(data)
    assert {"IPAexGothic", "DejaVuSansBook", "DejaVuSansBold"} <= used, used
    assert any(font.startswith("WenQuanYi") for font in used), used  # Hangul
    latin = report_pdf.build_pdf(composed("Zeeuwse kern", COMPOSED), "nl", DAY)
    assert "IPAexGothic" not in pdf_fonts(latin)
