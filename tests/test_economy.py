"""Economic profile and digitalisation on a HAND-MADE fixture: the sector jobs below are
INVENTED (fixed shares of each gemeente's real all-sector total), not CBS figures. They are
served by the fake CBS on loopback (tests/fake_cbs.py) through the live extraction path, built
into a warehouse, and the location quotients are checked against sums of the fixture itself.
Without sector data (the shipped bundle) the app says so in one sentence."""

from __future__ import annotations

import json
import shutil

import cbsodata
import duckdb
import pytest
import streamlit as st
from fake_cbs import FakeCbs
from fixtures import shown_tables

from etl import config, extract
from etl.build import build_warehouse
from etl.catalog import get_table
from etl.extract import extract_table

TABLE = "83582NED"
DIM = "BedrijfstakkenBranchesSBI2008"
MEASURE = "BanenVanWerknemersInDecember_1"
TOTAL = "A-U Alle economische activiteiten"
YEAR = 2023
# Invented sector shares of all jobs (sum 1), everywhere but in SPECIAL.
SHARES = {"A Landbouw, bosbouw en visserij": 0.02, "B-F Nijverheid en energie": 0.15,
          "G-I Handel, vervoer en horeca": 0.25, "J Informatie en communicatie": 0.05,
          "K Financiële dienstverlening": 0.03, "L Verhuur en handel van onroerend goed": 0.01,
          "M-N Zakelijke dienstverlening": 0.17, "O-Q Overheid en zorg": 0.27,
          "R-U Cultuur, recreatie, overige diensten": 0.05}
SPECIAL = ("GM0654", "GM0664", "GM0677")  # Borsele, Goes, Hulst: invented industrial profile
SPECIAL_SHARES = {**SHARES, "B-F Nijverheid en energie": 0.30,
                  "M-N Zakelijke dienstverlening": 0.02}
LABEL = "INVENTED test figure, not CBS"


def invented_rows(rows: list[dict]) -> list[dict]:
    """Sector rows for every row of the total (a full cube, as CBS serves it): its real total
    times an invented share."""
    totals = [r for r in rows if r[DIM] == TOTAL]
    out, next_id = [], max(r["ID"] for r in rows) + 1
    for row in totals:
        shares = SPECIAL_SHARES if row["RegioS"].strip() in SPECIAL else SHARES
        for sector, share in shares.items():
            value = None if row[MEASURE] is None else round(row[MEASURE] * share, 1)
            out.append({**row, "ID": next_id, DIM: sector, MEASURE: value})
            next_id += 1
    return out


def expected_share(rows: list[dict], sector: str, codes) -> float:
    """Σ sector jobs / Σ all jobs over the fixture's rows of `codes` (gemeenten of a composed
    region; or one code whose own published row counts, as for NL01 and provincies)."""
    def keep(r):
        return (r["Perioden"] == f"{YEAR}JJ00" and r["RegioS"].strip() in codes
                and r[MEASURE] is not None)
    part = sum(r[MEASURE] for r in rows if keep(r) and r[DIM] == sector)
    total = sum(r[MEASURE] for r in rows if keep(r) and r[DIM] == TOTAL)
    return part / total


@pytest.fixture(scope="module")
def sector_build(cbs_layout_dir, tmp_path_factory):
    """(warehouse path, fixture rows): the bundle's tables plus the invented sector rows of
    83582NED, fetched from the fake CBS."""
    root = tmp_path_factory.mktemp("sectors")
    snapshot = root / "snapshot"
    shutil.copytree(cbs_layout_dir, snapshot)
    fixture = root / "fixture" / TABLE
    shutil.copytree(snapshot / "cbs" / TABLE, fixture)
    rows = json.loads((fixture / "TypedDataSet.json").read_text())
    rows += invented_rows(rows)
    (fixture / "TypedDataSet.json").write_text(json.dumps(rows))
    dims = [{"Key": k, "Title": k, "Description": LABEL, "CategoryGroupID": None}
            for k in [TOTAL, *SHARES]]
    (fixture / f"{DIM}.json").write_text(json.dumps(dims))
    with pytest.MonkeyPatch.context() as patch, FakeCbs(fixture) as fake:
        patch.setattr(cbsodata.options, "use_https", False)
        patch.setattr(extract, "CBS_BACKOFF_S", 0.0)
        patch.setenv(config.CBS_CATALOG_ENV, fake.url)
        extract_table(get_table(TABLE), root / "raw", None)
        assert "TypedDataSet" in fake.requests  # really served by the fake CBS
    shutil.rmtree(snapshot / "cbs" / TABLE)
    shutil.copytree(root / "raw" / TABLE, snapshot / "cbs" / TABLE)
    target = root / "warehouse.duckdb"
    build_warehouse(snapshot, target, raw_dir=root / "raw_build")
    return target, rows


@pytest.fixture
def lib_on(monkeypatch):
    """Point the monitor library at a warehouse (caches emptied)."""
    def use(path):
        monkeypatch.setenv("REM_WAREHOUSE", str(path))
        st.cache_data.clear()
    yield use
    st.cache_data.clear()


def test_sector_shares_become_indicators_when_the_source_has_them(sector_build):
    path, rows = sector_build
    with duckdb.connect(str(path), read_only=True) as con:
        gaps = dict(con.execute("select indicator_id, data_gap from indicator where "
                                "indicator_id like 'banen_sbi_%' or indicator_id = "
                                "'ict_banen_pct'").fetchall())
        assert len(gaps) == 9 and all(v is None for v in gaps.values())
        nl = con.execute("select value from indicator_value where indicator_id = "
                         "'ict_banen_pct' and region_code = 'NL01' and year = ?",
                         [YEAR]).fetchone()[0]
    assert nl == pytest.approx(expected_share(rows, "J Informatie en communicatie", {"NL01"})
                               * 100, rel=1e-3)


@pytest.mark.parametrize("code", ["CUSTOM", "PV29"])
def test_location_quotients_from_the_fixture(sector_build, lib_on, code):
    from monitor import economy, regions

    path, rows = sector_build
    lib_on(path)
    custom = SPECIAL if code == "CUSTOM" else ()
    members = set(SPECIAL) if code == "CUSTOM" else {code}  # a provincie: CBS's own row
    region = regions.composed("Zeeuwse kern", custom) if custom else regions.stored(code)
    frame = economy.region_quotients(region).set_index("sbi")
    assert list(frame.index) == ["A", "B-F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U"]
    for sector in SHARES:
        sbi = sector.split(" ")[0]
        want = expected_share(rows, sector, members) / expected_share(rows, sector, {"NL01"})
        assert frame.loc[sbi, "lq"] == pytest.approx(want, rel=2e-3), sector
        assert frame.loc[sbi, "year"] == YEAR
    if code == "CUSTOM":
        assert frame.loc["B-F", "lq"] > 1.5 and frame.loc["M-N", "lq"] < 0.2


def test_profile_shows_the_specialisation_chart_with_sector_data(sector_build, make_app):
    path, _ = sector_build
    at = make_app(path, "pages/regioprofiel.py", region="CUSTOM",
                  custom=",".join(SPECIAL), custom_name="Zeeuwse kern").run()
    assert not at.exception
    assert "Economisch profiel en digitalisering" in [h.value for h in at.subheader]
    table = next(d for d in shown_tables(at) if "Locatiequotiënt" in d.columns)
    assert len(table) == 9
    # factor profile and member map as pictures first (monitor.show); the specialisation chart
    # (only with CBS's sector figures) has no picture yet
    assert len(at.get("image")) == 2 and len(at.get("plotly_chart")) == 1
    assert not [i for i in at.info if "niet in deze gegevensbron" in i.value]
    texts = " ".join(m.value for m in at.markdown)
    assert "Banen in de ICT-sector (2023)" in texts


def test_without_sector_data_one_sentence_not_a_chart(run_page):
    at = run_page("pages/regioprofiel.py", region="PV29")
    assert not at.exception
    notes = [i.value for i in at.info if "83582NED" in i.value]
    assert len(notes) == 1 and notes[0].startswith("Banen per sector en ICT-beroepen")
    assert not [d for d in shown_tables(at) if "Locatiequotiënt" in d.columns]
    assert len(at.get("image")) == 2  # factor profile and member map only
    assert not at.get("plotly_chart")
    at = run_page("pages/regioprofiel.py", region="PV29", lang="en")
    assert [i.value for i in at.info if i.value.startswith("Jobs by sector and ICT")]


def test_report_economy_section_with_and_without_sectors(sector_build, lib_on, warehouse):
    from monitor import regions, report

    path, _ = sector_build
    lib_on(path)
    text = report.build_report(regions.stored("PV29"), lang="nl", made="2026-11-22")
    section = text[text.index('<section id="economy">'):]
    assert "Locatiequotiënt" in section[:section.index("</section>")]
    lib_on(warehouse)
    text = report.build_report(regions.stored("PV29"), lang="en", made="2026-11-22")
    section = text[text.index('<section id="economy">'):]
    assert "Jobs by sector and ICT occupations" in section[:section.index("</section>")]
