"""Download buttons: the Streamlit side of export (tables), figures (pictures) and report.

The files are made when a button is clicked, on a thread without a Streamlit session: the
makers get the language as an argument and use no session state.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from monitor import budget, db, export, figures, numbers, releases, report, report_pdf
from monitor.i18n import col, current_lang, speaking, t, tr
from monitor.regions import Region


def in_language(make, lang: str):
    """The maker, run in the page's language on whatever thread (or process) makes the file: a
    partial, so it can be pickled and what it calls stays inspectable."""
    return functools.partial(made_in, lang, make)


def made_in(lang: str, make, *args, **kwargs):
    """make(*args, **kwargs) with current_lang() answering `lang` on this thread."""
    with speaking(lang):
        return make(*args, **kwargs)


def file_button(label: str, make, file_name: str, key: str, mime: str = "image/png",
                help_text: str = "") -> None:
    """A download button that makes the file only when clicked (make: () -> bytes or str)."""
    # made on another thread: it reads this run's warehouse (a pinned release stays pinned),
    # in the page's language
    st.download_button(label, data=db.carry(in_language(make, current_lang()))
                       if callable(make) else make, file_name=file_name, mime=mime, key=key,
                       icon=":material/download:", help=help_text or None, on_click="ignore")


# --- tables ----------------------------------------------------------------------------------

def table_button(frame: pd.DataFrame | Callable[[], pd.DataFrame],
                 indicator_ids: Iterable[str], name_parts: Iterable[object], kind: str, key: str,
                 primary: bool = False) -> None:
    """One download button of one kind (the file is made when clicked). `frame` may be a
    callable making the table: then the table too is made only on a click, not in every run
    of the page (a page's own small table: never heavy)."""
    lang = current_lang()
    parts = tuple(name_parts)
    csv_name = export.table_file_name(parts, "csv")  # what a data package describes
    # made on another thread (reading this run's warehouse, in the page's language); a heavy
    # one under the budget
    if callable(frame):
        make = in_language(functools.partial(made_on_click, kind, frame, tuple(indicator_ids),
                                             lang, csv_name), lang)
    else:
        make = budget.budgeted(in_language(export.file_maker(kind, frame, indicator_ids, lang,
                                                             csv_name=csv_name), lang),
                               len(frame), budget.session_id(), lang)
    st.download_button(tr(f"export_button_{kind}", lang), db.carry(make),
                       file_name=export.table_file_name(parts, kind), mime=export.MIME[kind],
                       key=f"{key}_{kind}", help=tr(f"export_help_{kind}", lang),
                       icon=":material/download:", on_click="ignore",
                       type="primary" if primary else "secondary")


def made_on_click(kind: str, make_frame: Callable[[], pd.DataFrame], indicator_ids: tuple,
                  lang: str, csv_name: str) -> bytes | str:
    """The file of a table that is itself made now, when its button was clicked."""
    return export.file_maker(kind, make_frame(), indicator_ids, lang, csv_name=csv_name)()


def table_buttons(frame: pd.DataFrame | Callable[[], pd.DataFrame],
                  indicator_ids: Iterable[str], name_parts: Iterable[object], key: str) -> None:
    """The numbers of a table as files, side by side: the standard CSV, the CSV for Excel,
    Excel, and the data package describing the standard CSV. `frame`: the table, or a
    callable making it on a click (see table_button)."""
    ids, parts = tuple(indicator_ids), tuple(name_parts)
    with st.container(horizontal=True, gap="small"):
        for kind in export.TABLE_KINDS:
            table_button(frame, ids, parts, kind, key)


# --- pictures ----------------------------------------------------------------------------------

def map_button(frame: pd.DataFrame, geojson: dict, meta: pd.Series, *, level: str, year: int,
               outline: dict | None = None, background: dict | None = None,
               labels: list | None = None) -> None:
    """'Download as PNG' for the Kaart page's map: the same classes, colours and outlines, with
    title, legend, source and dates in the picture."""
    unit, made = col(meta, "unit"), figures.today()
    hint = t("map_dark_high") if meta["direction"] == "neutral" else t("map_dark_best")
    footer_text = figures.source_text([meta["source_table"], meta.get("denominator_table")],
                                      figures.built_date(), made, figures.fig_texts())
    spec = figures.map_spec(frame, geojson, {"direction": meta["direction"],
                                             "decimals": meta["decimals"], "unit": unit},
                            title=t("map_title", title=col(meta, "title"),
                                    year=releases.year_word(meta["indicator_id"], year,
                                                            current_lang())),
                            subtitle=t("fig_map_subtitle", level=t("level_" + level).lower(),
                                       unit=unit),
                            legend_title=f"{unit}\n{hint}", footer_text=footer_text,
                            no_value=t("no_value"), outline=outline, background=background,
                            names=labels)
    name = figures.filename(t("fig_file_map"), meta["indicator_id"], level, year, made)
    file_button(t("fig_download_png"), lambda: figures.map_png(spec), name,
                key=f"png_map_{current_lang()}", help_text=t("fig_download_help"))


def profile_button(scores: pd.DataFrame, names: dict[str, str], titles: dict[str, str],
                   region: Region) -> None:
    """'Download as PNG' for the factor-score chart (a region beside Nederland)."""
    made = figures.today()
    texts = {"title": t("fig_profile_title", name=region.name), "axis": t("score"),
             "subtitle": t("fig_profile_subtitle"), "no_data": t("no_data_in_source"),
             "number": numbers.number_format(1, current_lang()),
             "footer": figures.source_text(["StatLine"], figures.built_date(), made,
                                           {**figures.fig_texts(),
                                            "source": t("fig_source_all")})}
    name = figures.filename(t("fig_file_profile"), region.file_part, made)
    file_button(t("fig_download_png"),
                lambda: figures.render(figures.draw_factor_bars, scores, names, titles, texts),
                name, key=f"png_profile_{current_lang()}", help_text=t("fig_download_help"))


def trends_button(plotted: pd.DataFrame, names: dict[str, str], colours: dict[str, str],
                  title: str, unit: str, decimals: int, tables: list[str], file_parts) -> None:
    """'Download as PNG' for the Trends chart: the same lines (Nederland dashed), with title,
    unit, source and dates in the picture. plotted: region_code, year, value."""
    made = figures.today()
    years, series = figures.trend_series(plotted, names, colours)
    panel = {"title": unit, "unit": unit, "years": years, "series": series}
    texts = {"title": title, "axis_number": numbers.number_format(decimals, current_lang()),
             "footer": figures.source_text(tables, figures.built_date(), made,
                                           figures.fig_texts())}
    name = figures.filename("trends", *file_parts, made)
    file_button(t("fig_download_png"),
                lambda: figures.render(figures.draw_trend_picture, panel, texts), name,
                key=f"png_trends_{current_lang()}", help_text=t("fig_download_help"))


def picture_button(draw, *args, texts: dict, tables: list[str], file_parts, key: str,
                   source: str = "") -> None:
    """'Download as PNG' for a chart drawn by a monitor.figures draw function: the picture
    carries texts['title'] (and subtitle, unit), and this adds the footer with source and
    dates (`source`: a whole-StatLine source line instead of the listed tables)."""
    made = figures.today()
    phrases = {**figures.fig_texts(), **({"source": source} if source else {})}
    texts = {**texts, "footer": figures.source_text(tables, figures.built_date(), made, phrases)}
    name = figures.filename(*file_parts, made)
    # a partial, not a lambda: what it draws can be inspected (tests render it as SVG text)
    file_button(t("fig_download_png"), functools.partial(figures.render, draw, *args, texts),
                name, key=f"png_{key}_{current_lang()}", help_text=t("fig_download_help"))


# --- the region report -------------------------------------------------------------------------

def report_button(region: Region) -> None:
    """One click: the region's report as a self-contained HTML file, and beside it the same
    report as PDF (each made on click)."""
    lang = current_lang()
    with st.container(horizontal=True, gap="small"):
        file_button(
            tr("report_button", lang), lambda: report.build_report(region, lang),
            report.report_filename(region, lang), key=f"report_{lang}", mime="text/html",
            help_text=tr("report_help", lang))
        file_button(
            tr("report_button_pdf", lang), lambda: report_pdf.build_pdf(region, lang),
            report.report_filename(region, lang, ext="pdf"), key=f"report_pdf_{lang}",
            mime="application/pdf", help_text=tr("report_help_pdf", lang))
