"""Wijken: the wijken of a gemeente, pilot region or composed region on a map, with CBS's
figures per wijk (2024 and 2023) and per buurt (2023) in tables."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from monitor import cached, downloads, figures, maps, show, state, widgets, wijken
from monitor.i18n import current_lang, plain_md, t
from monitor.numbers import NO_VALUE, format_value

# A 2023 row (a code renamed or gone in 2024) is greyed, as its wijk is on the map
OLD_ROW_CSS = "color: #6b6b76; background: #f3f3f5;"
BUURTEN_GRID = "buurten_grid"  # session state: the buurt grid asked for on this page

PARAM = "measure"


def measure_picker(lang: str) -> wijken.Measure:
    """The figure on the map; kept in the URL as `measure`."""
    ids = [m.id for m in wijken.MEASURES]
    current = state.choose(PARAM, ids, wijken.DEFAULT_MEASURE)
    choice = st.selectbox(t("wijk_measure"), ids, index=ids.index(current), key="wijk_measure",
                          format_func=lambda i: wijken.measure(i).title(lang) +
                          f" ({wijken.measure(i).year})")
    if choice != current:
        state.write(**{PARAM: choice})
    return wijken.measure(choice)


def build_map(members: tuple[str, ...], measure_id: str, lang: str, present: bool
              ) -> go.Figure:
    """The interactive wijk map of a set of gemeenten (built once per view and shared by
    every session, as the Kaart page's map; only when a person asks for it)."""
    m = wijken.measure(measure_id)
    parts = wijk_parts(members, measure_id, lang)
    fig = maps.choropleth(parts["frame"], parts["geojson"],
                          {"direction": m.direction, "decimals": m.decimals,
                           "unit": m.unit(lang)},
                          outline=parts["outline"], height=None if present else 620,
                          font_size=20 if present else 15, legend_side=present)
    # the map's invisible first point (maps.anchor_trace, which keeps plotly off its CDN)
    # sits in the middle of the Netherlands; inside these wijken instead, the map fits them
    if parts["centre"]:
        fig.data[0].update(lon=[parts["centre"][0]], lat=[parts["centre"][1]])
    return fig


def wijk_picture(parts: dict, m: wijken.Measure, lang: str, view: tuple) -> str:
    """The wijk map as a picture (the PNG download's classes, colours and outlines, without
    its title and footer: the page shows those), once per view for every session."""
    spec = wijken.picture_spec(parts, m.id, "", lang, "", framed=False)
    return show.picture(figures.draw_map, spec, (1100, 760), view=view)


# what the map and table are drawn from, and the plotly map, each shared by every session
wijk_parts = cached.shared(wijken.view_parts)
wijk_map = cached.shared(build_map)
# the buurt rows of a set of gemeenten (a pivot of up to 14,421 buurten), shared likewise
buurt_view = cached.shared(wijken.buurt_rows)


def png_button(parts: dict, m: wijken.Measure, name: str, file_part: str, lang: str) -> None:
    """'Download as PNG' of the wijk map: the same classes and colours, with title, unit,
    source and date in the picture."""
    made = figures.today()
    spec = wijken.picture_spec(parts, m.id, name, lang, made)
    downloads.file_button(t("fig_download_png"), lambda: figures.map_png(spec),
                          figures.filename(t("wijk_file"), file_part, m.id, m.year, made),
                          key=f"png_wijk_{lang}", help_text=t("fig_download_help"))


def shown_rows(rows: pd.DataFrame, several: bool, lang: str, first: str
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The wijk table as shown (text per cell, CBS's precision) and its cell styles: the name,
    the figure on the map beside it (a phone shows the two without scrolling sideways), the
    other figures, the gemeente, what the code means, the code. A 2023 row is grey. Each
    row's key (hidden) is its code and the year of the code."""
    measures = [wijken.measure(first), *[m for m in wijken.MEASURES if m.id != first]]
    shown = {t("wijk_col_name"): rows["name"].fillna(rows["wijk_code"])}
    for m in measures:
        shown[f"{m.title(lang)} ({m.year}, {m.unit(lang)})"] = [
            NO_VALUE if pd.isna(v) else format_value(v, m.decimals) for v in rows[m.id]]
    if several:
        shown[t("wijk_col_gemeente")] = rows["gemeente_name"]
    shown[t("wijk_col_note")] = rows["note"].fillna("")
    shown[t("wijk_col_code")] = rows["wijk_code"]
    frame = pd.DataFrame(shown)
    frame.index = pd.Index(rows["wijk_code"] + "|" + rows["year_kind"], name="wijk")
    old = (rows["year_kind"] == "2023").to_numpy()
    styles = pd.DataFrame([[OLD_ROW_CSS if o else ""] * frame.shape[1] for o in old],
                          index=frame.index, columns=frame.columns)
    return frame, styles


def show_buurten() -> None:
    """Callback: the buurt grid on this page, for this session."""
    st.session_state[BUURTEN_GRID] = True


def buurt_grid(buurten: pd.DataFrame, several: bool, lang: str) -> None:
    """The buurt table as a data grid (virtual scrolling and sorting over up to 14,421
    rows), drawn only on request: the first paint does not wait for the grid."""
    shown = buurten.head(wijken.MAX_BUURT_ROWS_SHOWN)
    if len(shown) < len(buurten):
        st.caption(t("wijk_buurten_more", shown=len(shown), n=len(buurten)))
    config = {
        "buurt_code": st.column_config.TextColumn(t("wijk_col_buurt"), pinned=True, width=110),
        "wijk_name_2023": st.column_config.TextColumn(t("wijk_col_wijk_2023"), width=170),
        "gemeente_name": st.column_config.TextColumn(t("wijk_col_gemeente"), width=120),
        **{m.id: st.column_config.NumberColumn(f"{m.title(lang)} ({m.year})", format="%.1f",
                                               help=f"{m.unit(lang)} · CBS {m.table}",
                                               width=110)
           for m in wijken.DISTANCES},
    }
    st.dataframe(shown, hide_index=True, width="stretch", height=380,
                 column_order=["buurt_code", "wijk_name_2023",
                               *([] if not several else ["gemeente_name"]),
                               *[m.id for m in wijken.DISTANCES]],
                 column_config=config)


present = bool(st.session_state.get("present"))
lang = current_lang()
controls = st.popover(t("present_controls"), icon=":material/tune:",
                      key="present_controls") if present else st.container()
with controls:
    pick_region, pick_measure = (st.container(), st.container()) if present else \
        st.columns([3, 2], gap="large")
    with pick_region:
        region = widgets.region_picker()
    with pick_measure:
        chosen = measure_picker(lang)

members = tuple(region.members)
several = len(members) > 1
if present:  # one line of title and one of what is shown: the map gets the rest of the screen
    st.markdown(f"# {t('wijk_title', name=plain_md(region.name))}")
    st.caption(f"{chosen.title(lang)} ({chosen.year}) · {chosen.unit(lang)} · "
               f"{t('map_source', table=chosen.table)}")
else:
    st.title(t("wijk_title", name=plain_md(region.name)))
    st.caption(t("wijk_intro"))
notes = st.container()  # on a projector: under the map

view = (members, chosen.id, lang)
parts = wijk_parts(*view)
rows = parts["rows"]
if rows.empty:
    st.info(t("wijk_none"))
    st.stop()
with st.container(key="present_map" if present else "wijk_map_box"):
    # first the picture (nothing to wait for; crisp on a projector), the interactive map
    # (hover values, zoom) on request, kept for the session (monitor.show)
    show.chart("wijk_map", lambda: wijk_map(*view, present),
               lambda: wijk_picture(parts, chosen, lang, view),
               alt=t("wijk_title", name=plain_md(region.name)),
               live_label=t("wijk_show_live_map"), plot_key=f"wijk_map_{chosen.id}",
               width="stretch", height="stretch" if present else "content",
               config={"displayModeBar": False, "scrollZoom": True})
n = wijken.counts(rows)
changed = n["renamed"] + n["absent"] + n["new"]
with notes if not present else st.container():
    st.caption(" ".join((t("wijk_counts", gemeenten=len(members), wijken=n["wijken"])
                         if several else t("wijk_counts_one", wijken=n["wijken"]),
                         t("wijk_codes_changed", **n) if changed else t("wijk_codes_same"))))
    if chosen.table == wijken.NABIJHEID:
        st.caption(t("wijk_map_2023_note"))
png_button(parts, chosen, region.name, region.file_part, lang)

st.subheader(t("wijk_table_title"))
st.caption(t("wijk_table_note"))
shown, styles = shown_rows(rows, several, lang, chosen.id)
show.table(shown, key="wijk_table", sortable=True, height=420, styles=styles,
           alt=t("wijk_table_title"))
downloads.table_buttons(wijken.export_frame(rows, lang), (),
                        (t("wijk_file"), region.file_part), key="wijk_table")

buurten = buurt_view(members)
st.subheader(t("wijk_buurten_title"))
st.caption(t("wijk_buurten_note", n=format_value(len(buurten), 0)))
if st.session_state.get(BUURTEN_GRID):
    buurt_grid(buurten, several, lang)
else:
    st.button(t("wijk_buurten_show", n=format_value(len(buurten), 0)), key="buurten_show",
              on_click=show_buurten,
              type="secondary", icon=":material/table_view:")
downloads.table_buttons(wijken.buurt_export_frame(buurten, lang), (),
                        (t("wijk_file_buurten"), region.file_part), key="buurt_table")
