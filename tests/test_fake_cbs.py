"""The contract: what CBS really sends (../shared/cbs-recordings, served as recorded) is read
by cbsodata and by our extract; and the fake CBS the live tests use answers like it.

The expected values are read from the recordings themselves, never from our code.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import cbsodata
import pytest
from conftest import require_snapshot
from fake_cbs import FakeCbs, RecordedCbs, parse_filter

from etl import extract
from etl.catalog import get_table
from etl.raw import read_raw_table


@pytest.fixture(scope="module")
def shared() -> Path:
    path = require_snapshot()
    if not (path / "cbs-recordings").is_dir():
        pytest.fail(f"{path / 'cbs-recordings'} is missing: the contract test needs it")
    return path


@pytest.fixture
def recorded(shared, monkeypatch):
    monkeypatch.setattr(cbsodata.options, "use_https", False)
    with RecordedCbs(shared) as server:
        yield server


def recording(shared: Path, *parts: str) -> list[dict]:
    return json.loads((shared / "cbs-recordings").joinpath(*parts).read_text())["value"]


def test_cbsodata_typed_flag_is_inverted_on_what_cbs_sends(recorded, shared, tmp_path):
    """cbsodata 1.3.x: typed=False writes TypedDataSet.json, typed=True asks for the untyped
    set (J535D165/cbsodata#20; for 80137ned that answer is not recorded, so the fake says
    404). If a fixed release arrives, this test says so."""
    cbsodata.download_data("80137ned", dir=str(tmp_path / "f"), typed=False,
                           catalog_url=recorded.url)
    assert (tmp_path / "f" / "TypedDataSet.json").is_file()
    assert not (tmp_path / "f" / "UntypedDataSet.json").exists()
    assert not any("UntypedDataSet" in p for p in recorded.log)
    with pytest.raises(Exception, match="404"):
        cbsodata.download_data("80137ned", dir=str(tmp_path / "t"), typed=True,
                               catalog_url=recorded.url)
    assert any("/80137ned/UntypedDataSet" in p for p in recorded.log)


def test_our_extract_reads_cbs_recorded_answers(recorded, shared, tmp_path, monkeypatch):
    """download_typed gets the typed set; read_raw_table reads it with CBS's padded code
    keys, titles apart, and the real Modified timestamp."""
    monkeypatch.setenv("REM_CBS_CATALOG", recorded.url)
    spec = get_table("86088NED")  # any declared spec: only its id is used for naming
    tmp = tmp_path / "dl"
    tmp.mkdir()
    extract.download_typed(cbsodata, replace(spec, id="80137ned"), tmp, None)
    raw = read_raw_table(tmp, "80137ned")
    rows = recording(shared, "80137ned", "TypedDataSet.json")
    assert len(raw.data) == len(rows) == 675
    assert raw.modified == recording(shared, "80137ned", "TableInfos.json")[0]["Modified"]
    assert raw.modified == "2009-07-10T02:00:00"
    kinds = raw.dimensions["Persoonskenmerken"]
    assert kinds.loc[kinds["Key"] == "1 ", "Title"].tolist() == ["Totaal"]  # padded key
    periods = raw.dimensions["Perioden"]
    assert set(periods["Status"]) == {"Definitief"}
    assert raw.measure_keys[:2] == ["Totaal_1", "Werknemers_2"]
    assert raw.data["Totaal_1"].iloc[0] == rows[0]["Totaal_1"] == 8811.0


def test_cbsodata_follows_cbs_next_link(recorded, shared):
    """83599NED's recorded pages: 10,000 rows with a nextLink, then 5,504 without."""
    rows = cbsodata.get_meta("83599NED", "UntypedDataSet", catalog_url=recorded.url)
    first = recording(shared, "83599NED", "UntypedDataSet.page1.json")
    assert len(first) == 10_000
    assert len(rows) == 10_000 + len(recording(shared, "83599NED",
                                               "UntypedDataSet.page2.json")) == 15_504
    assert rows[0]["OpenstaandeVacatures_1"] == "   135.5"  # untyped: padded text
    assert rows[0]["RegioS"] == "NL01  "


# --- the fake CBS answers like the recordings ---------------------------------------------

@pytest.fixture
def fake(cbs_layout_dir, shared, monkeypatch):
    monkeypatch.setattr(cbsodata.options, "use_https", False)
    with FakeCbs(cbs_layout_dir, shared) as server:
        yield server


def test_fake_has_the_fields_cbs_sends(fake, shared):
    url = fake.url
    info = cbsodata.get_meta("86088NED", "TableInfos", catalog_url=url)[0]
    recorded = recording(shared, "80137ned", "TableInfos.json")[0]
    assert set(recorded) <= set(info)
    assert info["Modified"].startswith("20") and "T" in info["Modified"]
    periods = cbsodata.get_meta("86088NED", "Perioden", catalog_url=url)
    assert set(recording(shared, "80137ned", "Perioden.json")[0]) <= set(periods[0])
    assert {p["Status"] for p in periods} == {"Definitief", "Voorlopig"}
    props = cbsodata.get_meta("86088NED", "DataProperties", catalog_url=url)
    topic = next(p for p in props if p["Type"] == "Topic")
    assert {"Unit", "Decimals", "Title", "Datatype", "ParentID", "Position"} <= set(topic)
    assert any(p["Type"] == "TopicGroup" for p in props)
    assert cbsodata.get_meta("86088NED", "CategoryGroups", catalog_url=url) == []


def rows_filtered(url: str, table: str, filters: str) -> list[dict]:
    """The data set as cbsodata downloads it (codes kept), filtered by the server."""
    return cbsodata.download_data(table, typed=False, catalog_url=url,
                                  filters=filters)["TypedDataSet"]


def test_fake_pads_keys_and_applies_filters(fake):
    url = fake.url
    kinds = cbsodata.get_meta("86088NED", "Persoonskenmerken", catalog_url=url)
    key = kinds[0]["Key"]
    assert key != kinds[0]["Title"] and key != key.strip()  # a code, padded
    rows = rows_filtered(url, "86088NED", f"Persoonskenmerken eq '{key}' and "
                                          "substringof('PV',RegioS)")
    assert rows and {r["RegioS"][:2] for r in rows} == {"PV"}
    assert all(r["RegioS"].endswith("  ") for r in rows)  # 'PV20  '
    with pytest.raises(Exception, match="400"):
        rows_filtered(url, "86088NED", "RegioS gt 'A'")  # ASSUMED: CBS refuses what it lacks


def test_fake_pages_with_next_link_keeping_the_filter(fake):
    fake.page_size = 100  # (CBS: 10,000) small pages, so one table spans several
    rows = cbsodata.get_meta("86088NED", "TypedDataSet", catalog_url=fake.url)
    filtered = rows_filtered(fake.url, "86088NED", "substringof('GM',RegioS)")
    pages = [p for p in fake.log if "/TypedDataSet" in p]
    assert len(rows) > 100 and any("skip=100" in p for p in pages)
    assert all("filter=" in p for p in pages if "skip" in p and "GM" in p)
    assert len(filtered) > 100
    assert all(r["RegioS"].startswith("GM") for r in filtered)
    assert len({r["ID"] for r in filtered}) == len(filtered)  # no page read twice


def test_extract_gets_the_typed_set_whatever_the_flag_means(fake, tmp_path, monkeypatch):
    """Start from the wrong guess of cbsodata's inverted flag: the extract notices (it wrote
    UntypedDataSet.json) and asks again the other way."""
    monkeypatch.setenv("REM_CBS_CATALOG", fake.url)
    monkeypatch.setitem(extract._typed_flag, "value", True)
    extract.download_typed(cbsodata, get_table("86088NED"), tmp_path, None)
    assert (tmp_path / "TypedDataSet.json").is_file()
    assert not (tmp_path / "UntypedDataSet.json").exists()
    assert extract._typed_flag["value"] is False
    values = json.loads((tmp_path / "TypedDataSet.json").read_text())
    assert isinstance(values[0]["Beroepsbevolking_2"], int | float | None)


def test_filter_parser():
    keep = parse_filter("(A eq 'x ' or A eq 'y') and not substringof('GM',R)")
    assert keep({"A": "x ", "R": "PV20"})
    assert not keep({"A": "x", "R": "PV20"})  # keys compare padded, as sent
    assert not keep({"A": "y", "R": "GM0363"})


def test_etl_check_reports_what_changed_since_the_bundle(fake, tmp_path, monkeypatch):
    """A renamed measure, a withdrawn period, Voorlopig -> Definitief and CBS's Modified, in
    a short table, from metadata only (no data set is asked)."""
    import io
    import shutil

    from etl.bundle import BUNDLE_DIR
    from etl.check import run_check

    bundle = tmp_path / "bundle"
    shutil.copytree(BUNDLE_DIR, bundle)
    manifest = json.loads((bundle / "manifest.json").read_text())
    entry = next(e for e in manifest["tables"] if e["id"] == "86088NED")
    entry["period_status"] = {"2022JJ00": "Definitief", "2023JJ00": "Voorlopig"}
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setenv("REM_CBS_CATALOG", fake.url)
    fake.rename_measure("85036NED", "GemiddeldeWOZWaardeVanWoningen_1", "GemiddeldeWOZ_1")
    fake.withdraw_period("86088NED", "2024JJ00")
    out = io.StringIO()
    assert run_check(bundle, out=out) == 1
    text = out.getvalue()
    row = next(line for line in text.splitlines() if line.startswith("| 85036NED"))
    assert "measure GemiddeldeWOZWaardeVanWoningen_1 (renamed to GemiddeldeWOZ_1?)" in row
    row = next(line for line in text.splitlines() if line.startswith("| 86088NED"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "unknown -> 2025-03-27T02:00:00"  # the bundle (snapshot) had none
    assert cells[3] == "2024JJ00"  # withdrawn
    assert cells[4] == "2023JJ00"  # now Definitief
    verdict = next(line for line in text.splitlines() if line.startswith("A refresh would fail"))
    assert "85036NED" in verdict and "86088NED" in verdict
    assert not [p for p in fake.log if "DataSet" in p]  # metadata only
