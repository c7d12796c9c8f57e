"""No warehouse yet: the app says so, offers to build it, and after the build shows the data."""

from __future__ import annotations

from etl import config


def test_no_data_page_builds_the_warehouse(tmp_path, monkeypatch, make_app):
    """The default build: from the bundle shipped with the code, no snapshot, no network."""
    target = tmp_path / "warehouse.duckdb"
    monkeypatch.delenv(config.SNAPSHOT_ENV, raising=False)
    monkeypatch.setattr(config, "RAW_DIR", tmp_path / "raw")
    at = make_app(target, timeout=180).run()
    assert not at.exception
    assert at.subheader[0].value == "Er is nog geen data"
    assert "meegeleverd" in at.markdown[0].value
    assert str(tmp_path) not in at.markdown[0].value
    at.button[0].click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert target.is_file()
    assert at.title[0].value == "Regio Ecosysteem Monitor"  # the overview, with data
    assert len(at.dataframe) >= 1
