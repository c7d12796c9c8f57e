"""Extraction: retries on transient faults, clear failure otherwise, cache kept on failure."""

from __future__ import annotations

import json
import shutil

import pytest
import requests
from fixtures import write_raw_table

from etl.catalog import get_table
from etl.extract import (
    ExtractError,
    extract_table,
    fetch_live,
    region_filter,
    slice_filter,
    with_retries,
)


def http_error(status: int) -> requests.HTTPError:
    response = requests.Response()
    response.status_code = status
    return requests.HTTPError(f"{status} error", response=response)


class FakeCbs:
    """Stands in for the cbsodata module: scripted failures, then writes a tiny table."""

    def __init__(self, failures=(), tmp_source=None):
        self.failures = list(failures)
        self.calls = []
        self.source = tmp_source

    def get_meta(self, table_id, name, **kwargs):
        self.calls.append(("meta", table_id, name, kwargs))
        return [{"Key": "T001081", "Title": "A-U Alle economische activiteiten"},
                {"Key": "301000", "Title": "J Informatie en communicatie"}]

    def download_data(self, table_id, dir=None, typed=False, filters=None, **kwargs):
        self.calls.append(("data", table_id, filters, kwargs))
        if self.failures:
            raise self.failures.pop(0)
        cube = [{"ID": i, "BedrijfstakkenBranchesSBI2008": "T001081", "RegioS": region,
                 "Perioden": period, "BanenVanWerknemersInDecember_1": 500.0}
                for i, (region, period) in enumerate(
                    (r, p) for r in ("NL01  ", "GM0363") for p in ("2023JJ00", "2024HJ01"))]
        write_raw_table(self.source, table_id, dims={"BedrijfstakkenBranchesSBI2008": [
            {"Key": "T001081", "Title": "A-U Alle economische activiteiten"}]},
            rows=cube, measures=("BanenVanWerknemersInDecember_1",))
        for f in (self.source / table_id).iterdir():
            shutil.copy(f, dir)


@pytest.mark.parametrize("exc", [requests.ConnectionError("reset"), requests.Timeout("slow"),
                                 http_error(503), http_error(500)])
def test_transient_failures_are_retried(exc):
    attempts = []

    def action():
        attempts.append(1)
        if len(attempts) < 3:
            raise exc
        return "ok"

    assert with_retries(action, "t", retries=4, sleep=lambda s: None) == "ok"
    assert len(attempts) == 3


@pytest.mark.parametrize("exc", [http_error(404), ValueError("bad json")])
def test_permanent_failures_are_not_retried(exc):
    attempts = []

    def action():
        attempts.append(1)
        raise exc

    with pytest.raises(ExtractError, match="download X"):
        with_retries(action, "download X", retries=4, sleep=lambda s: None)
    assert len(attempts) == 1


def test_gives_up_after_the_last_retry():
    waits = []
    with pytest.raises(ExtractError, match="Timeout"):
        with_retries(lambda: (_ for _ in ()).throw(requests.Timeout("t")), "x", retries=3,
                     backoff=1.0, sleep=waits.append)
    assert waits == [1.0, 2.0]  # exponential backoff between the three attempts


def test_filters_keep_region_types_and_slice_keys():
    spec = get_table("83582NED")
    codes = {"BedrijfstakkenBranchesSBI2008": FakeCbs().get_meta("x", "y")}
    text = slice_filter(spec, codes)
    assert "BedrijfstakkenBranchesSBI2008 eq 'T001081'" in text
    assert "301000" in text
    assert "substringof('GM',RegioS)" in region_filter()
    assert "WK" not in region_filter()


def test_fetch_live_passes_timeout_and_filters(tmp_path):
    fake = FakeCbs(failures=[requests.ConnectionError("reset")], tmp_source=tmp_path / "src")
    target = tmp_path / "raw" / "83582NED"
    target.parent.mkdir(parents=True)
    import etl.extract as extract

    original = extract.CBS_BACKOFF_S
    extract.CBS_BACKOFF_S = 0
    try:
        fetch_live(get_table("83582NED"), target, cbsodata_module=fake)
    finally:
        extract.CBS_BACKOFF_S = original
    data_calls = [c for c in fake.calls if c[0] == "data"]
    assert len(data_calls) == 2  # one reset, one success
    assert all(c[3].get("timeout") for c in fake.calls)
    assert "RegioS" in data_calls[-1][2] and "T001081" in data_calls[-1][2]
    assert (target / "TypedDataSet.json").is_file()


def test_failed_copy_keeps_previous_cache(tmp_path):
    snapshot = tmp_path / "snap"
    write_raw_table(snapshot / "cbs", "85644NED")
    raw_dir = tmp_path / "raw"
    write_raw_table(raw_dir, "85644NED")
    before = (raw_dir / "85644NED" / "TypedDataSet.json").read_text()
    (snapshot / "cbs" / "85644NED" / "TypedDataSet.json").write_text("{broken")
    with pytest.raises(ExtractError, match="85644NED.*malformed JSON"):
        extract_table(get_table("85644NED"), raw_dir, snapshot)
    assert (raw_dir / "85644NED" / "TypedDataSet.json").read_text() == before
    assert json.loads(before)


def test_missing_table_in_snapshot(tmp_path):
    (tmp_path / "snap" / "cbs").mkdir(parents=True)
    with pytest.raises(ExtractError, match="85644NED not found in snapshot"):
        extract_table(get_table("85644NED"), tmp_path / "raw", tmp_path / "snap")


def test_unknown_table_id():
    with pytest.raises(KeyError, match="unknown CBS table id '99999XXX'"):
        get_table("99999XXX")
