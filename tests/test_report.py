"""The region report: every pilot region and a composed one, each section, the warehouse's
numbers, no external URLs but StatLine, and escaped user text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import duckdb
import pytest
from conftest import reading

from monitor.numbers import format_value
from monitor.regions import Region, composed, stored

COMPOSED = ("GM0654", "GM0664", "GM0677")  # Borsele, Goes, Hulst
EVIL = '<script>alert("x")</script> & Co'
DAY = "2026-11-22"


def pilot_codes(warehouse) -> list[str]:
    """The default variants of the pilot regions in the session warehouse."""
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute("select region_code from region where region_level = 'proeftuin' and "
                       "is_default_variant order by 1").fetchall()
    con.close()
    return [r[0] for r in rows]


@pytest.fixture(scope="module")
def report(warehouse):
    """monitor.report reading the session warehouse (fresh caches)."""
    with reading(warehouse):
        from monitor import report as module

        yield module


class Cells(HTMLParser):
    """Collects section ids, h2 headings and the data-* cells of the report's tables."""

    def __init__(self):
        super().__init__()
        self.sections, self.h2, self.cells, self.links = [], [], {}, []
        self._cell, self._h2, self._text = None, False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("section", "header") and "id" in attrs:
            self.sections.append(attrs["id"])
        if tag == "h2":
            self._h2, self._text = True, []
        if tag == "td" and "data-region" in attrs:
            key = (attrs.get("data-indicator") or attrs.get("data-factor"), attrs["data-region"])
            self._cell, self._text = (key, attrs.get("data-value")), []
        if tag == "a":
            self.links.append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "h2" and self._h2:
            self.h2.append("".join(self._text).strip())
            self._h2 = False
        if tag == "td" and self._cell:
            key, value = self._cell
            self.cells[key] = ("".join(self._text).strip(), value)
            self._cell = None

    def handle_data(self, data):
        self._text.append(data)


def parse(text: str) -> Cells:
    parser = Cells()
    parser.feed(text)
    return parser


def latest(con, indicator: str) -> int:
    return con.execute("select max(year) from gm_value where indicator_id = ? and value is not "
                       "null", [indicator]).fetchone()[0]


def stored_value(con, indicator: str, code: str, year: int):
    row = con.execute("select value from indicator_value where indicator_id = ? and "
                      "region_code = ? and year = ?", [indicator, code, year]).fetchone()
    return row[0] if row else None


def check_common(text: str) -> Cells:
    """What every report holds: sections, print CSS, only StatLine links, nothing to fetch."""
    from monitor.report import SECTIONS

    doc = parse(text)
    assert doc.sections == list(SECTIONS)
    assert len(doc.h2) == len(SECTIONS) - 1 and all(doc.h2)
    urls = re.findall(r"(?:https?:)?//[^\s\"'<>)]+", text)
    assert urls and all(u.startswith("https://opendata.cbs.nl/") for u in urls), urls
    assert all(href.startswith(("#", "https://opendata.cbs.nl/")) for href in doc.links)
    assert not re.search(r"<(script|link|img|iframe)\b", text, re.IGNORECASE)
    assert re.search(r"\s(src|srcset)=", text) is None
    assert "@media print" in text and "break-before: page" in text
    # factor scores, map, trends, and the wijk map (not for Nederland's 3,393 wijken)
    assert text.count("<svg") == 3 + ('<section id="wijken"><h2>Wijken</h2><p>Cijfers' in text
                                      or '<h2>Districts</h2><p>CBS figures' in text)
    assert len(text) < 1_500_000
    return doc


def test_report_for_every_pilot_region(report, warehouse):
    codes = pilot_codes(warehouse)
    assert len(codes) >= 10
    con = duckdb.connect(str(warehouse), read_only=True)
    year = latest(con, "werkloosheid_pct")
    for code in codes:
        text = report.build_report(stored(code), lang="nl", made=DAY)
        doc = check_common(text)
        name, members, population = con.execute(
            "select region_name, n_gemeenten, population from region where region_code = ?",
            [code]).fetchone()
        assert f"<h1>Regiorapport: {html.escape(name)}</h1>" in text
        assert f"<dd>{members}</dd>" in text
        assert f"<dd>{format_value(population, 0, lang='nl')}</dd>" in text
        for region in (code, "NL01"):
            value = stored_value(con, "werkloosheid_pct", region, year)
            shown, raw = doc.cells[("werkloosheid_pct", region)]
            assert shown.lstrip("≈ ") == format_value(value, 1, lang="nl"), (code, region)
            assert float(raw) == pytest.approx(value)
        others = [c for c in codes if c != code]
        assert all(("werkloosheid_pct", c) in doc.cells for c in others)
        score = con.execute("select score from factor_score_latest where region_code = ? and "
                            "factor_id = 'arbeidsmarkt'", [code]).fetchone()[0]
        assert doc.cells[("arbeidsmarkt", code)][0] == format_value(score, 1, lang="nl")
    con.close()


def test_report_for_a_composed_region_escapes_its_name(report, warehouse):
    text = report.build_report(composed(EVIL, COMPOSED), lang="nl", made=DAY)
    doc = check_common(text)
    assert not re.search(r"<script", text, re.IGNORECASE)  # only as &lt;script&gt;
    assert html.escape(EVIL) in text
    assert f"<dd>{len(COMPOSED)}</dd>" in text
    con = duckdb.connect(str(warehouse), read_only=True)
    year = latest(con, "werkloosheid_pct")
    expected, coverage = con.execute("""
        select sum(g.numerator) / sum(g.denominator) * any_value(i.scale),
               sum(r.population) filter (where g.numerator is not null)
                   / (select sum(population) from region where list_contains(?, region_code))
        from gm_value g join indicator i using (indicator_id)
        join region r on r.region_code = g.gemeente_code
        where g.indicator_id = 'werkloosheid_pct' and g.year = ?
          and list_contains(?, g.gemeente_code)
    """, [list(COMPOSED), year, list(COMPOSED)]).fetchone()
    con.close()
    assert coverage >= 0.95
    shown, raw = doc.cells[("werkloosheid_pct", "CUSTOM")]
    assert shown.lstrip("≈ ") == format_value(expected, 1, lang="nl")
    assert float(raw) == pytest.approx(expected)
    for name in ("Borsele", "Goes", "Hulst"):
        assert name in text


def test_report_in_english_and_for_nederland(report):
    text = report.build_report(stored("NL01"), lang="en", made=DAY)
    doc = check_common(text)
    assert '<html lang="en">' in text
    assert "Key figures" in doc.h2 and "Sources and method" in doc.h2
    assert ("werkloosheid_pct", "NL01") in doc.cells


def test_report_filename():
    from monitor.report import report_filename

    zeeland = Region("PR_zeeland", "Zeeland", "proeftuin", ("GM0654",), 1)
    assert report_filename(zeeland, "nl", DAY) == "regiorapport_zeeland_2026-11-22.html"
    mine = Region("CUSTOM", EVIL, "custom", ("GM0654",), 1, composed=True)
    assert report_filename(mine, "en", DAY) == \
        "region_report_script_alert_x_script_co_2026-11-22.html"


def test_report_has_summary_and_similar_regions(report, warehouse):
    """'In het kort' and 'Vergelijkbare regio's' in the report: the summary's figures are the
    table's, the peers are those of monitor.peers, each with its key figures."""
    from monitor import narrative, peers

    text = report.build_report(stored("PR_zeeland"), lang="nl", made=DAY)
    doc = check_common(text)
    assert doc.sections[:3] == ["header", "summary", "factors"]
    assert "peers" in doc.sections and "In het kort" in doc.h2
    assert "Vergelijkbare regio's" in doc.h2
    for sentence in narrative.region_narrative(stored("PR_zeeland"), "nl", with_rank=True):
        assert f"<li>{html.escape(sentence)}</li>" in text
    assert "de laagste van de 10 proeftuinen" in text  # Zeeland 2024: 2.9%, CBS's figure
    found = peers.find_peers(stored("PR_zeeland"))
    section = text[text.index('<section id="peers">'):]
    section = section[:section.index("</section>")]
    for code in found.table["region_code"]:
        assert f'data-indicator="werkloosheid_pct" data-region="{code}"' in section
    assert html.escape(peers.explanation_text(found, "Zeeland", "nl")) in section


@pytest.mark.parametrize("code, custom", [("PV29", ()), ("CUSTOM", COMPOSED), ("GM0363", ()),
                                          ("CR17", ()), ("AM12", ())])
def test_report_peers_and_summary_for_every_kind_of_region(report, code, custom):
    region = composed("Zeeuwse kern", custom) if custom else stored(code)
    text = report.build_report(region, lang="en", made=DAY)
    doc = check_common(text)
    assert "In brief" in doc.h2 and "Similar regions" in doc.h2
    section = text[text.index('<section id="peers">'):]
    assert "They are most like" in section[:section.index("</section>")]
