"""The warehouse's tables as data: columns, types, keys, allowed values and meanings.

One source for three readers: the ETL's checks (etl/validate.py), the reference part of
docs/warehouse.md (`python -m etl docs` writes it between its `<!-- schema:... -->` markers),
and tests/test_schema.py, which fails when a built warehouse holds a table or column that is
not described here, or when the committed doc differs from the generated one. A new column or
table is described here first; then `python -m etl docs`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "warehouse.md"

LEVELS = ("land", "provincie", "corop", "arbeidsmarktregio", "gemeente", "proeftuin")
STATUSES = ("ok", "published", "low_coverage", "incomplete_sum", "unreliable", "other_boundaries",
            "other_territory", "missing")
SOURCES = ("published", "aggregated")
DIRECTIONS = ("higher_is_better", "lower_is_better", "neutral")
AGGREGATIONS = ("ratio", "weighted_mean", "sum", "none")
SOURCE_KINDS = ("bundle", "snapshot", "live")


@dataclass(frozen=True)
class Column:
    name: str
    type: str          # DuckDB type as information_schema reports it
    meaning: str
    allowed: tuple[str, ...] = ()  # the only values it may hold (NULL aside), if a fixed set


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()      # unique together
    rules: tuple[str, ...] = field(default=())  # named checks in etl/validate.py

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def c(name: str, type_: str, meaning: str, allowed: tuple[str, ...] = ()) -> Column:
    return Column(name, type_, meaning, allowed)


T, INT, B, D, BI = "VARCHAR", "INTEGER", "BOOLEAN", "DOUBLE", "BIGINT"

TABLES: tuple[Table, ...] = (
    Table("stg_cbs_value", (
        c("table_id", T, "CBS table id, e.g. `86088NED`"),
        c("slice", T, "the kept category of each other dimension, by title: "
                      "`Dim=Title|Dim2=Title2` (sorted by dimension; empty when the table has "
                      "none)"),
        c("region_code", T, "stripped region key: `NL01`, `LD01`, `PV27`, `CR17`, `AM12`, "
                            "`GM0363` (historic gemeenten keep their own codes)"),
        c("region_type", T, "first two letters of the code"),
        c("year", INT, "year of the period"),
        c("period_code", T, "CBS period key, e.g. `2023JJ00`, `2024HJ01`"),
        c("period_type", T, "`JJ` year, `HJ` half-year, `KW` quarter, `MM` month (only `JJ` "
                            "feeds indicators)", ("JJ", "HJ", "KW", "MM")),
        c("measure", T, "CBS measure key, e.g. `Werkloosheidspercentage_13`"),
        c("measure_name", T, "clear name with unit as declared in `etl/tables.yaml` (e.g. "
                             "`werkloosheid_pct`)"),
        c("value", D, "the figure (NULLs are not staged)"),
    ), key=("table_id", "slice", "region_code", "period_code", "measure")),
    Table("region", (
        c("region_code", T, "`NL01`, `PV..`, `CR..`, `AM..`, `GM....`, or `PR_<pilot id>` "
                            "(default variant) / `PR_<pilot id>__<variant id>`"),
        c("region_name", T, "CBS name (pilot regions: name, or 'name: variant label')"),
        c("region_level", T, "the division it belongs to", LEVELS),
        c("pilot_id", T, "pilot regions only (others: NULL)"),
        c("variant_id", T, "pilot regions only (others: NULL)"),
        c("is_default_variant", B, "pilot regions: the variant maps and comparisons show "
                                   "(others: true)"),
        c("description", T, "pilot regions: what the cooperation is"),
        c("confidence", T, "pilot regions: how sure the membership is"),
        c("n_gemeenten", BI, "member gemeenten (2024)"),
        c("population", BI, "inhabitants 1 January 2024 (85755NED), the weight of `coverage`"),
        c("valid_from", INT, "pilot variants: the first year its membership holds (earlier years "
                             "have no value, status `other_territory`), else NULL"),
    ), key=("region_code",), rules=("level_counts",)),
    Table("region_membership", (
        c("region_code", T, "a region"),
        c("gemeente_code", T, "a 2024 gemeente belonging to it (a gemeente is also its own "
                              "member)"),
    ), key=("region_code", "gemeente_code"), rules=("members_are_gemeenten",)),
    Table("geometry", (
        c("region_code", T, "a region (every region has one row)"),
        c("geojson", T, "WGS84 GeoJSON geometry text"),
        c("centroid_lon", D, "centre, longitude"),
        c("centroid_lat", D, "centre, latitude"),
        c("min_lon", D, "bounding box"),
        c("min_lat", D, "bounding box"),
        c("max_lon", D, "bounding box"),
        c("max_lat", D, "bounding box"),
    ), key=("region_code",), rules=("every_region_drawn",)),
    Table("factor", (
        c("factor_id", T, "an ecosystem factor; `context` is shown but not scored"),
        c("title_nl", T, "title, Dutch"),
        c("title_en", T, "title, English"),
        c("description_nl", T, "description, Dutch"),
        c("description_en", T, "description, English"),
        c("scored", B, "whether its indicators get 0-10 scores"),
        c("sort_order", BI, "display order"),
    ), key=("factor_id",)),
    Table("indicator", (
        c("indicator_id", T, "the registry's id (`etl/indicators.yaml`)"),
        c("factor_id", T, "its factor"),
        c("title_nl", T, "title, Dutch"),
        c("title_en", T, "title, English"),
        c("definition_nl", T, "definition, Dutch"),
        c("definition_en", T, "definition, English"),
        c("unit_nl", T, "unit, Dutch"),
        c("unit_en", T, "unit, English"),
        c("aggregation", T, "how regions are made from gemeenten (below)", AGGREGATIONS),
        c("source_table", T, "CBS table of the numerator"),
        c("source_slice", T, "its slice"),
        c("numerator_key", T, "its measure"),
        c("denominator_table", T, "CBS table of the denominator (ratios)"),
        c("denominator_slice", T, "its slice"),
        c("denominator_key", T, "its measure"),
        c("numerator_factor", D, "multiplier of the numerator (e.g. thousands)"),
        c("denominator_factor", D, "multiplier of the denominator"),
        c("scale", D, "multiplier of the value (e.g. 100 for a percentage)"),
        c("direction", T, "which way is favourable", DIRECTIONS),
        c("decimals", BI, "decimals shown"),
        c("note_nl", T, "note, Dutch"),
        c("note_en", T, "note, English"),
        c("data_gap", T, "why there is no data in this source, in English, else NULL (a "
                         "declared gap, such as the sector shares `banen_sbi_*_pct` and the ICT "
                         "proxies, is computed and gets NULL as soon as its optional slices have "
                         "gemeente values, as from live CBS)"),
        c("data_gap_nl", T, "the same reason in Dutch"),
        c("statline_url", T, "the CBS table on StatLine"),
        c("peer_context", T, "`linear` or `log` when the indicator describes a region's "
                             "structure for finding similar regions, else NULL",
          ("linear", "log")),
        c("min_denominator", D, "a gemeente with a smaller denominator gets no value (the "
                                "reliability threshold), else NULL"),
        c("weight", D, "weight in its factor's score (0: shown, not scored)"),
    ), key=("indicator_id",)),
    Table("gm_value", (
        c("indicator_id", T, "indicator"),
        c("gemeente_code", T, "a 2024 gemeente"),
        c("year", INT, "year"),
        c("value", D, "the gemeente's value"),
        c("numerator", D, "what aggregation adds up"),
        c("denominator", D, "what aggregation adds up (ratios, weighted means)"),
        c("is_converted", B, "a municipal merger went into the value"),
        c("is_estimated", B, "a population share went into the value"),
        c("status", T, "`unreliable` (and `value` NULL) where the denominator is below the "
                       "indicator's `min_denominator`; numerator and denominator stay",
          ("ok", "unreliable", "missing")),
    ), key=("indicator_id", "gemeente_code", "year")),
    Table("indicator_value", (
        c("indicator_id", T, "indicator (key)"),
        c("region_code", T, "region (key)"),
        c("year", INT, "year (key)"),
        c("value", D, "gemeenten: CBS's published value (or the ratio); provincie, COROP, "
                      "arbeidsmarktregio, Nederland: CBS's own figure where it publishes one "
                      "on the same territory (published first), else aggregated from the "
                      "gemeenten by the indicator's rule; pilot regions: aggregated. NULL when "
                      "coverage < 95%, when a sum lacks a member, or when a gemeente's counts "
                      "are too small (`status`)"),
        c("numerator", D, "the sum behind the value (published rows: CBS's own)"),
        c("denominator", D, "the sum behind the value (published rows: CBS's own)"),
        c("coverage", D, "share of the region's 2024 population living in a gemeente with a "
                         "value (published: 1)"),
        c("is_estimated", B, "a population share (a split gemeente) went into the value"),
        c("is_converted", B, "a municipal merger conversion went into the value (plain "
                             "mergers: converted, not estimated)"),
        c("is_published", B, "the value is CBS's own figure for this region"),
        c("status", T, "`published`: CBS's own figure; `low_coverage`: no value, coverage < "
                       "95%; `incomplete_sum`: no value, a sum over fewer than all members is "
                       "not the region's total; `unreliable`: gemeente without value, the "
                       "denominator is below `min_denominator`; `other_boundaries`: no value, "
                       "a median CBS publishes on another division that year; "
                       "`other_territory`: no value, a pilot variant before its `valid_from`",
          STATUSES),
        c("source", T, "`published` (\"gepubliceerd door CBS\") or `aggregated` (\"berekend "
                       "uit gemeenten\"; a merged gemeente: added up from its predecessors)",
          SOURCES),
        c("aggregate_value", D, "provincie/COROP/AM/NL and pilot regions: the aggregate of the "
                                "gemeenten, kept beside CBS's figure as a cross-check"),
    ), key=("indicator_id", "region_code", "year"), rules=("low_coverage_has_no_value",)),
    Table("region_territory", (
        c("region_code", T, "a region CBS publishes figures for"),
        c("year", INT, "year"),
        c("same_territory", B, "whether CBS's figure of that year stands for the 2024 region"),
        c("method", T, "how that was decided (below)", ("nederland", "membership",
                                                       "population")),
    ), key=("region_code", "year")),
    Table("series_break", (
        c("indicator_id", T, "indicator"),
        c("year", INT, "the first year on a new basis"),
        c("reason_nl", T, "why, Dutch"),
        c("reason_en", T, "why, English"),
        c("source", T, "where CBS says so"),
    ), key=("indicator_id", "year")),
    Table("indicator_scale", (
        c("indicator_id", T, "indicator"),
        c("year", INT, "year"),
        c("p05", D, "5th percentile of the gemeente values"),
        c("p95", D, "95th percentile of the gemeente values"),
        c("n_gemeenten", BI, "gemeenten with a value"),
    ), key=("indicator_id", "year")),
    Table("indicator_score", (
        c("indicator_id", T, "indicator"),
        c("region_code", T, "region"),
        c("year", INT, "year"),
        c("score", D, "0-10: min-max between p05 and p95 after clipping, turned round where "
                      "lower is better; every region on the gemeente scale"),
    ), key=("indicator_id", "region_code", "year"), rules=("scores_in_range",)),
    Table("factor_weight", (
        c("indicator_id", T, "indicator"),
        c("factor_id", T, "its factor"),
        c("weight", D, "weight in the factor score, from the registry (`weight`, 1 unless "
                       "declared; 0 is not listed: shown, not scored)"),
    ), key=("indicator_id", "factor_id")),
    Table("factor_score", (
        c("factor_id", T, "factor"),
        c("region_code", T, "region"),
        c("year", INT, "year"),
        c("score", D, "weighted mean of the indicator scores of that year"),
        c("n_indicators", BI, "indicators scored"),
        c("n_expected", BI, "weighted indicators of the factor with a scale that year"),
        c("is_partial", B, "fewer indicators than expected: a partial score, said so"),
    ), key=("region_code", "factor_id", "year")),
    Table("factor_score_latest", (
        c("factor_id", T, "factor"),
        c("region_code", T, "region"),
        c("score", D, "weighted mean over each indicator's latest year"),
        c("n_indicators", BI, "indicators scored"),
        c("n_expected", BI, "weighted indicators of the factor"),
        c("is_partial", B, "fewer indicators than expected: a partial score, said so"),
        c("first_year", INT, "earliest of those years"),
        c("last_year", INT, "latest of those years"),
    ), key=("region_code", "factor_id")),
    Table("value_fill", (
        c("table_id", T, "the table that lacks the figure (e.g. `80305ned`)"),
        c("measure", T, "its measure key"),
        c("region_code", T, "the gemeente"),
        c("year", INT, "the year"),
        c("from_table", T, "the CBS table the figure was taken from (e.g. `85830ENG`, the "
                           "same measure by the same CBS method; `fills` in "
                           "`etl/tables.yaml`)"),
        c("from_measure", T, "its measure key there"),
    ), key=("table_id", "measure", "region_code", "year")),
    Table("wijk", (
        c("wijk_code", T, "a wijk code of 2024 or of 2023 (`WK036300`)"),
        c("gemeente_code", T, "its gemeente (2024)"),
        c("name_2024", T, "its name in 2024 (NULL: the code no longer exists)"),
        c("name_2023", T, "its name in 2023 (NULL: no 2023 figures)"),
        c("status", T, "`same`: one area both years; `renamed`: the code is kept under another "
                       "name (may be another area: its 2023 figures are not shown as the 2024 "
                       "wijk's); `absent_2024`: a 2023 code gone in 2024; `new_2024`: a 2024 "
                       "wijk without 2023 figures",
          ("same", "renamed", "absent_2024", "new_2024")),
        c("has_2023", B, "85830ENG (2023) lists the code"),
        c("has_2024", B, "the code is a wijk of 2024 (boundaries, 85984NED)"),
    ), key=("wijk_code",)),
    Table("wijk_geometry", (
        c("wijk_code", T, "a 2024 wijk"),
        c("geojson", T, "WGS84 GeoJSON geometry text (about 100 m precision)"),
        c("centroid_lon", D, "centre, longitude"),
        c("centroid_lat", D, "centre, latitude"),
        c("min_lon", D, "bounding box"),
        c("min_lat", D, "bounding box"),
        c("max_lon", D, "bounding box"),
        c("max_lat", D, "bounding box"),
    ), key=("wijk_code",)),
    Table("wijk_value", (
        c("table_id", T, "`85984NED` (2024) or `85830ENG` (2023)"),
        c("region_code", T, "a gemeente, wijk or buurt code of the table's year"),
        c("region_type", T, "`GM`, `WK` or `BU`", ("GM", "WK", "BU")),
        c("gemeente_code", T, "the gemeente of the code"),
        c("wijk_code", T, "the wijk of a wijk or buurt (NULL for a gemeente)"),
        c("year", INT, "the table's year"),
        c("measure", T, "CBS measure key"),
        c("measure_name", T, "clear name with unit (`etl/tables.yaml`)"),
        c("value", D, "CBS's figure, as published (never aggregated over wijken); NULL: CBS "
                      "lists the code without a figure (secret or unknown)"),
    ), key=("table_id", "region_code", "measure")),
    Table("build_info", (
        c("table_id", T, "CBS table id"),
        c("title", T, "CBS title"),
        c("alias", T, "short name in `etl/tables.yaml`"),
        c("boundaries", T, "`yearly` (each year's own gemeenten) or `current`"),
        c("source", T, "where the data came from, in words (never a filesystem path)"),
        c("source_kind", T, "`bundle`: the data shipped in `data/bundle/`; `snapshot`: an "
                            "offline copy; `live`: fetched from CBS", SOURCE_KINDS),
        c("retrieved_at", "TIMESTAMP", "when the data was taken from CBS"),
        c("row_count", BI, "rows in the raw table"),
        c("staged_rows", BI, "rows staged"),
        c("cbs_modified", "TIMESTAMP", "CBS's `Modified` of the table (TableInfos) where known; "
                                     "the offline snapshot has none"),
        c("absent_optional_slices", T, "optional slices the table did not have"),
        c("statline_url", T, "the table on StatLine"),
        c("gap_count", BI, "gemeenten without data in some years"),
        c("gaps", T, "which, e.g. `GM0193 Zwolle: 2010-2023`"),
        c("aggregate_rows_left_out", BI, "rows of no gemeente CBS sends ('niet in te delen', "
                                         "PV99, LD99, Buitenland), left out by rule"),
        c("aggregates_left_out", T, "which, e.g. `GM0998 Gemeenten; niet in te delen: 12 "
                                    "rows`"),
        c("early_rows_left_out", BI, "rows of gemeenten before 2010 that are not 2024 "
                                     "gemeenten, left out (no sourced list before 2010)"),
        c("early_gemeenten_left_out", T, "which, and why"),
    ), key=("table_id",)),
    Table("release", (
        c("release_id", T, "the release's id, `YYYY-MM-DD.xxxx`: the build date and the start "
                           "of `content_hash` (longer when that day already had it)"),
        c("built_at", "TIMESTAMP", "when it was built (UTC), as in `build_meta`"),
        c("content_hash", T, "sha256 over the figures, memberships, methods and statuses "
                             "(independent of row order): equal content, equal hash"),
        c("previous_release_id", T, "the release this warehouse replaced, else NULL"),
    )),
    Table("release_history", (
        c("release_id", T, "a release this warehouse descends from (itself included)"),
        c("built_at", "TIMESTAMP", "when it was built"),
    ), key=("release_id",)),
    Table("release_source", (
        c("table_id", T, "CBS table id"),
        c("title", T, "CBS title, where the source gives it"),
        c("cbs_modified", T, "CBS's modification date of the table, where known"),
        c("period_code", T, "a period the table holds (NULL for a table without periods)"),
        c("period_status", T, "CBS's status of that period (`Perioden.Status`); `unknown` "
                              "where the source does not say (the offline snapshot)",
          ("voorlopig", "definitief", "unknown")),
    ), key=("table_id", "period_code")),
    Table("indicator_status", (
        c("indicator_id", T, "indicator"),
        c("year", INT, "a year with gemeente values"),
        c("status", T, "`voorlopig` when CBS marks any figure it is made from provisional "
                       "(the `StatusCijfer` slice or the period's status), `definitief` when "
                       "all are final, else `unknown`", ("voorlopig", "definitief", "unknown")),
        c("basis", T, "where the status comes from: `StatusCijfer`, `Perioden`, `unknown`"),
    ), key=("indicator_id", "year")),
    Table("release_change", (
        c("from_release", T, "the older release"),
        c("to_release", T, "the newer release (the log keeps the last steps, carried "
                           "forward build after build)"),
        c("kind", T, "what changed (docs: 'Releases')", (
            "revised", "appeared", "disappeared", "restated", "year_added", "year_dropped",
            "status", "method", "indicator_added", "indicator_removed", "composition",
            "territory", "region_added", "region_removed")),
        c("indicator_id", T, "the indicator, where the change is about one"),
        c("region_code", T, "the region, where the change is about one"),
        c("year", INT, "the year, where the change is about one"),
        c("old_value", D, "the value before (cells)"),
        c("new_value", D, "the value after (cells)"),
        c("old_status", T, "the status before (`status`)"),
        c("new_status", T, "the status after (`status`)"),
        c("detail", T, "in English: changed method columns, members added (+) and removed "
                       "(-), ..."),
    )),
    Table("build_meta", (
        c("built_at", "TIMESTAMP", "when the warehouse was built (UTC)"),
        c("source", T, "where the data came from, in words"),
        c("source_kind", T, "as in `build_info`", SOURCE_KINDS),
        c("taken_at", "TIMESTAMP", "when the data was taken from CBS"),
        c("code_version", T, "git commit of the code"),
        c("boundary_year", BI, "the municipal division everything is on"),
        c("warnings", T, "e.g. rows that could not be converted to 2024 boundaries"),
    )),
)

# Tables in CBS's own shape, described as a family rather than column by column.
FAMILIES = {
    "raw_cbs__": "a CBS table as it came (columns: CBS's measure and dimension keys)",
    "stg_gebieden_": "CBS 'Gebieden in Nederland <year>' wide, one row per gemeente (columns: "
                     "CBS's keys)",
}
# An all-NULL column (e.g. an empty table, or no git commit to record) has no type of its own.
UNTYPED = '"NULL"'


def type_matches(actual: str, declared: str) -> bool:
    """Whether a column's type in a warehouse is the declared one (or untyped: all NULL)."""
    return actual in (declared, UNTYPED)


def table(name: str) -> Table:
    """The description of one table."""
    return next(t for t in TABLES if t.name == name)


def in_family(name: str) -> bool:
    """Whether a table is one of the CBS-shaped families."""
    return any(name.startswith(prefix) for prefix in FAMILIES)


# --- the doc ---------------------------------------------------------------------------------

MARK = re.compile(r"(<!-- schema:(?P<name>\w+) -->\n).*?(<!-- /schema -->)", re.DOTALL)


def markdown(spec: Table) -> str:
    """One table's reference: columns, types, allowed values, key."""
    rows = ["| column | type | meaning |", "| --- | --- | --- |"]
    for col in spec.columns:
        meaning = col.meaning.replace("|", "\\|")
        if col.allowed:
            meaning += "; one of " + ", ".join(f"`{v}`" for v in col.allowed)
        rows.append(f"| `{col.name}` | {col.type.strip(chr(34)).lower()} | {meaning} |")
    if spec.key:
        rows.append("")
        rows.append("Unique on (" + ", ".join(f"`{k}`" for k in spec.key) + ").")
    return "\n".join(rows) + "\n"


def render_doc(text: str) -> str:
    """The doc with every marked block regenerated from TABLES."""
    return MARK.sub(lambda m: m.group(1) + markdown(table(m.group("name"))) + m.group(3), text)


def documented_tables(text: str) -> set[str]:
    """Tables the doc has a generated block for."""
    return {m.group("name") for m in MARK.finditer(text)}


def write_doc(path: Path = DOC) -> bool:
    """Regenerate the doc's reference blocks; whether the file changed."""
    old = path.read_text(encoding="utf-8")
    new = render_doc(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old
