"""The declared list of CBS tables (tables.yaml) as typed specs."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from etl.config import parse_yaml

TABLES_FILE = Path(__file__).resolve().parent / "tables.yaml"
BOUNDARY_KINDS = {"yearly", "current", "none"}


@dataclass(frozen=True)
class SliceSpec:
    """One combination of dimension titles to keep; optional slices may be absent."""

    titles: tuple[tuple[str, str], ...]
    optional: bool = False

    @property
    def label(self) -> str:
        return slice_label(dict(self.titles))


@dataclass(frozen=True)
class TableSpec:
    """A CBS table as the warehouse uses it."""

    id: str
    alias: str
    title: str
    boundaries: str
    slices: tuple[SliceSpec, ...] = ()
    measures: dict[str, str] = field(default_factory=dict)
    # the table's region dimension when CBS does not call it RegioS (WerkregioS,
    # WijkenEnBuurten, DistrictsAndNeighbourhoods); read as RegioS (etl.raw.conform)
    region_dimension: str = "RegioS"
    # a single-year table without a Perioden dimension: the year its figures are for
    year: int | None = None
    # whether the table's wijk (WK) and buurt (BU) rows are kept (wijk_value)
    wijken: bool = False
    # CBS's own figures this table holds for another table's measures, used where that table
    # lacks a gemeente: {table, year, measures: {own key: other table's key}} (stage.fill_gaps)
    fills: dict | None = field(default=None, hash=False)

    @property
    def raw_name(self) -> str:
        return f"raw_cbs__{self.id.lower()}"

    @property
    def statline_url(self) -> str:
        return f"https://opendata.cbs.nl/#/CBS/nl/dataset/{self.id}/table"


def slice_label(titles: dict[str, str]) -> str:
    """Canonical text of a slice: 'Dim=Title|Dim2=Title2' sorted by dimension, '' for none."""
    return "|".join(f"{dim}={titles[dim]}" for dim in sorted(titles))


def parse_table(entry: dict) -> TableSpec:
    """Turn one YAML entry into a TableSpec, checking its fields."""
    missing = {"id", "alias", "title", "boundaries"} - entry.keys()
    if missing:
        raise ValueError(f"tables.yaml entry {entry.get('id', '?')} lacks {sorted(missing)}")
    if entry["boundaries"] not in BOUNDARY_KINDS:
        raise ValueError(f"tables.yaml {entry['id']}: boundaries must be one of {BOUNDARY_KINDS}")
    slices = []
    for raw in entry.get("slices") or []:
        titles = {k: str(v) for k, v in raw.items() if k != "optional"}
        slices.append(SliceSpec(tuple(sorted(titles.items())), bool(raw.get("optional", False))))
    return TableSpec(
        id=entry["id"],
        alias=entry["alias"],
        title=entry["title"],
        boundaries=entry["boundaries"],
        slices=tuple(slices),
        measures=dict(entry.get("measures") or {}),
        region_dimension=str(entry.get("region_dimension", "RegioS")),
        year=int(entry["year"]) if entry.get("year") is not None else None,
        wijken=bool(entry.get("wijken", False)),
        fills=parse_fills(entry),
    )


def parse_fills(entry: dict) -> dict | None:
    """The `fills` declaration: every measure it names must be one the table declares."""
    fills = entry.get("fills")
    if fills is None:
        return None
    if not {"table", "year", "measures"} <= set(fills):
        raise ValueError(f"tables.yaml {entry['id']}: fills needs table, year and measures")
    unknown = set(fills["measures"]) - set(entry.get("measures") or {})
    if unknown:
        raise ValueError(f"tables.yaml {entry['id']}: fills names undeclared measures "
                         f"{sorted(unknown)}")
    return {"table": str(fills["table"]), "year": int(fills["year"]),
            "measures": {str(k): str(v) for k, v in fills["measures"].items()}}


@cache
def load_tables(path: Path = TABLES_FILE) -> tuple[TableSpec, ...]:
    """Read every declared table; ids and aliases must be unique."""
    entries = parse_yaml(path.read_text(encoding="utf-8"))["tables"]
    specs = tuple(parse_table(e) for e in entries)
    for attr in ("id", "alias"):
        values = [getattr(s, attr) for s in specs]
        dupes = {v for v in values if values.count(v) > 1}
        if dupes:
            raise ValueError(f"tables.yaml: duplicate {attr} {sorted(dupes)}")
    return specs


def get_table(table_id: str) -> TableSpec:
    """Return the spec of one declared table, or raise KeyError naming the known ids."""
    for spec in load_tables():
        if spec.id.lower() == table_id.lower():
            return spec
    known = ", ".join(s.id for s in load_tables())
    raise KeyError(f"unknown CBS table id {table_id!r}; declared tables: {known}")
