"""Gemeente boundaries: read and repair, simplify as a coverage, dissolve into regions, GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

# Live source: PDOK "CBS gebiedsindelingen" WFS, generalised gemeenten of 2024, GeoJSON in WGS84.
# Not reachable on the development machines; tests never call it.
PDOK_WFS_URL = (
    "https://service.pdok.nl/cbs/gebiedsindelingen/2024/wfs/v1_0"
    "?service=WFS&version=2.0.0&request=GetFeature"
    "&typeNames=gebiedsindelingen:gemeente_gegeneraliseerd"
    "&outputFormat=application/json&srsName=EPSG:4326"
)

CRS = "EPSG:4326"

# Visvalingam-Whyatt tolerance in degrees: a vertex goes when its triangle is smaller than a
# square of this side (0.003 deg is 200-330 m), under one pixel on a map of the whole country.
# The snapshot (quantised to 0.001 deg) then gives 150 KB of GeoJSON for the 342 gemeenten.
DEFAULT_TOLERANCE = 0.003
# Holes between neighbours narrower than this (degrees, about 1.0-1.7 km) are left by the
# source's shape-by-shape simplification, mostly where three gemeenten meet: each is merged
# into the neighbour with the longest shared border. The waters the source leaves out
# (IJsselmeer, randmeren, Zeeland's) are 0.025 deg wide or more and stay open; only the
# narrow Drontermeer (0.0096) is filled.
DEFAULT_GAP_WIDTH = 0.015
# Four decimals is about 7-11 m: far finer than the simplification, and short in JSON.
DEFAULT_PRECISION = 4

# Lon/lat envelope of the Netherlands with a margin: catches RD coordinates read without a CRS
# and swapped axes.
NL_BOUNDS = (2.5, 50.0, 8.0, 54.5)

MEMBERSHIP_COLUMNS = ("region_code", "gemeente_code")


class GeometryError(ValueError):
    """Boundary data is missing, malformed, or does not cover the regions asked for."""


def read_gemeenten(source: str | Path) -> gpd.GeoDataFrame:
    """Read gemeente polygons from a TopoJSON/GeoJSON file or URL, repaired, in EPSG:4326."""
    frame = read_source(source)
    if frame.empty:
        raise GeometryError(f"boundary source {source} contains no features")
    if "statcode" not in frame.columns:
        found = ", ".join(c for c in frame.columns if c != frame.geometry.name)
        raise GeometryError(f"boundary source {source} has no 'statcode' column (found: {found})")
    frame = set_wgs84(frame)
    names = frame["statnaam"] if "statnaam" in frame.columns else pd.Series(pd.NA, frame.index)
    gemeenten = gpd.GeoDataFrame(
        {
            "gemeente_code": frame["statcode"].astype(str).str.strip().to_numpy(),
            "gemeente_name": names.to_numpy(),
        },
        geometry=repair_geometries(frame.geometry.to_numpy()),
        crs=CRS,
    )
    gemeenten = gemeenten[~gemeenten.geometry.is_empty].reset_index(drop=True)
    if gemeenten.empty:
        raise GeometryError(f"boundary source {source} yields no polygons")
    check_gemeenten(gemeenten, source)
    return gemeenten


def read_source(source: str | Path) -> gpd.GeoDataFrame:
    """Read any vector source GDAL knows, turning every failure into a GeometryError."""
    text = str(source)
    is_url = text.startswith(("http://", "https://"))
    if not is_url and not Path(source).is_file():
        raise GeometryError(f"boundary file not found: {source}")
    try:
        if text.endswith(".parquet"):  # the bundle's boundaries (GeoParquet)
            return gpd.read_parquet(text)
        return gpd.read_file(text)
    except (OSError, RuntimeError, ValueError) as exc:  # pyogrio's errors are RuntimeErrors
        raise GeometryError(f"cannot read boundaries from {source}: {exc}") from exc


def set_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the frame in EPSG:4326; TopoJSON carries no CRS, so a missing one means WGS84."""
    if frame.crs is None:
        return frame.set_crs(CRS)
    return frame.to_crs(CRS)


def check_gemeenten(gemeenten: gpd.GeoDataFrame, source: str | Path) -> None:
    """Raise GeometryError on duplicate codes or coordinates outside the Netherlands."""
    codes = gemeenten["gemeente_code"]
    duplicated = sorted(set(codes[codes.duplicated()]))
    if duplicated:
        raise GeometryError(f"boundary source {source} repeats codes: {', '.join(duplicated)}")
    min_x, min_y, max_x, max_y = gemeenten.total_bounds
    lo_x, lo_y, hi_x, hi_y = NL_BOUNDS
    if min_x < lo_x or min_y < lo_y or max_x > hi_x or max_y > hi_y:
        raise GeometryError(
            f"boundary source {source} lies outside the Netherlands in lon/lat "
            f"({min_x:.3f}, {min_y:.3f}, {max_x:.3f}, {max_y:.3f}): wrong CRS or axis order?"
        )


def repair_geometries(geometries: np.ndarray) -> np.ndarray:
    """Return valid 2D polygonal geometries; non-polygonal input becomes an empty polygon."""
    return np.array([repair_geometry(geom) for geom in geometries], dtype=object)


def repair_geometry(geom: shapely.Geometry | None) -> shapely.Geometry:
    """Return one geometry valid and polygon-only (make_valid can add lines and points)."""
    polygonal = extract_polygons(shapely.force_2d(geom) if geom is not None else None)
    if polygonal.is_valid:
        return polygonal
    # "structure" rebuilds rings as areas, so a bow-tie stays two triangles, not lines.
    fixed = shapely.make_valid(polygonal, method="structure", keep_collapsed=False)
    return extract_polygons(fixed)


def extract_polygons(geom: shapely.Geometry | None) -> shapely.Geometry:
    """Return the polygonal parts of a geometry as a Polygon or MultiPolygon (empty if none)."""
    if geom is None:
        return shapely.Polygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polygons = [part for part in iterate_parts(geom) if part.geom_type == "Polygon"]
    polygons = [part for part in polygons if not part.is_empty]
    if not polygons:
        return shapely.Polygon()
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def iterate_parts(geom: shapely.Geometry) -> list[shapely.Geometry]:
    """Return the single-part members of a geometry, descending into nested collections."""
    parts = []
    for part in shapely.get_parts(geom):
        if hasattr(part, "geoms"):  # a multi-part geometry or collection
            parts.extend(iterate_parts(part))
        else:
            parts.append(part)
    return parts


def simplify_coverage(
    gdf: gpd.GeoDataFrame, tolerance: float, gap_width: float = DEFAULT_GAP_WIDTH
) -> gpd.GeoDataFrame:
    """Simplify all shapes together so neighbours keep shared edges (no gaps, no overlaps)."""
    geometries = repair_geometries(gdf.geometry.to_numpy())
    cleaned = clean_coverage(geometries, gap_width)
    simplified = repair_geometries(shapely.coverage_simplify(cleaned, tolerance))
    lost = shapely.is_empty(simplified) & ~shapely.is_empty(geometries)
    if lost.any():
        labels = ", ".join(str(label) for label in gdf.index[lost])
        raise GeometryError(f"simplification emptied the shapes at rows: {labels}")
    out = gdf.copy()
    out[gdf.geometry.name] = gpd.GeoSeries(simplified, index=gdf.index, crs=gdf.crs)
    return out


def clean_coverage(geometries: np.ndarray, gap_width: float) -> np.ndarray:
    """Snap near-identical edges, split overlaps and fill slivers so the shapes form a coverage.

    coverage_simplify keeps neighbours together only where their edges match exactly; the CBS
    files, simplified per shape, have small overlaps and slivers between neighbours.
    """
    if not hasattr(shapely, "coverage_clean"):  # shapely < 2.2: simplify the input as it is
        return geometries
    return shapely.coverage_clean(geometries, gap_width=gap_width)


def dissolve_regions(gemeenten: gpd.GeoDataFrame, membership: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return region_code and geometry: the union of the member gemeenten of every region."""
    links = normalize_membership(membership)
    shapes = pd.Series(gemeenten.geometry.to_numpy(), index=gemeenten["gemeente_code"].to_numpy())
    check_members(links, set(shapes.index))
    rows = [
        (region, extract_polygons(shapely.union_all(shapes.loc[members.to_numpy()].to_numpy())))
        for region, members in links.groupby("region_code", sort=False)["gemeente_code"]
    ]
    regions = pd.DataFrame(rows, columns=["region_code", "geometry"])
    return gpd.GeoDataFrame(regions, geometry="geometry", crs=gemeenten.crs)


def normalize_membership(membership: pd.DataFrame) -> pd.DataFrame:
    """Return unique (region_code, gemeente_code) pairs, stripped of CBS's padding spaces."""
    absent = [col for col in MEMBERSHIP_COLUMNS if col not in membership.columns]
    if absent:
        raise GeometryError(f"membership lacks column(s): {', '.join(absent)}")
    links = membership[list(MEMBERSHIP_COLUMNS)].astype(str)
    links = links.apply(lambda column: column.str.strip())
    return links.drop_duplicates().reset_index(drop=True)


def check_members(links: pd.DataFrame, known_codes: set[str]) -> None:
    """Raise GeometryError naming every region with members that have no boundary."""
    missing = links[~links["gemeente_code"].isin(known_codes)]
    if missing.empty:
        return
    per_region = missing.groupby("region_code", sort=True)["gemeente_code"]
    detail = "; ".join(f"{region}: {', '.join(sorted(codes))}" for region, codes in per_region)
    raise GeometryError(f"regions with gemeenten missing from the boundaries: {detail}")


def to_geojson_frame(
    gdf: gpd.GeoDataFrame, code_col: str = "region_code", precision: int = DEFAULT_PRECISION
) -> pd.DataFrame:
    """Return one row per region: code, compact GeoJSON geometry, inner point and bounding box."""
    if code_col not in gdf.columns:
        raise GeometryError(f"frame has no column {code_col!r}")
    geometries = round_geometries(gdf.geometry.to_numpy(), precision)
    codes = gdf[code_col].astype(str).to_numpy()
    empty = shapely.is_empty(geometries) | shapely.is_missing(geometries)
    if empty.any():
        raise GeometryError(f"regions without geometry: {', '.join(codes[empty])}")
    points = find_inner_points(geometries)
    bounds = shapely.bounds(geometries)
    return pd.DataFrame(
        {
            "region_code": codes,
            "geojson": [format_geojson(geom) for geom in geometries],
            "centroid_lon": np.round(shapely.get_x(points), precision),
            "centroid_lat": np.round(shapely.get_y(points), precision),
            "min_lon": bounds[:, 0],
            "min_lat": bounds[:, 1],
            "max_lon": bounds[:, 2],
            "max_lat": bounds[:, 3],
        }
    )


def round_geometries(geometries: np.ndarray, precision: int) -> np.ndarray:
    """Return geometries snapped to a 10**-precision grid, kept valid, with short decimals."""
    snapped = shapely.set_precision(geometries, 10.0**-precision)
    # The grid leaves binary noise (51.2345000000001); rounding makes the JSON text short.
    return shapely.transform(snapped, lambda coords: np.round(coords, precision))


def find_inner_points(geometries: np.ndarray) -> np.ndarray:
    """Return the centroid where it lies inside the shape, else a point on its surface."""
    centroids = shapely.centroid(geometries)
    inside = shapely.contains(geometries, centroids)
    return np.where(inside, centroids, shapely.point_on_surface(geometries))


def format_geojson(geom: shapely.Geometry) -> str:
    """Return the geometry as compact GeoJSON text."""
    return json.dumps(mapping(geom), separators=(",", ":"))


def build_geometry_table(
    gemeente_source: str | Path,
    membership: pd.DataFrame,
    tolerance: float = DEFAULT_TOLERANCE,
    precision: int = DEFAULT_PRECISION,
) -> pd.DataFrame:
    """Return the GeoJSON frame of every gemeente and every region dissolved from them."""
    gemeenten = simplify_coverage(read_gemeenten(gemeente_source), tolerance)
    links = normalize_membership(membership)
    # A gemeente is a region of its own already; identity rows would only duplicate it.
    links = links[links["region_code"] != links["gemeente_code"]]
    regions = dissolve_regions(gemeenten, links)
    own = gemeenten.rename(columns={"gemeente_code": "region_code"})[["region_code", "geometry"]]
    combined = pd.concat([own, regions], ignore_index=True)
    clashes = sorted(set(combined.loc[combined["region_code"].duplicated(), "region_code"]))
    if clashes:
        raise GeometryError(f"region codes that are also gemeente codes: {', '.join(clashes)}")
    frame = gpd.GeoDataFrame(combined, geometry="geometry", crs=CRS)
    return to_geojson_frame(frame, precision=precision)
