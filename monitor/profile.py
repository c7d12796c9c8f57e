"""A region's figures for profile views: stored regions and composed ones alike."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from monitor import charts, maps, queries, regions, releases
from monitor.i18n import TEXTS, current_lang, gap_reason, t, variant_name
from monitor.memo import memo
from monitor.numbers import NO_VALUE, format_value
from monitor.regions import Region

HEADLINE = ("bevolking", "werkloosheid_pct", "netto_arbeidsparticipatie_pct",
            "banen_per_1000_inwoners", "hbo_wo_pct", "woz_gemiddeld",
            "misdrijven_per_1000_inwoners", "zonnepanelen_kw_per_inwoner")


def region_name(code: str) -> str:
    """Display name of a stored region code."""
    frame = queries.regions()
    row = frame.loc[frame["region_code"] == code, "region_name"]
    return row.iloc[0] if len(row) else code


def display_names(chosen: tuple[Region, ...], reserved: tuple[str, ...] = ()
                  ) -> dict[str, str]:
    """Short display names of regions by code (Nederland by its word in the UI language), the
    long 'name (level)' label where two share a name or one clashes with a `reserved` column;
    a pilot region whose membership is uncertain says so in its name, wherever shown."""
    unsure = low_confidence_codes()
    names = {r.code: t("netherlands") if r.code == "NL01" else charts.short_name(r.name, r.level)
             for r in chosen}
    names = {c: f"{n} ({t('low_confidence_mark')})" if c in unsure else n
             for c, n in names.items()}
    return charts.unique_labels(names, {r.code: label(r) for r in chosen}, reserved=reserved)


@memo
def low_confidence_codes() -> frozenset[str]:
    """Pilot regions (any variant) whose membership list has low confidence."""
    frame = queries.regions("proeftuin")
    return frozenset(c for c, conf in zip(frame["region_code"], frame["confidence"],
                                          strict=True) if confidence_level(conf) == "low")


@memo
def region_labels(lang: str) -> dict[str, str]:
    """'Name (level)' for every stored region, once per language (select boxes format
    hundreds of options on every run); Nederland by its name alone, a pilot region's other
    delineations marked as such."""
    frame = queries.regions()
    unsure = low_confidence_codes()
    mark = {c: f", {TEXTS['low_confidence_mark'][lang]}" if c in unsure else ""
            for c in frame["region_code"]}
    labels = {}
    for code, name, level, default in zip(frame["region_code"], frame["region_name"],
                                          frame["region_level"], frame["is_default_variant"],
                                          strict=True):
        kind = "variant_of_pilot" if level == "proeftuin" and not default else "level_" + level
        labels[code] = TEXTS["netherlands"][lang] if level == "land" else \
            f"{variant_name(name, lang)} ({TEXTS[kind][lang].lower()}{mark[code]})"
    return labels


def label(region: Region) -> str:
    """'Name (level)' of a region, for select boxes."""
    mark = f", {t('low_confidence_mark')}" if region.code in low_confidence_codes() else ""
    return f"{region.name} ({t('level_' + region.level).lower()}{mark})"


def labeller(custom: Region | None = None):
    """A format_func for region select boxes (codes; the composed region's too) that looks
    the labels up once per run."""
    labels = region_labels(current_lang())
    if custom is not None:
        labels = {**labels, custom.code: label(custom)}
    return lambda code: labels.get(code, code)


def region_label(code: str, custom: Region | None = None) -> str:
    """'Name (level)' for a region code, for select boxes."""
    return labeller(custom)(code)


def factor_titles(lang: str | None = None) -> dict[str, str]:
    """Scored factors in order: id -> title in `lang` (default: the current language)."""
    frame = queries.factors()
    frame = frame[frame["scored"]]
    return dict(zip(frame["factor_id"], frame[f"title_{lang or current_lang()}"], strict=True))


def latest(values: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's latest year with a value (or its latest row when there is none)."""
    ranked = values.assign(has=values["value"].notna()).sort_values(["indicator_id", "has",
                                                                      "year"])
    return ranked.groupby("indicator_id").tail(1).drop(columns="has")


def headline_table(region: Region) -> pd.DataFrame:
    """Headline indicators: region and Nederland side by side, latest year (marked '(v)'
    where CBS calls it Voorlopig)."""
    meta = queries.indicators().set_index("indicator_id")
    mine = latest(regions.values((region,))).set_index("indicator_id")
    nl = queries.values_for_regions(("NL01",)).set_index(["indicator_id", "year"])["value"]
    lang = current_lang()
    rows = []
    for ind in HEADLINE:
        if ind not in mine.index:
            continue
        row, m = mine.loc[ind], meta.loc[ind]
        year = int(row["year"])
        rows.append({
            t("indicator"): m[f"title_{lang}"],
            t("year"): releases.marked(str(year), ind, year, lang),
            region.name: format_value(row["value"], int(m["decimals"])),
            t("netherlands"): format_value(nl.get((ind, year)), int(m["decimals"])),
            t("unit"): m[f"unit_{lang}"],
        })
    return pd.DataFrame(rows)


# --- regioprofiel ----------------------------------------------------------------------------
CONFIDENCE_LEVELS = ("low", "medium", "high")
ESTIMATED_MARK = "≈ "
MEMBER_COLOR = "#56B4E9"
CONTEXT_COLOR = "#ececec"


def region_row(code: str) -> pd.Series | None:
    """The region table row of a stored region code."""
    frame = queries.regions()
    row = frame.loc[frame["region_code"] == code]
    return row.iloc[0] if len(row) else None


def confidence_level(confidence: str | None) -> str | None:
    """'low', 'medium' or 'high' from the start of a pilot region's confidence text."""
    first = str(confidence or "").strip().split(" ")[0].strip(";,").lower()
    return first if first in CONFIDENCE_LEVELS else None


def variant_label(row: pd.Series) -> str:
    """A pilot variant's own label: the part of its name after 'pilot name: '."""
    name = str(row["region_name"])
    if row["is_default_variant"] or ": " not in name:
        return t("variant_default")
    return variant_name(name, current_lang()).split(": ", 1)[1]


def pilot_variants(pilot_id: str) -> pd.DataFrame:
    """All variants of a pilot region (default first): region_code, label, confidence."""
    frame = queries.regions("proeftuin")
    frame = frame[frame["pilot_id"] == pilot_id].sort_values(
        ["is_default_variant", "region_code"], ascending=[False, True])
    return frame.assign(label=[variant_label(r) for _, r in frame.iterrows()])


def region_header(region: Region) -> dict:
    """Name, level, member count, population and (pilot regions) description, variant and
    confidence of a region."""
    info = {"name": region.name, "level": region.level, "n_gemeenten": len(region.members),
            "population": region.population}
    if region.level == "proeftuin":
        row = region_row(region.code)
        info.update(pilot_id=row["pilot_id"], description=row["description"],
                    confidence=row["confidence"], variant=variant_label(row),
                    confidence_level=confidence_level(row["confidence"]),
                    is_default=bool(row["is_default_variant"]),
                    base_name=str(row["region_name"]).split(": ", 1)[0])
    return info


def factors_without_data() -> set[str]:
    """Scored factors none of whose indicators has data in this source."""
    meta = queries.indicators()
    meta = meta[meta["factor_scored"]]
    has_data = meta.groupby("factor_id")["data_gap"].apply(lambda s: s.isna().any())
    return set(has_data[~has_data].index)


def factor_gap_reason(region: Region, factor_id: str) -> str:
    """Why a region has no score for a factor: the source has no data for it, or none of its
    scored indicators has a value for the region (which members lack a figure, all named)."""
    if factor_id in factors_without_data():
        return t("factor_no_data")
    meta = queries.indicators()
    ids = meta.loc[(meta["factor_id"] == factor_id) & meta["data_gap"].isna()
                   & (meta["direction"] != "neutral"), "indicator_id"]
    years = queries.latest_years()
    missing: list[str] = []
    for ind in ids:
        if ind in years:
            missing += [m for m in queries.member_gaps(region.members, ind, years[ind])
                        if m not in missing]
    if missing:
        return t("factor_no_score_members", names=maps.missing_phrase(missing, most=None))
    return t("factor_no_score")


def factor_gap_reasons(picked: tuple[Region, ...], factor_ids: list[str],
                       titles: dict[str, str]) -> list[str]:
    """'Regio Zwolle, Digitalisering: geen data in deze bron' for every missing score."""
    scores = regions.factor_profile(picked).dropna(subset=["score"])
    have = set(zip(scores["region_code"], scores["factor_id"], strict=True))
    empty = factors_without_data()
    lines = [f"{titles[f]}: {t('factor_no_data')}" for f in factor_ids if f in empty]
    return lines + [f"{region.name}, {titles[f]}: {factor_gap_reason(region, f)}"
                    for region in picked for f in factor_ids
                    if f not in empty and (region.code, f) not in have]


def wrap_label(text: str, width: int = 18) -> str:
    """A chart label broken into lines of about `width` characters (plotly: <br>)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def chart_factor_titles(mark_empty: bool = True) -> dict[str, str]:
    """factor_titles() for charts, wrapped; a factor without data says so in its own label."""
    empty = factors_without_data() if mark_empty else set()
    return {f: wrap_label(f"{title} ({t('factor_no_data')})" if f in empty else title)
            for f, title in factor_titles().items()}


def factor_chart(kind: str, scores: pd.DataFrame, names: dict[str, str], height: int | None,
                 present: bool = False) -> go.Figure:
    """The factor profile as radar or bars, with room for the factor labels (on a projector
    the radar's labels are larger: figures.readable; wider margins keep them whole)."""
    if kind != "radar":  # the bars say 'no data' in the empty row themselves
        return charts.factor_bars(scores, names, chart_factor_titles(False), height=height)
    fig = charts.radar(scores, names, chart_factor_titles(), height=height)
    side = 230 if present else 110
    fig.update_layout(margin={"l": side, "r": side, "t": 90 if present else 50, "b": 10})
    return fig


def comparison_profile(region: Region, all_pilots: bool = False
                       ) -> tuple[pd.DataFrame, dict[str, str]]:
    """Factor scores of the region, Nederland and (optionally) the other default pilot
    regions; with the display name per region code."""
    codes = [region.code] + (["NL01"] if region.code != "NL01" else [])
    if all_pilots:
        codes += [c for c in queries.default_pilots()["region_code"] if c not in codes]
    chosen = (region, *(regions.stored(c) for c in codes[1:]))
    profile = regions.factor_profile(chosen)
    names = {r.code: r.name for r in chosen}
    names["NL01"] = t("netherlands")
    return profile, names


NO_VALUE_NOTE = {"unreliable": "note_unreliable", "incomplete_sum": "note_incomplete_sum",
                 "other_boundaries": "note_other_boundaries",
                 "other_territory": "note_other_territory"}


def status_note(row: pd.Series | None, meta: pd.Series, region: Region) -> str:
    """Why a value is missing, or how it came about (estimated, converted, published)."""
    if pd.notna(meta["data_gap"]):
        return t("factor_no_data")
    if meta["aggregation"] == "none" and region.added_up:
        return t("note_not_aggregable")
    if row is None:
        return t("note_missing")
    status = row.get("status")
    if status == "low_coverage":
        note = t("note_low_coverage", coverage=float(row.get("coverage") or 0))
        missing = maps.missing_phrase(queries.member_gaps(
            region.members, str(row.get("indicator_id")), int(row.get("year"))), most=None)
        return f"{note}; {missing}" if missing else note
    if status in NO_VALUE_NOTE:
        return t(NO_VALUE_NOTE[status])
    if pd.isna(row.get("value")):
        return t("note_missing")
    notes = []
    if status == "published" or bool(row.get("is_published", False)):
        notes.append(t("note_published"))
    if bool(row.get("is_estimated", False)):
        notes.append(t("note_estimated"))
    if bool(row.get("is_converted", False)):
        notes.append(t("note_converted"))
    notes += fill_notes(region, str(row.get("indicator_id")), int(row.get("year")))
    return "; ".join(notes)


def fill_notes(region: Region, indicator_id: str, year: int) -> list[str]:
    """'Zwolle: cijfer uit CBS 85830ENG' for members whose figure another CBS table gave."""
    by_table: dict[str, list[str]] = {}
    for name, table in queries.member_fills(region.members, indicator_id, year):
        by_table.setdefault(table, []).append(name)
    return [t("note_filled", names=", ".join(names), table=table)
            for table, names in by_table.items()]


def ranks_for(region: Region) -> dict[tuple[str, int], str]:
    """'rank / n' per (indicator, year) among the regions of the level (none for composed
    regions and Nederland)."""
    if not region.ranked:
        return {}
    frame = queries.level_ranks(region.code)
    return {(i, int(y)): f"{int(r)} / {int(n)}"
            for i, y, r, n in zip(frame["indicator_id"], frame["year"], frame["rank"],
                                  frame["n_ranked"], strict=True)}


def indicator_row_texts(ind: str, meta: pd.Series, rows: pd.DataFrame, nl: pd.Series,
                        ranks: dict, region: Region) -> dict:
    """One table row: latest value with unit, Nederland, rank, trend and a status note."""
    lang, decimals = current_lang(), int(meta["decimals"])
    unit = meta[f"unit_{lang}"]
    years = queries.latest_years()
    with_value = rows.dropna(subset=["value"]).sort_values("year")
    last_year = years.get(ind)
    row = with_value.iloc[-1] if len(with_value) else None
    year = int(row["year"]) if row is not None else last_year
    if row is None and len(rows):
        row = rows.sort_values("year").iloc[-1]
        year = int(row["year"])
    value = row["value"] if row is not None else None
    text = format_value(value, decimals, unit)
    if row is not None and pd.notna(value) and bool(row.get("is_estimated", False)):
        text = ESTIMATED_MARK + text
    note = status_note(row, meta, region)
    if pd.notna(value) and last_year and year < last_year:
        note = "; ".join(n for n in (t("note_no_figure_for", year=last_year), note) if n)
    if pd.notna(value) and year and releases.provisional(ind, year):
        note = "; ".join(n for n in (t("note_voorlopig"), note) if n)
    trend = [float(v) for v in with_value["value"]] if len(with_value) > 1 else []
    first = int(with_value["year"].iloc[0]) if len(with_value) else None
    span = "" if first is None else str(first) if first == year else f"{first}–{year}"
    return {
        "factor_id": meta["factor_id"], "indicator_id": ind, "title": meta[f"title_{lang}"],
        "year": str(year) if year else "", "value": value, "value_text": text,
        "nl_text": format_value(nl.get((ind, year)), decimals) if year else "",
        "data_gap": gap_reason(meta, lang),
        "rank_text": ranks.get((ind, year), NO_VALUE) if pd.notna(value) else NO_VALUE,
        "trend": trend, "years": span, "note": note,
    }


def indicator_table(region: Region) -> pd.DataFrame:
    """Every indicator of a region, in factor order: latest value, Nederland, rank among the
    regions of its level, the values over the years, and a status note."""
    return indicator_table_for(region, current_lang())


@memo
def indicator_table_for(region: Region, lang: str) -> pd.DataFrame:
    """indicator_table, once per region and language (the texts depend on it)."""
    meta = queries.indicators().set_index("indicator_id")
    values = regions.values((region,))
    nl = queries.values_for_regions(("NL01",)).set_index(["indicator_id", "year"])["value"]
    ranks = ranks_for(region)
    groups = dict(tuple(values.groupby("indicator_id")))
    empty = values.iloc[0:0]
    rows = [indicator_row_texts(ind, m, groups.get(ind, empty), nl, ranks, region)
            for ind, m in meta.iterrows()]
    return pd.DataFrame(rows)


def member_table(codes: tuple[str, ...]) -> pd.DataFrame:
    """Member gemeenten: code, name and population (as text, Dutch style), by name."""
    frame = queries.regions("gemeente")
    frame = frame[frame["region_code"].isin(codes)].sort_values("region_name")
    return frame[["region_code", "region_name"]].assign(
        population=[format_value(v, 0) for v in frame["population"]])


def member_map(codes: tuple[str, ...], bbox_codes: tuple[str, ...] = (), height: int = 420
               ) -> go.Figure:
    """The member gemeenten on a small offline map, over the provinces for context, zoomed to
    the bounding box of bbox_codes (the region itself; default: the members)."""
    table = member_table(codes)
    fig = go.Figure(maps.anchor_trace())  # first: no world map fetched from a CDN
    provinces = queries.level_geometry("provincie")
    fig.add_trace(go.Choropleth(
        geojson=provinces, locations=[f["id"] for f in provinces["features"]],
        z=[0] * len(provinces["features"]), featureidkey="id", showscale=False,
        colorscale=[[0, CONTEXT_COLOR], [1, CONTEXT_COLOR]], hoverinfo="skip",
        marker={"line": {"width": 1, "color": "#ffffff"}}))
    fig.add_trace(go.Choropleth(
        geojson=queries.geometry(tuple(codes)), locations=table["region_code"],
        z=[1] * len(table), featureidkey="id", showscale=False,
        colorscale=[[0, MEMBER_COLOR], [1, MEMBER_COLOR]],
        marker={"line": {"width": 1, "color": "#1f3b57"}, "opacity": 0.85},
        customdata=table[["region_name"]].to_numpy(),
        hovertemplate="%{customdata[0]}<extra></extra>"))
    bbox = queries.geometry_bbox(tuple(bbox_codes or codes))
    # SVG map (no WebGL, no basemap fetched): the view is the region's box with a margin
    geo = {**maps.geo_layout(), "fitbounds": False}
    if bbox:
        pad_lon = (bbox["max_lon"] - bbox["min_lon"]) * 0.15 + 0.02
        pad_lat = (bbox["max_lat"] - bbox["min_lat"]) * 0.15 + 0.02
        geo["lonaxis"] = {"range": [bbox["min_lon"] - pad_lon, bbox["max_lon"] + pad_lon]}
        geo["lataxis"] = {"range": [bbox["min_lat"] - pad_lat, bbox["max_lat"] + pad_lat]}
    fig.update_layout(geo=geo, margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=height,
                      showlegend=False, dragmode=False)
    return fig


def all_factor_titles() -> dict[str, str]:
    """Every factor in order, context included: id -> title in the current language."""
    frame = queries.factors()
    return dict(zip(frame["factor_id"], frame[f"title_{current_lang()}"], strict=True))


def gemeente_names() -> dict[str, str]:
    """All 2024 gemeenten: code -> CBS name, ordered by name."""
    frame = queries.regions("gemeente").sort_values("region_name")
    return dict(zip(frame["region_code"], frame["region_name"], strict=True))
