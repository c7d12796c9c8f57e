"""The data bundle shipped in data/bundle/: complete, true to its manifest, equal to the snapshot.

The comparisons with the raw snapshot (../shared) skip locally without it and fail in CI.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import REPO, require_snapshot

from etl import bundle
from etl.catalog import load_tables

MANIFEST = json.loads((bundle.BUNDLE_DIR / bundle.MANIFEST).read_text(encoding="utf-8"))
# After a live refresh (`python -m etl build --live --write-bundle`) the bundle holds newer CBS
# figures than the snapshot; only a bundle made from the snapshot can equal it.
FROM_SNAPSHOT = pytest.mark.skipif(MANIFEST["source"] != "offline snapshot",
                                   reason="the bundle was refreshed live, not from the snapshot")


def test_every_declared_table_is_in_the_manifest_and_nothing_else():
    declared = [s.id for s in load_tables()]
    assert [t["id"] for t in MANIFEST["tables"]] == declared


def test_manifest_matches_its_files():
    assert bundle.verify_bundle() == []
    for entry in MANIFEST["tables"]:
        path = bundle.BUNDLE_DIR / entry["file"]
        assert pq.ParquetFile(path).metadata.num_rows == entry["rows"] > 0


def test_a_changed_file_is_caught(tmp_path):
    """verify_bundle can fail: one byte changed in a copy of the bundle."""
    import shutil

    copy = tmp_path / "bundle"
    shutil.copytree(bundle.BUNDLE_DIR, copy)
    target = copy / MANIFEST["tables"][1]["file"]
    data = bytearray(target.read_bytes())
    data[-10] ^= 0xFF
    target.write_bytes(bytes(data))
    assert any("checksum" in p for p in bundle.verify_bundle(copy))


def test_manifest_entries_say_what_where_when_and_licence():
    for entry in [*MANIFEST["tables"], MANIFEST["boundaries"]]:
        assert entry["source"] in ("offline snapshot", "CBS OData", "PDOK")
        assert pd.Timestamp(entry["taken_at"]).year >= 2024
        assert "CC BY 4.0" in entry["licence"] and "Bron: CBS" in entry["licence"]
    for entry in MANIFEST["tables"]:
        assert entry["periods"] or entry["boundaries"] == "none"


def test_manifest_holds_no_filesystem_path():
    text = (bundle.BUNDLE_DIR / bundle.MANIFEST).read_text(encoding="utf-8")
    for path in (str(REPO), str(REPO.parent), "/work", "/tmp", "/home", "shared/"):
        assert path not in text


def test_bundle_keeps_only_declared_measures_and_slices(bundle_table):
    for spec in load_tables():
        raw = bundle_table(spec.id)
        measures = set(raw.measure_keys)
        assert set(spec.measures) >= measures - {c for c in raw.data if c.startswith(("Code_",
                                                                                      "Naam_"))}
        if spec.slices:
            from etl.stage import select_slices

            _, labels, _ = select_slices(raw, spec)
            assert len(labels) == len(raw.data)  # every row in a declared slice


def test_bundle_is_small():
    assert bundle.bundle_size() < 10e6


def test_known_snapshot_gaps_are_listed():
    """The snapshot's README: the 80305ned dump stopped after 10,000 rows ordered by name, so
    Zwolle and Zwijndrecht (after 2015) are missing; no other gemeente is missing there."""
    gaps = next(t["gaps"] for t in MANIFEST["tables"] if t["id"] == "80305ned")
    found = {g["gemeente_code"]: g for g in gaps}
    assert set(found) == {"GM0193", "GM0642"}
    assert found["GM0193"]["gemeente_name"] == "Zwolle"
    assert found["GM0642"]["years"] == "2016-2023"


def test_gaps_are_derived_by_comparison():
    """A hand-made table on 2024 boundaries missing one gemeente in one year."""
    per_year = {2022: {"GM0001", "GM0002"}, 2023: {"GM0001"}}
    gaps = bundle.find_gaps(per_year, lambda _y: {"GM0001", "GM0002"}, {"GM0002": "Tweede"})
    assert gaps == [{"gemeente_code": "GM0002", "gemeente_name": "Tweede", "years": "2023"}]
    assert bundle.year_ranges([2016, 2017, 2018, 2021]) == "2016-2018, 2021"


def test_build_from_bundle_is_offline_and_summarised(tmp_path, capsys, monkeypatch):
    """`python -m etl build` without arguments: from the bundle (the autouse fixture fails any
    network connection), a summary of a few lines naming build_meta."""
    from etl import config
    from etl.__main__ import main

    monkeypatch.delenv(config.SNAPSHOT_ENV, raising=False)
    monkeypatch.setenv(config.WAREHOUSE_ENV, str(tmp_path / "w.duckdb"))
    assert main(["build", "--quiet"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) <= 4
    assert "data bundle" in out[0] and "build_meta" in out[-1]
    assert "gaps" in out[1] and "warnings" in out[1]
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    kind, taken = con.execute("select source_kind, taken_at from build_meta").fetchall()[0]
    assert kind == "bundle" and str(taken)[:10] == MANIFEST["taken_at"]
    gaps = con.execute("select gaps from build_info where table_id = '80305ned'").fetchall()
    assert "GM0193 Zwolle" in gaps[0][0]
    con.close()


def test_missing_bundle_is_a_clear_error(tmp_path):
    from etl.build import BuildError, build_warehouse

    with pytest.raises(BuildError, match="bundle is missing.*etl bundle"):
        build_warehouse(None, tmp_path / "w.duckdb", bundle_dir=tmp_path / "none")


# --- against the raw snapshot (skip locally without it, fail in CI) -------------------------

@pytest.fixture(scope="module")
def snapshot_warehouse(tmp_path_factory):
    from etl.build import build_warehouse

    snapshot = require_snapshot()
    root = tmp_path_factory.mktemp("snapshot_build")
    build_warehouse(snapshot, root / "w.duckdb", raw_dir=root / "raw")
    return root / "w.duckdb"


def frame(path, sql) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


@FROM_SNAPSHOT
@pytest.mark.integration
def test_bundle_build_equals_snapshot_build(warehouse, snapshot_warehouse):
    """Same indicator values (exactly), scores (to float noise), regions and geometry."""
    keys = {
        "indicator_value": "indicator_id, region_code, year",
        "indicator_score": "indicator_id, region_code, year",
        "factor_score": "factor_id, region_code, year",
        "region": "region_code",
        "geometry": "region_code",
        # issue 20: the wijk tables and the figures one CBS table lends another
        "wijk": "wijk_code",
        "wijk_geometry": "wijk_code",
        "wijk_value": "table_id, region_code, measure",
        "value_fill": "table_id, measure, region_code, year",
    }
    for table, order in keys.items():
        sql = f"select * from {table} order by {order}"
        ours, theirs = frame(warehouse, sql), frame(snapshot_warehouse, sql)
        assert len(ours) == len(theirs) > 0, table
        exact = table != "factor_score"
        pd.testing.assert_frame_equal(ours, theirs, check_exact=exact, rtol=1e-12, obj=table)


@FROM_SNAPSHOT
@pytest.mark.integration
def test_bundle_is_what_the_code_makes_of_the_snapshot(tmp_path):
    """`python -m etl bundle --snapshot` reproduces the committed files byte for byte."""
    from etl.build import Source, write_bundle_from

    snapshot = require_snapshot()
    source = Source("snapshot", snapshot=snapshot, raw_dir=snapshot / "cbs")
    made = write_bundle_from(source, tmp_path / "bundle")
    assert [t["sha256"] for t in made["tables"]] == [t["sha256"] for t in MANIFEST["tables"]]
    assert made["boundaries"]["sha256"] == MANIFEST["boundaries"]["sha256"]
    assert made["wijk_boundaries"]["sha256"] == MANIFEST["wijk_boundaries"]["sha256"]
    assert made["wijk_boundaries"]["rows"] == 3393
    assert [t.get("gaps") for t in made["tables"]] == [t.get("gaps") for t in MANIFEST["tables"]]


def test_bundle_older_than_tables_yaml_is_a_clear_error():
    """Someone declares a new measure but forgets to refresh the bundle."""
    import dataclasses

    from etl.catalog import get_table

    spec = get_table("80305ned")
    newer = dataclasses.replace(spec, measures={**spec.measures, "AfstandTotNieuw_999": "x"})
    with pytest.raises(bundle.BundleError, match=r"80305ned.*AfstandTotNieuw_999.*etl bundle"):
        bundle.read_bundle_table(newer)
