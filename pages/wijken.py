"""Wijken: the wijken of a gemeente, pilot region or composed region on a map, with CBS's
figures per wijk (2024 and 2023) and per buurt (2023) in tables."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from monitor import cached, downloads, figures, maps, state, widgets, wijken
from monitor.i18n import current_lang, plain_md, t
from monitor.numbers import format_value

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


def build_view(members: tuple[str, ...], measure_id: str, lang: str, present: bool
               ) -> tuple[go.Figure, dict]:
    """The wijk map of a set of gemeenten and what it is drawn from (built once per view and
    shared by every session, as the Kaart page's map)."""
    m = wijken.measure(measure_id)
    parts = wijken.view_parts(members, measure_id, lang)
    fig = maps.choropleth(parts["frame"], parts["geojson"],
                          {"direction": m.direction, "decimals": m.decimals,
                           "unit": m.unit(lang)},
                          outline=parts["outline"], height=None if present else 620,
                          font_size=20 if present else 15, legend_side=present)
    # the map's invisible first point (maps.anchor_trace, which keeps plotly off its CDN)
    # sits in the middle of the Netherlands; inside these wijken instead, the map fits them
    if parts["centre"]:
        fig.data[0].update(lon=[parts["centre"][0]], lat=[parts["centre"][1]])
    return fig, parts


wijk_view = cached.shared(build_view)
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


def table_config(several: bool, lang: str, first: str) -> tuple[list[str], dict]:
    """Column order and headers of the wijk table: the name pinned, the figure on the map
    beside it (a phone shows the two without scrolling sideways), then the others."""
    config = {
        "name": st.column_config.TextColumn(t("wijk_col_name"), pinned=True, width=160),
        "wijk_code": st.column_config.TextColumn(t("wijk_col_code"), width=85),
        "gemeente_name": st.column_config.TextColumn(t("wijk_col_gemeente"), width=120),
        "note": st.column_config.TextColumn(t("wijk_col_note"), width="large"),
    }
    for m in wijken.MEASURES:
        fmt = "localized" if m.decimals == 0 else "%.1f"
        config[m.id] = st.column_config.NumberColumn(
            f"{m.title(lang)} ({m.year})", help=f"{m.unit(lang)} · CBS {m.table}",
            format=fmt, width=110)
    order = ["name", first, *[m.id for m in wijken.MEASURES if m.id != first],
             *([] if not several else ["gemeente_name"]), "note", "wijk_code"]
    return order, config


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

fig, parts = wijk_view(members, chosen.id, lang, present)
rows = parts["rows"]
if rows.empty:
    st.info(t("wijk_none"))
    st.stop()
with st.container(key="present_map" if present else "wijk_map_box"):
    st.plotly_chart(fig, width="stretch", height="stretch" if present else "content",
                    key=f"wijk_map_{chosen.id}",
                    config={"displayModeBar": False, "scrollZoom": True},
                    alt=t("wijk_title", name=plain_md(region.name)))
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
order, config = table_config(several, lang, chosen.id)
st.dataframe(rows, hide_index=True, width="stretch", height=420, column_order=order,
             column_config=config)
downloads.table_buttons(wijken.export_frame(rows, lang), (),
                        (t("wijk_file"), region.file_part), key="wijk_table")

buurten = buurt_view(members)
st.subheader(t("wijk_buurten_title"))
st.caption(t("wijk_buurten_note", n=format_value(len(buurten), 0)))
shown = buurten.head(wijken.MAX_BUURT_ROWS_SHOWN)
if len(shown) < len(buurten):
    st.caption(t("wijk_buurten_more", shown=len(shown), n=len(buurten)))
buurt_config = {
    "buurt_code": st.column_config.TextColumn(t("wijk_col_buurt"), pinned=True, width=110),
    "wijk_name_2023": st.column_config.TextColumn(t("wijk_col_wijk_2023"), width=170),
    "gemeente_name": st.column_config.TextColumn(t("wijk_col_gemeente"), width=120),
    **{m.id: st.column_config.NumberColumn(f"{m.title(lang)} ({m.year})", format="%.1f",
                                           help=f"{m.unit(lang)} · CBS {m.table}", width=110)
       for m in wijken.DISTANCES},
}
st.dataframe(shown, hide_index=True, width="stretch", height=380,
             column_order=["buurt_code", "wijk_name_2023",
                           *([] if not several else ["gemeente_name"]),
                           *[m.id for m in wijken.DISTANCES]],
             column_config=buurt_config)
downloads.table_buttons(wijken.buurt_export_frame(buurten, lang), (),
                        (t("wijk_file_buurten"), region.file_part), key="buurt_table")
