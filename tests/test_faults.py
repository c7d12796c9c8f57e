"""Faults of the data source, simulated: what CBS really does to a build.

Every test here is marked `fault`; the terminal summary counts and lists them. Transient
faults are retried and the table arrives; permanent ones fail clearly, name the table, and
leave the previous raw copy and warehouse untouched. No test leaves this machine: the fake
CBS server listens on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import json
import shutil

import cbsodata
import pytest
from fake_cbs import FakeCbs

from etl import config, extract
from etl.build import BuildError, build_warehouse
from etl.catalog import get_table
from etl.extract import ExtractError, extract_table
from etl.raw import read_raw_table

pytestmark = pytest.mark.fault
TABLE = "86088NED"


@pytest.fixture
def cbs(cbs_layout_dir, monkeypatch):
    """The fake CBS serving recorded 86088NED responses; cbsodata pointed at it."""
    monkeypatch.setattr(cbsodata.options, "use_https", False)
    monkeypatch.setattr(extract, "CBS_TIMEOUT_S", 0.5)
    monkeypatch.setattr(extract, "CBS_BACKOFF_S", 0.0)
    with FakeCbs(cbs_layout_dir / "cbs" / TABLE) as fake:
        # pages of 1,000 rows (CBS: 10,000) so that this table has several and 'cut' bites
        fake.page_size = 1000
        monkeypatch.setenv(config.CBS_CATALOG_ENV, fake.url)
        yield fake


@pytest.fixture
def raw_dir(tmp_path, cbs_layout_dir):
    """A raw cache that already holds a previous copy of the table."""
    raw = tmp_path / "raw"
    shutil.copytree(cbs_layout_dir / "cbs" / TABLE, raw / TABLE)
    (raw / TABLE / "MARKER").write_text("previous copy")
    return raw


def fetch(raw_dir):
    return extract_table(get_table(TABLE), raw_dir, None)


def rows(raw_dir) -> int:
    return len(read_raw_table(raw_dir / TABLE).data)


@pytest.mark.parametrize("fault", ["timeout", "reset", "500", "503", "truncated", "cut"])
def test_transient_fault_is_retried_and_the_table_arrives(cbs, raw_dir, cbs_layout_dir, fault):
    cbs.fail("TypedDataSet", fault)
    fetch(raw_dir)
    assert rows(raw_dir) == len(json.loads((cbs_layout_dir / "cbs" / TABLE /
                                            "TypedDataSet.json").read_text()))
    assert not (raw_dir / TABLE / "MARKER").exists()  # replaced by the new download
    assert cbs.requests.count("TypedDataSet") >= 2


@pytest.mark.parametrize("fault", ["503", "timeout", "reset"])
def test_transient_fault_on_the_index_and_code_lists_is_retried(cbs, raw_dir, fault):
    cbs.fail("", fault)
    cbs.fail("Persoonskenmerken", fault)
    fetch(raw_dir)
    assert rows(raw_dir) > 0


@pytest.mark.parametrize("fault, message", [
    ("503", "503"), ("cut", "rows arrived"), ("truncated", "JSONDecodeError"),
])
def test_persistent_fault_fails_naming_the_table_and_keeps_the_copy(cbs, raw_dir, fault,
                                                                     message):
    cbs.fail("TypedDataSet", *[fault] * extract.CBS_RETRIES)
    with pytest.raises(ExtractError, match=f"{TABLE}.*{message}"):
        fetch(raw_dir)
    assert (raw_dir / TABLE / "MARKER").read_text() == "previous copy"
    assert cbs.requests.count("TypedDataSet") == extract.CBS_RETRIES


@pytest.mark.parametrize("fault, message", [("404", "404"), ("empty", "no rows")])
def test_permanent_fault_is_not_retried(cbs, raw_dir, fault, message):
    cbs.fail("TypedDataSet", fault, fault)
    with pytest.raises(ExtractError, match=f"{TABLE}.*{message}"):
        fetch(raw_dir)
    assert cbs.requests.count("TypedDataSet") == 1
    assert (raw_dir / TABLE / "MARKER").exists()


def test_failed_live_build_names_the_table_and_keeps_the_warehouse(cbs_layout_dir, tmp_path,
                                                                   warehouse, monkeypatch):
    """A live build whose first table never arrives: BuildError, old warehouse byte-equal."""
    target = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, target)
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    monkeypatch.delenv(config.SNAPSHOT_ENV, raising=False)
    monkeypatch.setattr(cbsodata.options, "use_https", False)
    monkeypatch.setattr(extract, "CBS_BACKOFF_S", 0.0)
    with FakeCbs(cbs_layout_dir) as fake:
        monkeypatch.setenv(config.CBS_CATALOG_ENV, fake.url)
        fake.fail("", *["503"] * 50)
        with pytest.raises(BuildError, match="extract failed for CBS table 85755NED.*503"):
            build_warehouse(None, target, raw_dir=tmp_path / "raw", live=True)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before


def snapshot_with(cbs_layout_dir, tmp_path, table, edit):
    copy = tmp_path / "snap"
    shutil.copytree(cbs_layout_dir / "cbs", copy / "cbs")
    (copy / "geo").symlink_to(cbs_layout_dir / "geo")
    path = copy / "cbs" / table / "TypedDataSet.json"
    path.write_text(edit(path.read_text()))
    return copy


def test_measure_missing_fails_naming_table_and_measure(cbs_layout_dir, tmp_path):
    copy = snapshot_with(cbs_layout_dir, tmp_path, "85036NED",
                         lambda s: s.replace("GemiddeldeWOZWaardeVanWoningen_1", "WOZ_1"))
    with pytest.raises(BuildError, match="85036NED.*GemiddeldeWOZWaardeVanWoningen_1"):
        build_warehouse(copy, tmp_path / "w.duckdb", raw_dir=tmp_path / "raw")


def test_new_region_code_after_reference_data_fails_clearly(cbs_layout_dir, tmp_path):
    """A gemeente code CBS introduces after our reference date (e.g. a 2025 merger)."""
    def add_row(text):
        data = json.loads(text)
        data.append({**data[-1], "ID": len(data), "RegioS": "GM1999"})
        return json.dumps(data)

    copy = snapshot_with(cbs_layout_dir, tmp_path, "83648NED", add_row)
    with pytest.raises(BuildError, match="unknown gemeente codes.*83648NED: GM1999"):
        build_warehouse(copy, tmp_path / "w.duckdb", raw_dir=tmp_path / "raw")
    assert not (tmp_path / "w.duckdb").exists()
