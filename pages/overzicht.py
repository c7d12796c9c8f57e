"""Overzicht: what the tool is, a region's headline figures beside Nederland, its factor profile."""

from __future__ import annotations

import streamlit as st

from monitor import (
    charts,
    downloads,
    export,
    figures,
    queries,
    regions,
    releases,
    show,
    state,
    widgets,
)
from monitor.i18n import current_lang, plain_md, t
from monitor.numbers import number, number_format
from monitor.profile import chart_factor_titles, factor_titles, headline_table
from monitor.provenance import build_source


def score_table(scores, names: dict[str, str]):
    """The chart's factor scores as a table (its text alternative): a factor per row."""
    titles = factor_titles()
    wide = scores.pivot_table(index="factor_id", columns="region_code", values="score")
    wide = wide.reindex(index=list(titles), columns=list(names))
    lang = current_lang()
    text = wide.map(lambda v: number(v, 1, lang))
    return text.rename(columns=names).rename_axis(None, axis=1).reset_index().assign(
        factor_id=lambda f: f["factor_id"].map(titles)).rename(columns={"factor_id": t("factor")})


# What a first visitor can do here, each one click away: (page file, title key, text key, icon).
START = (
    ("kaart", "page_map", "home_do_map", "map"),
    ("vergelijken", "page_compare", "home_do_compare", "compare_arrows"),
    ("regioprofiel", "page_profile", "home_do_profile", "analytics"),
    ("wijken", "page_wijken", "home_do_wijken", "holiday_village"),
    ("eigen_regio", "page_compose", "home_do_compose", "edit_location_alt"),
    ("export", "page_export", "home_do_export", "download"),
)


def start_links() -> None:
    """'What you can do here': a card per task, each linking to its page (keeping language)."""
    st.markdown(f"**{t('home_do_title')}**")
    keep = state.params(("lang",))
    # cards of a fixed width that wrap onto a next row: five fixed columns beside the sidebar
    # at 1024 px were ~100 px wide and cut the page names ('Kaar', 'Verg')
    row = st.container(horizontal=True, gap="small")
    for stem, title, text, icon in START:
        with row, st.container(border=True, width=176):
            st.page_link(f"pages/{stem}.py", label=t(title), icon=f":material/{icon}:",
                         query_params=keep)
            st.caption(t(text))


present = bool(st.session_state.get("present"))
st.title(t("app_title"))
if not present:
    st.markdown(t("app_tagline"))
    start_links()

# On a projector: the controls in a popover pinned top right, the chart full width first.
with st.popover(t("present_controls"), icon=":material/tune:", key="present_controls") \
        if present else st.container():
    region = widgets.region_picker()
    downloads.report_button(region)
name = region.name

if present:
    right, left = st.container(), st.container()
else:
    left, right = st.container(key="wrap_overview").columns([3, 2], gap="medium")
with left:
    st.subheader(t("overview_headlines", name=plain_md(name)))
    table = headline_table(region)
    # a plain HTML table (monitor.show): full indicator names and units wrap instead of being
    # cut off; not st.table, which loads the Arrow decoder and draws a React element per cell
    show.table(table.astype({t("year"): str}).set_index(t("indicator")), key="overview_headlines",
               hide_index=False, alt=t("overview_headlines", name=name))
    if len(table) and table[t("year")].str.contains(releases.mark(current_lang()),
                                                    regex=False).any():
        st.caption(releases.legend(current_lang()))
    table_numbers = export.headline_frame(region)
    downloads.table_buttons(table_numbers, table_numbers["indicator_id"],
                            ("kerncijfers", region.code),
                            key="overview")
with right:
    # on a projector the heading names the region: the legend may lie below the screen's edge
    st.subheader(t("fig_profile_title", name=plain_md(name)) if present else t("overview_profile"))
    profile = regions.factor_profile((region, regions.stored("NL01")))
    names = {region.code: name, "NL01": t("netherlands")}
    if profile.empty:
        st.info(t("no_value"))
    else:
        titles = chart_factor_titles(False)  # wrapped: the bars keep their room
        texts = {"title": "", "axis": t("score"), "no_data": t("no_data_in_source"),
                 "number": number_format(1, current_lang()), "footer": ""}
        # first a picture (no plotly.js to wait for), interactive on request (monitor.show)
        show.chart("overview_profile",
                   lambda: figures.readable(charts.factor_bars(
                       profile, names, titles, height=640 if present else 420), present),
                   lambda: show.picture(figures.draw_factor_bars, profile, names, titles, texts,
                                        size=(720, 640)),
                   alt=t("fig_alt_profile", name=name), width="stretch", theme=None,
                   config={"displayModeBar": False})
        downloads.profile_button(profile, names, titles, region)
        st.caption(t("overview_profile_note"))
        with st.expander(t("overview_scores_table"), icon=":material/table:"):
            show.table(score_table(profile, names), key="overview_scores",
                       alt=t("overview_scores_table"))

meta = queries.build_meta()
st.caption(t("overview_built", built=str(meta.get("built_at", ""))[:16],
             source=build_source(meta, current_lang())))
