"""The region report as a PDF (councillors attach PDFs to agendas), made without a browser.

fpdf2 writes the PDF in pure Python; the figures are the report's own matplotlib drawings as
PNG, the texts and numbers come from monitor.report's data functions (nothing is computed a
second time). The font is matplotlib's bundled DejaVu Sans: it has 'Σ', '≈', '–' and '€',
which fpdf2's Latin-1 core fonts have not, and needs no system package; IPAexGothic (a PyPI
wheel, monitor.fonts) is its fallback for CJK and full-width characters in a region's name.
"""

from __future__ import annotations

import io

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from monitor import fonts, narrative, report
from monitor.i18n import DEFAULT_LANG, tr
from monitor.regions import Region

FONT = "DejaVu"
INK, MUTED, ACCENT, SOFT, OWN = (26, 26, 26), (74, 74, 74), (0, 114, 178), (243, 246, 249), \
    (227, 238, 248)
WIDTH = 186  # A4 minus 12 mm margins, in mm


class ReportPDF(FPDF):
    """A4 portrait with the report's footer ('Bron: CBS ...') and page numbers."""

    def __init__(self, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        fonts.add_pdf_fonts(self, FONT)
        self.set_margins(12, 14, 12)
        self.set_auto_page_break(True, margin=16)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, self.footer_text)
        self.cell(0, 4, str(self.page_no()), align="R")


def heading(pdf: ReportPDF, text: str) -> None:
    """A section title with the report's accent rule above it."""
    if pdf.get_y() > 250:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + WIDTH, pdf.get_y())
    pdf.ln(1.5)
    pdf.set_font(FONT, "B", 13)
    pdf.set_text_color(*INK)
    pdf.multi_cell(WIDTH, 6.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def para(pdf: ReportPDF, text: str, size: float = 9.5, muted: bool = False,
         style: str = "") -> None:
    """A paragraph of running text."""
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*(MUTED if muted else INK))
    pdf.multi_cell(WIDTH, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def bullets(pdf: ReportPDF, items: list[str]) -> None:
    """A bulleted list."""
    pdf.set_font(FONT, "", 9.5)
    pdf.set_text_color(*INK)
    for item in items:
        pdf.cell(5, 4.8, "•")
        pdf.multi_cell(WIDTH - 5, 4.8, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.8)


def image(pdf: ReportPDF, png: bytes, width: float) -> None:
    """A PNG figure, centred, on a new page if it does not fit."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        height = width * im.height / im.width
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (WIDTH - width) / 2, w=width)
    pdf.ln(2)


def table(pdf: ReportPDF, head: list[str], rows: list[tuple[str, list[str]]],
          first: float = 36, size: float = 7.5, own: str | None = None) -> None:
    """A table: a text column then right-aligned figures; the report's region in bold."""
    widths = (first, *[(WIDTH - first) / max(len(head) - 1, 1)] * (len(head) - 1))
    pdf.set_font(FONT, "", size)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.2)
    with pdf.table(col_widths=widths, text_align=("LEFT", *["RIGHT"] * (len(head) - 1)),
                   line_height=size * 0.5, headings_style=_head_style(),
                   borders_layout="HORIZONTAL_LINES", padding=0.8) as grid:
        row = grid.row()
        for text in head:
            row.cell(text)
        for name, cells in rows:
            style = _own_style() if name == own else None
            row = grid.row(style=style)
            row.cell(name)
            for text in cells:
                row.cell(text)
    pdf.ln(2)


def _head_style():
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", fill_color=SOFT, color=INK, size_pt=5.6)


def _own_style():
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", fill_color=OWN)


# --- sections ------------------------------------------------------------------------------------

def header_part(pdf: ReportPDF, info: dict, lang: str, made: str, meta: dict) -> None:
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, tr("app_title", lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 20)
    pdf.set_text_color(*INK)
    pdf.multi_cell(WIDTH, 9, tr("report_title", lang, name=info["name"]),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    for label, text in report.header_rows(info, lang, made, meta):
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(48, 4.8, label)
        pdf.set_font(FONT, "B", 9)
        pdf.set_text_color(*INK)
        pdf.multi_cell(WIDTH - 48, 4.8, str(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if info["editable"]:
        pdf.ln(1)
        para(pdf, tr("report_composed", lang), 8.5, muted=True)
    pdf.ln(1)
    para(pdf, tr("report_licence", lang), 8, muted=True)


def indicator_part(pdf: ReportPDF, values, code: str, names: dict[str, str], lang: str) -> None:
    heads, shown = report.indicator_cells(values, names, lang)
    marked = report.releases.marked
    head = [tr("region", lang), *(f"{title} ({unit}, {marked(str(year), ind, year, lang)})"
                                  for ind, title, unit, year in heads)]
    table(pdf, head, [(names[c], [text for _, _, text in shown[c]]) for c in names],
          own=names[code])
    legend = report.provisional_legend([(ind, year) for ind, _, _, year in heads], lang)
    if legend:
        para(pdf, legend, 8, muted=True)


def peers_part(pdf: ReportPDF, region: Region, info: dict, lang: str) -> None:
    heading(pdf, tr("report_peers", lang))
    data = report.peer_data(region, info, lang)
    para(pdf, data["intro"])
    if data["names"]:
        para(pdf, data["text"])
        indicator_part(pdf, data["values"], region.code, data["names"], lang)


def economy_part(pdf: ReportPDF, region: Region, info: dict, lang: str) -> None:
    heading(pdf, tr("report_economy", lang))
    frame = report.economy_table(region, lang)
    if frame is None:
        para(pdf, tr("economy_absent", lang), muted=True)
        return
    para(pdf, tr("economy_intro", lang, name=info["name"]))
    cols = report.ECONOMY_COLUMNS
    table(pdf, [tr(k, lang) for _, k in cols],
          [(str(r[cols[0][0]]), [str(r[c]) for c, _ in cols[1:]]) for _, r in frame.iterrows()],
          first=70)


def map_part(pdf: ReportPDF, info: dict, lang: str) -> None:
    heading(pdf, tr("report_map", lang))
    image(pdf, report.map_figure(info, lang, fmt="png"), 110)
    members = report.profile.member_table(tuple(info["members"]))["region_name"]
    para(pdf, f'{tr("report_members", lang)} ({len(members)}): ' + ", ".join(members), 8.5)


def wijken_part(pdf: ReportPDF, region: Region, lang: str, made: str) -> None:
    """The wijk map (density 2024) and what the HTML report's wijk table holds, in words (a
    region's hundreds of wijken are the HTML report's, the Wijken page's and its exports')."""
    heading(pdf, tr("report_wijken", lang))
    rows = report.wijken.wijk_rows(tuple(region.members), lang)
    n = report.wijken.counts(rows)
    if rows.empty or n["wijken"] > report.MAX_REPORT_WIJKEN:
        para(pdf, tr("wijk_none" if rows.empty else "wijk_report_too_many", lang,
                     n=n["wijken"]))
        return
    para(pdf, tr("wijk_report_note", lang))
    image(pdf, report.wijken_figure(region, lang, made, fmt="png"), 150)
    several = len(region.members) > 1
    text = (tr("wijk_counts", lang, gemeenten=len(region.members), wijken=n["wijken"])
            if several else tr("wijk_counts_one", lang, wijken=n["wijken"]))
    changed = n["renamed"] + n["absent"] + n["new"]
    para(pdf, text + " " + (tr("wijk_codes_changed", lang, **n) if changed
                            else tr("wijk_codes_same", lang)), 8.5)


def trends_part(pdf: ReportPDF, values, code: str, names: dict[str, str], lang: str) -> None:
    pdf.add_page()
    heading(pdf, tr("report_trends", lang))
    para(pdf, tr("report_trends_intro", lang, name=names[code]))
    panels = report.trend_panels(values, code, names, lang)
    if not panels:
        para(pdf, tr("no_value", lang), muted=True)
        return
    image(pdf, report.trends_figure(panels, names[code], lang, fmt="png"), WIDTH)
    for panel in panels:
        para(pdf, report.figures.panel_title(panel), 8.5, style="B")
        table(pdf, [tr("region", lang), *(report.year_head(panel, y, lang)
                                          for y in panel["years"])],
              [(name, [report.number(v, panel["decimals"], lang) for v in series])
               for name, series, _, _ in panel["series"]], first=34, size=6.5)
    legend = report.provisional_legend([(p["id"], y) for p in panels for y in p["years"]], lang)
    if legend:
        para(pdf, legend, 8, muted=True)


def sources_part(pdf: ReportPDF, lang: str, meta: dict) -> None:
    pdf.add_page()  # as the HTML report prints: sources on a page of their own
    heading(pdf, tr("report_sources", lang))
    para(pdf, tr("report_licence", lang))
    para(pdf, tr("report_method", lang), 10, style="B")
    bullets(pdf, [tr(f"report_method_{i}", lang) for i in range(1, 5)])
    para(pdf, tr("report_tables", lang), 10, style="B")
    rows = [(str(r["table_id"]), [str(r["title"]), str(r["retrieved_at"])[:10]])
            for _, r in report.source_tables().iterrows()]
    head = [tr("report_col_table", lang), tr("report_col_title", lang),
                   tr("report_col_retrieved", lang)]
    pdf.set_font(FONT, "", 7.5)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.2)
    with pdf.table(col_widths=(24, 136, 26), text_align=("LEFT", "LEFT", "LEFT"),
                   line_height=3.8, headings_style=_head_style(),
                   borders_layout="HORIZONTAL_LINES", padding=0.8) as grid:
        for cells in [head, *[[t, *rest] for t, rest in rows]]:
            row = grid.row()
            for text in cells:
                row.cell(text)
    pdf.ln(2)
    para(pdf, tr("report_statline_pdf", lang, url=report.STATLINE), 8, muted=True)
    para(pdf, report.build_line(lang, meta), 8, muted=True)


# --- the report ----------------------------------------------------------------------------------

def build_pdf(region: Region, lang: str = DEFAULT_LANG, made: str | None = None) -> bytes:
    """The region's report as PDF bytes: the same sections, texts and figures as the HTML."""
    lang, made, info, chosen, names, values, meta = report.report_data(region, lang, made)
    code = region.code
    pdf = ReportPDF(tr("report_footer", lang, made=made))
    pdf.set_title(tr("report_title", lang, name=info["name"]))
    pdf.set_author(tr("app_title", lang))
    pdf.set_lang(lang)
    pdf.add_page()
    header_part(pdf, info, lang, made, meta)

    heading(pdf, tr("report_summary", lang))
    para(pdf, tr("report_summary_intro", lang), muted=True)
    bullets(pdf, narrative.region_narrative(region, lang, with_rank=region.level == "proeftuin"))

    heading(pdf, tr("report_factors", lang))
    para(pdf, tr("report_factors_intro", lang))
    scores = report.regions.factor_profile(chosen)
    image(pdf, report.factor_figure(scores, code, names, lang, fmt="png"), 150)
    titles, shown = report.factor_cells(scores, names, lang)
    table(pdf, [tr("region", lang), *titles.values()],
          [(names[c], list(shown[c].values())) for c in names], own=names[code])

    heading(pdf, tr("report_indicators", lang))
    para(pdf, tr("report_indicators_intro", lang))
    indicator_part(pdf, report.key_values(values), code, names, lang)

    peers_part(pdf, region, info, lang)
    economy_part(pdf, region, info, lang)
    map_part(pdf, info, lang)
    wijken_part(pdf, region, lang, made)
    trends_part(pdf, values, code, names, lang)
    sources_part(pdf, lang, meta)
    return bytes(pdf.output())
