"""Releases (issue 21): every build is a release; pinned links keep their figures; what changed.

Release A is the shipped bundle; release B is a labelled TEST FIXTURE with invented values
(tests/release_fixture.py): three revised cells, a new year, a restated merger. Both are built
by the real build into one warehouse path, as a refresh would.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import threading

import duckdb
import pandas as pd
import pytest
from conftest import reading
from fixtures import shown_tables
from release_fixture import (
    MERGED,
    NEW_YEAR,
    RESTATED_YEAR,
    REVISED_CELLS,
    REVISION,
    SUCCESSOR,
    make_bundle_b,
)

from etl import release
from etl.build import build_warehouse
from etl.bundle import BUNDLE_DIR

UNEMPLOYMENT = "werkloosheid_pct"


@pytest.fixture(scope="module")
def ab(tmp_path_factory):
    """One warehouse path built twice: A (the bundle), then B (the fixture). Returns a dict
    with the paths, ids, B's build report and a read-only copy of A's file."""
    root = tmp_path_factory.mktemp("releases")
    target = root / "warehouse.duckdb"
    report_a = build_warehouse(None, target, raw_dir=root / "raw", bundle_dir=BUNDLE_DIR)
    bundle_b = make_bundle_b(root / "bundle_b")
    report_b = build_warehouse(None, target, raw_dir=root / "raw", bundle_dir=bundle_b)
    return {"root": root, "target": target, "a": report_a.release_id,
            "b": report_b.release_id, "report_b": report_b, "bundle_b": bundle_b}


def value(path, indicator, region, year):
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("select value from indicator_value where indicator_id = ? and "
                           "region_code = ? and year = ?", [indicator, region, year]).fetchall()
    finally:
        con.close()
    return rows[0][0] if rows else None


def regions_holding(path, gemeenten) -> set[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("select distinct region_code from region_membership where "
                           "gemeente_code in (select unnest(?))", [list(gemeenten)]).fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


# --- releases: ids, sources, kept files -------------------------------------------------------

def test_every_build_is_a_release_recorded_with_its_sources(ab):
    assert release.ID_RE.fullmatch(ab["a"]) and release.ID_RE.fullmatch(ab["b"])
    assert ab["a"] != ab["b"]
    con = duckdb.connect(str(ab["target"]), read_only=True)
    try:
        assert con.execute("select release_id, previous_release_id from release").fetchall() \
            == [(ab["b"], ab["a"])]
        history = [r[0] for r in con.execute("select release_id from release_history "
                                              "order by built_at").fetchall()]
        sources = con.execute("select period_code, period_status from release_source where "
                              "table_id = '86088NED' order by period_code").fetchall()
    finally:
        con.close()
    assert history == [ab["a"], ab["b"]]
    # CBS's Perioden status where the source gives it (the fixture, as live CBS does); the
    # shipped bundle does not say: unknown
    assert sources[-2:] == [(f"{NEW_YEAR - 1}JJ00", "definitief"), (f"{NEW_YEAR}JJ00",
                                                                     "voorlopig")]
    assert {s for _, s in sources[:-2]} == {"unknown"}


def test_the_last_releases_are_kept_read_only_beside_the_current_one(ab):
    folder = release.releases_dir(ab["target"])
    assert release.kept(ab["target"]) == sorted([ab["a"], ab["b"]])
    current = folder / f"{ab['b']}.duckdb"
    assert os.path.samefile(current, ab["target"])  # a hard link: no extra disk
    older = folder / f"{ab['a']}.duckdb"
    assert not older.stat().st_mode & 0o222  # read-only
    assert release.disk_use(ab["target"]) == older.stat().st_size


def test_keep_prunes_by_count_and_by_budget(tmp_path):
    target = tmp_path / "w.duckdb"
    folder = release.releases_dir(target)
    folder.mkdir()
    for i, day in enumerate(("2026-01-01", "2026-02-01", "2026-03-01")):
        path = folder / f"{day}.abcd.duckdb"
        path.write_bytes(b"x" * 1_000_000)
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    target.write_bytes(b"y" * 10)
    removed = release.keep(target, "2026-04-01.abcd", keep_n=2, budget_mb=100)
    assert removed == ["2026-01-01.abcd"]
    assert release.kept(target) == ["2026-02-01.abcd", "2026-03-01.abcd", "2026-04-01.abcd"]
    removed = release.keep(target, "2026-04-01.abcd", keep_n=2, budget_mb=1)
    assert removed == ["2026-02-01.abcd"]  # 1 MB: room for one older file


# --- what changed: exactly the fixture's changes ------------------------------------------------

def test_what_changed_lists_exactly_the_fixture_changes(ab):
    changes = ab["report_b"].changes
    target = ab["target"]
    kinds = set(changes["kind"])
    assert kinds <= {"revised", "year_added", "restated", "disappeared", "status"}, kinds

    # the revised cells: each revised gemeente exactly +2.0, and besides them only the regions
    # that hold one of them; only unemployment, only those years
    revised = changes[changes["kind"] == "revised"]
    assert set(revised["indicator_id"]) == {UNEMPLOYMENT}
    for code, year in REVISED_CELLS:
        row = revised[(revised["region_code"] == code) & (revised["year"] == year)]
        assert len(row) == 1, (code, year)
        assert row["new_value"].iloc[0] - row["old_value"].iloc[0] == pytest.approx(REVISION)
    for _, row in revised.iterrows():
        holders = {c for c, y in REVISED_CELLS if y == row["year"]}
        assert holders and row["region_code"] in regions_holding(target, holders), row

    # the new year: 2025 for exactly the indicators made from 86088NED alone
    con = duckdb.connect(str(target), read_only=True)
    expected = {r[0] for r in con.execute(
        "select indicator_id from indicator where source_table = '86088NED' and "
        "coalesce(denominator_table, '86088NED') = '86088NED' and data_gap is null").fetchall()}
    con.close()
    added = changes[changes["kind"] == "year_added"]
    assert set(added["year"]) == {NEW_YEAR}
    assert set(added["indicator_id"]) == expected

    # the status: 2024 of those indicators is now Definitief (unknown before); the new 2025
    # is Voorlopig (a new year, so no status change), marked as such in B
    status = changes[changes["kind"] == "status"]
    assert set(zip(status["indicator_id"], status["year"], strict=True)) == {
        (i, NEW_YEAR - 1) for i in expected}
    assert set(status["old_status"]) == {"unknown"} and set(status["new_status"]) == {
        "definitief"}
    con = duckdb.connect(str(target), read_only=True)
    marked = dict(con.execute("select year, status from indicator_status where indicator_id "
                              "= ? and year >= ?", [UNEMPLOYMENT, NEW_YEAR - 1]).fetchall())
    con.close()
    assert marked == {NEW_YEAR - 1: "definitief", NEW_YEAR: "voorlopig"}

    # the restated merger: only in 2022 and only for Voorne aan Zee and regions holding it;
    # the population itself is restated (same number, no longer converted)
    rest = changes[changes["kind"].isin(["restated", "disappeared"])]
    assert set(rest["year"]) == {RESTATED_YEAR}
    assert set(rest["region_code"]) <= regions_holding(target, [SUCCESSOR])
    population = rest[(rest["indicator_id"] == "bevolking") & (rest["region_code"] == SUCCESSOR)]
    assert population["kind"].tolist() == ["restated"]
    assert population["old_value"].iloc[0] == population["new_value"].iloc[0]
    assert len(MERGED) == 3


def test_nothing_changed_is_one_sentence(ab, tmp_path):
    copy = tmp_path / "same.duckdb"
    shutil.copy(ab["target"], copy)
    assert release.compare_files(ab["target"], copy).empty
    with reading(ab["target"]):
        from monitor import releases

        text = releases.summary(pd.DataFrame(columns=release.CHANGE_COLUMNS), "nl")
    assert text.startswith("Niets veranderd") and text.count(".") == 1


def test_a_logged_chain_gives_the_same_as_comparing_files(ab):
    with reading(ab["target"]):
        from monitor import releases

        logged = releases.logged_changes(ab["a"], ab["b"])
        direct = release.compare_files(release.release_file(ab["target"], ab["a"]),
                                       ab["target"])
    key = ["kind", "indicator_id", "region_code", "year"]
    assert logged.sort_values(key).reset_index(drop=True)[key].astype(str).equals(
        direct.sort_values(key).reset_index(drop=True)[key].astype(str))


# --- one warehouse per run; pinned releases ---------------------------------------------------

def test_a_run_reads_one_release_and_a_pinned_one_reads_its_own(ab):
    from monitor import db

    code, year = REVISED_CELLS[0]
    a_value = value(release.release_file(ab["target"], ab["a"]), UNEMPLOYMENT, code, year)
    b_value = value(ab["target"], UNEMPLOYMENT, code, year)
    assert b_value == pytest.approx(a_value + REVISION)
    sql = "select value from indicator_value where indicator_id = ? and region_code = ? and " \
          "year = ?"
    with reading(ab["target"]):
        seen = {}

        def run(pin):
            db.begin_run(pin)
            seen[pin] = (db.release_id(), db.query(sql, [UNEMPLOYMENT, code, year])["value"][0])
            db.end_run()

        for pin in (ab["a"], None):
            thread = threading.Thread(target=run, args=(pin,))
            thread.start()
            thread.join()
    assert seen[ab["a"]] == (ab["a"], pytest.approx(a_value))
    assert seen[None] == (ab["b"], pytest.approx(b_value))


def test_a_swap_during_a_run_does_not_mix_versions(ab, tmp_path):
    """Issue 24: a rebuild swapped in while a page runs; the rest of the run still reads the
    version it started with, the next run the new one."""
    from monitor import db

    live = tmp_path / "warehouse.duckdb"
    shutil.copy(release.release_file(ab["target"], ab["a"]), live)
    fresh = tmp_path / "fresh.duckdb"
    shutil.copy(ab["target"], fresh)
    sql = "select release_id from release"
    with reading(live):
        db.begin_run()
        first = db.query(sql)["release_id"][0]
        os.replace(fresh, live)  # what etl.build does, in the middle of the run
        second = db.query(sql)["release_id"][0]
        db.end_run()
        db.begin_run()
        next_run = db.query(sql)["release_id"][0]
        db.end_run()
    assert (first, second, next_run) == (ab["a"], ab["a"], ab["b"])


def pinned_links(at) -> str:
    """The text of the page's 'link met vaste cijfers' box(es) (monitor.show.copyable)."""
    found = [re.search(r'<code>(.*?)</code>', h.value) for h in at.html
             if 'class="rem-copy"' in h.value]
    return " ".join(html.unescape(m.group(1)) for m in found if m)


def test_pinned_page_shows_its_release_with_a_banner(ab, make_app):
    code, year = REVISED_CELLS[0]
    a_value = value(release.release_file(ab["target"], ab["a"]), UNEMPLOYMENT, code, year)
    at = make_app(ab["target"], "pages/regioprofiel.py", region=code, release=ab["a"]).run()
    assert not at.exception
    banner = " ".join(i.value for i in at.info)
    assert ab["a"] in banner and ab["b"] in banner
    link = pinned_links(at)
    assert f"release={ab['a']}" in link and f"region={code}" in link
    unpinned = make_app(ab["target"], "pages/regioprofiel.py", region=code).run()
    assert not unpinned.exception and not unpinned.info or ab["a"] not in " ".join(
        i.value for i in unpinned.info)
    assert f"release={ab['b']}" in pinned_links(unpinned)
    assert a_value is not None


def test_an_unkept_release_says_so_and_shows_what_changed(ab, make_app, tmp_path):
    live = tmp_path / "warehouse.duckdb"
    shutil.copy(ab["target"], live)  # B, with A's file not beside it (no longer kept)
    at = make_app(live, "pages/kaart.py", release=ab["a"]).run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert f"{ab['a']} wordt niet meer bewaard" in warning
    assert "cijfers herzien" in warning and "nieuwe jaren" in warning
    bad = make_app(live, "pages/kaart.py", release="../../etc/passwd").run()
    assert not bad.exception
    assert any("release" in w.value for w in bad.warning)


def test_changes_page_lists_and_exports_the_changes(ab, make_app):
    at = make_app(ab["target"], "pages/veranderd.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == len(ab["report_b"].changes)
    assert "Herzien" in set(table["Wat"]) and "Nieuw jaar" in set(table["Wat"])
    assert "Veranderd:" in " ".join(m.value for m in at.markdown)
    en = make_app(ab["target"], "pages/veranderd.py", lang="en").run()
    assert "Revised" in set(en.dataframe[0].value["What"])


# --- every file names its release (read back) -------------------------------------------------

def test_reports_and_exports_name_the_pinned_release(ab):
    """Files made in a run pinned to A, on another thread (as a download is made), name A and
    carry its link: the PDF's text, the HTML, CSV, Excel, Parquet and a picture's footer."""
    import io

    import openpyxl
    import pyarrow.parquet as pq
    import pypdf  # requirements-dev.txt: reads the PDF's text back

    from monitor import db, export, figures, queries, regions, report, report_pdf

    made = {}
    with reading(ab["target"]):
        def run():
            db.begin_run(ab["a"])
            db.set_run_link(f"http://rem.example/kaart?release={ab['a']}")
            zeeland = regions.stored("PR_zeeland")
            frame = export.long_frame(queries.export_values(("PR_zeeland",),
                                                            (UNEMPLOYMENT,), 2022, 2024))
            made["makers"] = {kind: db.carry(export.file_maker(kind, frame, [UNEMPLOYMENT],
                                                               "nl"))
                              for kind in ("csv", "xlsx", "parquet")}
            made["pdf"] = db.carry(lambda: report_pdf.build_pdf(zeeland, "nl"))
            made["html"] = db.carry(lambda: report.build_report(zeeland, "en"))
            made["built"] = figures.built_date()
            db.end_run()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        # made on this (another) thread, outside the run: still release A
        files = {kind: make() for kind, make in made["makers"].items()}
        pdf, html = made["pdf"](), made["html"]()
    link = f"release={ab['a']}"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert ab["a"] in text and ab["b"] not in text
    assert ab["a"] in html and link in html
    csv = export.read_csv(files["csv"], "nl")
    assert set(csv["release"]) == {ab["a"]}
    sheet = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))["Bronnen en definities"]
    about = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert about["Release"] == ab["a"] and link in about["Link met vaste cijfers"]
    meta = pq.read_table(io.BytesIO(files["parquet"])).schema.metadata
    assert meta[b"rem_release"].decode() == ab["a"]
    assert link in meta[b"rem_link-with-fixed-figures"].decode()
    assert made["built"].endswith(f"release {ab['a']}")
    # the CBS status rides along in the long export (the bundle does not say: unknown)
    assert set(csv["cbs_status"]) == {"unknown"}


# --- in a browser: pin on Kaart, rebuild, reopen ------------------------------------------------

@pytest.mark.browser
def test_browser_pin_on_kaart_rebuild_reopen(ab, tmp_path):
    """A person copies 'link met vaste cijfers' on Kaart (MRA highlighted: its unemployment
    2023 holds Amsterdam, which B revises), the warehouse is rebuilt into B, the link opened
    again: the same MRA figure as before and a banner naming the newer release; the plain link
    shows B's figure."""
    from conftest import require_chromium

    from bench import harness

    require_chromium()
    live = tmp_path / "warehouse.duckdb"
    shutil.copy(release.release_file(ab["target"], ab["a"]), live)
    release.keep(live, ab["a"])
    shots = __import__("pathlib").Path("/tmp/shots-i21")
    shots.mkdir(exist_ok=True)
    view = "kaart?indicator=werkloosheid_pct&year=2023&level=gemeente&highlight=PR_mra"

    def side_text(page) -> str:
        text = page.inner_text('[data-testid="stMain"]')
        return next(line for line in text.splitlines() if "rang" in line.lower())

    with harness.serve(live) as (url, _), harness.browser() as chrome:
        page = chrome.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{url}/{view}")
        harness.wait_drawn(page, 180_000)
        before = side_text(page)
        page.get_by_text("Link met vaste cijfers").click()
        page.wait_for_selector('.rem-copy code', timeout=30_000)
        link = page.inner_text('.rem-copy code').strip()
        assert link.startswith(f"{url}/kaart?") and f"release={ab['a']}" in link
        assert "highlight=PR_mra" in link and "year=2023" in link
        # its button copies it (st.code's copy button did; monitor.show.copyable)
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.click('.rem-copy button')
        page.wait_for_selector('.rem-copy button:text("Gekopieerd")', timeout=10_000)
        assert page.evaluate("() => navigator.clipboard.readText()") == link
        # the rebuild: B replaces the warehouse while the server runs
        report = build_warehouse(None, live, raw_dir=tmp_path / "raw",
                                 bundle_dir=ab["bundle_b"])
        assert report.release_id == ab["b"]
        pinned = chrome.new_page(viewport={"width": 1366, "height": 768})
        pinned.goto(link)
        harness.wait_drawn(pinned, 180_000)
        pinned.screenshot(path=str(shots / "pinned_kaart_1366.png"))
        assert side_text(pinned) == before
        banner = pinned.inner_text('.st-key-release_banner')
        assert ab["a"] in banner and ab["b"] in banner and "nieuwere cijfers" in banner
        plain = chrome.new_page(viewport={"width": 1366, "height": 768})
        plain.goto(f"{url}/{view}")
        harness.wait_drawn(plain, 180_000)
        assert side_text(plain) != before
        assert not plain.query_selector('.st-key-release_banner')
        # 'Nieuwste cijfers bekijken' leaves the pin, same view
        pinned.get_by_text("Nieuwste cijfers bekijken").click()
        pinned.wait_for_function("() => !location.search.includes('release=')",
                                 timeout=60_000)
        harness.wait_drawn(pinned, 180_000)
        assert side_text(pinned) == side_text(plain)


# --- Voorlopig marked where shown and exported -------------------------------------------------

PROVISIONAL = "vestigingen_per_1000_inwoners"  # 85383NED, slice StatusCijfer=Voorlopig


def test_voorlopig_is_marked_on_kaart_and_in_the_profile(run_page, lib, con):
    # CBS's own marking, read from the registry's slice, not from our status table
    assert "StatusCijfer=Voorlopig" in con.execute(
        "select source_slice from indicator where indicator_id = ?", [PROVISIONAL]).fetchall()[0][0]
    year = con.execute("select max(year) from gm_value where indicator_id = ? and value is not "
                       "null", [PROVISIONAL]).fetchall()[0][0]
    at = run_page("pages/kaart.py", indicator=PROVISIONAL, year=str(year))
    assert not at.exception
    assert any(c.value.startswith("Voorlopig:") for c in at.caption)
    final = run_page("pages/kaart.py", indicator=UNEMPLOYMENT)
    assert not any(c.value.startswith("Voorlopig:") for c in final.caption)
    from monitor import profile, regions

    table = profile.indicator_table(regions.stored("PR_zeeland")).set_index("indicator_id")
    assert "voorlopig cijfer (CBS)" in table.loc[PROVISIONAL, "note"]
    assert "voorlopig" not in table.loc[UNEMPLOYMENT, "note"]


def test_a_page_run_during_a_swap_shows_one_version(ab, make_app, tmp_path, monkeypatch):
    """Issue 24: the warehouse is replaced right after a page run's first query; heading,
    figures and footer of that run all come from the version it started with."""
    from monitor import db

    live = tmp_path / "warehouse.duckdb"
    shutil.copy(release.release_file(ab["target"], ab["a"]), live)
    fresh = tmp_path / "fresh.duckdb"
    shutil.copy(ab["target"], fresh)
    con = duckdb.connect(str(live), read_only=True)
    built_a = str(con.execute("select built_at from build_meta").fetchall()[0][0])[:16]
    con.close()
    real_query, swapped = db.query, []

    def query_then_swap(sql, params=None):
        result = real_query(sql, params)
        if not swapped:
            os.replace(fresh, live)  # a rebuild lands in the middle of this page run
            swapped.append(True)
        return result

    monkeypatch.setattr(db, "query", query_then_swap)
    at = make_app(live, "pages/kaart.py", indicator=UNEMPLOYMENT, year="2023").run()
    assert not at.exception and swapped
    assert any(built_a in c.value for c in at.caption)  # the footer: A's build
    assert f"release={ab['a']}" in pinned_links(at)
    again = make_app(live, "pages/kaart.py", indicator=UNEMPLOYMENT, year="2023").run()
    assert f"release={ab['b']}" in pinned_links(again)  # the next run: B


def test_a_release_this_version_cannot_show_counts_as_not_kept(ab, tmp_path, monkeypatch):
    """A release built by older code (here: one table column fewer) is not opened for a
    pinned link: the page says it is not kept and shows the newest figures, never fails."""
    from monitor import db

    live = tmp_path / "warehouse.duckdb"
    shutil.copy(ab["target"], live)
    folder = release.releases_dir(live)
    folder.mkdir()
    old = folder / f"{ab['a']}.duckdb"
    shutil.copy(release.release_file(ab["target"], ab["a"]), old)
    con = duckdb.connect(str(old))
    con.execute("alter table build_meta drop column boundary_year")
    con.close()
    with reading(live):
        assert db.kept_release(ab["b"]) is not None
        assert db.kept_release(ab["a"]) is None


def picture_titles(at, downloads) -> list[str]:
    """The titles of the pictures an AppTest run offers as PNG (figures.map_png patched to
    return its title; the other pictures' texts read from the partial that draws them)."""
    import functools

    def found(obj):
        if isinstance(obj, functools.partial):
            for arg in (obj.func, *obj.args):
                yield from found(arg)
        elif isinstance(obj, dict) and isinstance(obj.get("title"), str):
            yield obj["title"]

    titles = []
    for button in at.get("download_button"):
        name, make = downloads.get(button.proto.deferred_file_id, ("", None))
        if name.endswith(".png"):
            titles += list(found(make)) or [make().decode()]
    return titles


def test_a_period_cbs_marks_voorlopig_is_marked_on_kaart(ab, make_app, downloads, monkeypatch):
    """The Perioden status of a live-like answer (fixture B: 2025 Voorlopig, 2024
    Definitief) reaches the page: 2025 says provisional, 2024 does not; so do the table and
    the map's picture."""
    from monitor import figures

    monkeypatch.setattr(figures, "map_png", lambda spec, *a: spec["title"].encode())
    at = make_app(ab["target"], "pages/kaart.py", indicator=UNEMPLOYMENT,
                  year=str(NEW_YEAR)).run()
    assert not at.exception
    assert any(c.value.startswith("Voorlopig:") and str(NEW_YEAR) in c.value for c in at.caption)
    # the table marks every value '(v)' and says what that means under it
    values = shown_tables(at)[0]["Waarde"]
    given = values[values != "–"]
    assert len(given) > 300 and given.str.endswith("\u00a0(v)").all()
    assert any(c.value.startswith("(v) voorlopig:") for c in at.caption)
    assert picture_titles(at, downloads) == [f"Werkloosheid, {NEW_YEAR} (voorlopig)"]
    downloads.clear()
    final = make_app(ab["target"], "pages/kaart.py", indicator=UNEMPLOYMENT,
                     year=str(NEW_YEAR - 1)).run()
    assert not any(c.value.startswith("Voorlopig:") for c in final.caption)
    assert not shown_tables(final)[0]["Waarde"].str.contains("(v)", regex=False).any()
    assert not any(c.value.startswith("(v)") for c in final.caption)
    assert picture_titles(final, downloads) == [f"Werkloosheid, {NEW_YEAR - 1}"]


def test_trends_marks_the_provisional_years(ab, make_app):
    at = make_app(ab["target"], "pages/trends.py", indicator=UNEMPLOYMENT,
                  regions="PR_zeeland").run()
    assert not at.exception
    notes = [c.value for c in at.caption if c.value.startswith("Voorlopig:")]
    assert len(notes) == 1 and str(NEW_YEAR) in notes[0] and str(NEW_YEAR - 1) not in notes[0]
    years = list(shown_tables(at)[-1]["Jaar"])  # the figures table: a row per year
    assert years[-1] == f"{NEW_YEAR}\u00a0(v)" and years[-2] == str(NEW_YEAR - 1)
    assert not any("(v)" in y for y in years[:-1])
    assert any(c.value.startswith("(v) voorlopig:") for c in at.caption)


def test_voorlopig_rides_along_in_every_export(ab):
    """Release B (TEST FIXTURE: CBS's Perioden status as a live answer has it) says 2025
    Voorlopig, 2024 Definitief; 2023 comes from the bundle, which does not say. Every table
    file says so per row (long) or per cell (wide), in words in the files for people, with
    the values explained in the data package's legend; nothing is marked where CBS did not."""
    import io

    import openpyxl

    from monitor import export, queries, regions

    years = {NEW_YEAR: "voorlopig", NEW_YEAR - 1: "definitief", NEW_YEAR - 2: "unknown"}
    words = {"nl": {"voorlopig": "voorlopig", "definitief": "definitief", "unknown": "onbekend"},
             "en": {"voorlopig": "provisional", "definitief": "final", "unknown": "unknown"}}
    with reading(ab["target"]):
        long = export.long_frame(queries.export_values(("PR_zeeland", "NL01"), (UNEMPLOYMENT,),
                                                       NEW_YEAR - 2, NEW_YEAR))
        assert set(long["year"]) == set(years)
        files = {kind: export.file_maker(kind, long, [UNEMPLOYMENT], "nl", csv_name="x.csv")()
                 for kind in ("csv", "csv_excel", "xlsx")}
        english = export.file_maker("csv_excel", long, [UNEMPLOYMENT], "en")()
        wide = export.wide_frame(long)
        wide_csv = export.file_maker("csv", wide, [UNEMPLOYMENT], "nl")()
        package = {lang: json.loads(export.file_maker("datapackage", wide, [UNEMPLOYMENT], lang,
                                                      csv_name="x.csv")())
                   for lang in ("nl", "en")}
        wide_xlsx = export.file_maker("xlsx", wide, [UNEMPLOYMENT], "en")()
        zeeland = regions.stored("PR_zeeland")
        rows = pd.DataFrame({"indicator_id": [UNEMPLOYMENT, "hbo_wo_pct"], "factor": ["f", "f"],
                             "year": [NEW_YEAR, 2023]})
        compared = export.compare_frame(regions.latest_values((zeeland,)), rows,
                                        {"PR_zeeland": "Zeeland"})
        series = regions.values((zeeland,))
        series = series[series["indicator_id"] == UNEMPLOYMENT]
        trend = export.trend_frame(series, {"PR_zeeland": "Zeeland"}, UNEMPLOYMENT, "%")
    # long: one status per row, by year
    standard = export.read_csv(files["csv"])
    assert dict(zip(standard["year"], standard["cbs_status"], strict=True)) == years
    for lang, data in (("nl", files["csv_excel"]), ("en", english)):
        human = export.read_csv(data, lang)
        column = "Status CBS" if lang == "nl" else "CBS status"
        year = "Jaar" if lang == "nl" else "Year"
        assert dict(zip(human[year], human[column], strict=True)) == {
            y: words[lang][s] for y, s in years.items()}
    sheet = openpyxl.load_workbook(io.BytesIO(files["xlsx"])).worksheets[0]
    head, *body = sheet.iter_rows(values_only=True)
    assert {r[head.index("Jaar")]: r[head.index("Status CBS")] for r in body} == {
        y: words["nl"][s] for y, s in years.items()}
    # wide: a status per cell, beside the values of every year
    table = export.read_csv(wide_csv)
    for y, s in years.items():
        assert set(table[f"cbs_status_{y}"]) == {s}
        assert table[f"value_{y}"].notna().all()
    for lang in ("nl", "en"):
        fields = {f["name"]: f for f in package[lang]["resources"][0]["schema"]["fields"]}
        assert fields[f"cbs_status_{NEW_YEAR}"]["constraints"]["enum"] == [
            "voorlopig", "definitief", "unknown"]
        legend = package[lang]["cbsStatusLegend"]
        assert set(legend) == {"voorlopig", "definitief", "unknown"}
    assert "herzien" in package["nl"]["cbsStatusLegend"]["voorlopig"]
    assert "revised" in package["en"]["cbsStatusLegend"]["voorlopig"]
    fields = {f["name"]: f for f in package["nl"]["resources"][0]["schema"]["fields"]}
    assert fields[f"cbs_status_{NEW_YEAR}"]["title"] == f"Status CBS {NEW_YEAR}"
    assert "voorlopig: het CBS noemt" in fields[f"cbs_status_{NEW_YEAR}"]["description"]
    head, *body = openpyxl.load_workbook(io.BytesIO(wide_xlsx)).worksheets[0].iter_rows(
        values_only=True)
    assert {body[0][head.index(f"CBS status {y}")] for y in years} == {
        "provisional", "final", "unknown"}
    # the page tables' files: per row
    assert compared.set_index("indicator_id")["cbs_status"].to_dict() == {
        UNEMPLOYMENT: "voorlopig", "hbo_wo_pct": "unknown"}
    by_year = dict(zip(trend["year"], trend["cbs_status"], strict=True))
    assert {y: by_year[y] for y in years} == years
    assert set(trend.loc[trend["year"] < NEW_YEAR - 1, "cbs_status"]) == {"unknown"}


def test_voorlopig_is_marked_on_vergelijken_and_in_the_report(ab, make_app, downloads):
    """The comparison table marks a year CBS calls Voorlopig '(v)' with a legend line; the
    report (HTML and PDF) marks it in its tables; a final or unknown year is never marked."""
    import io

    import pypdf

    from monitor import regions, report, report_pdf

    con = duckdb.connect(str(ab["target"]), read_only=True)
    title = con.execute("select title_nl from indicator where indicator_id = ?",
                        [UNEMPLOYMENT]).fetchall()[0][0]
    # what CBS marks Voorlopig, read from the sources, not from our status table: the
    # fixture's 86088NED (latest year 2025 Voorlopig) and a slice StatusCijfer=Voorlopig
    provisional = {r[0] for r in con.execute(
        "select title_nl from indicator where source_table = '86088NED' or source_slice like "
        "'%StatusCijfer=Voorlopig%'").fetchall()}
    final = con.execute("select title_nl from indicator where source_slice like "
                        "'%StatusCijfer=Definitief%'").fetchall()
    con.close()
    assert len(provisional) == 4 and final
    at = make_app(ab["target"], "pages/vergelijken.py", regions="PR_zeeland,PR_twente").run()
    assert not at.exception
    table = next(f for f in shown_tables(at) if "Indicator" in f.columns and "Jaar" in f.columns)
    years = dict(zip(table["Indicator"], table["Jaar"], strict=True))
    mine = next(v for k, v in years.items() if k.startswith(title))
    assert mine == f"{NEW_YEAR}\u00a0(v)"
    marked = {k for k, v in years.items() if "(v)" in v}
    assert {k for k in marked if any(k.startswith(p) for p in provisional)} == marked
    assert len(marked) == len(provisional)
    assert not any(k.startswith(f[0]) for k in marked for f in final)
    assert any(c.value.startswith("(v) voorlopig:") for c in at.caption)
    # the bars' picture (werkloosheid, the page's first indicator): its title says so
    assert f"{title}, {NEW_YEAR} (voorlopig)" in picture_titles(at, downloads)
    # Overzicht's headline figures: the same marks
    home = make_app(ab["target"], None, region="PR_zeeland").run()
    assert not home.exception
    headline = shown_tables(home)[0]["Jaar"]
    assert {k for k, v in headline.items() if "(v)" in v} == {
        k for k in headline.index if any(k.startswith(p) for p in provisional)} != set()
    assert any(c.value.startswith("(v) voorlopig:") for c in home.caption)
    with reading(ab["target"]):
        zeeland = regions.stored("PR_zeeland")
        html = report.build_report(zeeland, "nl")
        pdf = report_pdf.build_pdf(zeeland, "en")
    trends = html[html.index('id="trends"'):]
    own = trends[trends.index(title):]
    own = own[:own.index("</table>")]
    assert f"<th scope=\"col\">{NEW_YEAR}\u00a0(v)</th>" in own
    assert f"<th scope=\"col\">{NEW_YEAR - 1}</th>" in own and f"{NEW_YEAR - 1}\u00a0(v)" \
        not in own
    assert "(v) voorlopig: het CBS noemt dit cijfer voorlopig" in html
    text = " ".join(" ".join(page.extract_text() for page in
                             pypdf.PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"{NEW_YEAR} (p)" in text and f"{NEW_YEAR - 1} (p)" not in text
    assert "(p) provisional: CBS marks this figure as provisional" in text


def test_the_files_of_a_pinned_page_carry_its_link_with_this_view(ab, make_app, downloads):
    """On Kaart pinned to release A a person moves the year slider: the files then made
    (both CSVs, Excel, the data package) carry the link with fixed figures to the view as it
    now is (the new year, the indicator, the level) and to release A; read back from each."""
    import io
    from urllib.parse import parse_qs, urlparse

    import openpyxl

    from monitor import export

    at = make_app(ab["target"], "pages/kaart.py", indicator=UNEMPLOYMENT, year="2023",
                  level="provincie", release=ab["a"]).run()
    assert not at.exception
    at.select_slider(key=f"year_{UNEMPLOYMENT}").set_value(2022).run()
    assert not at.exception

    def made(kind: str) -> bytes:
        for button in at.get("download_button"):
            name, make = downloads.get(button.proto.deferred_file_id, ("", None))
            if name == export.table_file_name(("kaart", UNEMPLOYMENT, "provincie", 2022), kind):
                return make()
        raise AssertionError(f"no Kaart download of kind {kind}")

    csv = export.read_csv(made("csv"))
    excel_csv = export.read_csv(made("csv_excel"), "nl")
    sheet = openpyxl.load_workbook(io.BytesIO(made("xlsx")))["Bronnen en definities"]
    about = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r[0]}
    package = json.loads(made("datapackage"))
    links = {"csv": set(csv["release_link"]), "csv_excel": set(excel_csv["Link met vaste cijfers"]),
             "xlsx": {about["Link met vaste cijfers"]},
             "datapackage": {package["provenance"]["Link met vaste cijfers"]}}
    assert set(csv["release"]) == {ab["a"]} and about["Release"] == ab["a"]
    for kind, found in links.items():
        assert len(found) == 1, kind
        url = urlparse(found.pop())
        assert url.path.endswith("/kaart"), (kind, url)
        assert parse_qs(url.query) == {"indicator": [UNEMPLOYMENT], "year": ["2022"],
                                       "level": ["provincie"], "release": [ab["a"]]}, kind
    assert set(csv["year"]) == {2022} and len(csv) == 12  # the file holds that view too
