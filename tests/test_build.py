"""Safe builds: a failed, interrupted or invalid build leaves the previous warehouse untouched."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl import build as build_module
from etl.build import BuildError, build_warehouse

REPO = Path(__file__).resolve().parent.parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def snapshot_copy(cbs_layout_dir, tmp_path) -> Path:
    """A writable copy of the snapshot (links to the big files, so it is cheap)."""
    copy = tmp_path / "snapshot"
    shutil.copytree(cbs_layout_dir / "cbs", copy / "cbs", copy_function=shutil.copy)
    (copy / "geo").symlink_to(cbs_layout_dir / "geo")
    return copy


@pytest.fixture
def old_warehouse(warehouse, tmp_path) -> Path:
    """A previous, valid warehouse in the target place."""
    target = tmp_path / "out" / "warehouse.duckdb"
    target.parent.mkdir()
    shutil.copy(warehouse, target)
    return target


def leftovers(target: Path) -> list[Path]:
    """Files beside the warehouse other than itself and its (empty, kept) build lock."""
    return [p for p in target.parent.iterdir()
            if p.name not in (target.name, f"{target.name}.lock")]


def test_malformed_table_fails_clearly_and_keeps_old(snapshot_copy, old_warehouse, tmp_path):
    before = digest(old_warehouse)
    (snapshot_copy / "cbs" / "83648NED" / "TypedDataSet.json").write_text('[{"ID": 0, "Re')
    with pytest.raises(BuildError, match="83648NED.*malformed JSON"):
        build_warehouse(snapshot_copy, old_warehouse, raw_dir=tmp_path / "raw")
    assert digest(old_warehouse) == before
    assert leftovers(old_warehouse) == []


def test_renamed_measure_fails_naming_table_and_column(snapshot_copy, old_warehouse, tmp_path):
    path = snapshot_copy / "cbs" / "86088NED" / "TypedDataSet.json"
    path.write_text(path.read_text().replace("Werkloosheidspercentage_13", "Werkloosheid_13"))
    with pytest.raises(BuildError, match="86088NED.*Werkloosheidspercentage_13"):
        build_warehouse(snapshot_copy, old_warehouse, raw_dir=tmp_path / "raw")


def test_failure_midway_keeps_old(snapshot_copy, old_warehouse, tmp_path, monkeypatch):
    """A step after most tables are loaded fails (geometry): nothing is replaced."""
    before = digest(old_warehouse)
    (snapshot_copy / "geo").unlink()
    (snapshot_copy / "geo").mkdir()
    (snapshot_copy / "geo" / "gemeente_2024.topojson").write_text("{not json")
    with pytest.raises(BuildError, match="geometry failed"):
        build_warehouse(snapshot_copy, old_warehouse, raw_dir=tmp_path / "raw")
    assert digest(old_warehouse) == before
    assert leftovers(old_warehouse) == []


def test_interrupted_build_keeps_old(snapshot_copy, old_warehouse, tmp_path, monkeypatch):
    before = digest(old_warehouse)

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "build_indicators", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_warehouse(snapshot_copy, old_warehouse, raw_dir=tmp_path / "raw")
    assert digest(old_warehouse) == before
    assert leftovers(old_warehouse) == []


def test_invalid_result_is_not_swapped_in(snapshot_copy, old_warehouse, tmp_path, monkeypatch):
    """Validation rejects a warehouse whose pilot region lost its geometry."""
    before = digest(old_warehouse)
    real = build_module.build_geometry

    def drop_one(con, membership, snapshot, *drawn):
        real(con, membership, snapshot, *drawn)
        con.execute("delete from geometry where region_code = 'PR_zeeland'")

    monkeypatch.setattr(build_module, "build_geometry", drop_one)
    with pytest.raises(BuildError, match="validation failed: geometry missing.*PR_zeeland"):
        build_warehouse(snapshot_copy, old_warehouse, raw_dir=tmp_path / "raw")
    assert digest(old_warehouse) == before


def test_unknown_pilot_member_fails(snapshot_copy, old_warehouse, tmp_path, monkeypatch):
    from etl import regions

    pilots = regions.read_pilot_regions()
    pilots[0]["variants"][0]["members"].append(["GM9999", "Nergenshuizen"])
    monkeypatch.setattr(build_module, "read_pilot_regions", lambda: pilots)
    with pytest.raises(BuildError, match="regions failed.*GM9999"):
        build_warehouse(snapshot_copy, old_warehouse, raw_dir=tmp_path / "raw")


def test_missing_cbs_layout_dir_is_a_clear_error(tmp_path):
    with pytest.raises(BuildError, match="has no cbs/ folder"):
        build_warehouse(tmp_path / "nowhere", tmp_path / "w.duckdb", raw_dir=tmp_path / "raw")


def test_cli_exits_nonzero_with_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--snapshot", str(tmp_path / "nowhere"),
         "--out", str(tmp_path / "w.duckdb"), "--quiet"],
        cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "build failed" in result.stderr and "untouched" in result.stderr
    assert "Traceback" not in result.stderr
