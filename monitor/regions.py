"""A region, stored or composed, as one value: resolved once per run, used everywhere alike.

A stored region (gemeente, COROP, province, pilot region, ...) has its values in the
warehouse; a composed region (a list of gemeenten someone put together, code CUSTOM in links)
is aggregated at run time by the same rule. This module is the one place that tells the two
apart: pages and builders get Region values and ask this module for their figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from monitor import queries
from monitor.i18n import t
from monitor.memo import memo

CUSTOM = queries.CUSTOM  # a composed region's code in links and tables
# The warehouse's region levels (etl/schema.py) in the order lists show them, pilot regions
# first; the map's level switch shows the finest first (Nederland is no map).
LEVELS = ("proeftuin", "provincie", "corop", "arbeidsmarktregio", "gemeente", "land")
MAP_LEVELS = ("gemeente", "provincie", "corop", "arbeidsmarktregio", "proeftuin")


@dataclass(frozen=True)
class Region:
    """One region: what every page and builder needs to know about it."""

    code: str                     # stored region code, or CUSTOM
    name: str                     # CBS name, or the name given to a composed region
    level: str                    # 'gemeente', 'corop', ..., 'land'; 'custom' when composed
    members: tuple[str, ...]      # its 2024 gemeenten
    population: int               # inhabitants on 1 January 2024
    composed: bool = False        # values aggregated at run time (read here only)

    @property
    def ranked(self) -> bool:
        """Whether it has a rank among the regions of its level (Nederland and composed
        regions have none)."""
        return not self.composed and self.level != "land"

    @property
    def added_up(self) -> bool:
        """Whether its figures are added up from its gemeenten, never published by CBS (pilot
        and composed regions): a median then has no value."""
        return self.composed or self.level == "proeftuin"

    @property
    def shape_codes(self) -> tuple[str, ...]:
        """The region codes whose boundaries draw it (a composed region: its members)."""
        return self.members if self.composed else (self.code,)

    @property
    def editable(self) -> bool:
        """Whether its members can be changed (on the Eigen regio page)."""
        return self.composed

    @property
    def file_part(self) -> str:
        """How it is named in a file name: its code, or the given name of a composed one."""
        return self.name if self.composed else self.code.removeprefix("PR_")


def population_of(members: tuple[str, ...]) -> int:
    """Inhabitants (1 January 2024) of a set of gemeenten."""
    frame = queries.regions("gemeente")
    return int(frame.loc[frame["region_code"].isin(members), "population"].sum())


def composed(name: str, members: tuple[str, ...]) -> Region:
    """A composed region of the given gemeenten (name: as given, or 'Eigen regio')."""
    return Region(CUSTOM, name or t("level_custom"), "custom", tuple(members),
                  population_of(members), composed=True)


@memo
def stored(code: str) -> Region:
    """A region of the warehouse by its code (cached per code: a page with twelve regions
    looked each up in a copy of the whole region table, every run)."""
    frame = queries.regions()
    row = frame.loc[frame["region_code"] == code].iloc[0]
    return Region(code, str(row["region_name"]), str(row["region_level"]),
                  queries.members(code), int(row["population"]))


def resolve(code: str, custom: Region | None = None) -> Region:
    """The region a code stands for: the composed one for CUSTOM, else the stored one."""
    if code == CUSTOM and custom is not None:
        return custom
    return stored(code)


def codes(regions: tuple[Region, ...]) -> tuple[str, ...]:
    """The regions' codes, in order."""
    return tuple(r.code for r in regions)


# --- their figures: stored ones from the warehouse, composed ones aggregated -----------------

def split(regions: tuple[Region, ...]) -> tuple[tuple[str, ...], tuple[Region, ...]]:
    """Stored region codes, and the composed regions."""
    return (tuple(r.code for r in regions if not r.composed),
            tuple(r for r in regions if r.composed))


def values(regions: tuple[Region, ...], indicator_id: str | None = None,
           year: int | None = None) -> pd.DataFrame:
    """indicator_value rows of the regions (all indicators and years unless narrowed)."""
    stored_codes, mine = split(regions)
    parts = [queries.values_for_regions(stored_codes, indicator_id, year)] if stored_codes \
        else []
    parts += [queries.custom_values(r.members, indicator_id, year) for r in mine]
    parts = [p for p in parts if len(p)]
    if not parts:
        return queries.values_for_regions((), indicator_id, year)
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def latest_values(regions: tuple[Region, ...]) -> pd.DataFrame:
    """Latest value and 0-10 score per indicator of the regions (long)."""
    stored_codes, mine = split(regions)
    parts = [queries.latest_values(stored_codes)] if stored_codes else []
    parts += [queries.custom_latest_values(r.members) for r in mine]
    # status and coverage: why a value is missing (the compare export says it)
    columns = ["indicator_id", "region_code", "year", "value", "score", "status", "coverage"]
    parts = [p.reindex(columns=columns) for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def factor_profile(regions: tuple[Region, ...]) -> pd.DataFrame:
    """Latest factor scores (factor_id, region_code, score, ...) in the regions' order."""
    stored_codes, mine = split(regions)
    parts = [queries.factor_profile(stored_codes)] if stored_codes else []
    parts += [queries.custom_factor_profile(r.members) for r in mine if r.members]
    if not parts:
        return pd.DataFrame(columns=["factor_id", "region_code", "score"])
    frame = pd.concat(parts, ignore_index=True)
    order = {c: i for i, c in enumerate(codes(regions))}
    return frame.assign(o=frame["region_code"].map(order)).sort_values("o").drop(columns="o")


def series(regions: tuple[Region, ...], indicator_id: str, year: int | None = None
           ) -> pd.DataFrame:
    """One indicator's values (every year, or one) of the regions, in their order."""
    columns = ["region_code", "year", "value", "is_estimated", "is_converted"]
    parts = [p[columns] for p in (values(regions, indicator_id, year),) if len(p)]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    order = frame["region_code"].map({code: i for i, code in enumerate(codes(regions))})
    frame = frame.assign(order=order).sort_values(["order", "year"]).drop(columns="order")
    flags = {c: frame[c].astype("boolean").fillna(False).astype(bool)
             for c in ("is_estimated", "is_converted")}
    return frame.assign(**flags).reset_index(drop=True)


def pair_values(regions: tuple[Region, ...], x_indicator: str, x_year: int, y_indicator: str,
                y_year: int) -> pd.DataFrame:
    """Two indicators side by side per region (region_code, x, y, population)."""
    xs, ys = series(regions, x_indicator, x_year), series(regions, y_indicator, y_year)
    frame = (pd.DataFrame({"region_code": list(codes(regions))})
             .merge(xs[["region_code", "value"]].rename(columns={"value": "x"}), how="left")
             .merge(ys[["region_code", "value"]].rename(columns={"value": "y"}), how="left"))
    population = {r.code: float(r.population) for r in regions}
    return frame.assign(population=frame["region_code"].map(population))


# --- the export page's rows ----------------------------------------------------------------------
EXPORT_COLUMNS = ("region_code", "region_name", "region_level", "indicator_id", "year", "value",
                  "coverage", "is_estimated", "is_converted", "status", "source")


def export_parts(levels: tuple[str, ...], chosen: tuple[Region, ...]
                 ) -> tuple[tuple[str, ...], tuple[Region, ...]]:
    """Stored region codes of whole levels and chosen regions (once each), and the chosen
    composed regions."""
    stored_codes, mine = split(chosen)
    level_codes = [c for level in levels for c in queries.regions(level)["region_code"]]
    return tuple(dict.fromkeys([*level_codes, *stored_codes])), mine


def composed_rows(mine: tuple[Region, ...], ids: tuple[str, ...], years: tuple[int, int]
                  ) -> list[pd.DataFrame]:
    """The composed regions' rows of the given indicators and years, named."""
    rows = []
    for region in mine:
        part = queries.custom_values(region.members)
        part = part[part["indicator_id"].isin(ids) & part["year"].between(*years)]
        rows.append(part.assign(region_code=region.code, region_name=region.name,
                                region_level=region.level))
    return rows


def export_count(levels: tuple[str, ...], chosen: tuple[Region, ...], ids: tuple[str, ...],
                 years: tuple[int, int]) -> int:
    """How many rows an export of whole levels and chosen regions would hold."""
    stored_codes, mine = export_parts(levels, chosen)
    count = queries.export_count(stored_codes, ids, *years) if stored_codes else 0
    return count + sum(len(p) for p in composed_rows(mine, ids, years))


def export_rows(levels: tuple[str, ...], chosen: tuple[Region, ...], ids: tuple[str, ...],
                years: tuple[int, int]) -> pd.DataFrame:
    """indicator_value rows (with region name and level) of whole levels and chosen regions."""
    stored_codes, mine = export_parts(levels, chosen)
    parts = [queries.export_values(stored_codes, ids, *years)] if stored_codes else []
    parts = [p[list(EXPORT_COLUMNS)] for p in [*parts, *composed_rows(mine, ids, years)]
             if len(p)]
    if not parts:
        return pd.DataFrame(columns=list(EXPORT_COLUMNS))
    return pd.concat(parts, ignore_index=True)
