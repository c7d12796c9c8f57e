"""Vergelijken: 2 to 12 regions side by side: every indicator, one indicator, two indicators."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from monitor import (
    charts,
    downloads,
    export,
    figures,
    profile,
    queries,
    regions,
    releases,
    show,
    state,
    widgets,
)
from monitor.i18n import current_lang, plain_md, t
from monitor.numbers import at_precision, format_value, number_format
from monitor.profile import display_names, factor_titles
from monitor.regions import Region

NL = "NL01"
PLOT_CONFIG = {"displayModeBar": False}


def indicator_rows() -> pd.DataFrame:
    """Indicators with data in display order: factor, 'title (unit)' (the unit left out where
    the title already says it), latest year, decimals."""
    lang = current_lang()
    meta = queries.indicators()
    meta = meta[meta["indicator_id"].isin(queries.indicator_ids())]
    labels = [title if unit.lower() in title.lower() else
              t("compare_indicator_label", title=title, unit=unit)
              for title, unit in zip(meta[f"title_{lang}"], meta[f"unit_{lang}"], strict=True)]
    return pd.DataFrame({"indicator_id": meta["indicator_id"],
                         "factor": meta[f"factor_title_{lang}"], "label": labels,
                         "year": meta["indicator_id"].map(queries.latest_years()),
                         "decimals": meta["decimals"]})


def meta_of(indicator: str) -> tuple[str, str, int]:
    """Title, unit and decimals of an indicator in the current language."""
    row = queries.indicator_row(indicator)
    lang = current_lang()
    return row[f"title_{lang}"], row[f"unit_{lang}"], int(row["decimals"])


def main_level(codes: tuple[str, ...]) -> str:
    """The level most of the chosen stored regions have (pilot regions when none)."""
    frame = queries.regions()
    levels = frame.loc[frame["region_code"].isin(codes) & (frame["region_code"] != NL),
                       "region_level"]
    return levels.mode().iloc[0] if len(levels) else "proeftuin"


def missing_names(frame: pd.DataFrame, names: dict[str, str], column: str = "value") -> str:
    """Names of the regions without a value in `column`, comma separated."""
    have = set(frame.loc[frame[column].notna(), "region_code"]) if len(frame) else set()
    return ", ".join(name for code, name in names.items() if code not in have)


def show_table(picked: tuple[Region, ...], names: dict[str, str]) -> None:
    """Every indicator (rows) for every region (columns), cells coloured by score."""
    st.subheader(t("compare_table_title"))
    values = regions.latest_values(picked)
    rows = indicator_rows()
    display, scores = charts.compare_table(values, rows, names,
                                           (t("factor"), t("indicator"), t("year")))
    # a year CBS marks Voorlopig: '2024 (v)', explained under the table
    lang = current_lang()
    display[t("year")] = [releases.marked(str(y), i, y, lang)
                          for i, y in zip(rows["indicator_id"], display[t("year")], strict=True)]
    # indicator, year, the regions' values, factor last: a phone (390 px) shows a row's
    # label beside at least one value without scrolling sideways. A plain table, sortable by
    # its headers (monitor.show: no data grid to wait for), cells coloured by score.
    order = [t("indicator"), t("year"), *names.values(), t("factor")]
    show.table(display[order], styles=scores[order].map(charts.score_style),
               key="compare_values", sortable=True)
    members = {r.code: r.members for r in picked}
    # the files' tables are made when a button is clicked, not in every run of the page (they
    # were a third of a run's time after each change of the regions)
    downloads.table_buttons(functools.partial(export.compare_frame, values, rows, names,
                                              members),
                            rows["indicator_id"],
                            ("vergelijken", export.codes_part(names), "laatste-jaar"),
                            key="compare")
    st.caption(t("compare_table_note"))
    if any(releases.provisional(i, y) for i, y in zip(rows["indicator_id"], rows["year"],
                                                       strict=True)):
        st.caption(releases.legend(lang))
    all_years(picked, names, tuple(rows["indicator_id"]))


def all_years(picked: tuple[Region, ...], names: dict[str, str], ids: tuple[str, ...]) -> None:
    """The same regions and indicators over every year: regions × years, one row per region
    and indicator, at CBS's precision."""
    years = queries.export_years()
    st.markdown(f"**{t('compare_all_years')}**")
    downloads.table_buttons(functools.partial(years_frame, picked, ids, (years[0], years[-1])),
                            ids,
                            ("vergelijken", export.codes_part(names),
                             export.years_part(years)), key="compare_years")


def years_frame(picked: tuple[Region, ...], ids: tuple[str, ...], years: tuple[int, int]
                ) -> pd.DataFrame:
    """Regions × years of the chosen regions and indicators (the 'all years' files)."""
    return export.wide_frame(export.long_frame(regions.export_rows((), picked, ids, years)))


def show_factor_scores(picked: tuple[Region, ...], names: dict[str, str]) -> None:
    """Factor scores (columns) of every chosen region (rows), cells coloured by score: the
    heatmap of the region report, on screen."""
    st.subheader(t("compare_factors_title"))
    titles = factor_titles()
    scores = regions.factor_profile(picked)
    wide = scores.pivot_table(index="factor_id", columns="region_code", values="score")
    wide = wide.reindex(index=list(titles), columns=list(names))
    axes = ([titles[f] for f in wide.index], list(names.values()))
    # a region per row, a factor per column: seven columns fit a screen without scrolling,
    # names wrap, and the region names stay beside their scores
    picture = wide.set_axis(axes[0], axis=0).set_axis(axes[1], axis=1).T
    partial = scores.pivot_table(index="factor_id", columns="region_code", values="is_partial",
                                 aggfunc="any").reindex(index=wide.index, columns=wide.columns)
    partial = partial.set_axis(axes[0], axis=0).set_axis(axes[1], axis=1).T.fillna(False)
    text = picture.map(lambda v: "–" if pd.isna(v) else format_value(v, 1))
    text = text.where(~partial.astype(bool) | picture.isna(), text + "*")
    css = picture.map(charts.score_style)
    # an HTML table (monitor.show), not st.table: no Arrow decoder, no React element per cell
    show.table(text.rename_axis(t("region")), key="compare_factors", hide_index=False,
               sortable=True, styles=css, alt=t("compare_factors_title"))
    st.caption(t("compare_factors_note"))
    # each '–' with its own reason: no data in this source, or too few members with a figure
    reasons = profile.factor_gap_reasons(picked, list(wide.index), titles)
    if reasons:
        st.markdown("\n".join(f"- {line}" for line in reasons))
    downloads.picture_button(
        figures.draw_score_grid, picture,
        texts={"title": t("compare_factors_title"), "subtitle": t("fig_factors_subtitle"),
               "number": number_format(1, current_lang()), "no_value": "–"},
        tables=[], source=t("fig_source_all"), key="compare_factors",
        file_parts=(t("fig_file_factors"), export.codes_part(names)))


def all_pilots_button() -> None:
    """'All pilot regions': one click puts the ten pilot regions (default variants) in the
    comparison."""
    pilots = tuple(queries.default_pilots()["region_code"])
    if st.button(t("compare_all_pilots"), icon=":material/select_all:", key="compare_pilots"):
        st.session_state.pop("regions", None)  # the picker shows the new choice
        state.write(regions=pilots)
        st.rerun()


def tables_of(indicator: str) -> list[str]:
    """The CBS tables an indicator's figures come from (values and denominator)."""
    row = queries.indicator_row(indicator)
    return [row["source_table"], row.get("denominator_table")]


def bars_button(frame: pd.DataFrame, colours: dict[str, str], indicator: str, year: int) -> None:
    """'Download as PNG' of the bars: the same values (at the published precision), colours
    and Nederland line, with title, unit, source and date in the picture."""
    title, unit, decimals = meta_of(indicator)
    lang = current_lang()
    data = frame.assign(value=at_precision(frame["value"], decimals),
                        colour=frame["region_code"].map(colours).fillna(charts.NL_COLOR),
                        is_nl=frame["region_code"] == NL)
    downloads.picture_button(
        figures.draw_value_bars, data,
        texts={"title": f"{title}, {releases.year_word(indicator, year, lang)}",
               "subtitle": t("compare_bars_note", unit=unit, year=year),
               "axis": unit, "number": number_format(decimals, lang),
               "axis_number": number_format(max(decimals, 0), lang)},
        tables=tables_of(indicator), key="compare_bars",
        file_parts=(t("fig_file_bars"), indicator, year))


def show_bars(picked: tuple[Region, ...], names: dict[str, str], colours: dict[str, str]
              ) -> tuple[str, int]:
    """One indicator in one year as bars, Nederland as reference; returns (indicator, year)."""
    st.subheader(t("compare_bars_title"))
    left, right = st.columns([3, 2])
    with left:
        indicator = widgets.indicator_picker()
    with right:
        year = widgets.year_picker(indicator)
    title, unit, decimals = meta_of(indicator)
    frame = regions.series(picked, indicator, year)
    frame = frame.assign(region_name=frame["region_code"].map(names))
    present = bool(st.session_state.get("present"))
    lang = current_lang()
    data = frame.assign(value=at_precision(frame["value"], decimals),
                        colour=frame["region_code"].map(colours).fillna(charts.NL_COLOR),
                        is_nl=frame["region_code"] == NL)
    texts = {"title": "", "footer": "", "axis": unit, "number": number_format(decimals, lang),
             "axis_number": number_format(max(decimals, 0), lang)}
    # first a picture (nothing to wait for), interactive on request (monitor.show); dark axis
    # text (Streamlit's theme greys it) and, on a projector, large type
    show.chart("compare_bars",
               lambda: figures.readable(charts.value_bars(
                   frame, unit, decimals, title=f"{title}, {year}", colours=colours), present),
               lambda: show.picture(figures.draw_value_bars, data, texts,
                                    size=(1100, max(360, 46 * len(data) + 140))),
               alt=f"{title}, {year}", width="stretch", theme=None, config=PLOT_CONFIG)
    st.caption(t("compare_bars_note", unit=unit, year=year))
    widgets.provisional_note(indicator, year, title)
    bars_button(frame, colours, indicator, year)
    missing = missing_names(frame, names)
    if missing:
        why = t("status_not_aggregable") if queries.indicator_row(indicator)["aggregation"] == \
            "none" else ""
        st.caption(f"{t('compare_no_value_for', names=plain_md(missing))} {why}".strip())
    return indicator, year


def show_scatter(picked: tuple[Region, ...], names: dict[str, str], colours: dict[str, str],
                 x_indicator: str, year: int) -> None:
    """The chosen indicator against a second one, bubbles sized by population."""
    st.subheader(t("compare_scatter_title"))
    st.caption(t("compare_scatter_intro"))
    level = main_level(tuple(names))
    # beside the sidebar at 1024 px the switch's label was cut: it goes under the picker
    left, right = st.container(key="wrap_scatter").columns([3, 2], vertical_alignment="bottom")
    with left:
        default_y = "hbo_wo_pct" if x_indicator != "hbo_wo_pct" else "werkloosheid_pct"
        # the widget's key carries its default: when the bars' indicator changes the default,
        # a fresh box shows it (a kept box would write its stale value: x against itself)
        y_indicator = widgets.indicator_picker(default=default_y, key=f"indicator_y_{default_y}",
                                               label=t("compare_indicator_y"), param="indicator_y")
    with right:
        shown = state.choose("background", ("0", "1"), "1") == "1"
        toggled = st.toggle(t("compare_scatter_background", level=t(f"level_{level}").lower()),
                            value=shown, key="background")
        if toggled != shown:
            state.write(background=None if toggled else "0")
    y_years = queries.indicator_years(y_indicator)
    y_year = max((y for y in y_years if y <= year), default=y_years[-1])
    (x_title, x_unit, x_dec), (y_title, y_unit, y_dec) = meta_of(x_indicator), meta_of(y_indicator)
    points = regions.pair_values(picked, x_indicator, year, y_indicator, y_year)
    points = points.assign(region_name=points["region_code"].map(names))
    nl = points[points["region_code"] == NL].iloc[0]
    reference = (nl["x"], nl["y"]) if pd.notna(nl["x"]) and pd.notna(nl["y"]) else None
    background = None
    if toggled:
        background = queries.level_pairs(level, x_indicator, year, y_indicator, y_year)
        background = background[~background["region_code"].isin(names)]
    shown = points[points["region_code"] != NL]
    coloured = shown.assign(colour=shown["region_code"].map(colours))
    texts = {"x_axis": t("compare_axis", title=x_title, unit=x_unit, year=year),
             "y_axis": t("compare_axis", title=y_title, unit=y_unit, year=y_year),
             "x_number": number_format(x_dec, current_lang()),
             "y_number": number_format(y_dec, current_lang()),
             "netherlands": t("netherlands"),
             "others": t("compare_scatter_others", level=t(f"level_{level}").lower())}
    # first a picture (nothing to wait for), interactive on request (monitor.show)
    show.chart("compare_scatter",
               lambda: figures.readable(charts.scatter(
                   shown, texts["x_axis"], texts["y_axis"], background=background,
                   colours=colours, reference=reference, decimals=(x_dec, y_dec),
                   background_name=texts["others"]), bool(st.session_state.get("present"))),
               lambda: show.picture(figures.draw_scatter, coloured, background, reference,
                                    {**texts, "title": "", "footer": ""}, size=(1100, 680)),
               alt=t("fig_scatter_title", x=x_title, y=y_title), width="stretch", theme=None,
               config=PLOT_CONFIG)
    st.caption(t("compare_scatter_note", x_year=year, y_year=y_year))
    downloads.picture_button(
        figures.draw_scatter, coloured, background, reference,
        texts={"title": t("fig_scatter_title", x=x_title, y=y_title),
               "subtitle": t("fig_scatter_subtitle"), **texts},
        tables=[*tables_of(x_indicator), *tables_of(y_indicator)], key="compare_scatter",
        file_parts=(t("fig_file_scatter"), x_indicator, year, y_indicator, y_year))
    missing = missing_names(points.dropna(subset=["x", "y"]), names, column="x")
    if missing:
        st.caption(t("compare_no_value_for", names=plain_md(missing)))


@st.fragment
def indicator_part(picked: tuple[Region, ...], names: dict[str, str], colours: dict[str, str]
                   ) -> None:
    """One indicator as bars and against a second one: its pickers rerun only this part."""
    chosen_indicator, chosen_year = show_bars(picked, names, colours)
    st.divider()
    show_scatter(picked, names, colours, chosen_indicator, chosen_year)


st.title(t("compare_title"))
on_projector = bool(st.session_state.get("present"))
if not on_projector:
    st.markdown(t("compare_intro"))
# On a projector the picker waits in the popover pinned top right (app.PRESENT_CSS): the
# twelve names took the first screen, the factor scores came after it.
with st.popover(t("present_controls"), icon=":material/tune:", key="present_controls") \
        if on_projector else st.container():
    chosen = widgets.regions_picker(default=tuple(queries.default_pilots()["region_code"]))
    all_pilots_button()

if len(chosen) < 2:
    st.info(t("compare_too_few"), icon="ℹ️")
else:
    with_nl = chosen if NL in regions.codes(chosen) else (*chosen, regions.stored(NL))
    region_names = display_names(with_nl, reserved=(t("factor"), t("indicator"), t("year")))
    region_colours = charts.region_colours(tuple(region_names))
    show_factor_scores(with_nl, region_names)
    st.divider()
    show_table(with_nl, region_names)
    st.divider()
    # the parts a widget drives rerun on their own (st.fragment): another factor, indicator
    # or year redraws its part, not the comparison table and the factor scores above it
    st.fragment(widgets.sensitivity_section)(with_nl, region_names)
    st.divider()
    indicator_part(with_nl, region_names, region_colours)
