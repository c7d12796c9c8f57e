"""No warehouse yet: the app says so, offers to build it, and after the build shows the data."""

from __future__ import annotations

from fixtures import shown_tables

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
    assert len(shown_tables(at)) >= 1  # the headline figures


def test_a_damaged_warehouse_says_what_is_wrong_and_the_command_that_repairs_it(
        tmp_path, warehouse, make_app):
    """An empty file and one cut off while copying: not the generic error, but what is wrong
    and `python -m etl build`."""
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(warehouse.read_bytes()[:100_000])
    for broken in (empty, cut):
        at = make_app(broken).run()
        assert not at.exception
        errors = [e.value for e in at.error]
        assert any("beschadigd of onvolledig" in e for e in errors), errors
        assert [c.value for c in at.code] == ["python -m etl build"]
        assert not any("Er ging iets mis" in e for e in errors)
        assert str(tmp_path) not in " ".join(errors)


def test_a_warehouse_of_an_older_build_says_so(tmp_path, warehouse, make_app):
    """A warehouse that lacks a table the pages read (as one made before it existed)."""
    import duckdb

    old = tmp_path / "old.duckdb"
    old.write_bytes(warehouse.read_bytes())
    con = duckdb.connect(str(old))
    con.execute("drop table build_meta")
    con.close()
    at = make_app(old).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("oudere versie" in e for e in errors), errors
    assert [c.value for c in at.code] == ["python -m etl build"]


def test_a_read_only_data_folder_is_a_message_in_the_app_and_the_build(tmp_path, monkeypatch,
                                                                      make_app, capsys):
    """The tests run as root, for whom no folder is read-only: the build's write is made to
    fail as a read-only file system fails it."""
    import errno

    from etl import __main__ as cli
    from etl import build

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "warehouse.duckdb"))

    monkeypatch.setattr(build, "build_warehouse", read_only)
    at = make_app(tmp_path / "warehouse.duckdb").run()
    at.button[0].click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("mag niet schrijven in zijn gegevensmap" in e for e in errors), errors
    assert str(tmp_path) not in " ".join(errors)
    assert cli.main(["build", "--out", str(tmp_path / "warehouse.duckdb"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "Read-only file system" in err and "--out" in err
    assert "Traceback" not in err
