"""A region's profile as one self-contained HTML file: inline CSS and SVG, prints to PDF.

No external URL but the StatLine links of the sources; every text is escaped (the name of a
composed region is user input). The language is an argument, not the session's: the file is
made when its download button is clicked, on a thread without a Streamlit session.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from monitor import (
    charts,
    db,
    economy,
    figures,
    narrative,
    peers,
    profile,
    queries,
    regions,
    releases,
    wijken,
)
from monitor.i18n import DEFAULT_LANG, tr
from monitor.numbers import format_value, number
from monitor.provenance import build_source
from monitor.regions import Region

KEY_INDICATORS = profile.HEADLINE
TREND_INDICATORS = ("werkloosheid_pct", "netto_arbeidsparticipatie_pct",
                    "banen_per_1000_inwoners", "hbo_wo_pct")
SECTIONS = ("header", "summary", "factors", "indicators", "peers", "economy", "map", "wijken",
            "trends", "sources")
STATLINE = "https://opendata.cbs.nl/"



def esc(text) -> str:
    """Any value as HTML-escaped text."""
    return html.escape("" if text is None else str(text), quote=True)


# --- the data ----------------------------------------------------------------------------------

def pilot_codes(code: str) -> list[str]:
    """Default variants of the pilot regions other than the region's own pilot."""
    own = queries.regions("proeftuin").query("region_code == @code")["pilot_id"]
    frame = queries.default_pilots()
    if len(own):
        frame = frame[frame["pilot_id"] != own.iloc[0]]
    return [c for c in frame.sort_values("region_name")["region_code"] if c != code]


def comparison_codes(code: str) -> list[str]:
    """The region, Nederland and the other pilot regions, in that order, once each."""
    return list(dict.fromkeys([code, "NL01", *pilot_codes(code)]))


def short_names(codes: list[str], name: str) -> dict[str, str]:
    """Display names: the region's own (given) name, others without long explanations."""
    frame = queries.regions().set_index("region_code")
    return {c: name if i == 0 else charts.short_name(str(frame.loc[c, "region_name"]),
                                                     str(frame.loc[c, "region_level"]))
            for i, c in enumerate(codes) if i == 0 or c in frame.index}


def header_info(region: Region) -> dict:
    """Name, level, members, population and (pilot regions) description and confidence."""
    info = {"name": region.name, "level": region.level, "members": region.members,
            "population": region.population, "editable": region.editable}
    if region.level == "proeftuin":
        row = profile.region_row(region.code)
        info.update(description=row["description"], confidence=row["confidence"])
    return info


def all_values(chosen: tuple[Region, ...]) -> pd.DataFrame:
    """Every indicator value (all years) of the region and the comparison regions."""
    columns = ["indicator_id", "region_code", "year", "value", "is_estimated", "status"]
    return regions.values(chosen).reindex(columns=columns)


def latest_year(indicator_id: str) -> int | None:
    """The latest year with gemeente values of an indicator."""
    years = queries.indicator_years(indicator_id)
    return years[-1] if years else None


def key_values(values: pd.DataFrame) -> pd.DataFrame:
    """The key indicators in their latest year: indicator_id, region_code, year, value."""
    rows = []
    for ind in KEY_INDICATORS:
        year = latest_year(ind)
        part = values[(values["indicator_id"] == ind) & (values["year"] == year)]
        rows.append(part.drop_duplicates("region_code"))
    return pd.concat(rows, ignore_index=True) if rows else values.iloc[0:0]



def source_tables() -> pd.DataFrame:
    """The CBS tables behind the indicators: id, title, StatLine link, retrieval time."""
    meta = queries.indicators()
    meta = meta[meta["data_gap"].isna()]
    used = {str(t).upper() for t in pd.concat([meta["source_table"], meta["denominator_table"]])
            if isinstance(t, str) and t}
    info = queries.build_info()
    info = info[info["table_id"].str.upper().isin(used)]
    return info.sort_values("table_id")[["table_id", "title", "statline_url", "retrieved_at"]]


# --- HTML pieces -------------------------------------------------------------------------------

CSS = """
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0072B2;
        --soft: #f3f6f9; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; color: var(--ink);
       background: #fff; margin: 0 auto; max-width: 1100px; padding: 24px 28px 40px;
       line-height: 1.45; font-size: 15px; }
h1 { font-size: 30px; margin: 4px 0 10px; line-height: 1.2; }
h2 { font-size: 22px; margin: 0 0 8px; padding-top: 8px; border-top: 3px solid var(--accent); }
h3 { font-size: 16px; margin: 14px 0 6px; }
p, li { max-width: 78ch; }
.kicker { color: var(--muted); margin: 0; font-size: 14px; letter-spacing: .02em; }
.muted { color: var(--muted); }
section { margin: 28px 0 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 18px; margin: 8px 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; font-weight: 600; }
nav ol { columns: 3; margin: 6px 0; padding-left: 20px; }
figure { margin: 10px 0; } figcaption { color: var(--muted); font-size: 13px; }
svg { width: 100%; height: auto; display: block; max-width: 920px; }
.map-wrap { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 18px;
            align-items: start; }
.map-wrap svg { max-height: 560px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0 4px;
        font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: right;
         vertical-align: top; }
td { white-space: nowrap; }
th { background: var(--soft); font-weight: 600; }
th[scope=row], td.text, th.text { text-align: left; }
tr.me th, tr.me td { font-weight: 700; background: #e3eef8; }
tr.nl th, tr.nl td { font-style: italic; }
.unit { display: block; font-weight: 400; color: var(--muted); font-size: 12px; }
a { color: #0b5394; }
footer { margin-top: 30px; color: var(--muted); font-size: 13px;
         border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .screen-only { display: none; }
  h2 { break-after: avoid; }
  #trends, #sources { break-before: page; }
  #factors svg { max-width: 150mm; margin: 0 auto; }
  .map-wrap svg { max-height: 150mm; }
  section { margin-top: 16px; }
  figure, tr, dl, .map-wrap { break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8.5pt; }
  a { color: var(--ink); text-decoration: none; }
  a[href^="https://opendata.cbs.nl/"]::after { content: " (" attr(href) ")";
      font-size: 7.5pt; color: var(--muted); word-break: break-all; }
}
"""


def header_rows(info: dict, lang: str, made: str, meta: dict) -> list[tuple[str, str]]:
    """The region's facts as (label, text) pairs, for the HTML and the PDF head."""
    level = tr("level_" + info["level"], lang)
    rows = [(tr("report_level", lang), level),
            (tr("report_members", lang), str(len(info["members"]))),
            (tr("report_population", lang), number(info["population"], 0, lang)),
            (tr("report_built", lang), str(meta.get("built_at", ""))[:16] + " UTC"),
            (tr("report_made", lang), made)]
    if meta.get("release_id"):
        rows += [(tr("export_meta_release", lang), meta["release_id"]),
                 (tr("export_meta_release_link", lang), meta.get("release_link") or "")]
    if info.get("description"):
        rows.append((tr("report_cooperation", lang), info["description"]))
    if info.get("confidence"):
        level = profile.confidence_level(info["confidence"])  # 'high' -> 'hoog'
        rows.append((tr("report_confidence", lang),
                     tr(f"confidence_{level}", lang) if level else info["confidence"]))
    return rows


def header_html(info: dict, lang: str, made: str, meta: dict) -> str:
    """The report's head: title and the region's facts."""
    rows = header_rows(info, lang, made, meta)
    facts = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    note = (f'<p class="muted">{esc(tr("report_composed", lang))}</p>'
            if info["editable"] else "")
    links = "".join(f'<li><a href="#{s}">{esc(tr("report_" + s, lang))}</a></li>'
                    for s in SECTIONS[1:])
    return (f'<header id="header"><p class="kicker">{esc(tr("app_title", lang))}</p>'
            f'<h1>{esc(tr("report_title", lang, name=info["name"]))}</h1>'
            f'<dl class="facts">{facts}</dl>{note}'
            f'<nav class="screen-only" aria-label="{esc(tr("report_contents", lang))}">'
            f'<ol>{links}</ol><p class="muted">{esc(tr("report_print_hint", lang))}</p>'
            f"</nav></header>")


def factor_figure(scores: pd.DataFrame, code: str, names: dict[str, str], lang: str,
                  fmt: str = "svg") -> bytes | str:
    """The factor scores' dot plot (region, Nederland, other pilots) as SVG or PNG."""
    titles = profile.factor_titles(lang)
    name = names[code]
    texts = {"others": tr("report_others", lang), "netherlands": tr("netherlands", lang),
             "region": name, "axis": tr("score", lang), "no_data": tr("no_data_in_source", lang),
             "number": lambda v: number(v, 1, lang)}
    alt = tr("report_factors_alt", lang, name=name)
    svg = figures.render(figures.draw_factor_strip, scores, code,
                         {f: profile.wrap_label(t, 22) for f, t in titles.items()}, texts,
                         fmt=fmt, label=alt)
    return svg


def factor_cells(scores: pd.DataFrame, names: dict[str, str], lang: str
                 ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Factor titles and, per region, each factor's score as shown (one decimal)."""
    titles = profile.factor_titles(lang)
    keyed = scores.drop_duplicates(["factor_id", "region_code"]).set_index(
        ["factor_id", "region_code"])["score"]
    return titles, {c: {f: number(keyed.get((f, c)), 1, lang) for f in titles} for c in names}


def factors_html(scores: pd.DataFrame, code: str, names: dict[str, str], lang: str) -> str:
    """Factor scores: a dot plot (region, Nederland, other pilots) and the table of scores."""
    svg = factor_figure(scores, code, names, lang)
    titles, shown = factor_cells(scores, names, lang)
    head = "".join(f'<th scope="col">{esc(t)}</th>' for t in titles.values())
    body = []
    for c in names:
        cells = "".join(
            f'<td data-factor="{esc(f)}" data-region="{esc(c)}">'
            f'{esc(shown[c][f])}</td>' for f in titles)
        body.append(region_row(c, code, names, cells))
    return region_section("factors", f"<figure>{svg}</figure>", head, body, lang)


def row_class(c: str, code: str) -> str:
    """Table row class: the report's region, Nederland, or another region."""
    return "me" if c == code else "nl" if c == "NL01" else "other"


def region_row(c: str, code: str, names: dict[str, str], cells: str) -> str:
    """One region's row: its name as the row header, then its cells."""
    return (f'<tr class="{row_class(c, code)}"><th scope="row" class="text">'
            f"{esc(names[c])}</th>{cells}</tr>")


def region_section(key: str, figure: str, head: str, body: list[str], lang: str,
                   intro: str | None = None) -> str:
    """A report section (id and texts from `key`): title, intro, optional figure, and a table
    with a region per row."""
    title = esc(tr(f"report_{key}", lang))
    intro = intro if intro is not None else tr(f"report_{key}_intro", lang)
    return (f'<section id="{key}"><h2>{title}</h2><p>{esc(intro)}</p>'
            f'{figure}<table><caption>{title}</caption><thead><tr>'
            f'<th scope="col" class="text">{esc(tr("region", lang))}</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></section>')


def indicators_html(values: pd.DataFrame, code: str, names: dict[str, str], lang: str,
                    key: str = "indicators", intro: str | None = None,
                    figure: str = "") -> str:
    """Key indicators in their latest year: the region, Nederland and the other pilots (or
    the regions in `names`)."""
    heads, shown = indicator_cells(values, names, lang)
    head = "".join(f'<th scope="col">{esc(title)}<span class="unit">{esc(unit)}, '
                   f"{esc(releases.marked(str(year), ind, year, lang))}</span></th>"
                   for ind, title, unit, year in heads)
    body = []
    for c in names:
        cells = []
        for ind, value, text in shown[c]:
            data = "" if value is None or pd.isna(value) else f' data-value="{float(value)!r}"'
            cells.append(f'<td data-indicator="{esc(ind)}" data-region="{esc(c)}"{data}>'
                         f"{esc(text)}</td>")
        body.append(region_row(c, code, names, "".join(cells)))
    return region_section(key, figure, head, body, lang, intro) + provisional_html(
        [(ind, year) for ind, _, _, year in heads], lang)


def provisional_legend(pairs, lang: str) -> str | None:
    """The line explaining the provisional mark, where one of (indicator, year) is marked."""
    return releases.legend(lang) if any(releases.provisional(i, y) for i, y in pairs) else None


def provisional_html(pairs, lang: str) -> str:
    """provisional_legend as a paragraph (nothing where no figure is provisional)."""
    text = provisional_legend(pairs, lang)
    return f'<p class="muted provisional">{esc(text)}</p>' if text else ""


def indicator_cells(values: pd.DataFrame, names: dict[str, str], lang: str
                    ) -> tuple[list[tuple], dict[str, list[tuple]]]:
    """The key indicators' (id, title, unit, year) and, per region, (id, value, text as shown:
    CBS precision, '≈' where estimated)."""
    meta = queries.indicators().set_index("indicator_id")
    keyed = values.set_index(["indicator_id", "region_code"])
    heads = [(i, meta.loc[i, f"title_{lang}"], meta.loc[i, f"unit_{lang}"], latest_year(i))
             for i in KEY_INDICATORS]
    shown = {}
    for c in names:
        cells = []
        for ind in KEY_INDICATORS:
            row = keyed.loc[(ind, c)] if (ind, c) in keyed.index else None
            value = None if row is None else row["value"]
            text = number(value, meta.loc[ind, "decimals"], lang)
            if row is not None and pd.notna(value) and bool(row.get("is_estimated") or False):
                text = profile.ESTIMATED_MARK + text
            cells.append((ind, value, text))
        shown[c] = cells
    return heads, shown


def summary_html(region: Region, lang: str) -> str:
    """The readable summary: a few sentences from the numbers of the tables below (highest/
    lowest only among the pilot regions, the group the report's tables show)."""
    sentences = narrative.region_narrative(region, lang, with_rank=region.level == "proeftuin")
    items = "".join(f"<li>{esc(s)}</li>" for s in sentences)
    return (f'<section id="summary"><h2>{esc(tr("report_summary", lang))}</h2>'
            f'<p class="muted">{esc(tr("report_summary_intro", lang))}</p><ul>{items}</ul>'
            "</section>")


ECONOMY_COLUMNS = [("sector", "economy_col_sector"), ("year", "year"),
                   ("share", "economy_col_share"), ("nl_share", "economy_col_nl"),
                   ("lq", "economy_col_lq")]


def economy_table(region: Region, lang: str) -> pd.DataFrame | None:
    """Location quotients per sector as shown, or None when the source has no sectors."""
    if not economy.has_sector_data():
        return None
    return economy.quotient_table(economy.region_quotients(region), lang)


def economy_html(region: Region, info: dict, lang: str) -> str:
    """Location quotients per sector, or one sentence saying the source has no sectors."""
    head = f'<section id="economy"><h2>{esc(tr("report_economy", lang))}</h2>'
    table = economy_table(region, lang)
    if table is None:
        return f'{head}<p class="muted">{esc(tr("economy_absent", lang))}</p></section>'
    cols = ECONOMY_COLUMNS
    header = "".join(f'<th scope="col" class="text">{esc(tr(k, lang))}</th>' for _, k in cols)
    rows = "".join("<tr>" + "".join(f'<td class="text">{esc(r[c])}</td>' for c, _ in cols)
                   + "</tr>" for _, r in table.iterrows())
    return (f'{head}<p>{esc(tr("economy_intro", lang, name=info["name"]))}</p>'
            f"<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table></section>")


def peer_data(region: Region, info: dict, lang: str) -> dict:
    """The similar regions: intro and explanation texts, display names and key values
    (names and values empty when there are none)."""
    code = region.code
    found = peers.find_peers(region)
    if found.table.empty:
        return {"intro": peers.phrase("none", lang), "text": "", "names": {}, "values": None}
    codes = list(peers.peer_codes(found))
    names = {c: info["name"] if c == code else n for c, n in
             zip(codes, [info["name"], *peers.peer_table(found, lang)["name"]], strict=True)}
    distances = peers.peer_table(found, lang).set_index("region_code")["distance"]
    names = {c: n if c == code else f"{n} ({tr('peers_col_distance', lang).lower()} "
             f"{distances[c]})" for c, n in names.items()}
    chosen = (region, *(regions.stored(c) for c in codes if c != code))
    values = key_values(all_values(chosen))
    intro = tr("report_peers_intro", lang, k=len(found.table), name=info["name"],
               set=tr("peers_set_" + found.comparison, lang))
    return {"intro": intro, "text": peers.explanation_text(found, info["name"], lang),
            "names": names, "values": values}


def peers_html(region: Region, info: dict, lang: str) -> str:
    """The similar regions: why they are similar, and the key figures side by side."""
    data = peer_data(region, info, lang)
    if not data["names"]:
        return (f'<section id="peers"><h2>{esc(tr("report_peers", lang))}</h2>'
                f"<p>{esc(data['intro'])}</p></section>")
    return indicators_html(data["values"], region.code, data["names"], lang, key="peers",
                           intro=data["intro"], figure=f"<p>{esc(data['text'])}</p>")


def map_figure(info: dict, lang: str, fmt: str = "svg") -> bytes | str:
    """The region's gemeenten on a map, as SVG or PNG."""
    members = list(info["members"])
    geo = queries.level_geometry("gemeente")
    alt = tr("report_map_alt", lang, name=info["name"], n=len(members))
    return figures.render(figures.draw_region_map, geo, members, fmt=fmt, label=alt)


def map_html(info: dict, lang: str) -> str:
    """The region's gemeenten on a map, with their names beside it (the text alternative)."""
    members = list(info["members"])
    svg = map_figure(info, lang)
    names = profile.member_table(tuple(members))
    items = ", ".join(esc(n) for n in names["region_name"])
    return (f'<section id="map"><h2>{esc(tr("report_map", lang))}</h2>'
            f'<div class="map-wrap"><figure>{svg}</figure><div>'
            f'<h3>{esc(tr("report_members", lang))} ({len(members)})</h3><p>{items}</p>'
            f"</div></div></section>")


REPORT_WIJK_MEASURES = ("inwoners", "dichtheid", "woningen", "huisarts", "supermarkt",
                        "basisschool", "treinstation")


# A report lists a region's wijken up to this many (a province; Metropoolregio Amsterdam has
# 400); Nederland's 3,393 are the Wijken page's, per gemeente or region.
MAX_REPORT_WIJKEN = 1000


def wijken_figure(region: Region, lang: str, made: str, fmt: str = "svg") -> bytes | str:
    """The region's wijken coloured by population density (2024), as SVG or PNG."""
    parts = wijken.view_parts(tuple(region.members), wijken.DEFAULT_MEASURE, lang)
    spec = wijken.picture_spec(parts, wijken.DEFAULT_MEASURE, region.name, lang, made)
    return figures.render(figures.draw_map, spec, fmt=fmt,
                          label=tr("wijk_title", lang, name=region.name))


def wijken_html(region: Region, lang: str, made: str) -> str:
    """The wijken of the region: the map of densities and a row per wijk with CBS's own
    figures (nothing added up); renamed and vanished 2023 codes on rows of their own."""
    rows = wijken.wijk_rows(tuple(region.members), lang)
    title = esc(tr("report_wijken", lang))
    if rows.empty or wijken.counts(rows)["wijken"] > MAX_REPORT_WIJKEN:
        why = "wijk_none" if rows.empty else "wijk_report_too_many"
        return (f'<section id="wijken"><h2>{title}</h2>'
                f'<p>{esc(tr(why, lang, n=wijken.counts(rows)["wijken"]))}</p></section>')
    shown = [wijken.measure(m) for m in REPORT_WIJK_MEASURES]
    head = "".join(f'<th scope="col">{esc(m.title(lang))} ({m.year})</th>' for m in shown)
    several = len(region.members) > 1
    body = []
    for _, row in rows.iterrows():
        name = esc(row["name"]) + (f' <span class="muted">({esc(row["gemeente_name"])})</span>'
                                   if several else "")
        note = f'<br><span class="muted">{esc(row["note"])}</span>' if row["note"] else ""
        cells = "".join("<td>–</td>" if pd.isna(row[m.id]) else
                        f"<td>{esc(format_value(row[m.id], m.decimals, lang=lang))}</td>"
                        for m in shown)
        body.append(f'<tr><th scope="row" class="text">{name}{note}</th>{cells}</tr>')
    svg = wijken_figure(region, lang, made)
    return (f'<section id="wijken"><h2>{title}</h2>'
            f'<p>{esc(tr("wijk_report_note", lang))}</p><figure>{svg}</figure>'
            f'<table><caption>{title}</caption><thead><tr>'
            f'<th scope="col" class="text">{esc(tr("wijk_col_name", lang))}</th>{head}</tr>'
            f'</thead><tbody>{"".join(body)}</tbody></table></section>')


def trend_panels(values: pd.DataFrame, code: str, names: dict[str, str], lang: str
                 ) -> list[dict]:
    """Per trend indicator: years and the region's and Nederland's values (gaps as NaN)."""
    meta = queries.indicators().set_index("indicator_id")
    panels = []
    for ind in TREND_INDICATORS:
        part = values[(values["indicator_id"] == ind)
                      & values["region_code"].isin([code, "NL01"])]
        if part["value"].notna().sum() == 0:
            continue
        years = list(range(int(part["year"].min()), int(part["year"].max()) + 1))
        series = []
        lines = [(code, charts.QUALITATIVE[0], False)]
        lines += [("NL01", charts.NL_COLOR, True)] if code != "NL01" else []
        for c, colour, dashed in lines:
            own = part[part["region_code"] == c].drop_duplicates("year").set_index("year")
            series.append((names[c], own["value"].reindex(years).astype(float).to_numpy(),
                           colour, dashed))
        panels.append({"id": ind, "title": meta.loc[ind, f"title_{lang}"],
                       "unit": meta.loc[ind, f"unit_{lang}"], "years": years,
                       "series": series, "decimals": int(meta.loc[ind, "decimals"])})
    return panels


def year_head(panel: dict, year: int, lang: str) -> str:
    """A trend table's year as its column head: '2025 (v)' where CBS says Voorlopig."""
    return releases.marked(str(year), panel["id"], year, lang)


def trend_table(panel: dict, lang: str) -> str:
    """One trend panel as a table: years as columns, the region and Nederland as rows."""
    head = "".join(f'<th scope="col">{esc(year_head(panel, y, lang))}</th>'
                   for y in panel["years"])
    rows = "".join(
        f'<tr><th scope="row" class="text">{esc(name)}</th>'
        + "".join(f"<td>{esc(number(v, panel['decimals'], lang))}</td>" for v in values)
        + "</tr>" for name, values, _, _ in panel["series"])
    return (f'<table><caption>{esc(figures.panel_title(panel))}</caption>'
            f'<thead><tr><th scope="col" class="text">{esc(tr("region", lang))}</th>{head}'
            f"</tr></thead><tbody>{rows}</tbody></table>")


def trends_figure(panels: list[dict], name: str, lang: str, fmt: str = "svg") -> bytes | str:
    """The trend panels as small multiples, SVG or PNG."""
    alt = tr("report_trends_alt", lang, name=name, names=", ".join(p["title"] for p in panels))
    texts = {"axis_number": lambda v: number(v, 0 if abs(v) >= 100 else 1, lang)}
    return figures.render(figures.draw_trends, panels, texts, fmt=fmt, label=alt)


def trends_html(values: pd.DataFrame, code: str, names: dict[str, str], lang: str) -> str:
    """A few key indicators over the years: small multiples and their tables."""
    panels = trend_panels(values, code, names, lang)
    intro = tr("report_trends_intro", lang, name=names[code])
    if not panels:
        body = f'<p class="muted">{esc(tr("no_value", lang))}</p>'
    else:
        svg = trends_figure(panels, names[code], lang)
        tables = "".join(trend_table(p, lang) for p in panels) + provisional_html(
            [(p["id"], y) for p in panels for y in p["years"]], lang)
        body = f"<figure>{svg}</figure>{tables}"
    return (f'<section id="trends"><h2>{esc(tr("report_trends", lang))}</h2>'
            f"<p>{esc(intro)}</p>{body}</section>")


def build_line(lang: str, meta: dict) -> str:
    """'Gebouwd <time> (UTC) uit <source>; codeversie <v>.' (no filesystem path)."""
    return tr("report_build", lang, built=str(meta.get("built_at", ""))[:16],
              source=build_source(meta, lang), version=meta.get("code_version", ""))


def sources_html(lang: str, meta: dict) -> str:
    """The CBS tables with StatLine links, the licence and the method in brief."""
    rows = []
    for _, row in source_tables().iterrows():
        url = str(row["statline_url"] or "")
        table = esc(row["table_id"])
        link = (f'<a href="{esc(url)}">{table}</a>' if url.startswith(STATLINE)
                and " " not in url else table)
        rows.append(f'<tr><td class="text">{link}</td><td class="text">{esc(row["title"])}'
                    f'</td><td class="text">{esc(str(row["retrieved_at"])[:10])}</td></tr>')
    method = "".join(f"<li>{esc(tr(f'report_method_{i}', lang))}</li>" for i in range(1, 5))
    build = build_line(lang, meta)
    return (f'<section id="sources"><h2>{esc(tr("report_sources", lang))}</h2>'
            f'<p>{esc(tr("report_licence", lang))}</p>'
            f'<h3>{esc(tr("report_method", lang))}</h3><ul>{method}</ul>'
            f'<table><caption>{esc(tr("report_tables", lang))}</caption><thead><tr>'
            f'<th scope="col" class="text">{esc(tr("report_col_table", lang))}</th>'
            f'<th scope="col" class="text">{esc(tr("report_col_title", lang))}</th>'
            f'<th scope="col" class="text">{esc(tr("report_col_retrieved", lang))}</th>'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<p class="muted">{esc(build)}</p></section>')


# --- the report --------------------------------------------------------------------------------

def report_data(region: Region, lang: str, made: str | None) -> tuple:
    """What every format of the report starts from: the language, the date made, the header
    info, the compared regions, their display names, all their values and the build meta."""
    lang = lang if lang in ("nl", "en") else DEFAULT_LANG
    made = made or dt.date.today().isoformat()
    code = region.code
    info = header_info(region)
    codes = comparison_codes(code)
    chosen = (region, *(regions.stored(c) for c in codes[1:]))
    names = short_names(codes, info["name"])
    names["NL01"] = tr("netherlands", lang) if code != "NL01" else info["name"]
    meta = {**queries.build_meta(), "release_id": db.release_id(),
            "release_link": db.run_link()}
    return lang, made, info, chosen, names, all_values(chosen), meta


def build_report(region: Region, lang: str = DEFAULT_LANG, made: str | None = None) -> str:
    """The whole report of a region (stored or composed)."""
    lang, made, info, chosen, names, values, meta = report_data(region, lang, made)
    code = region.code
    parts = [
        header_html(info, lang, made, meta),
        summary_html(region, lang),
        factors_html(regions.factor_profile(chosen), code, names, lang),
        indicators_html(key_values(values), code, names, lang),
        peers_html(region, info, lang),
        economy_html(region, info, lang),
        map_html(info, lang),
        wijken_html(region, lang, made),
        trends_html(values, code, names, lang),
        sources_html(lang, meta),
    ]
    title = tr("report_title", lang, name=info["name"])
    return ("<!DOCTYPE html>\n"
            f'<html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body><main>"
            + "".join(parts)
            + f'</main><footer>{esc(tr("report_footer", lang, made=made))}</footer>'
            "</body></html>\n")


def report_filename(region: Region, lang: str, made: str | None = None,
                    ext: str = "html") -> str:
    """'regiorapport_zeeland_2026-11-22.html' (or .pdf)."""
    made = made or dt.date.today().isoformat()
    return figures.filename(tr("report_file", lang), region.file_part, made, ext=ext)
