"""Shared widgets: region, indicator and year pickers bound to the URL state."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor import cached, figures, profile, queries, regions, releases, sensitivity, show, state
from monitor.i18n import current_lang, t
from monitor.memo import memo
from monitor.numbers import format_value
from monitor.regions import Region

# The small map of a region's gemeenten (Regioprofiel, Eigen regio), built once per set of
# gemeenten and shared by every session: building the figure was a good part of a page run.
member_map = cached.shared(profile.member_map)


def member_map_chart(key: str, members: tuple[str, ...], bbox_codes: tuple[str, ...] = (),
                     alt: str = "", height: int = 420) -> None:
    """The small map of a region's gemeenten: a picture first (the region report's map: the
    members in colour among their neighbours), the interactive map (names on hover) on
    request (monitor.show)."""
    show.chart(key, lambda: member_map(members, bbox_codes, height=height),
               lambda: show.picture(figures.draw_region_map, queries.level_geometry("gemeente"),
                                    list(members), view=("members", tuple(sorted(members)))),
               alt=alt, width="stretch", config={"displayModeBar": False, "scrollZoom": False})


def region_options(include_custom: bool = True) -> list[str]:
    """Region codes grouped by level, pilot regions first (the composed region, if there is
    one, before them)."""
    frame = queries.regions()
    # a pilot region's other delineations follow it: by the pilot's name, its default first
    frame = frame.assign(order=frame["region_level"].map(regions.LEVELS.index),
                         group=frame["region_name"].str.split(": ").str[0],
                         variant=frame["is_default_variant"].eq(False))
    codes = frame.sort_values(["order", "group", "variant", "region_name"])[
        "region_code"].tolist()
    custom = state.custom_region() if include_custom else None
    return ([custom.code] if custom else []) + codes


def region_picker(default: str = state.DEFAULT_REGION, key: str = "region") -> Region:
    """One region (any level, pilot or composed); kept in the URL as `region`."""
    options = region_options()
    current = state.read_region(default)
    # a key per language: the box shows its options in the new language at once after a
    # switch (with one key it kept the old labels, '(proeftuin)', until a reload)
    choice = st.selectbox(t("region"), options, index=options.index(current),
                          key=f"{key}_{current_lang()}",
                          format_func=profile.labeller(state.custom_region()))
    if choice != current:
        state.write(region=choice)
    return state.region(choice)


def regions_picker(default: tuple[str, ...], key: str = "regions") -> tuple[Region, ...]:
    """Several regions (2-12); kept in the URL as `regions`. Edits come in bursts (seven
    regions taken out one by one, three added): the box sits in a form, so they are applied
    together, in one run of the page, when the person presses 'Toepassen' (each change used
    to redraw the whole page)."""
    options = region_options()
    current = state.read_regions(default)
    with st.form(f"{key}_form", border=False, enter_to_submit=False):
        chosen = st.multiselect(t("regions"), options, default=list(current), key=key,
                                placeholder=t("regions_placeholder"),
                                max_selections=state.MAX_COMPARE,
                                format_func=profile.labeller(state.custom_region()))
        st.form_submit_button(t("regions_apply"), icon=":material/check:",
                              help=t("regions_apply_help"))
    chosen = tuple(chosen)
    if chosen != current:
        state.write(regions=chosen)
    return tuple(state.region(code) for code in chosen)


@memo
def indicator_labels(lang: str) -> dict[str, str]:
    """'Factor · title' of every indicator, once per language."""
    frame = queries.indicators()
    return {i: f"{f} · {title}" for i, f, title in zip(
        frame["indicator_id"], frame["factor_title_" + lang], frame["title_" + lang],
        strict=True)}


def indicator_picker(default: str = state.DEFAULT_INDICATOR, key: str = "indicator",
                     label: str | None = None, param: str = "indicator") -> str:
    """An indicator with data; kept in the URL."""
    ids = list(queries.indicator_ids())
    current = (state.read_indicator(default) if param == "indicator"
               else state.choose(param, ids, default))
    labels = indicator_labels(current_lang())  # one lookup, not one per option
    choice = st.selectbox(label or t("indicator"), ids, index=ids.index(current), key=key,
                          format_func=lambda i: labels.get(i, i))
    if choice != current:
        state.write(**{param: choice})
    return choice


def year_picker(indicator_id: str, key: str = "year") -> int:
    """A year the indicator has; the latest by default; kept in the URL."""
    years = list(queries.indicator_years(indicator_id))
    current = state.read_year(indicator_id)
    choice = st.select_slider(t("year"), years, value=current, key=f"{key}_{indicator_id}") \
        if len(years) > 1 else years[0]
    if choice != current:
        state.write(year=choice)
    return int(choice)


def level_picker(default: str = "gemeente", key: str = "level") -> str:
    """A region level for maps; kept in the URL."""
    levels = list(regions.MAP_LEVELS)
    current = state.read_level(default)
    if current not in levels:
        state.notify("level", current)
        current = default
    choice = st.segmented_control(t("level"), levels, default=current, key=key,
                                  format_func=lambda lv: t("level_" + lv)) or current
    if choice != current:
        state.write(level=choice)
    return choice


# --- sensitivity of factor rankings (Vergelijken, Regioprofiel) ----------------------------

def scenario_label(name: str, titles: dict[str, str]) -> str:
    """A sensitivity scenario in words (the default marked)."""
    if name.startswith(sensitivity.LEAVE_OUT):
        return t("sens_without", indicator=titles[name[len(sensitivity.LEAVE_OUT):]])
    return t(f"sens_{name}")


def weight_inputs(default: dict[str, float], own: dict[str, float],
                  titles: dict[str, str]) -> None:
    """Number inputs for the user's own weights; changes go into the URL (weights=...)."""
    with st.expander(t("sens_own_weights")):
        chosen = {}
        for ind, weight in default.items():
            chosen[ind] = st.number_input(
                t("sens_weight_label", indicator=titles[ind], default=f"{weight:g}"),
                min_value=0.0, max_value=1.0, step=0.1, value=float(own.get(ind, weight)),
                key=f"w_{ind}")
        mine = {i: w for i, w in chosen.items() if w != default[i]}
        if mine != {i: w for i, w in own.items() if w != default.get(i)}:
            state.write(weights=sensitivity.format_weights(mine) or None)


def sensitivity_section(picked: tuple[Region, ...], names: dict[str, str]) -> None:
    """The rank of every compared region on one factor under other weights."""
    st.subheader(t("sens_title"))
    st.caption(t("sens_intro"))
    factors = profile.factor_titles()
    factor = state.choose("factor", tuple(factors), next(iter(factors)))
    picked_factor = st.selectbox(t("factor"), list(factors), index=list(factors).index(factor),
                                 format_func=factors.get, key="sens_factor")
    if picked_factor != factor:
        state.write(factor=picked_factor, weights=None)
    default = sensitivity.factor_weights(picked_factor)
    if not default:
        st.info(t("factor_no_data"))
        return
    lang = current_lang()
    meta = queries.indicators().set_index("indicator_id")
    titles = {i: meta.loc[i, f"title_{lang}"] for i in default}
    own = state.weights(set(default))
    weight_inputs(default, own, titles)
    table = sensitivity.region_rank_table(picked, picked_factor, tuple(sorted(own.items())))
    if table.empty:
        st.info(t("profile_no_scores"))
        return
    cells = table.assign(text=[f"{int(r)} ({format_value(s, 1)})" for r, s in  # '1 (6,6)'
                               zip(table["rank"], table["score"], strict=True)])
    wide = cells.pivot(index="scenario", columns="region_code", values="text")
    wide = wide.reindex(index=list(dict.fromkeys(table["scenario"])),
                        columns=[c for c in names if c in wide.columns]).fillna("–")
    wide.index = pd.Index([scenario_label(n, titles) for n in wide.index],
                          name=t("sens_scenario"))
    wide.columns.name = None
    shown = [names.get(c, c) for c in wide.columns]  # two regions of one name: add the code
    shown = [f"{n} ({c})" if shown.count(n) > 1 else n for n, c in zip(shown, wide.columns,
                                                                        strict=True)]
    show.table(wide.set_axis(shown, axis=1), key="sensitivity", hide_index=False)
    st.caption(t("sens_note"))


def provisional_note(indicator_id: str, year: int, title: str) -> None:
    """A line under a figure that CBS marks Voorlopig (nothing where it is final or the source
    does not say)."""
    if releases.provisional(indicator_id, year):
        st.caption(t("voorlopig_note", title=title, year=year))
