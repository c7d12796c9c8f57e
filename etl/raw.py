"""Read one CBS table in the cbsodata.download_data(typed=True) layout, with clear errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

REQUIRED_FILES = ("TypedDataSet.json", "DataProperties.json", "TableInfos.json")
DIMENSION_TYPES = {"Dimension", "GeoDimension", "TimeDimension", "GeoDetail"}


class RawTableError(RuntimeError):
    """A raw table directory is missing, malformed or lacks what the build needs."""

    def __init__(self, table_id: str, detail: str, path: Path | None = None):
        self.table_id = table_id
        self.detail = detail
        self.path = path
        where = f" ({path})" if path else ""
        super().__init__(f"CBS table {table_id}: {detail}{where}")


@dataclass
class RawTable:
    """A table as cbsodata wrote it: rows, measure/dimension properties, dimension code lists."""

    table_id: str
    data: pd.DataFrame
    properties: pd.DataFrame
    info: dict
    dimensions: dict[str, pd.DataFrame]
    # The bundle's Arrow table where `data` is its pandas conversion, unchanged: the raw table
    # is written to DuckDB from it (same types and values, without converting every string).
    arrow: object | None = field(default=None, repr=False, compare=False)

    @property
    def measure_keys(self) -> list[str]:
        props = self.properties
        return props.loc[props["Type"] == "Topic", "Key"].tolist()

    @property
    def dimension_keys(self) -> list[str]:
        props = self.properties
        return props.loc[props["Type"].isin(DIMENSION_TYPES), "Key"].tolist()

    @property
    def modified(self) -> str | None:
        return self.info.get("Modified")


def per_distinct(values: pd.Series, transform) -> pd.Series:
    """transform(values), computed on each distinct value once: a key column repeats a few
    hundred codes over thousands of rows, and pandas' string methods run Python per row.
    `transform` takes and returns a Series (e.g. `lambda s: s.str[:2]`)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    done = transform(pd.Series(uniques, dtype=values.dtype))
    return done.take(codes).set_axis(values.index).rename(values.name)


def stripped(values: pd.Series) -> pd.Series:
    """values as text without CBS's padding ('GM0363    ' -> 'GM0363'), as
    `values.astype(str).str.strip()` (each distinct value stripped once)."""
    return per_distinct(values.astype(str), lambda s: s.str.strip())


def read_json_file(table_id: str, path: Path) -> object:
    """Parse one JSON file, turning every failure into a RawTableError naming the file."""
    if not path.is_file():
        raise RawTableError(table_id, f"missing file {path.name}", path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RawTableError(table_id, f"malformed JSON in {path.name}: {exc}", path) from exc


def read_records(table_id: str, path: Path) -> list[dict]:
    """Read a JSON file that must hold a list of objects."""
    payload = read_json_file(table_id, path)
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise RawTableError(table_id, f"{path.name} is not a list of records", path)
    return payload


def read_raw_table(table_dir: Path, table_id: str | None = None) -> RawTable:
    """Read a table directory; every dimension with a code list gets a Key->Title frame."""
    table_dir = Path(table_dir)
    table_id = table_id or table_dir.name
    if not table_dir.is_dir():
        raise RawTableError(table_id, "table directory not found", table_dir)
    rows = read_records(table_id, table_dir / "TypedDataSet.json")
    if not rows:
        raise RawTableError(table_id, "TypedDataSet.json holds no rows (empty table)")
    properties = pd.DataFrame(read_records(table_id, table_dir / "DataProperties.json"))
    if not {"Key", "Type"} <= set(properties.columns):
        raise RawTableError(table_id, "DataProperties.json lacks Key/Type columns")
    infos = read_records(table_id, table_dir / "TableInfos.json")
    data = pd.DataFrame.from_records(rows)
    dims = {}
    for key in properties.loc[properties["Type"].isin(DIMENSION_TYPES), "Key"]:
        if key not in data.columns:
            raise RawTableError(table_id, f"dimension column {key!r} missing from the data")
        dims[key] = pd.DataFrame(read_records(table_id, table_dir / f"{key}.json"))
    return RawTable(table_id, data, properties, infos[0] if infos else {}, dims)


def conform(raw: RawTable, spec) -> RawTable:
    """The table as staging reads every CBS table: its region dimension called RegioS and,
    for a single-year table (spec.year), a Perioden dimension with that one year. Idempotent:
    a table already conformed (e.g. read back from the bundle) is returned as it is."""
    data, props, dims = raw.data, raw.properties, dict(raw.dimensions)
    region = spec.region_dimension
    if region != "RegioS" and region in data.columns:
        data = data.rename(columns={region: "RegioS"})
        props = props.assign(Key=props["Key"].replace({region: "RegioS"}))
        if region in dims:
            dims["RegioS"] = dims.pop(region)
    if "RegioS" in data.columns and "RegioS" not in set(props["Key"]):
        # 85984NED's DataProperties (as its source kept it) lists the measures only
        region_prop = pd.DataFrame([{"Key": "RegioS", "Type": "GeoDimension"}])
        props = pd.concat([region_prop, props], ignore_index=True)
    if "RegioS" in data.columns and "RegioS" not in dims:
        keys = pd.unique(data["RegioS"].astype(str))
        dims["RegioS"] = pd.DataFrame({"Key": keys, "Title": [None] * len(keys)})
    if spec.year is not None and "Perioden" not in data.columns:
        code = f"{spec.year}JJ00"
        data = data.assign(Perioden=code)
        period = pd.DataFrame([{"Key": "Perioden", "Type": "TimeDimension"}])
        props = pd.concat([props, period], ignore_index=True)
        dims["Perioden"] = pd.DataFrame([{"Key": code, "Title": str(spec.year)}])
    if data is raw.data and props is raw.properties and dims.keys() == raw.dimensions.keys():
        return raw
    return RawTable(raw.table_id, data, props, raw.info, dims,
                    arrow=raw.arrow if data is raw.data else None)
