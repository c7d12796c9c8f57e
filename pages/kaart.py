"""Kaart: one indicator and year on a map of gemeenten or regions, with the numbers beneath."""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from monitor import (
    cached,
    downloads,
    export,
    figures,
    maps,
    numbers,
    queries,
    releases,
    show,
    state,
    widgets,
)
from monitor.i18n import col, current_lang, gap_reason, t

NONE = "none"
CBS_LINK = "https://opendata.cbs.nl/"
KEPT_PARAMS = ("lang", "present")


def highlight_picker(pilots: pd.DataFrame) -> str:
    """A pilot region to highlight, or 'none'; kept in the URL as `highlight`."""
    names = dict(zip(pilots["region_code"], pilots["region_name"], strict=True))
    options = [NONE, *names]
    current = state.choose("highlight", options, NONE)
    choice = st.selectbox(t("map_highlight"), options, index=options.index(current),
                          key="map_highlight",
                          format_func=lambda c: names.get(c, t("map_highlight_none")))
    if choice != current:
        state.write(highlight=None if choice == NONE else choice)
    return choice


def open_profile(code: str) -> None:
    """Open a region's profile, keeping language and presentation mode."""
    params = state.params(KEPT_PARAMS)
    st.switch_page("pages/regioprofiel.py", query_params={**params, "region": code})


def clicked_region(event) -> str | None:
    """The region code of a clicked map area, if it is a known region."""
    points = (event or {}).get("selection", {}).get("points", [])
    for point in points:
        code = point.get("location")
        if isinstance(code, str) and code in queries.region_codes():
            return code
    return None


def pilot_of(code: str | None, pilot_codes: tuple[str, ...]) -> str | None:
    """The pilot region a clicked area is, or lies in (None: in none of them)."""
    if code in pilot_codes:
        return code
    return next((p for p in pilot_codes if code and code in queries.members(p)), None)


def highlight_clicked(chart_key: str, pilot_codes: tuple[str, ...]) -> None:
    """on_select callback in presentation mode: a click highlights the pilot region it hits.

    It runs before the rerun, so the highlight picker's own state can follow the click; set
    after the picker is drawn, the picker would put its old value back and the two would
    overwrite each other on every rerun (a loop)."""
    pilot = pilot_of(clicked_region(st.session_state.get(chart_key)), pilot_codes)
    if pilot:
        st.session_state["map_highlight"] = pilot
        state.write(highlight=pilot)


def escape_md(text: str) -> str:
    """Registry text made safe for markdown (no LaTeX or emphasis by accident)."""
    for ch in "\\$*_`[]<>":
        text = text.replace(ch, "\\" + ch)
    return text


def source_caption(row: pd.Series, definition: bool = True) -> str:
    """Definition (optional) and 'Bron: CBS, tabel X' linked to StatLine."""
    source = t("map_source", table=row["source_table"])
    url = str(row["statline_url"] or "")
    link = f"[{source}]({url})" if url.startswith(CBS_LINK) and " " not in url else source
    return f"{escape_md(col(row, 'definition'))} {link}" if definition else link


def members_text(code: str, name: str) -> str:
    """'Name (n gemeenten): a, b, c' for a highlighted pilot region."""
    gemeenten = queries.regions("gemeente").set_index("region_code")["region_name"]
    names = sorted(gemeenten.get(c, c) for c in queries.members(code))
    return t("map_members", name=escape_md(name), n=len(names),
             members=escape_md(", ".join(names)))


def highlight_value(code: str, indicator: str, year: int, meta: pd.Series, unit: str) -> str:
    """The highlighted pilot region's own value and rank among the pilot regions."""
    frame = queries.values_by_level(indicator, year, "proeftuin")
    row = frame.set_index("region_code").loc[code]
    if pd.isna(row["value"]):
        return maps.status_text(row, meta["aggregation"] != "none")
    return t("map_highlight_value", value=numbers.format_value(row["value"], int(meta["decimals"]),
                                                              unit),
             rank=int(row["rank"]), n=int(row["n_ranked"]))


def highlight_line(code: str, name: str, indicator: str, year: int, meta: pd.Series,
                   unit: str) -> str:
    """The highlighted pilot region's value as one large line under a projector's title
    ('Zeeland: 2,9% · rang 1 van 10 proeftuinen'), or why it has none."""
    frame = queries.values_by_level(indicator, year, "proeftuin")
    row = frame.set_index("region_code").loc[code]
    if pd.isna(row["value"]):
        return t("map_present_no_value", name=escape_md(name),
                 reason=escape_md(maps.status_text(row, meta["aggregation"] != "none")))
    # the unit stands in the caption just above: here only '%' (a short line, large)
    return t("map_present_value", name=escape_md(name),
             value=numbers.format_value(row["value"], int(meta["decimals"]),
                                        "%" if unit.startswith("%") else ""),
             rank=int(row["rank"]), n=int(row["n_ranked"]))


def present_values(table: pd.DataFrame, meta: pd.Series, highlight: str | None,
                   level: str, year: int) -> None:
    """On a projector, the values beside the map: region and value, the highlighted pilot
    region (or its gemeenten) first and marked, then the others by rank (missing last); a
    provisional value marked '(v)' (the line under the title says what that means)."""
    members = set(queries.members(highlight)) if highlight and level == "gemeente" else set()
    marked = table["region_code"].eq(highlight) | table["region_code"].isin(members)
    ordered = pd.concat([table[marked], table[~marked]])
    shown = pd.DataFrame({
        t("region"): ordered["region_name"].to_numpy(),
        t("value"): marked_values(ordered["value"], meta, year)})
    styles = pd.DataFrame({c: ["font-weight: 700; background: #fff3c4" if m else ""
                               for m in marked.loc[ordered.index]] for c in shown.columns})
    with st.container(key="present_values"):
        show.table(shown, key="map_present_values", height=440, styles=styles,
                   alt=t("map_table_title"))


def profile_picker(frame: pd.DataFrame) -> str | None:
    """Fallback for clicking: choose a region of this map to open its profile."""
    names = dict(zip(frame["region_code"], frame["region_name"], strict=True))
    return st.selectbox(t("map_open_profile"), list(names), index=None, key="map_open",
                        placeholder=t("map_open_placeholder"), format_func=names.get)


def digital_gap_note() -> None:
    """Say that Digitalisering has no data in this source, with the registry's reasons."""
    gaps = queries.indicators()
    gaps = gaps[gaps["data_gap"].notna() & (gaps["factor_id"] == "digitalisering")]
    if gaps.empty:
        return
    reasons = "\n".join(f"- {escape_md(col(row, 'title'))}: {escape_md(gap_reason(row))}"
                        for _, row in gaps.iterrows())
    st.info(f"{t('map_digital_gap')}\n\n{reasons}", icon="ℹ️")


def marked_values(values: pd.Series, meta: pd.Series, year: int) -> list[str]:
    """Values as the tables show them, each with '(v)' where CBS marks the figure
    Voorlopig (one indicator and year: all of them or none)."""
    decimals, lang = int(meta["decimals"]), current_lang()
    return [numbers.format_value(v, decimals) if pd.isna(v) else
            releases.marked(numbers.format_value(v, decimals), meta["indicator_id"], year, lang)
            for v in values]


def show_table(table: pd.DataFrame, meta: pd.Series, unit: str, year: int) -> None:
    """The map's numbers as a plain table, sortable by its headers (monitor.show: no data
    grid to wait for), in a scroll box; values at their published precision."""
    rank_label = t("map_col_rank_neutral" if meta["direction"] == "neutral" else "map_col_rank")
    shown = pd.DataFrame({
        t("region"): table["region_name"],
        t("value"): marked_values(table["value"], meta, year),
        rank_label: ["" if pd.isna(r) else str(int(r)) for r in table["rank"]],
        t("coverage"): [numbers.NO_VALUE if pd.isna(c) else f"{c:.0%}"
                        for c in table["coverage"]],
        t("estimated").capitalize(): ["✓" if e else "" for e in table["is_estimated"]],
        t("map_col_note"): table["note"].fillna(""),
    })
    # the unit above the table, not in the value column's header: a long header made that
    # column so wide that a phone (390 px) showed the names without their values
    st.caption(t("trends_table_unit", unit=unit))
    show.table(shown, key="map_table", sortable=True, height=420, alt=t("map_table_title"))
    if releases.provisional(meta["indicator_id"], year):
        st.caption(releases.legend(current_lang()))


def view_parts(indicator: str, year: int, level: str, highlight: str | None) -> dict:
    """What one map view is drawn from: the values, the level's shapes, the pilot outlines
    (one highlighted), the provinces as context and the names on the pilot-level map."""
    frame = queries.values_by_level(indicator, year, level)
    pilots = queries.default_pilots()
    codes = tuple(pilots["region_code"])
    outline = {"geojson": queries.geometry(codes), "codes": list(codes),
               "names": list(pilots["region_name"]), "label": t("map_pilots_outlined"),
               "highlight": highlight}
    geojson = queries.level_geometry(level)
    # On the pilot-level map the areas are named on the map (and in its PNG).
    labels = maps.region_labels(geojson, dict(zip(codes, pilots["region_name"], strict=True))) \
        if level == "proeftuin" else None
    return {"frame": frame, "geojson": geojson, "outline": outline, "labels": labels,
            "background": queries.level_geometry("provincie") if level == "proeftuin" else None}


def build_view(indicator: str, year: int, level: str, highlight: str | None, lang: str
               ) -> tuple[pd.DataFrame, dict]:
    """The table and what the map is drawn from (view_parts) of one view (lang keys the
    cache: the texts follow the session's language), shared by every session."""
    meta = queries.indicator_row(indicator)
    parts = view_parts(indicator, year, level, highlight)
    return maps.value_table(parts["frame"], meta["aggregation"] != "none"), parts


# Levels with few enough regions to write every value on the map in presentation mode (12
# provinces, 10 pilot regions): on a 1024x768 projector the map is ~350 px wide, where 35
# labour-market regions, 40 COROP areas or 342 gemeenten would hide each other and the map;
# their values stand in the table beside it.
VALUE_LEVELS = {"provincie": 20, "proeftuin": 16}  # level: label size in the picture (pt)


def present_labels(parts: dict, meta: pd.Series, level: str, present: bool) -> list | None:
    """The labels on the map: in presentation mode at a coarse level every region's value
    (under the pilot region's name; alone on a province), else the names the view has."""
    if not (present and level in VALUE_LEVELS):
        return parts["labels"]
    return maps.value_labels(parts["frame"], parts["geojson"], int(meta["decimals"]),
                             named=level == "proeftuin")


def build_map(indicator: str, year: int, level: str, highlight: str | None, lang: str,
              present: bool) -> go.Figure:
    """The interactive map of one view (classes, hover texts, a trace per class: most of a
    Kaart run when it was drawn on every load), built once and shared by every session."""
    meta = queries.indicator_row(indicator)
    _, parts = map_view(indicator, year, level, highlight, lang)
    return maps.choropleth(parts["frame"], parts["geojson"],
                           {"direction": meta["direction"], "decimals": meta["decimals"],
                            "unit": col(meta, "unit")},
                           outline=parts["outline"], height=None if present else 640,
                           font_size=20 if present else 15, background=parts["background"],
                           labels=present_labels(parts, meta, level, present),
                           legend_side=present,
                           # names and values of ten pilot regions: smaller, or they overlap
                           label_size=15 if present and level == "proeftuin" else None)


def map_picture(meta: pd.Series, parts: dict, view: tuple) -> str:
    """The same map as a picture (the PNG download's classes, colours, outlines and names,
    without its title and footer: the page shows those), once per view for every session."""
    unit = col(meta, "unit")
    hint = t("map_dark_high") if meta["direction"] == "neutral" else t("map_dark_best")
    spec = figures.map_spec(parts["frame"], parts["geojson"],
                            {"direction": meta["direction"], "decimals": meta["decimals"],
                             "unit": unit}, title="", subtitle="",
                            legend_title=f"{unit}\n{hint}", footer_text="",
                            no_value=t("no_value"), outline=parts["outline"],
                            background=parts["background"],
                            names=present_labels(parts, meta, view[2], view[-1]),
                            name_size=VALUE_LEVELS.get(view[2], 15) if view[-1] else 15)
    spec["fill_height"] = view[-1]  # on a projector the map as high as the picture
    return show.picture(figures.draw_map, spec, (1100, 760), view=view)


map_view = cached.shared(build_view)
map_figure = cached.shared(build_map)


present = bool(st.session_state.get("present"))
head = st.container()
# On a projector the map fills the screen under the title; the controls wait in a popover
# pinned top right (app.PRESENT_CSS), the side notes go under the map.
if present:
    controls = st.popover(t("present_controls"), icon=":material/tune:", key="present_controls")
    map_area = st.container()
else:
    controls, map_area = st.container(), st.container()
with controls:
    pick_indicator, pick_year = st.columns([3, 2], gap="large") if not present else (
        st.container(), st.container())
    with pick_indicator:
        indicator = widgets.indicator_picker()
    with pick_year:
        year = widgets.year_picker(indicator)
    # the level control gets the room its five options need on one line (about 540-570 px,
    # 1366 px wide); where the row is narrower, the highlight picker goes under it ('wrapside_')
    # and the options themselves wrap (app.A11Y_CSS) instead of being cut
    pick_level, pick_highlight = st.container(key="wrapside_level").columns(
        [7, 3], gap="large") if not present else (st.container(), st.container())
    with pick_level:
        level = widgets.level_picker()
    pilots = queries.default_pilots()
    with pick_highlight:
        highlight = highlight_picker(pilots)

meta = queries.indicator_row(indicator)
unit = col(meta, "unit")
with head:
    if present:  # one line of title, then unit and source: the map gets the rest of the screen
        st.markdown(f"# {escape_md(t('map_title', title=col(meta, 'title'), year=year))}")
        st.caption(f"{escape_md(unit)} · {source_caption(meta, definition=False)}")
    else:
        st.title(t("map_title", title=col(meta, "title"), year=year)
                 + f" :gray[· {escape_md(unit)}]")
        st.caption(source_caption(meta, definition=True))
    if present and highlight != NONE:  # the value the room asks for, on the first screen
        with st.container(key="present_highlight"):
            st.markdown(highlight_line(highlight, pilots.set_index("region_code").loc[
                highlight, "region_name"], indicator, year, meta, unit))
    widgets.provisional_note(indicator, year, col(meta, "title"))
if present:
    with controls:
        st.caption(escape_md(col(meta, "definition")))

pilot_codes = tuple(pilots["region_code"])
# The figure, the table and what they are drawn from come from one cache shared by all
# sessions (nothing here changes them): no second query or geometry copy on each run.
view = (indicator, year, level, None if highlight == NONE else highlight, current_lang())
table, parts = map_view(*view)
frame = parts["frame"]
hint = t("fig_hint_high") if meta["direction"] == "neutral" else t("fig_hint_best")
alt = t("fig_alt_map", level=t("level_" + level).lower(), title=col(meta, "title"), year=year,
        hint=hint)

with map_area:
    # beside the sidebar at 1024 px the side column would be ~140 px: it goes under the map;
    # on a projector (no sidebar) the values stand beside the map, the notes under it
    if present:
        map_col, values_col = st.columns([2, 1], gap="medium")
        side_col = st.container()
    else:
        map_col, side_col = st.container(key="wrapside_map").columns([3, 1], gap="medium")
with map_col, st.container(key="present_map" if present else "map_box"):
    # on a projector the map fills the screen under the title (app.PRESENT_CSS sizes the box)
    chart_key = f"map_{indicator}_{year}_{level}"
    on_select = (partial(highlight_clicked, chart_key, pilot_codes) if present else "rerun")
    # first the picture (nothing to wait for; on a projector it stays crisp), the
    # interactive map (hover values, clicks) on request, kept for the session (monitor.show)
    event = show.chart("kaart_map", lambda: map_figure(*view, present),
                       lambda: map_picture(meta, parts, (*view, present)),
                       alt=alt, live_label=t("show_live_map"), plot_key=chart_key,
                       width="stretch",
                       height="stretch" if present else "content", on_select=on_select,
                       selection_mode="points", config={"displayModeBar": False,
                                                        "scrollZoom": True})
if present:
    with values_col:
        present_values(table, meta, None if highlight == NONE else highlight, level, year)
with map_col:
    downloads.map_button(frame, parts["geojson"], meta, level=level, year=year,
                         outline=parts["outline"], background=parts["background"],
                         labels=parts["labels"])
with side_col:
    # In front of a room a click highlights a pilot region (highlight_clicked) and never
    # leaves the map; the profile opens only when chosen in the list.
    if not present and show.is_live("kaart_map"):
        st.caption(t("map_click_hint"))
    chosen = (None if present else clicked_region(event)) or profile_picker(frame)
    if chosen:
        open_profile(chosen)
    n_missing = int(frame["value"].isna().sum())
    if len(frame) and n_missing == len(frame):
        notes = set(table["note"])  # one reason for all regions: say it
        reason = notes.pop() if len(notes) == 1 else ""
        st.info(f"{t('map_no_values', year=year)} {reason}")
    elif n_missing:
        st.caption(t("map_n_missing", n=n_missing, total=len(frame)))
    if highlight != NONE:
        name = pilots.set_index("region_code").loc[highlight, "region_name"]
        st.markdown(members_text(highlight, name))
        if not present:  # on a projector it stands under the title
            st.markdown(escape_md(highlight_value(highlight, indicator, year, meta, unit)))

st.subheader(t("map_table_title"))
show_table(table, meta, unit, year)
table_numbers = export.map_frame(table, frame, indicator, year, level)
downloads.table_buttons(table_numbers, [indicator], ("kaart", indicator, level, year), key="map")
digital_gap_note()
