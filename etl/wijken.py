"""Wijken and buurten: 2024 wijk boundaries, CBS's wijk and buurt figures, 2023-2024 codes.

The wijk figures are CBS's own, per wijk (and buurt): nothing here adds wijken up into a
gemeente. 85984NED (2024) is on the 2024 wijk division, 85830ENG (2023) on 2023's; the two are
joined by code, and `wijk` says for every code whether it means the same area in both years:
`same`, `renamed` (the code is kept but the name changed: it may be another area now),
`absent_2024` (a 2023 code that no longer exists) or `new_2024` (a 2024 wijk without 2023
figures). The renamed and vanished codes come from etl/reference/wijken_2023_gewijzigd.csv.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from etl import config
from etl.catalog import TableSpec
from etl.geometry import CRS, read_source, repair_geometries, set_wgs84, to_geojson_frame
from etl.raw import RawTable, stripped

CHANGES_FILE = config.REFERENCE_DIR / "wijken_2023_gewijzigd.csv"
WIJK_GEO_FILE = "geo/wijk_2024.parquet"
WIJK_PRECISION = 3  # the source is rounded to 3 decimals (about 100 m) already
VALUE_COLUMNS = ["table_id", "region_code", "region_type", "gemeente_code", "wijk_code",
                 "year", "measure", "measure_name", "value"]
WIJK_COLUMNS = ["wijk_code", "gemeente_code", "name_2024", "name_2023", "status",
                "has_2023", "has_2024"]


def read_wijk_boundaries(source: str | Path) -> gpd.GeoDataFrame:
    """The 2024 wijken: code, name, gemeente, polygon (repaired: 21 shapes of the generalised
    source self-intersect after rounding; their polygon parts are kept)."""
    frame = set_wgs84(read_source(source))
    missing = {"statcode", "statnaam", "gemeentecode"} - set(frame.columns)
    if missing:
        raise ValueError(f"wijk boundaries {source} lack the columns {sorted(missing)}")
    wijken = gpd.GeoDataFrame(
        {"statcode": frame["statcode"].astype(str).str.strip().to_numpy(),
         "statnaam": frame["statnaam"].astype(str).to_numpy(),
         "gemeentecode": frame["gemeentecode"].astype(str).str.strip().to_numpy()},
        geometry=repair_geometries(frame.geometry.to_numpy()), crs=CRS)
    wijken = wijken[~wijken.geometry.is_empty].sort_values("statcode")
    if wijken["statcode"].duplicated().any():
        raise ValueError(f"wijk boundaries {source} repeat codes")
    return wijken.reset_index(drop=True)


def write_wijk_boundaries(source: str | Path, path: Path) -> dict:
    """The bundle's copy of the wijk boundaries (GeoParquet)."""
    wijken = read_wijk_boundaries(source)
    path.parent.mkdir(parents=True, exist_ok=True)
    wijken.to_parquet(path, compression="zstd", index=False)
    return {"rows": len(wijken)}


def gemeente_of(codes: pd.Series) -> pd.Series:
    """'WK036300' / 'BU03630000' / 'GM0363' -> 'GM0363'."""
    return "GM" + codes.str[2:6]


def wijk_values(raws: dict[str, RawTable], specs: list[TableSpec]) -> pd.DataFrame:
    """Long rows of every wijk and buurt figure (and the gemeente's own, for comparison) of the
    tables declared `wijken: true`; a NULL value: CBS lists the code without a figure."""
    parts = []
    for spec in specs:
        raw = raws.get(spec.id)
        if not spec.wijken or raw is None:
            continue
        data = raw.data
        codes = stripped(data["RegioS"])
        kind = codes.str[:2]
        keep = kind.isin(["GM", "WK", "BU"])
        measures = [m for m in spec.measures if m in data]
        # the codes derived once per region row, before melting repeats them per measure
        wide = pd.DataFrame({"region_code": codes[keep], "region_type": kind[keep],
                             "year": data.loc[keep, "Perioden"].astype(str).str[:4]
                             .astype("int32"),
                             "gemeente_code": gemeente_of(codes[keep]),
                             "wijk_code": ("WK" + codes[keep].str[2:8]).where(
                                 kind[keep] != "GM")})
        wide = pd.concat([wide, data.loc[keep, measures].astype("float64")], axis=1)
        # NULL kept: CBS lists the wijk but publishes no figure (secret or unknown)
        long = wide.melt(id_vars=["region_code", "region_type", "year", "gemeente_code",
                                  "wijk_code"], value_vars=measures,
                         var_name="measure", value_name="value")
        long["table_id"] = spec.id
        long["measure_name"] = long["measure"].map(spec.measures)
        parts.append(long[VALUE_COLUMNS])
    if not parts:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    return pd.concat(parts, ignore_index=True).sort_values(
        ["table_id", "region_code", "measure"]).reset_index(drop=True)


def read_changes(path: Path = CHANGES_FILE) -> pd.DataFrame:
    """The 2023 wijk codes whose name changed in 2024 or that no longer exist."""
    changes = pd.read_csv(path, dtype=str, keep_default_na=False)
    bad = set(changes["status"]) - {"renamed", "absent_2024"}
    if bad:
        raise ValueError(f"{path.name}: unknown status {sorted(bad)}")
    return changes.replace({"": None})


def wijk_table(boundaries: gpd.GeoDataFrame, codes_2023: set[str],
               changes: pd.DataFrame) -> pd.DataFrame:
    """One row per wijk code of 2024 or 2023, with both names and its status."""
    now = pd.DataFrame({"wijk_code": boundaries["statcode"],
                        "gemeente_code": boundaries["gemeentecode"],
                        "name_2024": boundaries["statnaam"]})
    gone = changes[changes["status"] == "absent_2024"]
    # a 2023 code neither in 2024 nor in the reference list is shown as vanished too
    unknown = sorted(codes_2023 - set(now["wijk_code"]) - set(gone["wijk_code"]))
    gone = pd.concat([gone[["wijk_code", "gemeente_code", "name_2023"]],
                      pd.DataFrame({"wijk_code": unknown,
                                    "gemeente_code": gemeente_of(pd.Series(unknown, dtype=str)),
                                    "name_2023": None})], ignore_index=True)
    table = pd.concat([now, gone.assign(name_2024=None)], ignore_index=True)
    renamed = changes[changes["status"] == "renamed"].set_index("wijk_code")["name_2023"]
    has_2023 = table["wijk_code"].isin(codes_2023)
    table["name_2023"] = table["name_2023"].fillna(table["wijk_code"].map(renamed))
    same_name = has_2023 & table["name_2023"].isna() & table["name_2024"].notna()
    table.loc[same_name, "name_2023"] = table.loc[same_name, "name_2024"]
    table["status"] = "same"
    table.loc[table["wijk_code"].isin(renamed.index) & has_2023, "status"] = "renamed"
    table.loc[table["name_2024"].isna(), "status"] = "absent_2024"
    table.loc[~has_2023 & table["name_2024"].notna(), "status"] = "new_2024"
    table["has_2023"] = has_2023
    table["has_2024"] = table["name_2024"].notna()
    return table[WIJK_COLUMNS].sort_values("wijk_code").reset_index(drop=True)


def wijk_geometry(boundaries: gpd.GeoDataFrame) -> pd.DataFrame:
    """Compact GeoJSON per 2024 wijk, with its inner point and bounding box."""
    frame = boundaries.rename(columns={"statcode": "wijk_code"})[["wijk_code", "geometry"]]
    geo = to_geojson_frame(frame, code_col="wijk_code", precision=WIJK_PRECISION)
    return geo.rename(columns={"region_code": "wijk_code"})


def wijk_shapes(boundary_source: str | Path) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The 2024 wijk boundaries and their wijk_geometry rows. Needs nothing from the CBS
    tables: the build draws them in a thread beside the loading (GEOS releases the GIL)."""
    boundaries = read_wijk_boundaries(boundary_source)
    return boundaries, wijk_geometry(boundaries)


def build_wijk_tables(con, values: pd.DataFrame,
                      shapes: tuple[gpd.GeoDataFrame, pd.DataFrame]) -> dict:
    """Write wijk, wijk_geometry and wijk_value from the values and wijk_shapes(); return
    counts for the build report."""
    from etl.build import write_frame

    boundaries, geometry = shapes
    codes_2023 = set(values.loc[(values["region_type"] == "WK") & (values["year"] == 2023),
                                "region_code"])
    wijken = wijk_table(boundaries, codes_2023, read_changes())
    write_frame(con, "wijk", wijken)
    write_frame(con, "wijk_geometry", geometry)
    write_frame(con, "wijk_value", values)
    return {"wijken": int(wijken["has_2024"].sum()), "wijk_values": len(values)}
