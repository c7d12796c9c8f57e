"""Staging: strip padded region keys, parse periods, select slices by title, name measures."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from etl.catalog import TableSpec, slice_label
from etl.raw import RawTable, RawTableError, per_distinct, stripped

PERIOD_RE = re.compile(r"^(\d{4})(JJ|HJ|KW|MM|X0)(\d{2})$")
REGION_TYPES = ("NL", "LD", "PV", "CR", "AM", "GM")
STAGED_COLUMNS = [
    "table_id", "slice", "region_code", "region_type", "year", "period_code",
    "period_type", "measure", "measure_name", "value",
]


def strip_region_key(key: object) -> str:
    """CBS pads region keys ('NL01  '); return the bare code."""
    return str(key).strip()


def parse_period(code: str) -> tuple[int, str]:
    """'2023JJ00' -> (2023, 'JJ'); half-years 'HJ', quarters 'KW', months 'MM' kept apart."""
    match = PERIOD_RE.match(str(code).strip())
    if not match:
        raise ValueError(f"unrecognised CBS period code {code!r}")
    return int(match.group(1)), match.group(2)


def map_distinct(values: pd.Series, mapping) -> pd.Series:
    """values.map(mapping), looking each distinct value up once: a CBS column repeats a few
    dozen codes over thousands of rows, and Series.map runs Python per row."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = pd.Series(uniques, dtype=values.dtype).map(mapping)
    return mapped.take(codes).set_axis(values.index)


def dimension_titles(raw: RawTable, dim: str) -> pd.Series:
    """The titles of one dimension's categories, aligned with the data rows."""
    codes = raw.dimensions[dim]
    if not {"Key", "Title"} <= set(codes.columns):
        raise RawTableError(raw.table_id, f"{dim}.json lacks Key/Title")
    mapping = dict(zip(codes["Key"].astype(str).str.strip(), codes["Title"], strict=False))
    return map_distinct(stripped(raw.data[dim]), mapping)


def slice_dimensions(raw: RawTable) -> list[str]:
    """The dimensions that are neither region nor period (a second region dimension, such as
    85481NED's WoonregioS beside the work region, is a slice too)."""
    props = raw.properties.set_index("Key")["Type"]
    return [d for d in raw.dimension_keys
            if props[d] == "Dimension" or (props[d] == "GeoDimension" and d != "RegioS")]


def select_slices(raw: RawTable, spec: TableSpec) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """Keep the rows of the declared slices; return rows, their slice label, absent optionals."""
    dims = slice_dimensions(raw)
    if dims and not spec.slices:
        raise RawTableError(raw.table_id, f"dimensions {dims} present but no slices declared")
    if not dims:
        return raw.data, pd.Series("", index=raw.data.index), []
    titles = {d: dimension_titles(raw, d) for d in dims}
    labels = pd.Series(pd.NA, index=raw.data.index, dtype="object")
    absent = []
    for slc in spec.slices:
        wanted = dict(slc.titles)
        unknown = set(wanted) - set(dims)
        if unknown or set(dims) - set(wanted):
            raise RawTableError(
                raw.table_id,
                f"slice {wanted} does not name the table's dimensions {dims} "
                f"(dimension renamed or removed?)",
            )
        mask = np.logical_and.reduce([titles[d] == t for d, t in wanted.items()])
        if not mask.any():
            if slc.optional:
                absent.append(slc.label)
                continue
            options = {d: sorted(titles[d].dropna().unique())[:8] for d in dims}
            raise RawTableError(raw.table_id,
                                f"slice {wanted} not found; titles present: {options}")
        labels[mask] = slc.label
    keep = labels.notna()
    return raw.data.loc[keep], labels[keep], absent


def check_measures(raw: RawTable, spec: TableSpec) -> None:
    """Every measure the spec names must be in the data (CBS renames measures at times)."""
    missing = [m for m in spec.measures if m not in raw.data.columns]
    if missing:
        raise RawTableError(raw.table_id, f"measure column(s) missing: {missing}")


NUMERIC_TYPES = frozenset({"Long", "Integer", "Short", "Byte", "Double", "Float", "Decimal"})


def declared_types(raw: RawTable) -> dict[str, str]:
    """Each topic's Datatype as CBS declares it in DataProperties.json (where given)."""
    props = raw.properties
    if "Datatype" not in props:
        return {}
    return {k: t for k, t in zip(props["Key"], props["Datatype"], strict=True)
            if isinstance(t, str)}


def row_examples(frame: pd.DataFrame, mask: pd.Series, most: int = 3) -> str:
    """A few rows, named as an operator finds them: ID, region key and period."""
    shown = []
    for idx in frame.index[mask][:most]:
        row = frame.loc[idx]
        parts = [f"ID {row['ID']}"] if "ID" in frame else []
        parts += [f"{c} {str(row[c]).strip()}" for c in ("RegioS", "Perioden") if c in frame]
        shown.append(" ".join(parts) or f"row {idx}")
    return "; ".join(shown)


def check_types(raw: RawTable, frame: pd.DataFrame, key: str) -> None:
    """A topic CBS declares numeric must hold numbers (or nothing): text such as 'abc' fails,
    naming table, column and rows, instead of turning the column into text and losing it."""
    values = frame[key]
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return
    wrong = values.map(lambda v: v is not None and not (
        isinstance(v, int | float) and not isinstance(v, bool)) and not pd.isna(v))
    if wrong.any():
        examples = ", ".join(repr(v)[:20] for v in values[wrong].unique()[:3])
        raise RawTableError(raw.table_id, f"column {key} is declared "
                            f"{declared_types(raw).get(key, 'numeric')} but {int(wrong.sum())} "
                            f"rows hold {examples} (e.g. {row_examples(frame, wrong)}) in "
                            "TypedDataSet.json")


def numeric_measures(raw: RawTable, frame: pd.DataFrame) -> list[str]:
    """Measure columns that hold numbers. CBS declares each topic's type: a numeric one must
    hold numbers only; text topics (names, codes) are left out. Without declared types, the
    columns pandas reads as numbers."""
    types = declared_types(raw)
    keys = [k for k in raw.measure_keys if k in frame]
    if not types:
        return [k for k in keys if pd.api.types.is_numeric_dtype(frame[k])]
    numeric = [k for k in keys if types.get(k) in NUMERIC_TYPES]
    for key in numeric:
        check_types(raw, frame, key)
    return numeric


def check_unique_rows(raw: RawTable, frame: pd.DataFrame, keys: list[str]) -> None:
    """One row per region, period and slice: a repeated one fails, naming the table and rows."""
    keys = [k for k in keys if k in frame]
    if not keys:
        return
    dupes = frame.duplicated(subset=keys, keep=False)
    if dupes.any():
        raise RawTableError(raw.table_id, f"{int(dupes.sum())} rows repeat the same "
                            f"{', '.join(keys)} (e.g. {row_examples(frame, dupes)}) in "
                            "TypedDataSet.json")


def stage_table(raw: RawTable, spec: TableSpec) -> tuple[pd.DataFrame, list[str]]:
    """Long staged rows (one per region, period, slice, measure; NULL values dropped)."""
    check_measures(raw, spec)
    if "RegioS" not in raw.data or "Perioden" not in raw.data:
        raise RawTableError(raw.table_id, "needs RegioS and Perioden columns")
    rows, labels, absent = select_slices(raw, spec)
    check_unique_rows(raw, rows.assign(_slice=labels), ["RegioS", "Perioden", "_slice"])
    measures = numeric_measures(raw, rows)
    base = pd.DataFrame({
        "region_code": stripped(rows["RegioS"]),
        "period_code": stripped(rows["Perioden"]),
        "slice": labels,
    })
    # a table has a few dozen distinct periods: parse each once (a bad one raises, named)
    periods = {code: parse_period(code) for code in base["period_code"].unique()}
    base["year"] = map_distinct(base["period_code"], {c: y for c, (y, _) in periods.items()}
                                ).astype("int32")
    base["period_type"] = map_distinct(base["period_code"],
                                       {c: t for c, (_, t) in periods.items()})
    base["region_type"] = per_distinct(base["region_code"], lambda s: s.str[:2])
    base = base[base["region_type"].isin(REGION_TYPES)]
    wide = pd.concat([base, rows.loc[base.index, measures]], axis=1)
    long = wide.melt(
        id_vars=["slice", "region_code", "region_type", "year", "period_code", "period_type"],
        value_vars=measures, var_name="measure", value_name="value",
    ).dropna(subset=["value"])
    long["table_id"] = spec.id
    long["measure_name"] = map_distinct(long["measure"], spec.measures).fillna(long["measure"])
    long["value"] = long["value"].astype("float64")
    return long[STAGED_COLUMNS].reset_index(drop=True), absent


def stage_wide(raw: RawTable, spec: TableSpec) -> pd.DataFrame:
    """A table without periods (Gebieden in Nederland): bare region key, named measures."""
    check_measures(raw, spec)
    check_unique_rows(raw, raw.data.assign(_key=raw.data["RegioS"].map(strip_region_key)),
                      ["_key"])
    frame = raw.data.drop(columns=["ID"], errors="ignore").copy()
    frame["RegioS"] = frame["RegioS"].map(strip_region_key)
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].map(lambda v: v.strip() if isinstance(v, str) else v)
    return frame.rename(columns={"RegioS": "region_code", **spec.measures})


FILL_COLUMNS = ["table_id", "measure", "region_code", "year", "from_table", "from_measure"]


def fill_gaps(staged: pd.DataFrame, specs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where a table lacks a gemeente's figure for a year and another table declares CBS's
    same figure (`fills` in tables.yaml), add that figure to the first table's rows and record
    it: return the staged rows and the fills (table, measure, gemeente, year, where from)."""
    added, records = [staged], []
    for spec in specs:
        if not spec.fills:
            continue
        target, year = spec.fills["table"], spec.fills["year"]
        own = staged[(staged["table_id"] == target) & (staged["year"] == year)
                     & (staged["region_type"] == "GM")]
        donor = staged[(staged["table_id"] == spec.id) & (staged["year"] == year)
                       & (staged["region_type"] == "GM")]
        names = dict(zip(own["measure"], own["measure_name"], strict=False))
        for from_key, key in spec.fills["measures"].items():
            have = set(own.loc[own["measure"] == key, "region_code"])
            rows = donor[(donor["measure"] == from_key) & ~donor["region_code"].isin(have)]
            if rows.empty:
                continue
            slice_ = own["slice"].iloc[0] if len(own) else ""
            added.append(rows.assign(table_id=target, measure=key, slice=slice_,
                                     measure_name=names.get(key, key)))
            records.append(pd.DataFrame({
                "table_id": target, "measure": key, "region_code": rows["region_code"],
                "year": year, "from_table": spec.id, "from_measure": from_key}))
    fills = (pd.concat(records, ignore_index=True) if records
             else pd.DataFrame(columns=FILL_COLUMNS))
    fills["year"] = fills["year"].astype("int32")
    return pd.concat(added, ignore_index=True), fills[FILL_COLUMNS]


__all__ = ["fill_gaps", "parse_period", "slice_label", "stage_table", "stage_wide",
           "strip_region_key"]
