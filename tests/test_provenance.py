"""Provenance in words: no filesystem path reaches a page, an export, the report or Parquet.

The warehouse here is built from a snapshot-shaped folder in a temporary directory (made from
the bundle), so the build knows a real local path; none of it may leak.
"""

from __future__ import annotations

import io

import duckdb
import pyarrow.parquet as pq
import pytest
import streamlit as st
from conftest import REPO
from fixtures import shown_tables

from monitor.i18n import tr
from monitor.provenance import build_source, table_source


@pytest.fixture(scope="module")
def snapshot_build(cbs_layout_dir, tmp_path_factory):
    from etl.build import build_warehouse

    root = tmp_path_factory.mktemp("prov")
    build_warehouse(cbs_layout_dir, root / "w.duckdb", raw_dir=root / "raw")
    return root / "w.duckdb"


@pytest.fixture
def paths(cbs_layout_dir, snapshot_build) -> list[str]:
    """Strings that would betray a local path."""
    return [str(cbs_layout_dir), str(snapshot_build.parent), str(REPO), "/tmp/", "/work/",
            "/home/", "snapshot:"]


def assert_clean(text: str, paths: list[str]) -> None:
    for path in paths:
        assert path not in text, f"{path!r} leaked into: {text[:300]}"


def test_warehouse_provenance_is_words(snapshot_build, paths):
    con = duckdb.connect(str(snapshot_build), read_only=True)
    meta = con.execute("select * from build_meta").df()
    info = con.execute("select * from build_info").df()
    con.close()
    assert meta["source_kind"].item() == "snapshot"
    assert_clean(meta.to_csv(), paths)
    assert_clean(info.to_csv(), paths)


def test_phrases_name_table_date_and_kind():
    assert (table_source("86088NED", "bundle", "2026-11-26 00:00:00", "nl")
            == "CBS StatLine, tabel 86088NED, opgehaald op 2026-11-26 (meegeleverde gegevens)")
    assert (table_source("86088NED", "live", "2026-11-27", "nl")
            == "CBS StatLine, tabel 86088NED (live opgehaald op 2026-11-27)")
    assert "retrieved live on 2026-11-27" in table_source("86088NED", "live", "2026-11-27", "en")
    # A warehouse from before these columns (its source held a path) says only "CBS StatLine".
    assert build_source({"source": "snapshot: /work/shared"}, "nl") == tr("prov_cbs", "nl")


def page_text(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader",
                                  "info", "warning", "error", "success")
             for e in getattr(at, kind)]
    parts += [e.value.to_csv() for e in [*at.dataframe, *at.table]]
    parts += [frame.to_csv() for frame in shown_tables(at)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", [None, "pages/over_de_data.py"])
def test_pages_show_no_path(make_app, snapshot_build, paths, page):
    at = make_app(snapshot_build, page).run()
    assert not at.exception
    text = page_text(at)
    assert_clean(text, paths)
    assert "opgehaald op" in text and "(offline kopie)" in text


def test_exports_and_report_show_no_path(snapshot_build, paths, monkeypatch):
    monkeypatch.setenv("REM_WAREHOUSE", str(snapshot_build))
    st.cache_data.clear()
    from monitor import export, regions, report

    about = export.provenance("nl")
    assert_clean(repr(about), paths)
    assert "CBS StatLine, opgehaald op" in dict(about)[tr("export_meta_source", "nl")]
    zeeland = regions.stored("PR_zeeland")
    frame = export.headline_frame(zeeland)
    meta = pq.read_table(io.BytesIO(export.to_parquet(frame))).schema.metadata
    assert_clean(repr(meta), paths)
    xlsx = export.to_excel(frame, ["werkloosheid_pct"], "nl")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx))
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for c in row if c is not None]
    assert_clean("\n".join(cells), paths)
    html = report.build_report(zeeland, lang="en")
    assert_clean(html, paths)
    assert "offline copy" in html
    st.cache_data.clear()


# --- low coverage names the missing gemeenten ------------------------------------------------
# The snapshot's README: 80305ned lacks Zwolle (all years) and Zwijndrecht (after 2015), so the
# pilot regions Regio Zwolle and Drechtsteden fall below 95% coverage on its distances.

def page_tables(at) -> str:
    return "\n".join([*(e.value.to_csv() for e in [*at.dataframe, *at.table]),
                      *(frame.to_csv() for frame in shown_tables(at))]) + "\n".join(
        e.value for e in at.markdown)


def test_profile_names_the_missing_gemeente(run_page):
    at = run_page("pages/regioprofiel.py", region="PR_regio_zwolle")
    assert not at.exception
    assert "ontbreekt: Zwolle" in page_tables(at)


def test_map_table_names_the_missing_gemeente(run_page):
    # 2022: 80305ned lacks Zwolle and Zwijndrecht (2023 is filled from 85830ENG)
    at = run_page("pages/kaart.py", indicator="afstand_huisarts_km", level="proeftuin",
                  year="2022")
    assert not at.exception
    text = page_tables(at)
    assert "Ontbreekt: Zwolle" in text and "Ontbreekt: Zwijndrecht" in text


def test_missing_phrase_counts_beyond_five():
    from monitor.maps import missing_phrase

    assert missing_phrase([]) == "" and missing_phrase(None) == ""
    assert missing_phrase(["Zwolle"]) == "ontbreekt: Zwolle"
    assert missing_phrase(list("ABCDEFG")) == "ontbreken: A, B, C, D, E en 2 andere"
