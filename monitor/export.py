"""Downloads of the numbers behind every table: CSV, Excel (with sources) and Parquet."""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import io
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

from monitor import db, profile, queries, regions, releases
from monitor.i18n import TEXTS, current_lang, gap_reason, tr
from monitor.memo import memo
from monitor.numbers import at_precision
from monitor.provenance import build_source
from monitor.regions import Region

# Column names: a numeric column holding one indicator carries the unit in square brackets
# ('werkloosheid_pct [% van de beroepsbevolking]'); other numeric columns likewise
# ('coverage [0-1]', 'score [0-10]'). Where the rows of one column hold different indicators
# (long format, the comparison), the unit is given on every row in the column 'unit'.
COVERAGE = "coverage [0-1]"
SCORE = "score [0-10]"
REASON_KEY = "reason"  # 'name (code) [reason]' beside a region's values in a wide export:
REASON = f"[{REASON_KEY}]"  # why one is missing (the files name it in the reader's language)
LONG_COLUMNS = ("region_code", "region_name", "region_level", "indicator_id", "indicator",
                "unit", "year", "value", COVERAGE, "is_estimated", "is_converted", "status",
                "source", "series_break", "cbs_status")
MAX_ROWS = 250_000  # the whole warehouse (~200k rows) fits; Excel's own limit is ~1M
# Excel costs ~10x CSV to write (pure Python, holding the interpreter): one request may ask
# for at most this many rows (bench: 'export' measures the largest), CSV/Parquet for MAX_ROWS.
MAX_XLSX_ROWS = 50_000
PREVIEW_ROWS = 20
SAFE_RE = re.compile(r"[^A-Za-z0-9_-]+")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MIME = {"csv": "text/csv", "csv_excel": "text/csv",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "parquet": "application/vnd.apache.parquet", "datapackage": "application/json"}
# The files beside every table: a standard CSV for tools, a CSV for Excel in the reader's
# language, an Excel workbook, and the Frictionless Data Package that describes the standard
# CSV (columns, types, units, definitions, CBS tables, licence, build, status legend).
TABLE_KINDS = ("csv", "csv_excel", "xlsx", "datapackage")
DATAPACKAGE_SUFFIX = ".datapackage.json"
LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0 International"}
CBS_STATUSES = ("voorlopig", "definitief", "unknown")  # etl/release.py: indicator_status
# A wide export's CBS status per cell: beside 'value_2024' the column 'cbs_status_2024'.
STATUS_YEAR_RE = re.compile(r"cbs_status_([0-9]{4})")
STATUSES = ("ok", "published", "low_coverage", "incomplete_sum", "unreliable",
            "other_boundaries", "other_territory", "missing")  # etl/schema.py STATUSES
# The standard CSV (kind 'csv'), for pandas, DuckDB and R with their defaults: RFC 4180, UTF-8
# without a byte order mark, ',' between fields, '.' as decimal point, one header row whose
# names are the machine-readable column names (the data package gives each its title, unit and
# definition). The CSV for Excel (kind 'csv_excel') follows the reader's Excel:
# CSV dialect per language. Dutch Excel (Windows, nl-NL regional settings) splits a CSV on
# its list separator ';' and reads numbers with a decimal comma: a file with ',' and '.' opens
# as one column per line, or turns 2.9 into a date or 29. So the Dutch export uses ';' and a
# decimal comma, like CBS StatLine's own CSV, and the English one ',' and '.'. Both are UTF-8
# with a byte order mark, without which Excel reads 'Fryslân' as 'FryslÃ¢n'.
CSV_DIALECT = {"nl": {"sep": ";", "decimal": ","}, "en": {"sep": ",", "decimal": "."}}



# --- file names ------------------------------------------------------------------------------

def safe_part(value: object) -> str:
    """One part of a file name: ASCII letters, digits, '_' and '-' only."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return SAFE_RE.sub("-", text).strip("-_")[:60]


def file_name(name_parts: Iterable[object], ext: str, day: dt.date | None = None) -> str:
    """'kaart_werkloosheid_pct_gemeente_2024_2026-11-22.csv': what is in it, and when."""
    parts = [p for p in (safe_part(part) for part in name_parts) if p]
    parts.append((day or dt.date.today()).isoformat())
    return "_".join(parts) + "." + safe_part(ext)


def codes_part(codes: Iterable[str], most: int = 4) -> str:
    """Region codes for a file name: 'PR_mra-GM0363', or the first few and '+n'."""
    codes = list(codes)
    shown = "-".join(codes[:most])
    return shown if len(codes) <= most else f"{shown}-plus{len(codes) - most}"


def years_part(years: Iterable[int]) -> str:
    """'2024' or '2013-2024'."""
    years = sorted({int(y) for y in years})
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


# --- what the files say about their numbers ---------------------------------------------------

def unit_column(indicator_id: str, unit: str) -> str:
    """The name of a column holding one indicator: 'id [unit]'."""
    return f"{indicator_id} [{unit}]"


def indicator_meta(indicator_ids: Iterable[str]) -> pd.DataFrame:
    """Registry rows of the given indicators (unknown ones left out), in the given order."""
    meta = queries.indicators().set_index("indicator_id")
    wanted = [i for i in dict.fromkeys(indicator_ids) if i in meta.index]
    return meta.loc[wanted].reset_index()


def caveat(row: pd.Series, lang: str) -> str:
    """What to keep in mind: the data gap, the registry note, and medians not adding up."""
    parts = [gap_reason(row, lang), row.get(f"note_{lang}")]
    if row.get("aggregation") == "none":
        parts.append(tr("export_caveat_median", lang))
    return " ".join(str(p).strip() for p in parts if isinstance(p, str) and p.strip())


def sources_table(indicator_ids: Iterable[str], lang: str) -> pd.DataFrame:
    """Per indicator: id, title, definition, unit, CBS table, StatLine link, rule, caveat."""
    return sources_table_for(tuple(indicator_ids), lang)


@memo
def sources_table_for(indicator_ids: tuple[str, ...], lang: str) -> pd.DataFrame:
    """sources_table, computed once per indicator set and language (pages call it per run)."""
    meta = indicator_meta(indicator_ids)
    return pd.DataFrame({
        "indicator_id": meta["indicator_id"],
        tr("export_src_title", lang): meta[f"title_{lang}"],
        tr("export_src_definition", lang): meta[f"definition_{lang}"],
        tr("export_src_unit", lang): meta[f"unit_{lang}"],
        tr("export_src_table", lang): meta["source_table"],
        tr("export_src_link", lang): meta["statline_url"],
        tr("export_src_aggregation", lang): [tr(f"export_agg_{a}", lang)
                                             for a in meta["aggregation"]],
        tr("export_src_caveat", lang): [caveat(row, lang) for _, row in meta.iterrows()],
    })


def provenance(lang: str, day: dt.date | None = None) -> list[tuple[str, str]]:
    """Licence, build date, build source, code version and export date as (label, text)."""
    meta = queries.build_meta()
    return [
        (tr("export_meta_release", lang), db.release_id() or ""),
        (tr("export_meta_release_link", lang), db.run_link() or ""),
        (tr("export_meta_licence", lang), tr("export_licence", lang)),
        (tr("export_meta_built", lang), str(meta.get("built_at", ""))[:19]),
        (tr("export_meta_source", lang), build_source(meta, lang)),
        (tr("export_meta_code", lang), str(meta.get("code_version") or "")),
        (tr("export_meta_boundaries", lang),
         tr("export_boundaries", lang, year=meta.get("boundary_year") or 2024)),
        (tr("export_meta_exported", lang), (day or dt.date.today()).isoformat()),
    ]


def column_notes(columns: Iterable[str], lang: str,
                 human: bool = False) -> list[tuple[str, str]]:
    """Explanations of the standard columns present in a table (`human`: as the CSV for Excel
    and the workbook write status and origin, in words rather than identifiers)."""
    known = {COVERAGE: "export_col_coverage", "is_estimated": "export_col_estimated",
             "is_converted": "export_col_converted", "status": "export_col_status",
             "source": "export_col_source", "series_break": "export_col_break",
             "cbs_status": "export_col_cbs_status", "release": "export_col_release",
             "release_link": "export_col_release_link",
             SCORE: "export_col_score", "unit": "export_col_unit"}
    notes = [(c, status_note(lang, human) if c == "status" else
              cbs_status_note(lang, human) if c == "cbs_status" else
              source_note(lang) if c == "source" and human else tr(known[c], lang))
             for c in columns if c in known]
    if any(STATUS_YEAR_RE.fullmatch(str(c)) for c in columns):  # a wide export: one note
        year = f"<{tr('year', lang).lower()}>"
        name = tr("col_cbs_status_year", lang, year=year) if human else f"cbs_status_{year}"
        notes.append((name, f"{tr('export_col_cbs_status_year', lang, year=year)}: "
                            f"{cbs_status_note(lang, human)}"))
    notes += [(c, tr("export_col_rank", lang)) for c in columns if str(c).startswith("rank")]
    return notes



# --- human column names, the status legend and the data package ------------------------------

# The fixed columns' titles (Excel, the CSV for Excel, the data package's field titles); the
# standard CSV keeps the machine-readable names, which the data package explains.
COLUMN_TITLES = {"region_code": "col_region_code", "region_name": "col_region_name",
                 "region_level": "col_region_level", "indicator_id": "col_indicator_id",
                 "indicator": "col_indicator", "unit": "col_unit", "year": "col_year",
                 "value": "col_value", COVERAGE: "col_coverage", "is_estimated": "col_estimated",
                 "is_converted": "col_converted", "status": "col_status", "source": "col_origin",
                 "series_break": "col_break", "note": "col_note", "factor": "col_factor",
                 "rank [1 = best]": "col_rank_best", "rank [1 = highest]": "col_rank_highest",
                 "rank": "col_rank", SCORE: "col_score", "cbs_status": "col_cbs_status",
                 "release": "col_release", "release_link": "col_release_link"}
UNIT_RE = re.compile(r"(.*) \[(.*)\]")


def human_column(name: object, lang: str, titles: dict[str, str] | None = None) -> str:
    """A column's name as a person reads it: 'Regio', 'Dekking (0-1)', 'Werkloosheid (% van
    de beroepsbevolking)', 'Zeeland (PR_zeeland) score (0-10)'."""
    name = str(name)
    if name in COLUMN_TITLES:
        return tr(COLUMN_TITLES[name], lang)
    status_year = STATUS_YEAR_RE.fullmatch(name)
    if status_year:
        return tr("col_cbs_status_year", lang, year=status_year[1])
    if re.fullmatch(r"value_[0-9]{4}", name):
        return name[len("value_"):]
    match = UNIT_RE.fullmatch(name)
    if match:
        head, unit = match[1], match[2]
        if titles and head in titles:
            head = titles[head]
        if unit == REASON_KEY:
            return f"{head} {tr('col_reason', lang)}"
        if unit == "0-10" and head.endswith(" score"):
            return f"{head[:-len(' score')]} {tr('col_score', lang)}"
        return f"{head} ({unit})"
    return name


def human_columns(columns: Iterable[object], lang: str) -> list[str]:
    """human_column for every column, unique (a repeat gets ' (2)')."""
    titles = dict(zip(queries.indicators()["indicator_id"],
                      queries.indicators()[f"title_{lang}"], strict=True))
    names: list[str] = []
    for column in columns:
        base = name = human_column(column, lang, titles)
        n = 1
        while name in names:
            n += 1
            name = f"{base} ({n})"
        names.append(name)
    return names


def status_legend(lang: str) -> dict[str, str]:
    """Every status a row can have, explained in one language."""
    return {status: tr(f"legend_{status}", lang) for status in STATUSES}


def status_note(lang: str, human: bool = False) -> str:
    """The status column explained: every status (its identifier, or with `human` its word)
    with its meaning."""
    return "; ".join(f"{value_word('status', status, lang) if human else status}: "
                     f"{text}" for status, text in status_legend(lang).items())


def cbs_status_legend(lang: str) -> dict[str, str]:
    """Every CBS status a figure can have (CBS's Voorlopig/Definitief), explained."""
    return {status: tr(f"legend_cbs_{status}", lang) for status in CBS_STATUSES}


def cbs_status_note(lang: str, human: bool = False) -> str:
    """The CBS status column explained: every value (its identifier, or with `human` its
    word) with its meaning."""
    return "; ".join(f"{value_word('cbs_status', status, lang) if human else status}: {text}"
                     for status, text in cbs_status_legend(lang).items())


def source_note(lang: str) -> str:
    """The origin column of a human-readable file explained."""
    return (f"{tr('export_source_published', lang)}: {tr('legend_published', lang)}; "
            f"{tr('export_source_aggregated', lang)}: {tr('legend_ok', lang)}")


# Columns of identifiers that the human-readable files (the CSV for Excel, the workbook) write
# as words in the file's language; the standard CSV keeps the identifiers, which its data
# package explains.
VALUE_WORDS = ("region_level", "status", "source", "cbs_status")


def value_word(column: str, value: object, lang: str) -> object:
    """An identifier in one of the VALUE_WORDS columns as a word ('provincie' -> 'province');
    an unknown one as it is."""
    if not isinstance(value, str):
        return value
    if column == "region_level" and f"export_level_{value}" in TEXTS:
        return tr(f"export_level_{value}", lang)
    if column == "status" and f"export_status_{value}" in TEXTS:
        return tr(f"export_status_{value}", lang)
    if column == "source" and f"export_source_{value}" in TEXTS:
        return tr(f"export_source_{value}", lang)
    if column == "cbs_status" and f"status_word_{value}" in TEXTS:
        return tr(f"status_word_{value}", lang)
    return value


def human_values(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The values of a human-readable file in one language: yes/no instead of True/False
    ('Ja'/'Nee'), levels, statuses and origins as words, Nederland as the reader calls it.
    Columns by their machine-readable names (before human_columns)."""
    frame = frame.copy()
    yes_no = {True: tr("export_yes", lang), False: tr("export_no", lang)}
    for name in frame.columns:
        if pd.api.types.is_bool_dtype(frame[name]):
            frame[name] = frame[name].astype(object).map(yes_no)
        elif name in VALUE_WORDS:
            frame[name] = frame[name].map(functools.partial(value_word, name, lang=lang))
        elif STATUS_YEAR_RE.fullmatch(str(name)):
            frame[name] = frame[name].map(functools.partial(value_word, "cbs_status",
                                                            lang=lang))
    if {"region_code", "region_name"} <= set(frame.columns):
        frame.loc[frame["region_code"] == "NL01", "region_name"] = tr("netherlands", lang)
    return frame


def human_csv(frame: pd.DataFrame, names: list[str], lang: str) -> bytes:
    """The CSV for Excel: words and column names in the file's language, its CSV dialect."""
    return to_csv(human_values(frame, lang).set_axis(names, axis=1), lang)


def human_excel(frame: pd.DataFrame, names: list[str], sources: pd.DataFrame,
                about: list[tuple[str, str]], lang: str,
                notes: list[tuple[str, str]] | None = None) -> bytes:
    """The workbook: words and column names in the file's language."""
    return excel_bytes(human_values(frame, lang).set_axis(names, axis=1), sources, about, lang,
                       notes)


def table_file_name(name_parts: Iterable[object], kind: str, day: dt.date | None = None) -> str:
    """The file name of one kind of table file; the CSV for Excel and the data package are
    named after the standard CSV ('…_excel.csv', '….datapackage.json')."""
    parts = tuple(name_parts)
    if kind == "csv_excel":
        return file_name((*parts, "excel"), "csv", day)
    if kind == "datapackage":
        return file_name(parts, "csv", day)[:-len(".csv")] + DATAPACKAGE_SUFFIX
    return file_name(parts, kind, day)


def field_type(series: pd.Series) -> str:
    """The Table Schema type of a column."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    return "string"


def field_description(name: str, lang: str, notes: dict[str, str],
                      meta: pd.DataFrame, full_precision: bool) -> str:
    """What a column holds, in words."""
    if name in notes:
        return notes[name]
    match = UNIT_RE.fullmatch(name)
    head = match[1] if match else name
    if head in meta.index:
        row = meta.loc[head]
        precision = tr("dp_precision_cbs", lang)
        return f"{row[f'title_{lang}']}: {row[f'definition_{lang}']} {precision}"
    if name == "value":
        return tr("dp_value_full" if full_precision else "dp_value_cbs", lang)
    if re.fullmatch(r"value_[0-9]{4}", name):
        return tr("dp_value_year", lang, year=name[len("value_"):])
    status_year = STATUS_YEAR_RE.fullmatch(name)
    if status_year:
        return (f"{tr('export_col_cbs_status_year', lang, year=status_year[1])}: "
                f"{cbs_status_note(lang)}")
    if match and match[2] == REASON_KEY:
        return tr("dp_reason", lang)
    if match and match[2] == "0-10":
        return tr("export_col_score", lang)
    key = COLUMN_TITLES.get(name)
    return tr(key, lang) if key else ""


def datapackage(frame: pd.DataFrame, indicator_ids: Iterable[str], lang: str, csv_name: str,
                day: dt.date | None = None) -> dict:
    """A Frictionless Data Package (v1, tabular) describing the standard CSV `csv_name` of
    `frame`: its columns (name, title, type, unit, definition), the status legend, the
    indicators with their CBS tables and StatLine links, licence, build and export date. One
    language (the reader's)."""
    meta = queries.indicators().set_index("indicator_id")
    ids = [i for i in dict.fromkeys(indicator_ids) if i in meta.index]
    notes = dict(column_notes(frame.columns, lang))
    full = "value" in frame.columns  # the long export: values as computed
    titles = human_columns(frame.columns, lang)
    fields = []
    for name, title in zip(frame.columns, titles, strict=True):
        field = {"name": str(defuse(name)), "title": title, "type": field_type(frame[name])}
        description = field_description(str(name), lang, notes, meta, full)
        if description:
            field["description"] = description
        match = UNIT_RE.fullmatch(str(name))
        if match and match[2] not in (REASON_KEY,):
            field["unit"] = match[2]
        if name == "status":
            field["constraints"] = {"enum": list(STATUSES)}
        if name == "cbs_status" or STATUS_YEAR_RE.fullmatch(str(name)):
            field["constraints"] = {"enum": list(CBS_STATUSES)}
        if name == "year":
            field["constraints"] = {"minimum": 1990, "maximum": 2100}
        fields.append(field)
    stem = csv_name[:-len(".csv")] if csv_name.endswith(".csv") else csv_name
    sources = {}
    for i in ids:
        for table in (meta.at[i, "source_table"], meta.at[i, "denominator_table"]):
            if isinstance(table, str) and table and table not in sources:
                sources[table] = {"title": f"CBS StatLine {table}",
                                  "path": f"https://opendata.cbs.nl/#/CBS/nl/dataset/{table}"}
    about = provenance(lang, day)
    return {
        "profile": "tabular-data-package",
        "name": re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-") or "export",
        "title": tr("dp_title", lang),
        "description": tr("dp_description", lang, csv=csv_name),
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "version": str(queries.build_meta().get("built_at", ""))[:19],
        "licenses": [LICENCE],
        "sources": list(sources.values()) or [{"title": "CBS StatLine",
                                               "path": "https://opendata.cbs.nl/"}],
        "keywords": ["CBS", "StatLine", "regio", "region"],
        "language": lang,
        "provenance": {label: text for label, text in about},
        "statusLegend": status_legend(lang),
        # CBS's own Voorlopig/Definitief of a figure: the column cbs_status (long) or
        # cbs_status_<year> beside value_<year> (wide)
        "cbsStatusLegend": cbs_status_legend(lang),
        "indicators": [{
            "id": i, "title": meta.at[i, f"title_{lang}"],
            "definition": meta.at[i, f"definition_{lang}"], "unit": meta.at[i, f"unit_{lang}"],
            "cbsTable": meta.at[i, "source_table"],
            "cbsDenominatorTable": (None if pd.isna(meta.at[i, "denominator_table"])
                                    else meta.at[i, "denominator_table"]),
            "statline": meta.at[i, "statline_url"],
            "decimalsPublished": int(meta.at[i, "decimals"]),
            "aggregation": tr(f"export_agg_{meta.at[i, 'aggregation']}", lang),
            "caveat": caveat(meta.loc[i], lang)} for i in ids],
        "resources": [{
            "name": "data", "path": csv_name, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
                        "doubleQuote": True, "header": True},
            "schema": {"fields": fields, "missingValues": [""]},
        }],
    }

# --- writers ---------------------------------------------------------------------------------

def defuse(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV only:
    in Excel a cell written as a string is never a formula, and an apostrophe would show)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def defused(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell defused (numbers untouched)."""
    frame = frame.copy()
    for name in frame.columns:
        if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name]):
            frame[name] = frame[name].map(defuse)
    frame.columns = [defuse(c) for c in frame.columns]
    return frame


def to_csv(frame: pd.DataFrame, lang: str = "nl") -> bytes:
    """CSV for Excel in the given language's dialect; numbers as numbers, UTF-8 with BOM."""
    dialect = CSV_DIALECT.get(lang, CSV_DIALECT["nl"])
    text = defused(frame).to_csv(index=False, lineterminator="\r\n", **dialect)
    return text.encode("utf-8-sig")


def to_standard_csv(frame: pd.DataFrame) -> bytes:
    """The standard CSV: RFC 4180 (CRLF, fields with ',', '"' or a line break quoted), UTF-8
    without BOM, ',' and '.', machine-readable column names; pandas.read_csv, DuckDB's
    read_csv and R's read.csv read it with their defaults. Flags as 'TRUE'/'FALSE' (as R
    writes them): all three and the data package's boolean type read those as booleans;
    R 4.2 keeps 'True'/'False' and 'true'/'false' as text."""
    frame = defused(frame)
    for name in frame.columns:
        if pd.api.types.is_bool_dtype(frame[name]):
            frame[name] = frame[name].map({True: "TRUE", False: "FALSE"})
    text = frame.to_csv(index=False, lineterminator="\r\n", sep=",", decimal=".")
    return text.encode("utf-8")


def read_csv(data: bytes, lang: str = "nl") -> pd.DataFrame:
    """Read an exported CSV back (for tests and notebooks): the standard CSV as it is, the
    CSV for Excel (it starts with a byte order mark) in the given language's dialect."""
    if not data.startswith(codecs.BOM_UTF8):
        return pd.read_csv(io.BytesIO(data))
    dialect = CSV_DIALECT.get(lang, CSV_DIALECT["nl"])
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", **dialect)


def cell_value(value: object) -> object:
    """A frame value as openpyxl wants it: None for missing, plain Python numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def write_cells(ws, row: int, values: Iterable[object], fmt=None, start: int = 0) -> None:
    """One row of typed cells: text always as text (never a formula or a link), numbers as
    numbers, booleans as booleans, missing values as empty cells."""
    for col, raw in enumerate(values, start=start):
        value = cell_value(raw)
        if value is None:
            continue
        if isinstance(value, str):
            ws.write_string(row, col, value, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float) and math.isfinite(value):
            ws.write_number(row, col, value, fmt)
        else:
            ws.write_string(row, col, str(value), fmt)


def column_widths(ws, frame: pd.DataFrame, most: int = 60) -> None:
    """Column widths from the header and the first rows."""
    sample = frame.head(200)
    for i, name in enumerate(frame.columns):
        longest = max([len(str(name))] + [len(str(v)) for v in sample[name]])
        ws.set_column(i, i, min(max(longest + 2, 8), most))


def write_data_sheet(wb, frame: pd.DataFrame, title: str, bold) -> None:
    """Sheet 1: the table itself, header in bold, frozen below the header."""
    ws = wb.add_worksheet(title)
    ws.freeze_panes(1, 0)
    column_widths(ws, frame)
    write_cells(ws, 0, list(map(str, frame.columns)), bold)
    for number, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        write_cells(ws, number, row)


def write_sources_sheet(wb, frame: pd.DataFrame, sources: pd.DataFrame,
                        about: list[tuple[str, str]], lang: str, bold,
                        notes: list[tuple[str, str]] | None = None) -> None:
    """Sheet 2: licence and provenance, the columns explained, then one row per indicator."""
    ws = wb.add_worksheet(tr("export_sheet_sources", lang))
    for i, width in enumerate((34, 34, 70, 28, 12, 58, 34, 70)):
        ws.set_column(i, i, width)
    row = 0
    for label, text in about:
        write_cells(ws, row, [label], bold)
        write_cells(ws, row, [text], start=1)
        row += 1
    row += 1
    notes = column_notes(frame.columns, lang) if notes is None else notes
    if notes:
        write_cells(ws, row, [tr("export_meta_columns", lang)], bold)
        for offset, (name, text) in enumerate(notes, start=1):
            write_cells(ws, row + offset, [name, text])
        row += len(notes) + 2
    write_cells(ws, row, list(map(str, sources.columns)), bold)
    link_at = list(sources.columns).index(tr("export_src_link", lang))
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    link = wb.add_format({"text_wrap": True, "valign": "top", "font_color": "blue",
                          "underline": 1})
    for offset, values in enumerate(sources.itertuples(index=False, name=None), start=1):
        values = list(values)
        url = values[link_at]
        write_cells(ws, row + offset, values, wrap)
        if isinstance(url, str) and url.startswith("https://") and len(url) <= 2079:
            ws.write_url(row + offset, link_at, url, link, string=url)


def excel_bytes(frame: pd.DataFrame, sources: pd.DataFrame, about: list[tuple[str, str]],
                lang: str, notes: list[tuple[str, str]] | None = None) -> bytes:
    """Excel workbook: sheet 1 the data, sheet 2 'Bronnen en definities'.

    XlsxWriter, streaming rows to a temporary file (constant_memory): about twice as fast as
    openpyxl's write-only mode for the largest Excel export (bench: 'export'), little memory.
    Text is never turned into a formula, number or link by the writer itself.
    """
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False,
                                      "strings_to_numbers": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    write_data_sheet(wb, frame, tr("export_sheet_data", lang), bold)
    write_sources_sheet(wb, frame, sources, about, lang, bold, notes)
    wb.close()
    return buffer.getvalue()


def snake_case(name: object) -> str:
    """A column name usable unquoted in SQL and R: ascii, lowercase, words joined by '_'
    ('Waarde (% van de beroepsbevolking)' -> 'waarde_van_de_beroepsbevolking')."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "column"
    return f"c_{text}" if text[0].isdigit() else text


def parquet_columns(columns) -> list[str]:
    """snake_case names for a frame's columns, made unique ('_2', '_3' on repeats)."""
    names: list[str] = []
    for column in columns:
        base = name = snake_case(column)
        n = 1
        while name in names:
            n += 1
            name = f"{base}_{n}"
        names.append(name)
    return names


def indicator_metadata(indicator_ids: Iterable[str]) -> list[dict]:
    """Per indicator: id, titles, definitions, units and CBS table ids (for a file's
    metadata, so the numbers keep their meaning away from the app)."""
    meta = queries.indicators().set_index("indicator_id")
    wanted = [i for i in dict.fromkeys(indicator_ids) if i in meta.index]
    fields = ("title_nl", "title_en", "definition_nl", "definition_en", "unit_nl", "unit_en",
              "source_table", "denominator_table", "statline_url", "decimals")
    return [{"indicator_id": i, **{f: (None if pd.isna(meta.at[i, f]) else
                                       meta.at[i, f].item() if hasattr(meta.at[i, f], "item")
                                       else meta.at[i, f]) for f in fields}} for i in wanted]


def parquet_bytes(frame: pd.DataFrame, about: list[tuple[str, str]],
                  indicators: list[dict] | None = None) -> bytes:
    """Parquet (typed columns, snake_case ascii names: no quoting in SQL or R), with licence,
    provenance, the original column names and the indicators' definitions and CBS table ids
    in the file's metadata (JSON under 'rem_columns' and 'rem_indicators')."""
    data = frame.reset_index(drop=True)
    names = parquet_columns(data.columns)
    columns = dict(zip(names, map(str, data.columns), strict=True))
    table = pa.Table.from_pandas(data.set_axis(names, axis=1), preserve_index=False)
    extra = {f"rem_{safe_part(label).lower()}".encode(): text.encode() for label, text in about}
    extra[b"rem_columns"] = json.dumps(columns, ensure_ascii=False).encode()
    extra[b"rem_indicators"] = json.dumps(indicators or [], ensure_ascii=False).encode()
    buffer = io.BytesIO()
    pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}), **extra}),
                   buffer)
    return buffer.getvalue()


RELEASE_COLUMNS = ("release", "release_link")


def with_release(frame: pd.DataFrame, release: str, link: str) -> pd.DataFrame:
    """The table with the CSVs' last columns: its release and the link with fixed figures."""
    return frame.assign(**dict(zip(RELEASE_COLUMNS, (release, link), strict=True)))


def released(write: Callable, frame: pd.DataFrame, release: str, link: str, *args) -> bytes:
    """write(the table with its release columns, *args): a CSV made when it is asked for."""
    return write(with_release(frame, release, link), *args)


def file_maker(kind: str, frame: pd.DataFrame, indicator_ids: Iterable[str], lang: str,
               day: dt.date | None = None, csv_name: str = "") -> Callable[[], bytes]:
    """A callable that makes the file ('csv', 'csv_excel', 'xlsx', 'parquet' or the
    'datapackage' describing the standard CSV `csv_name`) when a button is clicked.

    Everything it needs from the warehouse is read now, in the script thread: the callable
    runs on another thread or in a worker process (monitor.budget), without the session, so
    it is a functools.partial of this module's functions (it pickles).
    """
    if kind in ("csv", "csv_excel", "datapackage"):
        # no room for metadata in a CSV: the release and the link with fixed figures to this
        # view and release are its last columns (and described so). They are added when the
        # file is made: a copy of the table with them, held by each button until it is
        # clicked, was ~40 MB for a large selection (server memory after 100 export links
        # 1.1 -> 2.5 GB)
        release, link = db.release_id() or "", db.run_link() or ""
    if kind == "csv":
        return functools.partial(released, to_standard_csv, frame, release, link)
    if kind == "csv_excel":
        names = human_columns([*frame.columns, *RELEASE_COLUMNS], lang)
        return functools.partial(released, human_csv, frame, release, link, names, lang)
    if kind == "datapackage":
        description = json.dumps(datapackage(with_release(frame, release, link), indicator_ids,
                                              lang, csv_name or "data.csv", day),
                                 ensure_ascii=False, indent=2)
        return functools.partial(str.encode, description, "utf-8")
    if kind == "parquet":
        about, indicators = provenance("en", day), indicator_metadata(indicator_ids)
        return functools.partial(parquet_bytes, frame, about, indicators)
    if len(frame) > MAX_XLSX_ROWS:
        raise ValueError(f"an Excel export holds at most {MAX_XLSX_ROWS} rows, not {len(frame)}")
    sources, about = sources_table(indicator_ids, lang), provenance(lang, day)
    names = human_columns(frame.columns, lang)
    renamed = dict(zip(frame.columns, names, strict=True))
    notes = [(renamed.get(c, c), text)
             for c, text in column_notes(frame.columns, lang, human=True)]
    return functools.partial(human_excel, frame, names, sources, about, lang, notes)


def to_excel(frame: pd.DataFrame, indicator_ids: Iterable[str], lang: str = "nl",
             day: dt.date | None = None) -> bytes:
    """Excel workbook of a table, with the sources of its indicators."""
    return file_maker("xlsx", frame, indicator_ids, lang, day)()


def to_parquet(frame: pd.DataFrame, day: dt.date | None = None,
               indicator_ids: Iterable[str] = ()) -> bytes:
    """Parquet file of a table."""
    return file_maker("parquet", frame, indicator_ids, "en", day)()


# --- the tables of the pages, as real numbers --------------------------------------------------

def shown(value: object, decimals: int) -> float:
    """A value as the tables show it: at CBS's precision (NaN for none)."""
    return float("nan") if value is None or pd.isna(value) else at_precision(value, decimals)


def unit_of(indicator_id: str, lang: str) -> str:
    """An indicator's unit in a language."""
    return str(queries.indicator_row(indicator_id)[f"unit_{lang}"])


def map_frame(table: pd.DataFrame, values: pd.DataFrame, indicator_id: str, year: int,
              level: str) -> pd.DataFrame:
    """The Kaart table: a region per row, the value named with its unit, rank, coverage."""
    lang = current_lang()
    rank = "rank [1 = highest]" if queries.indicator_row(indicator_id)["direction"] == \
        "neutral" else "rank [1 = best]"
    status = values.set_index("region_code")["status"]
    return pd.DataFrame({
        "region_code": table["region_code"], "region_name": table["region_name"],
        "region_level": level, "year": int(year),
        unit_column(indicator_id, unit_of(indicator_id, lang)): at_precision(
            table["value"], queries.indicator_row(indicator_id)["decimals"]),
        rank: table["rank"].astype("Int64"), COVERAGE: table["coverage"].astype(float),
        "is_estimated": table["is_estimated"].astype(bool),
        "status": table["region_code"].map(status).fillna("missing"),
        "cbs_status": releases.status_of(indicator_id, int(year)),  # Voorlopig: every row
        "note": table["note"],
    })


def trend_frame(series: pd.DataFrame, names: dict[str, str], indicator_id: str,
                unit: str, breaks: tuple[int, ...] = ()) -> pd.DataFrame:
    """The Trends numbers: a region and year per row (values, or the index when shown);
    series_break marks the first year on a new basis (not comparable with the year before)."""
    frame = series  # already in the order of the chosen regions, then by year
    decimals = int(queries.indicator_row(indicator_id)["decimals"]) if "Index" not in unit \
        else 1  # an index (first year = 100) at one decimal, as the chart shows it
    return pd.DataFrame({
        "region_code": frame["region_code"].to_numpy(),
        "region_name": frame["region_code"].map(names).to_numpy(),
        "year": frame["year"].astype(int).to_numpy(),
        unit_column(indicator_id, unit): at_precision(frame["value"], decimals).to_numpy(),
        "is_estimated": frame["is_estimated"].astype(bool).to_numpy(),
        "is_converted": frame["is_converted"].astype(bool).to_numpy(),
        "series_break": frame["year"].astype(int).isin(breaks).to_numpy(),
        "cbs_status": releases.status_column(pd.DataFrame(
            {"indicator_id": indicator_id, "year": frame["year"].astype(int).to_numpy()}
        )).to_numpy(),
    })


def region_columns(names: dict[str, str]) -> dict[str, str]:
    """Column names for regions: 'name (code)', distinct from the fixed columns."""
    return {code: f"{name} ({code})" for code, name in names.items()}


def compare_frame(values: pd.DataFrame, rows: pd.DataFrame, names: dict[str, str],
                  members: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """The Vergelijken table: an indicator per row, a value and a score column per region;
    beside each, why a value is missing (with the member gemeenten that lack a figure, where
    `members` gives the regions' gemeenten)."""
    lang = current_lang()
    meta = queries.indicators().set_index("indicator_id")
    ids = list(rows["indicator_id"])
    keyed = values.drop_duplicates(["indicator_id", "region_code"]).set_index(
        ["indicator_id", "region_code"])
    columns = region_columns(names)
    value = keyed["value"].astype(float).unstack().reindex(index=ids, columns=list(names))
    value = value.apply(lambda row: at_precision(row, meta.loc[row.name, "decimals"]), axis=1)
    score = keyed["score"].astype(float).unstack().reindex(index=ids, columns=list(names))
    score = score.round(1)  # as the page shows it
    lead = pd.DataFrame({
        "factor": list(rows["factor"]), "indicator_id": ids,
        "indicator": [meta.loc[i, f"title_{lang}"] for i in ids],
        "unit": [meta.loc[i, f"unit_{lang}"] for i in ids],
        "year": [int(y) for y in rows["year"]]}, index=ids)
    lead["cbs_status"] = releases.status_column(lead).to_numpy()
    members = members or {}
    years = dict(zip(ids, lead["year"], strict=True))
    reason = pd.DataFrame({f"{columns[c]} {REASON}": [
        missing_reason(meta.loc[i], lang, keyed_row(keyed, i, c), members.get(c, ()), years[i])
        if pd.isna(v) else "" for i, v in value[c].items()] for c in names}, index=ids)
    score = score.rename(columns={c: f"{columns[c]} {SCORE}" for c in names})
    return pd.concat([lead, value.rename(columns=columns), score, reason],
                     axis=1).reset_index(drop=True)


def keyed_row(keyed: pd.DataFrame, indicator_id: str, code: str) -> pd.Series | None:
    """One region's row of one indicator, if there is one."""
    key = (indicator_id, code)
    return keyed.loc[key] if key in keyed.index else None


def missing_reason(meta: pd.Series, lang: str, row: pd.Series | None = None,
                   members: tuple[str, ...] = (), year: int | None = None) -> str:
    """Why a value is missing from a wide export: the data gap, a median that does not add
    up, too little coverage (with every member gemeente that lacks a figure), or no figure
    for this region."""
    gap = gap_reason(meta, lang)
    if gap:
        return f"{tr('no_data_in_source', lang)}: {gap}"
    if meta.get("aggregation") == "none":
        return tr("status_not_aggregable", lang)
    if row is not None and row.get("status") == "low_coverage":
        note = tr("note_low_coverage", lang, coverage=float(row.get("coverage") or 0))
        names = queries.member_gaps(tuple(members), str(meta.name), int(year)) \
            if members and year else ()
        if not names:
            return note
        key = "missing_many" if len(names) > 1 else "missing_one"
        return f"{note}; {tr(key, lang, names=', '.join(names))}"
    return tr("export_no_value_region", lang)


def headline_frame(region: Region) -> pd.DataFrame:
    """The Overzicht headline table: an indicator per row, the region and Nederland."""
    lang = current_lang()
    code = region.code
    meta = queries.indicators().set_index("indicator_id")
    mine = profile.latest(regions.values((region,))).set_index("indicator_id")
    nl = queries.values_for_regions(("NL01",)).set_index(["indicator_id", "year"])["value"]
    ids = [i for i in profile.HEADLINE if i in mine.index]
    years = [int(mine.loc[i, "year"]) for i in ids]
    columns = region_columns({code: region.name, "NL01": tr("netherlands", lang)})
    return pd.DataFrame({
        "indicator_id": ids, "indicator": [meta.loc[i, f"title_{lang}"] for i in ids],
        "unit": [meta.loc[i, f"unit_{lang}"] for i in ids], "year": years,
        "cbs_status": [releases.status_of(i, y) for i, y in zip(ids, years, strict=True)],
        columns[code]: [shown(mine.loc[i, "value"], meta.loc[i, "decimals"]) for i in ids],
        columns["NL01"]: [shown(nl.get((i, y)), meta.loc[i, "decimals"])
                          for i, y in zip(ids, years, strict=True)],
    })


def profile_frame(table: pd.DataFrame, code: str, name: str) -> pd.DataFrame:
    """The Regioprofiel table: every indicator's latest value, Nederland, rank and note."""
    lang = current_lang()
    meta = queries.indicators().set_index("indicator_id")
    nl = queries.values_for_regions(("NL01",)).set_index(["indicator_id", "year"])["value"]
    data = table[table["year"] != ""]
    years = data["year"].astype(int).tolist()
    ids = data["indicator_id"].tolist()
    columns = region_columns({code: name, "NL01": tr("netherlands", lang)})
    return pd.DataFrame({
        "indicator_id": ids, "indicator": [meta.loc[i, f"title_{lang}"] for i in ids],
        "unit": [meta.loc[i, f"unit_{lang}"] for i in ids], "year": years,
        "cbs_status": [releases.status_of(i, y) for i, y in zip(ids, years, strict=True)],
        columns[code]: [shown(v, meta.loc[i, "decimals"])
                        for v, i in zip(data["value"], ids, strict=True)],
        columns["NL01"]: [shown(nl.get((i, y)), meta.loc[i, "decimals"])
                          for i, y in zip(ids, years, strict=True)],
        "rank": data["rank_text"].tolist(), "note": data["note"].tolist(),
    })


# --- the export page: long format ---------------------------------------------------------------

def long_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The long-format export of indicator_value rows with region names (regions.export_rows
    or queries.export_values)."""
    lang = current_lang()
    meta = queries.indicators().set_index("indicator_id")
    frame = rows[list(regions.EXPORT_COLUMNS)].reset_index(drop=True)
    ids = frame["indicator_id"]
    frame = frame.assign(
        indicator=ids.map(meta[f"title_{lang}"]), unit=ids.map(meta[f"unit_{lang}"]),
        year=frame["year"].astype(int), value=frame["value"].astype(float),
        is_estimated=frame["is_estimated"].astype("boolean").fillna(False).astype(bool),
        is_converted=frame["is_converted"].astype("boolean").fillna(False).astype(bool),
    ).rename(columns={"coverage": COVERAGE})
    frame[COVERAGE] = frame[COVERAGE].astype(float)
    # no value because the region did not exist in that form: coverage and 'estimated' of
    # today's gemeenten say nothing about it
    other = frame["status"].eq("other_territory")
    frame.loc[other, COVERAGE] = float("nan")
    frame.loc[other, "is_estimated"] = False
    breaks = queries.all_series_breaks()
    frame["series_break"] = pd.MultiIndex.from_frame(frame[["indicator_id", "year"]]).isin(
        pd.MultiIndex.from_arrays([breaks["indicator_id"], breaks["year"].astype(int)]))
    frame["cbs_status"] = releases.status_column(frame)  # Voorlopig marked in every row
    return frame[list(LONG_COLUMNS)].reset_index(drop=True)


YEAR_PREFIX = "value_"
WIDE_INDEX = ("region_code", "region_name", "region_level", "indicator_id", "indicator", "unit")


def wide_frame(long: pd.DataFrame) -> pd.DataFrame:
    """Regions × years: a region and indicator per row (in the long export's order), a column
    per year, the values at CBS's precision."""
    meta = queries.indicators().set_index("indicator_id")
    decimals = long["indicator_id"].map(meta["decimals"]).fillna(1).astype(int)
    rounded = [v if pd.isna(v) else at_precision(v, d)
               for v, d in zip(long["value"], decimals, strict=True)]
    keyed = long.assign(value=rounded).drop_duplicates([*WIDE_INDEX, "year"])
    wide = keyed.set_index([*WIDE_INDEX, "year"])["value"].unstack("year")
    order = pd.MultiIndex.from_frame(keyed[list(WIDE_INDEX)].drop_duplicates())
    wide = wide.reindex(order)
    # 'value_2024', not '2024': a header of numbers reads as a data row to DuckDB's sniffer
    years = [int(y) for y in wide.columns]
    wide.columns = [f"{YEAR_PREFIX}{y}" for y in years]
    wide = wide.reset_index()
    # CBS's status per cell: 'cbs_status_2024' says whether the figures of 'value_2024' are
    # Voorlopig, after all the years' values (a reader plotting the values keeps them together)
    status = releases.indicator_status()
    keyed = {(i, int(y)): v for i, y, v in zip(status["indicator_id"], status["year"],
                                                 status["status"], strict=True)}
    for year in years:
        wide[f"cbs_status_{year}"] = [keyed.get((i, year), "unknown")
                                      for i in wide["indicator_id"]]
    return wide


def selection_name_parts(indicator_ids: tuple[str, ...], levels: tuple[str, ...],
                         codes: tuple[str, ...], years: tuple[int, int]) -> tuple[str, ...]:
    """File-name parts of an export: indicator(s), regions, years."""
    lang = current_lang()
    indicators = indicator_ids[0] if len(indicator_ids) == 1 else tr(
        "export_n_indicators", lang, n=len(indicator_ids))
    regions = "-".join([*levels, codes_part(codes)] if codes else levels)
    return ("export", indicators, regions, years_part(years))
