"""Tables for the 'Over de data' page: the indicator catalogue and the build provenance."""

from __future__ import annotations

import pandas as pd

from monitor import queries
from monitor.i18n import current_lang, gap_reason, t
from monitor.numbers import number
from monitor.provenance import table_source


def years_text(first, last) -> str:
    """'2013-2024', one year, or 'no data in this source'."""
    if pd.isna(first):
        return t("no_data_in_source")
    return str(int(first)) if first == last else f"{int(first)}-{int(last)}"


def indicator_catalogue(factor_id: str) -> pd.DataFrame:
    """One row per indicator of a factor: definition, unit, source link, years, coverage."""
    lang = current_lang()
    frame = queries.indicators()
    frame = frame[frame["factor_id"] == factor_id].merge(queries.indicator_coverage(),
                                                         on="indicator_id", how="left")
    return pd.DataFrame({
        t("indicator"): frame[f"title_{lang}"],
        t("col_definition"): frame[f"definition_{lang}"],
        t("unit"): frame[f"unit_{lang}"],
        t("col_source"): frame["statline_url"],
        t("col_years"): [years_text(a, b) for a, b in zip(frame["first_year"],
                                                           frame["last_year"], strict=True)],
        t("col_coverage_latest"): frame["n_gemeenten_latest"].astype("Int64"),
        t("col_aggregation"): frame["aggregation"].map(lambda a: t(f"agg_{a}")),
        t("col_direction"): frame["direction"].map(lambda d: t(f"dir_{d}")),
        t("col_note"): [gap_reason(row, lang) or row[f"note_{lang}"]
                        for _, row in frame.iterrows()],
    })


def provenance() -> pd.DataFrame:
    """Per CBS table: title, source link, rows, where and when it was taken, CBS's date."""
    info = queries.build_info()
    kinds = info["source_kind"] if "source_kind" in info else [None] * len(info)
    return pd.DataFrame({
        t("col_table"): info["statline_url"], t("col_title"): info["title"],
        t("col_rows"): info["row_count"],
        t("col_origin"): [table_source(tid, kind, taken, current_lang()) for tid, kind, taken
                          in zip(info["table_id"], kinds, info["retrieved_at"], strict=True)],
        t("col_modified"): [f"{v:%Y-%m-%d}" if pd.notna(v) else "–"  # not "None"/"NaT"
                            for v in info["cbs_modified"]],
        t("col_left_out"): [left_out(row) for _, row in info.iterrows()],
    })


def left_out(row) -> str:
    """What the build's rules left out of one table (etl/placement.py), in words, or '–'."""
    parts = []
    for column, key in (("aggregate_rows_left_out", "left_out_aggregates"),
                        ("early_rows_left_out", "left_out_early")):
        n = row.get(column)
        if n is not None and pd.notna(n) and n > 0:
            parts.append(t(key, n=number(int(n), 0, current_lang())))
    return "; ".join(parts) or "–"


def any_left_out() -> bool:
    """Whether the build left out any rows by rule (the note under the sources says why)."""
    info = queries.build_info()
    return any(c in info and (info[c].fillna(0) > 0).any()
               for c in ("aggregate_rows_left_out", "early_rows_left_out"))


def fill_lines() -> list[str]:
    """Per source table and year: which gemeenten got a figure from another CBS table (the
    same figure by the same method; value_fill), in words."""
    fills = queries.value_fills()
    if fills.empty:
        return []
    meta = queries.indicators().set_index("indicator_id")
    fills = fills.assign(table=fills["indicator_id"].map(meta["source_table"]))
    lines = []
    for (table, year, source), part in fills.groupby(["table", "year", "from_table"]):
        names = ", ".join(dict.fromkeys(part["region_name"]))
        lines.append(t("about_fill", table=table, year=int(year), source=source, names=names,
                       n=part["indicator_id"].nunique()))
    return lines
