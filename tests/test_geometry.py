"""Tests of etl.geometry: hand-made shapes for edge cases, the real 2024 boundaries for the rest."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import require_snapshot
from shapely import affinity

from etl import bundle

REPO = Path(__file__).resolve().parents[1]

geometry = importlib.import_module("etl.geometry")
GeometryError = geometry.GeometryError

N_GEMEENTEN_2024 = 342
KNOWN_INVALID = ("GM0160", "GM0175", "GM1676")
PAYLOAD_BUDGET_BYTES = 250 * 1024
NEIGHBOURS = ("GM0307", "GM0308", "GM0342")  # Amersfoort, Baarn, Soest: one polygon each

needs_coverage_clean = pytest.mark.skipif(
    not hasattr(shapely, "coverage_clean"), reason="shapely.coverage_clean needs shapely >= 2.2"
)


# --- hand-made test fixtures (invented codes GM90xx near Utrecht, NOT CBS data) ----------------


def square(x0: float, y0: float, size: float = 0.1) -> list[list[float]]:
    """Return the closed ring of an axis-aligned square."""
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


def feature(ring: list[list[float]], **properties: str) -> dict:
    """Return a GeoJSON polygon feature."""
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def write_geojson(path: Path, features: list[dict]) -> Path:
    """Write a FeatureCollection as raw text, so invalid shapes reach the reader unchanged."""
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.fixture
def two_squares(tmp_path: Path) -> Path:
    """Hand-made: two adjacent 0.1-degree squares sharing one edge."""
    return write_geojson(
        tmp_path / "two_squares.geojson",
        [
            feature(square(5.0, 52.0), statcode="GM9001", statnaam="West"),
            feature(square(5.1, 52.0), statcode="GM9002", statnaam="Oost"),
        ],
    )


def frame_of(*shapes: shapely.Geometry) -> gpd.GeoDataFrame:
    """Return a gemeente frame of hand-made shapes with codes GM9001, GM9002, ..."""
    codes = [f"GM{9001 + i}" for i in range(len(shapes))]
    return gpd.GeoDataFrame({"gemeente_code": codes}, geometry=list(shapes), crs="EPSG:4326")


# --- real 2024 boundaries from the snapshot ---------------------------------------------------


def geo_file(name: str) -> Path:
    """A raw boundary file of the snapshot (the provinces, or the gemeenten before repair):
    the test skips locally without ../shared and fails in CI."""
    path = require_snapshot() / "geo" / f"{name}_2024.topojson"
    assert path.is_file(), f"the snapshot lacks geo/{name}_2024.topojson"
    return path


def bundle_gemeenten() -> Path:
    """The gemeente boundaries the build reads: the bundle's, written by read_gemeenten."""
    return bundle.bundle_geometry()


@pytest.fixture(scope="module")
def gemeenten() -> gpd.GeoDataFrame:
    return geometry.read_gemeenten(bundle_gemeenten())


@pytest.fixture(scope="module")
def simplified(gemeenten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return geometry.simplify_coverage(gemeenten, geometry.DEFAULT_TOLERANCE)


@pytest.fixture(scope="module")
def provinces() -> gpd.GeoDataFrame:
    frame = gpd.read_file(geo_file("provincie")).set_crs("EPSG:4326")
    frame["geometry"] = geometry.repair_geometries(frame.geometry.to_numpy())  # PV29 is invalid
    return frame


def members_within(gemeenten: gpd.GeoDataFrame, region: shapely.Geometry) -> list[str]:
    """Return the codes of the gemeenten whose inner point lies in a region's polygon."""
    points = gemeenten.geometry.representative_point()
    return gemeenten.loc[points.within(region), "gemeente_code"].tolist()


def degree_area(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Return areas in square degrees: fine for ratios within a small country."""
    return pd.Series(shapely.area(gdf.geometry.to_numpy()), index=gdf.index)


# --- read_gemeenten ---------------------------------------------------------------------------


def test_read_real_gemeenten(gemeenten: gpd.GeoDataFrame) -> None:
    assert list(gemeenten.columns) == ["gemeente_code", "gemeente_name", "geometry"]
    assert len(gemeenten) == N_GEMEENTEN_2024
    assert gemeenten["gemeente_code"].is_unique
    assert gemeenten["gemeente_code"].str.fullmatch(r"GM\d{4}").all()
    assert gemeenten["gemeente_name"].notna().all()
    assert gemeenten.crs.to_epsg() == 4326
    assert gemeenten.is_valid.all()
    assert (~gemeenten.is_empty).all()
    assert set(gemeenten.geom_type) <= {"Polygon", "MultiPolygon"}
    amsterdam = gemeenten.loc[gemeenten["gemeente_code"] == "GM0363"]
    assert amsterdam["gemeente_name"].item() == "Amsterdam"
    assert amsterdam.geometry.item().contains(shapely.Point(4.90, 52.37))  # Dam square


def test_known_invalid_shapes_are_repaired_without_losing_area(
    gemeenten: gpd.GeoDataFrame,
) -> None:
    raw = gpd.read_file(geo_file("gemeente")).set_index("statcode")
    assert not raw.loc[list(KNOWN_INVALID)].is_valid.any(), "fixture premise: source is invalid"
    repaired = gemeenten.set_index("gemeente_code").loc[list(KNOWN_INVALID)]
    assert repaired.is_valid.all()
    ratio = degree_area(repaired) / degree_area(raw.loc[list(KNOWN_INVALID)])
    assert ratio.between(0.999, 1.001).all(), ratio.to_dict()


def test_read_missing_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.topojson"
    with pytest.raises(GeometryError, match="not found.*nowhere.topojson"):
        geometry.read_gemeenten(path)


def test_read_unreadable_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')  # hand-made: truncated
    with pytest.raises(GeometryError, match="broken.geojson"):
        geometry.read_gemeenten(path)


def test_read_without_statcode_names_file_and_column(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "nocode.geojson", [feature(square(5.0, 52.0), code="GM9001")])
    with pytest.raises(GeometryError, match=r"nocode.geojson.*'statcode'"):
        geometry.read_gemeenten(path)


@pytest.mark.parametrize(
    "features",
    [
        [],
        [
            {
                "type": "Feature",
                "properties": {"statcode": "GM9001"},
                "geometry": {"type": "LineString", "coordinates": [[5.0, 52.0], [5.1, 52.1]]},
            }
        ],
    ],
    ids=["no-features", "lines-only"],
)
def test_read_without_polygons_raises(tmp_path: Path, features: list[dict]) -> None:
    path = write_geojson(tmp_path / "empty.geojson", features)
    with pytest.raises(GeometryError, match="empty.geojson"):
        geometry.read_gemeenten(path)


def test_read_repairs_bow_tie_into_two_triangles(tmp_path: Path) -> None:
    # Hand-made bow-tie: the ring crosses itself at (5.05, 52.05).
    bow_tie = [[5.0, 52.0], [5.1, 52.1], [5.1, 52.0], [5.0, 52.1], [5.0, 52.0]]
    path = write_geojson(tmp_path / "bowtie.geojson", [feature(bow_tie, statcode=" GM9001 ")])
    assert not gpd.read_file(path).is_valid.any(), "fixture premise: bow-tie is invalid"
    result = geometry.read_gemeenten(path)
    shape = result.geometry.item()
    assert result["gemeente_code"].tolist() == ["GM9001"]  # padding stripped
    assert shape.is_valid and shape.geom_type == "MultiPolygon"
    assert len(shape.geoms) == 2
    assert shape.area == pytest.approx(0.005)  # two triangles of 0.1 x 0.05 / 2


def test_read_rejects_coordinates_outside_the_netherlands(tmp_path: Path) -> None:
    # Hand-made: lat/lon swapped, as a WFS in the wrong axis order would deliver it.
    swapped = [[y, x] for x, y in square(5.0, 52.0)]
    path = write_geojson(tmp_path / "swapped.geojson", [feature(swapped, statcode="GM9001")])
    with pytest.raises(GeometryError, match="outside the Netherlands"):
        geometry.read_gemeenten(path)


def test_read_rejects_duplicate_codes(tmp_path: Path) -> None:
    features = [feature(square(5.0, 52.0), statcode="GM9001")] * 2
    path = write_geojson(tmp_path / "twice.geojson", features)
    with pytest.raises(GeometryError, match="GM9001"):
        geometry.read_gemeenten(path)


def test_read_hand_made_squares(two_squares: Path) -> None:
    result = geometry.read_gemeenten(two_squares)
    assert result["gemeente_code"].tolist() == ["GM9001", "GM9002"]
    assert result["gemeente_name"].tolist() == ["West", "Oost"]
    assert result.crs.to_epsg() == 4326


def test_pdok_url_is_documented_not_called() -> None:
    assert geometry.PDOK_WFS_URL.startswith("https://service.pdok.nl/cbs/gebiedsindelingen/2024/")
    assert "gemeente_gegeneraliseerd" in geometry.PDOK_WFS_URL
    assert "EPSG:4326" in geometry.PDOK_WFS_URL


# --- simplify_coverage ------------------------------------------------------------------------


def test_simplify_real_coverage_is_valid(
    gemeenten: gpd.GeoDataFrame, simplified: gpd.GeoDataFrame
) -> None:
    assert simplified["gemeente_code"].tolist() == gemeenten["gemeente_code"].tolist()
    shapes = simplified.geometry.to_numpy()
    assert shapely.coverage_is_valid(shapes)
    assert shapely.is_valid(shapes).all()
    assert not shapely.is_empty(shapes).any()
    assert set(simplified.geom_type) <= {"Polygon", "MultiPolygon"}
    before, after = degree_area(gemeenten), degree_area(simplified)
    assert after.sum() == pytest.approx(before.sum(), rel=0.01)
    # Each gemeente may gain a filled sliver or lose an overlap, never a large part of itself.
    assert ((after / before - 1).abs() < 0.15).all()
    assert (
        shapely.get_num_coordinates(shapes).sum()
        < shapely.get_num_coordinates(gemeenten.geometry.to_numpy()).sum()
    )


@needs_coverage_clean
def test_simplify_leaves_no_narrow_holes_between_neighbours(
    simplified: gpd.GeoDataFrame,
) -> None:
    union = shapely.coverage_union_all(simplified.geometry.to_numpy())
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]
    widths = [2 * shapely.maximum_inscribed_circle(hole, 1e-5).length for hole in holes]
    assert min(widths) >= geometry.DEFAULT_GAP_WIDTH  # only real waters stay open
    assert len(holes) >= 10  # IJsselmeer, Markermeer, randmeren, Zeeland's waters


@needs_coverage_clean
def test_simplify_resolves_overlap_and_sliver_gap() -> None:
    # Hand-made: a frame with a square hole, an island 0.001 short of the hole on every side
    # (an enclosed sliver gap), and a neighbour overlapping the frame by 0.001.
    frame = shapely.box(5.0, 52.0, 5.3, 52.3).difference(shapely.box(5.1, 52.1, 5.2, 52.2))
    shapes = frame_of(
        frame,
        shapely.box(5.101, 52.101, 5.199, 52.199),
        shapely.box(5.299, 52.0, 5.4, 52.3),
    )
    assert not shapely.coverage_is_valid(shapes.geometry.to_numpy()), "fixture premise"
    result = geometry.simplify_coverage(shapes, tolerance=0.001).geometry.to_numpy()
    assert shapely.coverage_is_valid(result)
    union = shapely.union_all(result)
    assert union.geom_type == "Polygon" and not union.interiors  # sliver filled
    assert shapely.area(result).sum() == pytest.approx(0.4 * 0.3)  # overlap counted once


def test_simplify_keeps_shared_edges_of_wiggly_neighbours() -> None:
    # Hand-made: two neighbours share a zigzag edge finer than the tolerance.
    zigzag = [(5.1 + 0.0005 * (i % 2), 52.0 + 0.005 * i) for i in range(21)]
    west = shapely.Polygon([(5.0, 52.0), *zigzag, (5.0, 52.1)])
    east = shapely.Polygon([(5.2, 52.0), (5.2, 52.1), *reversed(zigzag)])
    result = geometry.simplify_coverage(frame_of(west, east), tolerance=0.01)
    shapes = result.geometry.to_numpy()
    assert shapely.coverage_is_valid(shapes)
    assert shapely.get_num_coordinates(shapes).sum() < 2 * len(west.exterior.coords)
    assert shapely.area(shapes).sum() == pytest.approx(0.02, rel=1e-6)


# --- dissolve_regions -------------------------------------------------------------------------


def test_dissolve_adjacent_gemeenten_sums_their_areas(simplified: gpd.GeoDataFrame) -> None:
    membership = pd.DataFrame({"region_code": "XX01", "gemeente_code": list(NEIGHBOURS)})
    region = geometry.dissolve_regions(simplified, membership)
    assert region["region_code"].tolist() == ["XX01"]
    shape = region.geometry.item()
    assert shape.is_valid and shape.geom_type == "Polygon"  # neighbours merge without seams
    members = simplified[simplified["gemeente_code"].isin(NEIGHBOURS)]
    assert shape.area == pytest.approx(degree_area(members).sum(), rel=0.005)


def test_dissolved_zeeland_matches_the_cbs_province(
    simplified: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame
) -> None:
    zeeland = provinces.loc[provinces["statcode"] == "PV29"].geometry.item()
    codes = members_within(simplified, zeeland)
    assert len(codes) == 13
    membership = pd.DataFrame({"region_code": "PV29", "gemeente_code": codes})
    region = geometry.dissolve_regions(simplified, membership).geometry.item()
    assert region.is_valid
    assert region.area == pytest.approx(zeeland.area, rel=0.02)


def test_dissolve_handles_overlapping_regions_and_padded_codes(
    simplified: gpd.GeoDataFrame,
) -> None:
    # A gemeente may sit in several regions; CBS pads region keys with spaces.
    membership = pd.DataFrame(
        {
            "region_code": ["AA01  ", "AA01  ", "BB01", "BB01", "BB01"],
            "gemeente_code": ["GM0687", "GM0718", "GM0718", "GM0717", "GM0717"],
        }
    )
    regions = geometry.dissolve_regions(simplified, membership)
    assert regions["region_code"].tolist() == ["AA01", "BB01"]
    assert regions.is_valid.all()


def test_dissolve_missing_members_lists_regions_and_codes(simplified: gpd.GeoDataFrame) -> None:
    membership = pd.DataFrame(
        {
            "region_code": ["XX01", "XX01", "XX02", "XX03"],
            "gemeente_code": ["GM0687", "GM9998", "GM9999", "GM0718"],
        }
    )
    with pytest.raises(GeometryError, match=r"XX01: GM9998; XX02: GM9999$") as caught:
        geometry.dissolve_regions(simplified, membership)
    assert "XX03" not in str(caught.value)


def test_dissolve_rejects_membership_without_columns() -> None:
    with pytest.raises(GeometryError, match="gemeente_code"):
        geometry.dissolve_regions(frame_of(shapely.box(5, 52, 5.1, 52.1)), pd.DataFrame({"x": []}))


# --- to_geojson_frame -------------------------------------------------------------------------


def test_to_geojson_frame_rounds_and_points_inside() -> None:
    # Hand-made U shape: its centroid falls in the notch, outside the shape.
    u_shape = shapely.Polygon(
        [(5.0, 52.0), (5.3, 52.0), (5.3, 52.3), (5.2, 52.3), (5.2, 52.1), (5.1, 52.1)]
        + [(5.1, 52.3), (5.0, 52.3)]
    )
    noisy = affinity.translate(shapely.box(5.5, 52.5, 5.6, 52.6), 1.23456789e-5, 0)
    gdf = gpd.GeoDataFrame({"region_code": ["U", "N"]}, geometry=[u_shape, noisy], crs=4326)
    assert not u_shape.contains(u_shape.centroid), "fixture premise"

    frame = geometry.to_geojson_frame(gdf, precision=4)

    assert list(frame.columns) == [
        "region_code", "geojson", "centroid_lon", "centroid_lat",
        "min_lon", "min_lat", "max_lon", "max_lat",
    ]  # fmt: skip
    for row in frame.itertuples():
        shape = shapely.from_geojson(row.geojson)
        assert shape.is_valid and not shape.is_empty
        assert " " not in row.geojson  # compact
        decimals = re.findall(r"\.(\d+)", row.geojson)
        assert decimals and max(len(d) for d in decimals) <= 4
        point = shapely.Point(row.centroid_lon, row.centroid_lat)
        assert shape.contains(point)
        assert row.min_lon <= row.centroid_lon <= row.max_lon
        assert row.min_lat <= row.centroid_lat <= row.max_lat
        assert (row.min_lon, row.min_lat, row.max_lon, row.max_lat) == shape.bounds
    assert frame.loc[1, "min_lon"] == pytest.approx(5.5, abs=1e-12)  # noise rounded away


def test_to_geojson_frame_uses_code_col_and_rejects_empty() -> None:
    gdf = frame_of(shapely.box(5.0, 52.0, 5.1, 52.1))
    frame = geometry.to_geojson_frame(gdf, code_col="gemeente_code")
    assert frame["region_code"].tolist() == ["GM9001"]
    with pytest.raises(GeometryError, match="GM9002"):
        geometry.to_geojson_frame(
            frame_of(shapely.box(5.0, 52.0, 5.1, 52.1), shapely.Polygon()), "gemeente_code"
        )


# --- build_geometry_table ---------------------------------------------------------------------


def test_build_hand_made_table(two_squares: Path) -> None:
    membership = pd.DataFrame(
        {
            "region_code": ["XX01", "XX01", "GM9001"],  # the identity row adds nothing
            "gemeente_code": ["GM9001", "GM9002", "GM9001"],
        }
    )
    table = geometry.build_geometry_table(two_squares, membership)
    assert table["region_code"].tolist() == ["GM9001", "GM9002", "XX01"]
    region = shapely.from_geojson(table.iloc[2]["geojson"])
    assert region.geom_type == "Polygon"
    assert region.area == pytest.approx(0.02)
    assert table.iloc[2][["min_lon", "min_lat", "max_lon", "max_lat"]].tolist() == pytest.approx(
        [5.0, 52.0, 5.2, 52.1]
    )


def test_build_rejects_region_code_that_is_a_gemeente(two_squares: Path) -> None:
    membership = pd.DataFrame({"region_code": ["GM9001"], "gemeente_code": ["GM9002"]})
    with pytest.raises(GeometryError, match="GM9001"):
        geometry.build_geometry_table(two_squares, membership)


def test_build_real_table_is_fast_and_small(
    gemeenten: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame
) -> None:
    membership = pd.concat(
        pd.DataFrame({"region_code": code, "gemeente_code": members_within(gemeenten, shape)})
        for code, shape in zip(provinces["statcode"], provinces.geometry, strict=True)
    )
    assert membership["gemeente_code"].nunique() == N_GEMEENTEN_2024

    table = geometry.build_geometry_table(bundle_gemeenten(), membership)
    assert len(table) == N_GEMEENTEN_2024 + 12
    assert table["region_code"].is_unique
    own = table[table["region_code"].str.startswith("GM")]
    features = ",".join(
        f'{{"type":"Feature","id":"{code}","properties":{{}},"geometry":{text}}}'
        for code, text in zip(own["region_code"], own["geojson"], strict=True)
    )
    payload = f'{{"type":"FeatureCollection","features":[{features}]}}'
    assert len(json.loads(payload)["features"]) == N_GEMEENTEN_2024
    assert len(payload.encode()) < PAYLOAD_BUDGET_BYTES
