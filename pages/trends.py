"""Trends: an indicator over the years for chosen regions, as values or indexed to a base year."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor import (
    charts,
    downloads,
    export,
    figures,
    numbers,
    queries,
    regions,
    releases,
    show,
    state,
    widgets,
)
from monitor.i18n import current_lang, plain_md, t
from monitor.profile import display_names
from monitor.regions import Region

DEFAULT_REGIONS = ("PR_mra", "PR_twente", "PR_zeeland", "NL01")
MODES = ("value", "index")
PLOT_CONFIG = {"displayModeBar": False}


def mode_picker() -> str:
    """Values or an index; kept in the URL as `mode` (values by default)."""
    mode = state.choose("mode", MODES, "value")
    choice = st.segmented_control(t("trends_mode"), MODES, default=mode, key="mode",
                                  format_func=lambda m: t(f"trends_mode_{m}")) or mode
    if choice != mode:
        state.write(mode=None if choice == "value" else choice)
    return choice


def base_picker(years: list[int], key: str) -> int:
    """A base year in which the series have values; kept in the URL as `base`."""
    value = state.raw_param("base")
    number = state.parse_number(value)
    if value not in (None, "") and number not in years:
        state.notify("base", value)
    current = number if number in years else years[0]
    choice = st.selectbox(t("trends_base"), years, index=years.index(current), key=key,
                          help=t("trends_base_help"))
    if choice != current:
        state.write(base=choice)
    return int(choice)


def year_ranges(years: list[int]) -> str:
    """Years as compact ranges: [2014, 2015, 2016, 2019] -> '2014-2016, 2019'."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def flag_note(frame: pd.DataFrame, column: str, names: dict[str, str]) -> str:
    """'Name (years), ...' for the regions with a flag set in plotted years; '' when none."""
    flagged = frame[frame[column]]
    parts = [f"{name} ({year_ranges(flagged.loc[flagged['region_code'] == code, 'year'])})"
             for code, name in names.items() if code in set(flagged["region_code"])]
    return ", ".join(parts)


def has_gaps(frame: pd.DataFrame) -> bool:
    """Whether a series misses a year between its first and its last value."""
    spans = frame.groupby("region_code")["year"].agg(["min", "max", "count"])
    return bool((spans["max"] - spans["min"] + 1 > spans["count"]).any())


def figures_table(frame: pd.DataFrame, names: dict[str, str], decimals: int) -> pd.DataFrame:
    """The plotted numbers: a row per year of the span, a column per region (text)."""
    years = range(int(frame["year"].min()), int(frame["year"].max()) + 1)
    codes = [c for c in names if c in set(frame["region_code"])]
    wide = frame.pivot_table(index="year", columns="region_code", values="value",
                             aggfunc="first").reindex(index=years, columns=codes)
    text = numbers.format_cells(wide, pd.Series(decimals, index=wide.index))
    text = text.rename(columns=names)
    text.insert(0, t("year"), list(years))
    return text.reset_index(drop=True)


def show_notes(plotted: pd.DataFrame, names: dict[str, str]) -> None:
    """Notes on gaps, converted and estimated values under the chart."""
    notes = [t("trends_gaps_note")] if has_gaps(plotted) else []
    converted = flag_note(plotted, "is_converted", names)
    estimated = flag_note(plotted, "is_estimated", names)
    if converted or estimated:
        notes.append(t("trends_flags_marker"))
    if converted:
        notes.append(t("trends_converted", items=converted))
    if estimated:
        notes.append(t("trends_estimated", items=estimated))
    for note in notes:
        st.caption(note)


def show_trend(shown: tuple[Region, ...], indicator: str, mode: str, base_slot) -> None:
    """The chart, its notes and the table of the plotted numbers."""
    chosen = regions.codes(shown)
    names = display_names(shown, reserved=(t("year"),))
    row = queries.indicator_row(indicator)
    lang = current_lang()
    unit, decimals = row[f"unit_{lang}"], int(row["decimals"])
    frame = regions.series(shown, indicator).dropna(subset=["value"])
    missing = [names[c] for c in chosen if c not in set(frame["region_code"])]
    why = t("status_not_aggregable") if row["aggregation"] == "none" else ""
    if frame.empty:
        st.info(f"{t('trends_no_data')} {why}".strip())
        return
    y_title, reference, shown_as = unit, None, ""
    breaks_frame = queries.series_breaks(indicator)
    breaks = tuple(int(y) for y in breaks_frame["year"])
    if mode == "index":
        with base_slot:
            base = base_picker(queries.base_years(frame), key=f"base_{indicator}")
        indexed = queries.index_to_base(frame, base, breaks).dropna(subset=["value"])
        no_base = [names[c] for c in chosen if c in set(frame["region_code"])
                   and c not in set(indexed["region_code"])]
        frame, decimals, reference = indexed, 1, 100.0
        y_title = unit = t("trends_index_axis", base=base)
        shown_as = f"index-{base}"
        if no_base:
            st.caption(t("trends_no_base", base=base, names=plain_md(", ".join(no_base))))
    plotted = frame.assign(region_name=frame["region_code"].map(names),
                           flagged=frame["is_converted"] | frame["is_estimated"])
    colours = charts.region_colours(chosen)
    present = bool(st.session_state.get("present"))
    years, series = figures.trend_series(plotted, names, colours)
    panel = {"title": row[f"title_{lang}"], "unit": unit, "years": years, "series": series}
    texts = {"title": "", "footer": "",
             "axis_number": numbers.number_format(decimals, lang)}
    # first a picture (nothing to wait for), interactive on request (monitor.show); dark axis
    # text (Streamlit's theme greys it) and, on a projector, large type
    show.chart("trends_lines",
               lambda: figures.readable(charts.lines(
                   plotted, y_title, colours=colours, decimals=decimals, reference=reference,
                   title=row[f"title_{lang}"], breaks=breaks), present),
               lambda: show.picture(figures.draw_trend_picture, panel, texts,
                                    size=(1100, 620)),
               alt=t("trends_table_title"), width="stretch", theme=None, config=PLOT_CONFIG)
    downloads.trends_button(plotted, names, charts.region_colours(chosen), row[f"title_{lang}"],
                            unit, decimals, [row["source_table"], row.get("denominator_table")],
                            (indicator, shown_as))
    if missing:
        st.caption(f"{t('trends_no_value', names=plain_md(', '.join(missing)))} {why}".strip())
    show_notes(plotted, names)
    provisional = [y for y in sorted(int(v) for v in plotted["year"].unique())
                   if releases.provisional(indicator, y)]
    if provisional:  # CBS may still revise these years
        st.caption(t("voorlopig_note", title=row[f"title_{lang}"],
                     year=", ".join(map(str, provisional))))
    for _, brk in breaks_frame.iterrows():
        st.caption(t("trends_break_note", year=int(brk["year"]), reason=brk[f"reason_{lang}"]))
    st.subheader(t("trends_table_title"))
    st.caption(t("trends_table_unit", unit=unit))
    table = figures_table(plotted, names, decimals)
    # a year CBS marks Voorlopig: '2025 (v)', explained under the table
    table[t("year")] = [releases.marked(str(y), indicator, y, lang) for y in table[t("year")]]
    show.table(table, key="trends_figures", sortable=True)
    if provisional:
        st.caption(releases.legend(lang))
    downloads.table_buttons(export.trend_frame(plotted, names, indicator, unit, breaks),
                            [indicator],
                            ("trends", indicator, shown_as, export.codes_part(names),
                             export.years_part(plotted["year"])), key="trends")


st.title(t("trends_title"))
on_projector = bool(st.session_state.get("present"))
if not on_projector:
    st.markdown(t("trends_intro"))
before = state.params(("indicator", "regions"))
# On a projector the pickers wait in the popover pinned top right (app.PRESENT_CSS), so the
# chart is on the first screen.
with st.popover(t("present_controls"), icon=":material/tune:", key="present_controls") \
        if on_projector else st.container():
    chosen_regions = widgets.regions_picker(default=DEFAULT_REGIONS)
    # beside the sidebar at 1024 px the mode's second option was cut ('Index (basisj'):
    # columns narrower than 200 px go to a next row
    pick_indicator, pick_mode, pick_base = st.container(key="wrapside_trends").columns(
        [3, 2, 1], vertical_alignment="bottom")
    with pick_indicator:
        chosen_indicator = widgets.indicator_picker()
    with pick_mode:
        chosen_mode = mode_picker()
if before != state.params(("indicator", "regions")):
    state.write(base=None)  # another indicator or other regions: the old base may not fit

if not chosen_regions:
    st.info(t("trends_no_regions"), icon="ℹ️")
else:
    show_trend(chosen_regions, chosen_indicator, chosen_mode, pick_base)
