"""Data-export: any regions, indicators and years as one long-format file (CSV, Excel, Parquet)."""

from __future__ import annotations

import streamlit as st

from monitor import downloads, export, profile, queries, regions, show, state, widgets
from monitor.i18n import col, current_lang, gap_reason, t
from monitor.numbers import format_value
from monitor.regions import Region

FORMATS = ("csv", "csv_excel", "xlsx", "parquet")
LAYOUTS = ("long", "wide")
FACTOR_COLUMNS = 4
IND_KEY = "export_ind_"


def level_count(level: str) -> int:
    """How many regions a level has (pilot regions: every variant)."""
    return len(queries.regions(level))


def levels_picker() -> tuple[str, ...]:
    """Whole levels at once (every gemeente, every pilot variant, ...); URL `levels`."""
    current = state.read_list("levels", regions.LEVELS)
    chosen = tuple(st.multiselect(
        t("export_levels"), regions.LEVELS, default=list(current), key="export_levels",
        format_func=lambda lv: f"{t('level_' + lv)} ({level_count(lv)})",
        help=t("export_levels_help"), placeholder=t("export_levels_placeholder")))
    if chosen != current:
        state.write(levels=chosen)
    return chosen


def regions_picker() -> tuple[str, ...]:
    """Single regions of any level, pilot variants and the composed region; URL `regions`."""
    options = widgets.region_options()
    current = state.read_list("regions", options)
    chosen = tuple(st.multiselect(
        t("export_regions"), options, default=list(current), key="export_regions",
        format_func=profile.labeller(state.custom_region()),
        placeholder=t("export_regions_placeholder")))
    if chosen != current:
        state.write(regions=chosen)
    return chosen


def add_pilots() -> None:
    """Callback: the ten pilot regions (each in its own delineation) join the chosen regions."""
    current = tuple(st.session_state.get("export_regions") or ())
    pilots = tuple(queries.default_pilots()["region_code"])
    chosen = tuple(dict.fromkeys((*current, *pilots)))
    st.session_state.pop("export_regions", None)  # the picker shows the URL's new choice
    state.write(regions=chosen)


def set_all_indicators(on: bool) -> None:
    """Callback: tick or clear every indicator with data."""
    ids = queries.indicator_ids()
    for indicator in ids:
        st.session_state[IND_KEY + indicator] = on
    state.write(indicators=ids if on else None)


def indicator_box(row) -> bool:
    """One indicator's checkbox; one without data in this source is shown but cannot be ticked."""
    title = col(row, "title")
    if isinstance(row["data_gap"], str):
        st.checkbox(f"{title} ({t('no_data_in_source')})", value=False, disabled=True,
                    key=f"export_gap_{row['indicator_id']}", help=gap_reason(row), wrap=True)
        return False
    return st.checkbox(title, key=IND_KEY + row["indicator_id"], wrap=True)


def indicators_picker() -> tuple[str, ...]:
    """Indicators grouped by factor, as checkboxes; URL `indicators`."""
    ids = queries.indicator_ids()
    current = state.read_list("indicators", ids)
    for indicator in ids:  # the URL decides where the session has no state yet
        st.session_state.setdefault(IND_KEY + indicator, indicator in current)
    head, tick_all, tick_none = st.columns([6, 1, 1], vertical_alignment="bottom")
    head.markdown(f"**{t('export_indicators')}**")
    tick_all.button(t("export_all"), key="export_all", on_click=set_all_indicators, args=(True,),
                    width="stretch")
    tick_none.button(t("export_none"), key="export_none", on_click=set_all_indicators,
                     args=(False,), width="stretch")
    meta = queries.indicators()
    ticked = []
    with st.container(border=True):
        groups = list(meta.groupby("factor_order", sort=True))
        for start in range(0, len(groups), FACTOR_COLUMNS):
            # four factors a row on a wide screen; beside the sidebar at 1024 px two, so
            # titles no longer break inside words ('Ondernemerscha p')
            columns = st.container(key=f"wrapside_factors_{start}").columns(FACTOR_COLUMNS)
            for column, (_, group) in zip(columns, groups[start:start + FACTOR_COLUMNS],
                                          strict=False):
                with column:
                    st.markdown(f"**{col(group.iloc[0], 'factor_title')}**")
                    ticked += [r["indicator_id"] for _, r in group.iterrows() if indicator_box(r)]
    chosen = tuple(i for i in ids if i in ticked)
    if chosen != current:
        state.write(indicators=chosen)
    return chosen


def years_picker() -> tuple[int, int]:
    """A range of years; URL `years` ('2013-2024')."""
    years = queries.export_years()
    current = state.read_years(years)
    chosen = st.select_slider(t("export_years"), list(years), value=current,
                              key="export_years")
    chosen = (int(chosen[0]), int(chosen[1]))
    if chosen != current:
        state.write(years=None if chosen == (years[0], years[-1]) else f"{chosen[0]}-{chosen[1]}")
    return chosen


def layout_picker() -> str:
    """Long (a row per region, indicator and year) or wide (regions × years); URL `layout`."""
    current = state.choose("layout", LAYOUTS, "long")
    chosen = st.segmented_control(t("export_layout"), LAYOUTS, default=current,
                                  key="export_layout", help=t("export_layout_help"),
                                  format_func=lambda k: t(f"export_layout_{k}")) or current
    if chosen != current:
        state.write(layout=None if chosen == "long" else chosen)
    return chosen


def preview(frame, wide: bool):
    """The first rows as the page shows numbers: at CBS's precision, in the reader's notation."""
    head = frame.head(export.PREVIEW_ROWS).copy()
    meta = queries.indicators().set_index("indicator_id")
    decimals = head["indicator_id"].map(meta["decimals"]).fillna(1).astype(int)
    columns = [c for c in head.columns if str(c).startswith(export.YEAR_PREFIX)] if wide \
        else ["value"]
    for name in columns:
        head[name] = [format_value(v, d) if v == v else "–"
                      for v, d in zip(head[name], decimals, strict=True)]
    if export.COVERAGE in head.columns:
        head[export.COVERAGE] = [format_value(v, 2) if v == v else "–"
                                 for v in head[export.COVERAGE]]
    lang = current_lang()  # words as the files for people write them ('Ja', 'provincie')
    return export.human_values(head, lang).set_axis(export.human_columns(head.columns, lang),
                                                    axis=1)


def format_picker() -> str:
    """CSV, Excel or Parquet; URL `format`."""
    current = state.choose("format", FORMATS, "csv")
    chosen = st.segmented_control(t("export_format"), FORMATS, default=current,
                                  key="export_format",
                                  format_func=lambda k: t(f"export_format_{k}")) or current
    if chosen != current:
        state.write(format=None if chosen == "csv" else chosen)
    return chosen


def missing_message(has_regions: bool, has_indicators: bool) -> str:
    """What is still to be chosen."""
    if not has_regions and not has_indicators:
        return t("export_empty")
    return t("export_empty_regions") if not has_regions else t("export_empty_indicators")


def show_export(levels: tuple[str, ...], chosen: tuple[Region, ...], ids: tuple[str, ...],
                years: tuple[int, int], kind: str, parts, layout: str = "long") -> None:
    """Row count, preview and the one download button of the selection."""
    count = regions.export_count(levels, chosen, ids, years)
    if count == 0:
        st.info(t("export_no_rows"), icon="ℹ️")
        return
    if count > export.MAX_ROWS:
        st.warning(t("export_too_many", n=format_value(count, 0),
                     most=format_value(export.MAX_ROWS, 0)), icon="⚠️")
        return
    if kind == "xlsx" and count > export.MAX_XLSX_ROWS:
        st.warning(t("export_xlsx_too_many", n=format_value(count, 0),
                     most=format_value(export.MAX_XLSX_ROWS, 0),
                     all=format_value(export.MAX_ROWS, 0)), icon="⚠️")
        return
    frame = export.long_frame(regions.export_rows(levels, chosen, ids, years))
    wide = layout == "wide"
    if wide:
        frame = export.wide_frame(frame)
        parts = (*parts, "breed" if current_lang() == "nl" else "wide")
    n_regions = frame["region_code"].nunique()
    st.markdown(t("export_count", rows=format_value(len(frame), 0), regions=n_regions,
                  indicators=frame["indicator_id"].nunique(), first=years[0], last=years[1]))
    st.caption(t("export_preview", n=min(export.PREVIEW_ROWS, len(frame))) + " "
               + t("export_precision_wide" if wide else "export_precision_long"))
    # a plain table: the preview only shows what the file holds (no grid to wait for)
    show.table(preview(frame, wide), key="export_preview")
    with st.container(horizontal=True, gap="small"):
        downloads.table_button(frame, ids, parts, kind, key="export_file", primary=True)
        downloads.table_button(frame, ids, parts, "datapackage", key="export_file")


st.title(t("page_export"))
st.markdown(t("export_intro"))
pick_levels, pick_regions = st.columns([2, 3])
with pick_levels:
    chosen_levels = levels_picker()
with pick_regions:
    chosen_codes = regions_picker()
    st.button(t("export_add_pilots"), icon=":material/select_all:", key="export_pilots",
              on_click=add_pilots)
chosen_ids = indicators_picker()
pick_years, pick_layout, pick_format = st.container(key="wrap_export_options").columns(
    [3, 2, 3], vertical_alignment="bottom")
with pick_years:
    chosen_years = years_picker()
with pick_layout:
    chosen_layout = layout_picker()
with pick_format:
    chosen_kind = format_picker()

chosen_regions = tuple(state.region(code) for code in chosen_codes)
if not (chosen_levels or chosen_regions) or not chosen_ids:
    st.info(missing_message(bool(chosen_levels or chosen_regions), bool(chosen_ids)), icon="ℹ️")
else:
    show_export(chosen_levels, chosen_regions, chosen_ids, chosen_years, chosen_kind,
                export.selection_name_parts(chosen_ids, chosen_levels, chosen_codes,
                                            chosen_years), chosen_layout)
st.page_link("pages/wijken.py", label=t("export_wijken_link"), icon=":material/holiday_village:",
             query_params={**state.params(("lang", "present", "custom", "custom_name")),
                           **({"region": chosen_codes[0]} if chosen_codes else {})})
st.caption(t("export_licence_note"))
