"""Regioprofiel: one region's key facts, factor profile, every indicator and its gemeenten."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor import (
    downloads,
    economy,
    export,
    figures,
    narrative,
    peers,
    profile,
    queries,
    regions,
    show,
    state,
    widgets,
)
from monitor.i18n import current_lang, pilot_about, plain_md, t
from monitor.numbers import format_value, number_format

present = bool(st.session_state.get("present"))
# On a projector the picker waits in the popover pinned top right (app.PRESENT_CSS).
controls = st.popover(t("present_controls"), icon=":material/tune:",
                      key="present_controls") if present else None
with controls or st.columns([3, 2])[0]:
    region = widgets.region_picker()
info = profile.region_header(region)
members = region.members

# --- header -----------------------------------------------------------------------------------
st.title(plain_md(info["name"]))
if present:  # one line of facts; the factor chart comes first, the details after it
    st.caption(" · ".join((t("level_" + info["level"]),
                           f"{info['n_gemeenten']} {t('profile_members').lower()}",
                           f"{format_value(info['population'], 0)} "
                           f"{t('profile_population').lower()}")))
    # the story and the factor chart side by side: both on the first screen of a beamer
    story_area, factors_area = st.container(key="wrap_present_story").columns(
        [5, 6], gap="large")
    details = st.container()
else:
    level_col, members_col, population_col = st.columns(3)
    level_col.metric(t("profile_level"), t("level_" + info["level"]))
    members_col.metric(t("profile_members"), info["n_gemeenten"])
    population_col.metric(t("profile_population"), format_value(info["population"], 0))
    details, factors_area = st.container(), st.container()
    story_area = details

with details:
    if info["level"] == "proeftuin":
        st.markdown(f"**{t('profile_variant')}:** {info['variant']}")
        level = info["confidence_level"]
        st.markdown(t("profile_confidence", level=t(f"confidence_{level}") if level else "?"))
        if str(info["confidence"]).strip().lower() != level:
            st.caption(info["confidence"])
        if level == "low":
            st.warning(t("profile_confidence_low"), icon=":material/warning:")
        with st.expander(t("profile_description")):
            st.text(pilot_about(info["pilot_id"], current_lang()) or info["description"])
        others = profile.pilot_variants(info["pilot_id"])
        others = others[others["region_code"] != region.code]
        if len(others):
            st.caption(t("profile_variants"))
            params = state.params()
            for code, label in zip(others["region_code"], others["label"], strict=True):
                st.page_link("pages/regioprofiel.py", label=label, icon=":material/alt_route:",
                             query_params={**params, "region": code})
    elif region.editable:
        st.caption(t("profile_custom_caption"))
        st.page_link("pages/eigen_regio.py", label=t("profile_edit_custom"), icon=":material/edit:",
                     query_params=state.params(("custom", "custom_name", "lang", "present")))

    st.page_link("pages/wijken.py", label=t("profile_wijken_link"),
                 icon=":material/holiday_village:",
                 query_params={**state.params(("custom", "custom_name", "lang", "present")),
                               "region": region.code})

# --- in brief ---------------------------------------------------------------------------------
with story_area:
    st.subheader(t("narrative_title"))
    sentences = narrative.region_narrative(region, current_lang())
    st.markdown("\n".join(f"- {s}" for s in sentences))
    st.caption(t("narrative_caption"))

# --- factor profile and members ---------------------------------------------------------------
with factors_area:
    # on a projector the factor chart takes the whole width (its labels large and whole), the
    # map of the gemeenten follows under it
    left, right = (st.container(), st.container()) if present else \
        st.container(key="wrap_profile").columns([3, 2], gap="large")
    with left:
        st.subheader(t("profile_factors"))
        all_on = state.choose("pilots", ("region", "all"), "region") == "all"
        chart_kind = state.choose("chart", ("radar", "bars"), "radar")
        with controls or st.container():
            toggle_col, kind_col = st.columns(2) if not present else (st.container(),) * 2
        with toggle_col:
            all_pilots = st.toggle(t("profile_all_pilots"), value=all_on, key="profile_all")
        with kind_col:
            kind = st.segmented_control(t("profile_chart"), ["radar", "bars"], default=chart_kind,
                                        key="profile_chart", label_visibility="collapsed",
                                        format_func=lambda k: t("chart_" + k)) or chart_kind
        if all_pilots != all_on or kind != chart_kind:
            state.write(pilots="all" if all_pilots else None,
                        chart=None if kind == "radar" else kind)
        scores, names = profile.comparison_profile(region, all_pilots)
        if scores.empty:
            st.info(t("profile_no_scores"))
        else:
            height = None if present else 560 if all_pilots else 460
            # on a projector the chart takes the screen's height (app.PRESENT_CSS)
            with st.container(key="present_chart" if present else "factor_chart"):
                # first a picture (nothing to wait for), interactive on request (monitor.show);
                # on a projector beside the story: large type, but the narrow layout's margins
                draw = figures.draw_factor_radar if kind == "radar" else figures.draw_factor_bars
                texts = {"title": "", "axis": t("score"), "no_data": t("no_data_in_source"),
                         "number": number_format(1, current_lang()), "footer": ""}
                titles = profile.chart_factor_titles(kind != "radar")

                def live_chart():
                    chart = figures.readable(profile.factor_chart(kind, scores, names, height,
                                                                  False), present, size=15)
                    if present and kind == "radar":  # room for the factor names on both sides
                        chart.update_layout(margin={"l": 150, "r": 150})
                    return chart

                show.chart("profile_factors", live_chart,
                           lambda: show.picture(draw, scores, names, titles, texts,
                                                size=(900, 760) if kind == "radar" else
                                                (820, 640)),
                           alt=f"{t('profile_factors')}: {info['name']}", width="stretch",
                           theme=None, height="stretch" if present else "content",
                           config={"displayModeBar": False})
            # the same scores as a picture with title, source and date
            downloads.profile_button(scores, names, profile.chart_factor_titles(False), region)
        st.caption(t("profile_factor_note"))
        if "is_partial" in scores and scores["is_partial"].fillna(False).astype(bool).any():
            st.caption(t("factor_partial_note"))
        if not scores.empty and len(names) > 1 and not present:
            others = [c for c in names if c != region.code]
            ranked = dict(names)
            if len(others) <= 1:  # beside Nederland alone a rank says nothing ('1 / 2'):
                others = [c for c in queries.default_pilots()["region_code"]  # the pilots
                          if c != region.code]
                label = profile.labeller()  # 'Zeeland (proeftuin)' beside provincie Zeeland
                ranked = {region.code: names[region.code], **{c: label(c) for c in others}}
                st.caption(t("sens_among_pilots"))
            compared = (region, *(regions.stored(c) for c in others))
            widgets.sensitivity_section(compared, ranked)
        empty = profile.factors_without_data()
        if empty:
            titles = profile.factor_titles()
            st.caption(t("profile_factor_empty", factors=", ".join(titles[f] for f in empty)))

    with right:
        st.subheader(t("profile_members_title", n=len(members)))
        widgets.member_map_chart("profile_members", members, region.shape_codes,
                                 alt=t("profile_members_title", n=len(members)))
        with st.expander(t("profile_members_title", n=len(members)), expanded=len(members) <= 6):
            show.table(profile.member_table(members).rename(columns={
                "region_code": t("profile_col_code"), "region_name": t("profile_col_name"),
                "population": t("profile_col_population")}), key="profile_members",
                sortable=True, height=420 if len(members) > 12 else None)

# --- similar regions (peers) ------------------------------------------------------------------
@st.fragment
def peers_section(region, info: dict) -> None:
    """The regions most like this one: its two pickers rerun only this part (st.fragment)."""
    st.subheader(t("peers_title"))
    st.caption(t("peers_intro", name=plain_md(info["name"])))
    set_col, k_col = st.columns(2)
    default_set = peers.default_comparison(info["level"])
    url_set = state.choose("peer_set", peers.COMPARISON_SETS, default_set)
    url_k = int(state.choose("peer_k", tuple(str(i) for i in range(1, peers.MAX_K + 1)),
                             str(peers.DEFAULT_K)))
    with set_col:
        comparison = st.selectbox(t("peers_set"), peers.COMPARISON_SETS,
                                  index=peers.COMPARISON_SETS.index(url_set), key="peer_set",
                                  format_func=lambda s: t("peers_set_" + s))
    with k_col:
        k = st.slider(t("peers_k"), 1, peers.MAX_K, url_k, key="peer_k")
    if comparison != url_set or k != url_k:
        state.write(peer_set=None if comparison == default_set else comparison,
                    peer_k=None if k == peers.DEFAULT_K else str(k))
    result = peers.find_peers(region, comparison, k)
    if result.table.empty:
        st.info(peers.phrase("none", current_lang()))
    else:
        st.markdown(peers.explanation_text(result, plain_md(info["name"]), current_lang()))
        # (the hidden index keeps each row's region code for scripts and tests)
        show.table(peers.peer_table(result, current_lang()).set_index("region_code")
                   [["name", "distance", "population"]].rename(columns={"name": t("peers_col_name"),
                                    "distance": t("peers_col_distance"),
                                    "population": t("peers_col_population")}),
                   key="peers", sortable=True)
        st.caption(t("peers_distance_help"))
        link_params = state.params(("custom", "custom_name", "lang", "present"))
        link_params["regions"] = ",".join(peers.peer_codes(result))
        compare_col, trends_col = st.columns(2)
        with compare_col:
            st.page_link("pages/vergelijken.py", label=t("peers_compare"),
                         icon=":material/compare_arrows:", query_params=link_params)
        with trends_col:
            st.page_link("pages/trends.py", label=t("peers_trends"), icon=":material/show_chart:",
                         query_params=link_params)
        downloads.table_buttons(peers.export_frame(result, region, current_lang()),
                                peers.context_transforms(), ("vergelijkbare_regios", region.code),
                                key="peers")


peers_section(region, info)

# --- economic profile ---------------------------------------------------------------------------
st.subheader(t("economy_title"))
if not economy.has_sector_data():
    st.info(t("economy_absent"))
else:
    quotients = economy.region_quotients(region)
    st.caption(t("economy_intro", name=plain_md(info["name"])))
    chart_col, table_col = st.columns([3, 2])
    with chart_col:
        st.plotly_chart(economy.specialisation_chart(quotients, current_lang(),
                                                     t("economy_axis")),
                        width="stretch", config={"displayModeBar": False})
    with table_col:
        show.table(economy.quotient_table(quotients, current_lang()).rename(columns={
            "sector": t("economy_col_sector"), "year": t("year"),
            "share": t("economy_col_share"), "nl_share": t("economy_col_nl"),
            "lq": t("economy_col_lq")}), key="economy", sortable=True)
    lines = economy.digital_lines(region, current_lang(), t("netherlands"))
    st.markdown(f"**{t('economy_digital')}**")
    if not lines:
        st.caption(t("economy_digital_none"))
    else:
        st.markdown("\n".join(f"- {line}" for line in lines))

# --- every indicator ------------------------------------------------------------------------
st.subheader(t("profile_indicators"))
st.caption(t("profile_table_note"))
if region.editable:
    st.caption(t("profile_no_rank_custom"))
table = profile.indicator_table(region)
NOTE_FITS = 26  # characters a narrow note column shows whole (the full notes follow below)
# The indicator, then its value and Nederland's: on a phone (390 px) a row's label stands beside
# its value; the factor (long names, 'Bereikbaarheid en voorzieningen') last.
columns = {"title": t("indicator"), "value_text": t("value"), "nl_text": t("netherlands"),
           "year": t("year"), "rank_text": t("rank"), "trend": t("profile_col_trend"),
           "years": t("profile_col_years"), "note": t("profile_col_note"), "factor": t("factor")}
# One plain table, factor by factor, sortable by its headers (monitor.show: no data grid to
# wait for); the trend as a small line of block characters.
titles = profile.all_factor_titles()
shown = table[table["factor_id"].isin(list(titles))
              & ~table["indicator_id"].str.startswith(economy.SECTOR_PREFIX)]
shown = shown.assign(factor=shown["factor_id"].map(titles),
                     order=shown["factor_id"].map({f: i for i, f in enumerate(titles)}))
shown = shown.sort_values("order", kind="stable").drop(columns="order")
# (the hidden index keeps each row's indicator id for scripts and tests)
show.table(shown.assign(trend=shown["trend"].map(show.sparkline)).set_index("indicator_id")
           [list(columns)].rename(columns=columns), key="profile_indicators", sortable=True)
for factor, reason in zip(shown["factor"], shown["data_gap"], strict=True):
    if pd.notna(reason):
        st.caption(f"{factor}: {t('status_data_gap', reason=reason)}")
st.caption(t("profile_notes_legend"))
# the note column is narrow: a note it cannot show whole (coverage with the missing
# gemeenten, a figure from another CBS table) is written out in full here
full = [(title, year, note) for title, year, note in
        zip(shown["title"], shown["year"], shown["note"], strict=True) if len(note) > NOTE_FITS]
if full:
    st.markdown(f"**{t('profile_notes_full')}**")
    st.markdown("\n".join(f"- {title} ({year}): {note}" for title, year, note in full))
table_numbers = export.profile_frame(table, region.code, region.name)
downloads.table_buttons(table_numbers, table["indicator_id"], ("regioprofiel", region.code),
                        key="profile")
