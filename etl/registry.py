"""The indicator registry (indicators.yaml) as typed, validated factors and indicators."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from etl.catalog import TableSpec, get_table, slice_label
from etl.config import parse_yaml

REGISTRY_FILE = Path(__file__).resolve().parent / "indicators.yaml"
AGGREGATIONS = ("ratio", "sum", "weighted_mean", "none")
WITH_DENOMINATOR = ("ratio", "weighted_mean")
DIRECTIONS = ("higher_is_better", "lower_is_better", "neutral")
LANGUAGES = ("nl", "en")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
FACTOR_FIELDS = frozenset({"id", "title", "description", "scored"})
INDICATOR_FIELDS = frozenset({
    "id", "factor", "title", "definition", "unit", "source", "slice", "numerator",
    "denominator", "scale", "aggregation", "direction", "decimals", "note", "data_gap",
})
INDICATOR_OPTIONAL = frozenset({
    "denominator_source", "denominator_slice", "numerator_factor", "denominator_factor",
    "peer_context", "min_denominator", "breaks", "weight",
})
# How an indicator enters the similarity of regions (monitor/peers.py): on its own scale, or
# as a logarithm (sizes and densities span orders of magnitude).
PEER_TRANSFORMS = ("linear", "log")
DENOMINATOR_ONLY = ("denominator_source", "denominator_slice", "denominator_factor")
FRAME_COLUMNS = [
    "indicator_id", "factor_id", "title_nl", "title_en", "definition_nl", "definition_en",
    "unit_nl", "unit_en", "aggregation", "source_table", "source_slice", "numerator_key",
    "denominator_table", "denominator_slice", "denominator_key", "numerator_factor",
    "denominator_factor", "scale", "direction", "decimals", "note_nl", "note_en", "data_gap",
    "data_gap_nl", "statline_url", "peer_context", "min_denominator", "weight",
]
BREAK_COLUMNS = ["indicator_id", "year", "reason_nl", "reason_en", "source"]
FACTOR_COLUMNS = ["factor_id", "title_nl", "title_en", "description_nl", "description_en",
                  "scored", "sort_order"]


class RegistryError(ValueError):
    """The indicator registry is malformed or contradicts tables.yaml."""


@dataclass(frozen=True)
class Operand:
    """One CBS measure in one slice of one table, times a unit factor."""

    table: str
    key: str
    slice: dict = field(hash=False)
    factor: float = 1.0

    @property
    def slice_label(self) -> str:
        return slice_label(self.slice)


@dataclass(frozen=True)
class Indicator:
    """One indicator: how its value per gemeente and per region is computed and shown."""

    id: str
    factor: str
    title: dict = field(hash=False)
    definition: dict = field(hash=False)
    unit: dict = field(hash=False)
    aggregation: str
    numerator: Operand
    denominator: Operand | None
    scale: float
    direction: str
    decimals: int
    note: dict = field(hash=False)
    data_gap: str | None = None  # the reason in English (None: the source has the data)
    data_gap_nl: str | None = None  # the same reason in Dutch
    peer_context: str | None = None
    # a gemeente whose denominator (after its factor) is below this has no value: the
    # counts behind it are rounded too coarsely (see the indicator's note)
    min_denominator: float | None = None
    # breaks in CBS's series: (year, {nl, en} reason, source) -- the first year on the new basis
    breaks: tuple = field(default=(), hash=False)
    # weight in its factor's score (0: shown, not scored); see the factor's note on why
    weight: float = 1.0


@dataclass(frozen=True)
class Factor:
    """One ecosystem factor; context is shown but not scored."""

    id: str
    title: dict = field(hash=False)
    description: dict = field(hash=False)
    scored: bool
    order: int


@dataclass(frozen=True)
class Registry:
    """All factors and indicators, in registry order."""

    factors: tuple[Factor, ...]
    indicators: tuple[Indicator, ...]

    def indicator(self, indicator_id: str) -> Indicator:
        """Return one indicator, or raise KeyError naming the known ids."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(f"unknown indicator {indicator_id!r}; known: "
                       f"{', '.join(i.id for i in self.indicators)}")

    def factor(self, factor_id: str) -> Factor:
        """Return one factor, or raise KeyError naming the known ids."""
        for fac in self.factors:
            if fac.id == factor_id:
                return fac
        raise KeyError(f"unknown factor {factor_id!r}; known: "
                       f"{', '.join(f.id for f in self.factors)}")

    def by_factor(self, factor_id: str) -> tuple[Indicator, ...]:
        """The indicators of one factor, in registry order."""
        self.factor(factor_id)
        return tuple(i for i in self.indicators if i.factor == factor_id)


def fail(kind: str, entry_id: object, field_name: str, detail: str) -> RegistryError:
    """An error naming the entry and the field at fault."""
    return RegistryError(f"{kind} {entry_id!r}: field {field_name!r}: {detail}")


def check_fields(kind: str, entry: dict, required: frozenset, optional: frozenset) -> None:
    """Every required field present, no unknown field (a typo would otherwise be ignored)."""
    entry_id = entry.get("id", "?")
    missing = sorted(required - entry.keys())
    if missing:
        raise fail(kind, entry_id, missing[0], f"missing (all missing: {missing})")
    unknown = sorted(entry.keys() - required - optional)
    if unknown:
        raise fail(kind, entry_id, unknown[0], f"unknown field (allowed: {sorted(required)})")
    if not isinstance(entry["id"], str) or not ID_PATTERN.match(entry["id"]):
        raise fail(kind, entry_id, "id", "must be a snake_case string")


def read_texts(kind: str, entry: dict, field_name: str) -> dict:
    """A {nl, en} mapping of non-empty strings, nothing else."""
    value = entry[field_name]
    if not isinstance(value, dict) or set(value) != set(LANGUAGES):
        raise fail(kind, entry["id"], field_name, f"needs exactly the keys {LANGUAGES}, "
                   f"got {sorted(value) if isinstance(value, dict) else value!r}")
    for lang in LANGUAGES:
        if not isinstance(value[lang], str) or not value[lang].strip():
            raise fail(kind, entry["id"], field_name, f"{lang!r} text is empty")
    return {lang: value[lang].strip() for lang in LANGUAGES}


def read_number(entry: dict, field_name: str, default: float | None = None) -> float:
    """A positive number (factors and scale multiply values)."""
    value = entry.get(field_name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise fail("indicator", entry["id"], field_name, f"must be a positive number, got "
                   f"{value!r}")
    return float(value)


def read_choice(entry: dict, field_name: str, choices: tuple[str, ...]) -> str:
    """A value from a fixed list."""
    value = entry[field_name]
    if value not in choices:
        raise fail("indicator", entry["id"], field_name, f"{value!r} is not one of {choices}")
    return value


def declared_table(entry: dict, field_name: str, table_id: object) -> TableSpec:
    """The tables.yaml spec of a table with periods."""
    try:
        spec = get_table(str(table_id))
    except KeyError as exc:
        raise fail("indicator", entry["id"], field_name, exc.args[0]) from exc
    if spec.boundaries == "none":
        raise fail("indicator", entry["id"], field_name,
                   f"{spec.id} has no periods (a classification table)")
    return spec


def read_slice(entry: dict, field_name: str, spec: TableSpec) -> dict:
    """A slice (dimension -> title) that tables.yaml declares for the table."""
    value = entry.get(field_name)
    if not isinstance(value, dict):
        raise fail("indicator", entry["id"], field_name, f"must be a mapping, got {value!r}")
    titles = {str(dim): str(title) for dim, title in value.items()}
    declared = [s.label for s in spec.slices]
    if (declared or titles) and slice_label(titles) not in declared:
        raise fail("indicator", entry["id"], field_name,
                   f"slice {titles} is not declared for {spec.id} in tables.yaml "
                   f"(declared: {declared or 'none'})")
    return titles


def read_operand(entry: dict, role: str) -> Operand:
    """The numerator or denominator operand, checked against tables.yaml."""
    source = entry["source"]
    same = role == "numerator" or entry.get("denominator_source", source) == source
    table_field = "source" if same else "denominator_source"
    spec = declared_table(entry, table_field, entry[table_field])
    key = entry[role]
    if not isinstance(key, str) or key not in spec.measures:
        raise fail("indicator", entry["id"], role,
                   f"measure {key!r} is not declared for {spec.id} in tables.yaml")
    slice_field = "slice" if role == "numerator" else "denominator_slice"
    if role == "denominator" and slice_field not in entry:
        entry = {**entry, slice_field: entry["slice"] if same else {}}
    titles = read_slice(entry, slice_field, spec)
    return Operand(spec.id, key, titles, read_number(entry, f"{role}_factor", 1))


def read_denominator(entry: dict, aggregation: str) -> Operand | None:
    """The denominator (weight): present exactly for ratio and weighted_mean."""
    has = entry["denominator"] is not None
    if aggregation in WITH_DENOMINATOR and not has:
        raise fail("indicator", entry["id"], "denominator", f"required for {aggregation}")
    if aggregation not in WITH_DENOMINATOR:
        extra = [f for f in ("denominator", *DENOMINATOR_ONLY) if entry.get(f) is not None]
        if extra:
            raise fail("indicator", entry["id"], extra[0], f"not allowed for {aggregation}")
        return None
    return read_operand(entry, "denominator")


def check_weight_boundaries(entry: dict, num: Operand, den: Operand | None) -> None:
    """A weighted mean multiplies value and weight per gemeente: same boundary kind needed."""
    if entry["aggregation"] != "weighted_mean" or den is None:
        return
    value_kind, weight_kind = get_table(num.table).boundaries, get_table(den.table).boundaries
    if value_kind != weight_kind:
        raise fail("indicator", entry["id"], "denominator_source",
                   f"weight table {den.table} is on {weight_kind} boundaries, value table "
                   f"{num.table} on {value_kind}")


def read_data_gap(entry: dict) -> dict[str, str] | None:
    """None, or why the data is not in this source, in Dutch and English ({nl, en}): the
    reason is shown to users in their language."""
    gap = entry["data_gap"]
    if gap is None:
        return None
    if not isinstance(gap, dict) or set(gap) != set(LANGUAGES) or not all(
            isinstance(gap[lang], str) and gap[lang].strip() for lang in LANGUAGES):
        raise fail("indicator", entry["id"], "data_gap",
                   "must be null or a reason in nl and en ({nl: ..., en: ...})")
    return {lang: " ".join(gap[lang].split()) for lang in LANGUAGES}


def read_decimals(entry: dict) -> int:
    """The precision CBS publishes: digits after the point, negative for tens, hundreds,
    thousands (-3: WOZ to EUR 1,000)."""
    value = entry["decimals"]
    if isinstance(value, bool) or not isinstance(value, int) or not -6 <= value <= 6:
        raise fail("indicator", entry["id"], "decimals",
                   f"must be an integer -6 to 6, got {value!r}")
    return value


def read_peer_context(entry: dict) -> str | None:
    """None, or how the indicator describes a region's structure for finding similar regions
    ('linear' or 'log'); only indicators with data can do that."""
    if entry.get("peer_context") is None:
        return None
    value = read_choice(entry, "peer_context", PEER_TRANSFORMS)
    if entry["data_gap"] is not None:
        raise fail("indicator", entry["id"], "peer_context", "an indicator without data "
                   "cannot describe a region")
    return value


def read_breaks(entry: dict) -> tuple:
    """Breaks in series: a list of {year, reason: {nl, en}, source}."""
    value = entry.get("breaks") or []
    if not isinstance(value, list):
        raise fail("indicator", entry["id"], "breaks", "must be a list")
    breaks = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"year", "reason", "source"}:
            raise fail("indicator", entry["id"], "breaks",
                       f"each break needs exactly year, reason and source, got {item!r}")
        if isinstance(item["year"], bool) or not isinstance(item["year"], int):
            raise fail("indicator", entry["id"], "breaks", f"year must be an integer: {item!r}")
        if not isinstance(item["source"], str) or not item["source"].strip():
            raise fail("indicator", entry["id"], "breaks", f"source is empty: {item!r}")
        reason = read_texts("indicator", {"id": entry["id"], "reason": item["reason"]}, "reason")
        breaks.append((item["year"], reason, item["source"].strip()))
    return tuple(sorted(breaks, key=lambda b: b[0]))


def read_weight(entry: dict) -> float:
    """The weight in the factor score: a number from 0 (not scored) to 1 (default)."""
    value = entry.get("weight", 1)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise fail("indicator", entry["id"], "weight", f"must be a number 0-1, got {value!r}")
    return float(value)


def read_min_denominator(entry: dict) -> float | None:
    """None, or the smallest denominator a gemeente needs for a reliable value."""
    if entry.get("min_denominator") is None:
        return None
    if entry["aggregation"] not in WITH_DENOMINATOR:
        raise fail("indicator", entry["id"], "min_denominator",
                   f"needs a denominator (aggregation {entry['aggregation']!r})")
    return read_number(entry, "min_denominator")


def parse_indicator(entry: dict, factor_ids: set[str]) -> Indicator:
    """Turn one YAML entry into an Indicator, checking every field."""
    check_fields("indicator", entry, INDICATOR_FIELDS, INDICATOR_OPTIONAL)
    if entry["factor"] not in factor_ids:
        raise fail("indicator", entry["id"], "factor",
                   f"unknown factor {entry['factor']!r} (known: {sorted(factor_ids)})")
    texts = {f: read_texts("indicator", entry, f) for f in ("title", "definition", "unit", "note")}
    aggregation = read_choice(entry, "aggregation", AGGREGATIONS)
    numerator = read_operand(entry, "numerator")
    denominator = read_denominator(entry, aggregation)
    check_weight_boundaries(entry, numerator, denominator)
    return Indicator(
        id=entry["id"], factor=entry["factor"], aggregation=aggregation,
        numerator=numerator, denominator=denominator, scale=read_number(entry, "scale"),
        direction=read_choice(entry, "direction", DIRECTIONS), decimals=read_decimals(entry),
        data_gap=(gap := read_data_gap(entry)) and gap["en"],
        data_gap_nl=gap and gap["nl"], peer_context=read_peer_context(entry),
        min_denominator=read_min_denominator(entry), breaks=read_breaks(entry),
        weight=read_weight(entry), **texts,
    )


def parse_factor(entry: dict, order: int) -> Factor:
    """Turn one YAML factor entry into a Factor."""
    check_fields("factor", entry, FACTOR_FIELDS, frozenset())
    if not isinstance(entry["scored"], bool):
        raise fail("factor", entry["id"], "scored", "must be true or false")
    return Factor(entry["id"], read_texts("factor", entry, "title"),
                  read_texts("factor", entry, "description"), entry["scored"], order)


def check_unique(kind: str, ids: list[str]) -> None:
    """Ids must be unique."""
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise fail(kind, dupes[0], "id", f"duplicate id(s) {dupes}")


def read_yaml(path: Path) -> dict:
    """The registry file as a mapping with 'factors' and 'indicators' lists."""
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"cannot read indicator registry {path}: {exc}") from exc
    for part in ("factors", "indicators"):
        items = data.get(part) if isinstance(data, dict) else None
        if not isinstance(items, list) or not all(isinstance(e, dict) for e in items):
            raise RegistryError(f"{path}: '{part}' must be a list of mappings")
    return data


def parse_registry(data: dict) -> Registry:
    """Build and validate the whole registry."""
    factors = tuple(parse_factor(e, n) for n, e in enumerate(data["factors"], start=1))
    check_unique("factor", [f.id for f in factors])
    factor_ids = {f.id for f in factors}
    indicators = tuple(parse_indicator(e, factor_ids) for e in data["indicators"])
    check_unique("indicator", [i.id for i in indicators])
    return Registry(factors, indicators)


@cache
def read_registry(path: Path) -> Registry:
    """Read and validate one registry file (cached per path)."""
    return parse_registry(read_yaml(path))


def load_registry(path: Path | None = None) -> Registry:
    """The validated indicator registry; indicators.yaml beside this module by default."""
    return read_registry(Path(path or REGISTRY_FILE).resolve())


def indicator_row(ind: Indicator) -> dict:
    """The flat warehouse row of one indicator."""
    num, den = ind.numerator, ind.denominator
    return {
        "indicator_id": ind.id, "factor_id": ind.factor,
        "title_nl": ind.title["nl"], "title_en": ind.title["en"],
        "definition_nl": ind.definition["nl"], "definition_en": ind.definition["en"],
        "unit_nl": ind.unit["nl"], "unit_en": ind.unit["en"], "aggregation": ind.aggregation,
        "source_table": num.table, "source_slice": num.slice_label, "numerator_key": num.key,
        "denominator_table": den.table if den else None,
        "denominator_slice": den.slice_label if den else None,
        "denominator_key": den.key if den else None, "numerator_factor": num.factor,
        "denominator_factor": den.factor if den else None, "scale": ind.scale,
        "direction": ind.direction, "decimals": ind.decimals,
        "note_nl": ind.note["nl"], "note_en": ind.note["en"], "data_gap": ind.data_gap,
        "data_gap_nl": ind.data_gap_nl,
        "statline_url": get_table(num.table).statline_url, "peer_context": ind.peer_context,
        "min_denominator": ind.min_denominator, "weight": ind.weight,
    }


def registry_frame(registry: Registry) -> pd.DataFrame:
    """One row per indicator: the columns of the warehouse `indicator` table."""
    return pd.DataFrame([indicator_row(i) for i in registry.indicators], columns=FRAME_COLUMNS)


def break_frame(registry: Registry) -> pd.DataFrame:
    """One row per declared break in a series: the warehouse `series_break` table."""
    rows = [{"indicator_id": i.id, "year": year, "reason_nl": reason["nl"],
             "reason_en": reason["en"], "source": source}
            for i in registry.indicators for year, reason, source in i.breaks]
    frame = pd.DataFrame(rows, columns=BREAK_COLUMNS)
    return frame.astype({"year": "int32"})


def factor_frame(registry: Registry) -> pd.DataFrame:
    """One row per factor: the columns of the warehouse `factor` table."""
    rows = [{"factor_id": f.id, "title_nl": f.title["nl"], "title_en": f.title["en"],
             "description_nl": f.description["nl"], "description_en": f.description["en"],
             "scored": f.scored, "sort_order": f.order} for f in registry.factors]
    return pd.DataFrame(rows, columns=FACTOR_COLUMNS)
