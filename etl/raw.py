"""Read one CBS table in the cbsodata.download_data(typed=True) layout, with clear errors."""

from __future__ import annotations

import json
from dataclasses import dataclass
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
