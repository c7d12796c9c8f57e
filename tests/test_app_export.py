"""AppTest: the Data-export page and the download buttons under the tables of the pages."""

from __future__ import annotations

import datetime as dt
import io
import re

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from fixtures import shown_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from monitor import export

PAGE = "pages/export.py"
TODAY = dt.date.today().isoformat()
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+\.(csv|xlsx|parquet)$")
LICENCE = "Bron: CBS, StatLine (CC BY 4.0); grenzen CBS/PDOK (CC BY 4.0)"


def fetch(at, downloads, ext: str = "", prefix: str = "") -> tuple[str, bytes]:
    """Click (in effect) the first download button whose file has this extension and name
    prefix (other developers' buttons, e.g. a PNG, may come first): file name and bytes."""
    for button in at.get("download_button"):
        name, make = downloads.get(button.proto.deferred_file_id, ("", None))
        if name.startswith(prefix) and name.endswith(ext):
            return name, make()
    raise AssertionError(f"no download {prefix}*{ext}")


def value_of(con, indicator: str, code: str, year: int) -> float:
    """A stored value."""
    return con.execute("select value from indicator_value where indicator_id = ? and "
                       "region_code = ? and year = ?", [indicator, code, year]).fetchone()[0]


def texts(at) -> str:
    """All markdown, info, warning and caption texts of a run."""
    return " ".join(e.value for kind in ("markdown", "info", "warning", "caption")
                    for e in getattr(at, kind))


# --- the export page --------------------------------------------------------------------------

def test_csv_from_url_selection_matches_warehouse(run_page, downloads, con):
    at = run_page(PAGE, regions="PR_zeeland,GM0363", indicators="werkloosheid_pct",
                  years="2024")
    assert not at.exception
    assert "**Rijen: 2**" in texts(at)
    assert len(shown_tables(at)[0]) == 2  # the preview
    name, data = fetch(at, downloads, ".csv", "export_")
    assert SAFE_NAME.match(name)
    assert name == f"export_werkloosheid_pct_PR_zeeland-GM0363_2024_{TODAY}.csv"
    back = export.read_csv(data).set_index("region_code")
    assert list(back.reset_index().columns) == [*export.LONG_COLUMNS, "release", "release_link"]
    for code in ("PR_zeeland", "GM0363"):
        assert back.loc[code, "value"] == pytest.approx(value_of(con, "werkloosheid_pct", code,
                                                                 2024))
    assert back.loc["PR_zeeland", "region_level"] == "proeftuin"
    assert back.loc["PR_zeeland", "unit"] == "% van de beroepsbevolking"


def test_excel_from_the_page_has_both_sheets(run_page, downloads, con):
    at = run_page(PAGE, regions="PR_zeeland", indicators="werkloosheid_pct,hbo_wo_pct",
                  years="2020-2024", format="xlsx")
    assert not at.exception
    name, data = fetch(at, downloads)
    assert name.endswith(".xlsx") and "2-indicatoren" in name and "2020-2024" in name
    frame = pd.read_excel(io.BytesIO(data), sheet_name="Data")
    row = frame[(frame["Indicatorcode"] == "werkloosheid_pct") & (frame["Jaar"] == 2024)]
    assert row["Waarde"].iloc[0] == pytest.approx(value_of(con, "werkloosheid_pct",
                                                          "PR_zeeland", 2024))
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Bronnen en definities"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert LICENCE in cells
    built = con.execute("select built_at from build_meta").fetchone()[0]
    assert str(built)[:19] in cells
    for ind in ("werkloosheid_pct", "hbo_wo_pct"):
        table, url = con.execute("select source_table, statline_url from indicator where "
                                 "indicator_id = ?", [ind]).fetchone()
        assert ind in cells and table in cells and url in cells


def test_parquet_of_the_whole_warehouse_is_allowed(run_page, downloads, con):
    levels = ",".join(("proeftuin", "provincie", "corop", "arbeidsmarktregio", "gemeente",
                       "land"))
    ids = [r[0] for r in con.execute("select indicator_id from indicator where data_gap is "
                                     "null").fetchall()]
    at = run_page(PAGE, levels=levels, indicators=",".join(ids), format="parquet",
                  timeout=180)
    assert not at.exception
    (total,) = con.execute("select count(*) from indicator_value").fetchone()
    assert total <= export.MAX_ROWS
    name, data = fetch(at, downloads)
    assert name.endswith(".parquet")
    frame = pq.read_table(io.BytesIO(data)).to_pandas()
    assert len(frame) == total
    zeeland = frame[(frame["region_code"] == "PR_zeeland") & (frame["year"] == 2024)
                    & (frame["indicator_id"] == "werkloosheid_pct")]
    assert zeeland["value"].iloc[0] == pytest.approx(value_of(con, "werkloosheid_pct",
                                                              "PR_zeeland", 2024))


def test_composed_region_and_pilot_variant(run_page, downloads, con):
    members = [r[0] for r in con.execute("select gemeente_code from region_membership where "
                                         "region_code = 'PR_zeeland'").fetchall()]
    at = run_page(PAGE, custom=",".join(members), custom_name="Mijn Zeeland",
                  regions="CUSTOM,PR_zeeland,PR_twente__netwerkstad_twente",
                  indicators="werkloosheid_pct,bevolking", format="parquet")
    assert not at.exception
    assert "CUSTOM" in at.multiselect(key="export_regions").value
    frame = pq.read_table(io.BytesIO(fetch(at, downloads)[1])).to_pandas()
    assert set(frame["region_code"]) == {"CUSTOM", "PR_zeeland", "PR_twente__netwerkstad_twente"}
    mine = frame[frame["region_code"] == "CUSTOM"].set_index(["indicator_id", "year"])
    theirs = frame[frame["region_code"] == "PR_zeeland"].set_index(["indicator_id", "year"])
    assert set(mine["region_name"]) == {"Mijn Zeeland"}
    common = theirs.index.intersection(mine.index)
    assert len(common) == len(theirs)
    assert mine.loc[common, "value"].to_numpy() == pytest.approx(
        theirs.loc[common, "value"].to_numpy(), nan_ok=True)


def test_choosing_with_the_widgets(run_page, downloads, con):
    at = run_page(PAGE)
    assert not at.exception
    assert not at.get("download_button")
    assert "Kies hierboven ten minste één regio" in texts(at)
    at.multiselect(key="export_regions").select("GM0363").run()
    assert "Kies ten minste één indicator" in texts(at)
    at.checkbox(key="export_ind_werkloosheid_pct").check().run()
    assert not at.exception
    assert at.query_params["regions"] == "GM0363"
    assert at.query_params["indicators"] == "werkloosheid_pct"
    at.select_slider(key="export_years").set_value((2023, 2024)).run()
    assert at.query_params["years"] == "2023-2024"
    name, data = fetch(at, downloads)
    back = export.read_csv(data)
    assert sorted(back["year"]) == [2023, 2024]
    assert back.set_index("year").loc[2024, "value"] == pytest.approx(
        value_of(con, "werkloosheid_pct", "GM0363", 2024))
    at.button(key="export_all").click().run()
    assert len(at.query_params["indicators"].split(",")) > 30
    at.button(key="export_none").click().run()
    assert "indicators" not in at.query_params
    assert "Kies ten minste één indicator" in texts(at)


def test_gap_indicators_are_listed_but_not_selectable(run_page):
    at = run_page(PAGE, regions="GM0363", indicators="ict_banen_pct")
    assert not at.exception
    gap = at.checkbox(key="export_gap_ict_banen_pct")
    assert gap.disabled and "geen data in deze bron" in gap.label
    assert any("'indicators'" in w.value for w in at.warning)  # refused, with a notice
    assert "Kies ten minste één indicator" in texts(at)


def test_empty_and_bad_selections_give_messages(run_page, monkeypatch):
    at = run_page(PAGE, regions="GM9999,<b>x</b>", indicators="drop table", years="abc")
    assert not at.exception
    warned = " ".join(w.value for w in at.warning)
    assert "'regions'" in warned and "'indicators'" in warned and "'years'" in warned
    at = run_page(PAGE, regions="GM0363", indicators="werkloosheid_pct", years="1990-1995")
    assert not at.exception and any("'years'" in w.value for w in at.warning)
    # CBS's unemployment series (86088NED) starts in 2013: nothing to export for 2006-2008
    at = run_page(PAGE, regions="NL01", indicators="werkloosheid_pct", years="2006-2008")
    assert not at.exception
    assert "Voor deze keuze zijn er geen cijfers in deze jaren." in texts(at)
    assert not at.get("download_button")
    monkeypatch.setattr(export, "MAX_ROWS", 10)
    at = run_page(PAGE, levels="provincie", indicators="werkloosheid_pct")
    assert not at.exception
    assert "ten hoogste 10 rijen" in texts(at)
    assert not at.get("download_button")


# --- the buttons under the tables of the other pages ---------------------------------------------

def test_kaart_table_downloads(run_page, downloads, con):
    at = run_page("pages/kaart.py", indicator="werkloosheid_pct", year="2024", level="gemeente")
    assert not at.exception
    labels = {b.label for b in at.get("download_button")}
    assert {"Download als CSV", "Download als CSV voor Excel", "Download als Excel",
            "Download de beschrijving (JSON)"} <= labels
    name, data = fetch(at, downloads, ".csv", "kaart_")
    assert name == f"kaart_werkloosheid_pct_gemeente_2024_{TODAY}.csv"
    back = export.read_csv(data).set_index("region_code")
    column = "werkloosheid_pct [% van de beroepsbevolking]"
    assert back.loc["GM0363", column] == pytest.approx(value_of(con, "werkloosheid_pct",
                                                                "GM0363", 2024))
    assert len(back) == 342 and back[column].dtype == float
    name, data = fetch(at, downloads, ".xlsx", "kaart_")
    assert name == f"kaart_werkloosheid_pct_gemeente_2024_{TODAY}.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Data", "Bronnen en definities"]
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="Data").set_index("Regiocode")
    title = con.execute("select title_nl from indicator where indicator_id = "
                        "'werkloosheid_pct'").fetchone()[0]
    assert sheet.loc["GM0363", f"{title} (% van de beroepsbevolking)"] == pytest.approx(
        back.loc["GM0363", column])


def test_vergelijken_table_downloads(run_page, downloads, con):
    at = run_page("pages/vergelijken.py", regions="PR_zeeland,GM0363")
    assert not at.exception
    name, data = fetch(at, downloads, ".csv", "vergelijken_")
    assert name.startswith("vergelijken_PR_zeeland-GM0363-NL01") and SAFE_NAME.match(name)
    back = export.read_csv(data).set_index("indicator_id")
    (year,) = con.execute("select max(year) from indicator_scale where indicator_id = "
                          "'werkloosheid_pct'").fetchone()
    assert back.loc["werkloosheid_pct", "year"] == year
    # exported at the precision CBS publishes (one decimal)
    assert back.loc["werkloosheid_pct", "Zeeland (PR_zeeland)"] == pytest.approx(
        round(value_of(con, "werkloosheid_pct", "PR_zeeland", year), 1))
    assert back.loc["werkloosheid_pct", "unit"] == "% van de beroepsbevolking"
    assert "Zeeland (PR_zeeland) score [0-10]" in back.columns


def test_trends_table_downloads(run_page, downloads, con):
    at = run_page("pages/trends.py", regions="PR_zeeland,NL01", indicator="werkloosheid_pct")
    assert not at.exception
    name, data = fetch(at, downloads, ".csv", "trends_")
    assert name.startswith("trends_werkloosheid_pct_PR_zeeland-NL01_") and TODAY in name
    back = export.read_csv(data)
    row = back[(back["region_code"] == "PR_zeeland") & (back["year"] == 2024)].iloc[0]
    assert row["werkloosheid_pct [% van de beroepsbevolking]"] == pytest.approx(
        round(value_of(con, "werkloosheid_pct", "PR_zeeland", 2024), 1))  # CBS's precision


def test_trends_index_downloads_the_index_with_its_base(run_page, downloads, con):
    at = run_page("pages/trends.py", regions="PR_zeeland,NL01", indicator="werkloosheid_pct",
                  mode="index", base="2015")
    assert not at.exception
    name, data = fetch(at, downloads, ".csv", "trends_")
    assert "index-2015" in name
    back = export.read_csv(data).set_index(["region_code", "year"])
    column = "werkloosheid_pct [Index (2015 = 100)]"
    assert back.loc[("PR_zeeland", 2015), column] == pytest.approx(100)
    ratio = (value_of(con, "werkloosheid_pct", "PR_zeeland", 2024)
             / value_of(con, "werkloosheid_pct", "PR_zeeland", 2015) * 100)
    assert back.loc[("PR_zeeland", 2024), column] == pytest.approx(round(ratio, 1))


def test_overzicht_table_downloads(run_page, downloads, con):
    at = run_page(region="PR_zeeland")
    assert not at.exception
    name, data = fetch(at, downloads, ".csv", "kerncijfers_")
    assert name == f"kerncijfers_PR_zeeland_{TODAY}.csv"
    back = export.read_csv(data).set_index("indicator_id")
    year = int(back.loc["werkloosheid_pct", "year"])
    # exported at the precision CBS publishes (one decimal)
    assert back.loc["werkloosheid_pct", "Zeeland (PR_zeeland)"] == pytest.approx(
        round(value_of(con, "werkloosheid_pct", "PR_zeeland", year), 1))
    assert back.loc["werkloosheid_pct", "Nederland (NL01)"] == pytest.approx(
        round(value_of(con, "werkloosheid_pct", "NL01", year), 1))


def test_english_export(run_page, downloads):
    at = run_page(PAGE, lang="en", regions="GM0363", indicators="werkloosheid_pct",
                  years="2024", format="xlsx")
    assert not at.exception
    wb = openpyxl.load_workbook(io.BytesIO(fetch(at, downloads)[1]))
    assert wb.sheetnames == ["Data", "Sources and definitions"]
    at = run_page(PAGE, lang="en", regions="GM0363", indicators="werkloosheid_pct",
                  years="2024")
    back = pd.read_csv(io.BytesIO(fetch(at, downloads)[1]), encoding="utf-8-sig")
    assert back["unit"].iloc[0] == "% of the labour force" and back["value"].dtype == float


NASTY = ["'; drop table region; --", "<script>alert(1)</script>", "GM0363," * 400, "x" * 5000,
         "CUSTOM", "-1", "1e309", "2024.5", "", " ", ",,,", "GM9999", "2030-2040", "2024-2013",
         "PR_" + "a" * 100, "gemeente,wijk", "werkloosheid_pct,ict_banen_pct", "xlsx", "en"]
PARAMS = ["levels", "regions", "indicators", "years", "format", "custom", "custom_name", "lang"]


@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(params=hs.dictionaries(hs.sampled_from(PARAMS),
                              hs.one_of(hs.sampled_from(NASTY), hs.text(max_size=30)),
                              min_size=1, max_size=4))
def test_fuzzed_export_parameters_never_break_the_page(run_page, params):
    at = run_page(PAGE, **params)
    assert not at.exception, (params, [e.value for e in at.exception])
    assert at.title and at.title[0].value in ("Data-export", "Data export")
    for element in at.markdown:
        assert "<script" not in element.value.lower()


def test_every_vergelijken_chart_offers_a_png_with_title_unit_and_source(run_page, downloads):
    """Vergelijken's factor-score heatmap, bars and scatter each have a 'Download als PNG'
    button (monitor/downloads.picture_button): a 1600x900 PNG, and drawn as SVG (real text)
    the same picture names what it shows, its unit, the CBS table it comes from and the date."""
    from PIL import Image

    at = run_page("pages/vergelijken.py", regions="PR_zeeland,PR_twente,PR_mra",
                  indicator="werkloosheid_pct", year="2024", indicator_y="hbo_wo_pct")
    assert not at.exception
    pictures = {}
    for button in at.get("download_button"):
        name, make = downloads.get(button.proto.deferred_file_id, ("", None))
        if name.endswith(".png"):
            assert button.proto.label == "Download als PNG"
            pictures[name.split("_")[0]] = (name, make)
    assert set(pictures) == {"factorscores", "vergelijking", "spreiding"}, list(pictures)
    assert pictures["vergelijking"][0] == f"vergelijking_werkloosheid_pct_2024_{TODAY}.png"
    # hbo/wo-opgeleiden (CBS 85525NED) ends in 2023: the y axis takes the latest year before
    assert pictures["spreiding"][0] == \
        f"spreiding_werkloosheid_pct_2024_hbo_wo_pct_2023_{TODAY}.png"
    for name, make in pictures.values():
        data = make()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        image = Image.open(io.BytesIO(data)).convert("RGB")
        assert image.size == (1600, 900)
        assert len(np.unique(np.asarray(image).reshape(-1, 3), axis=0)) > 50, name  # drawn
    svg = {key: make.func(*make.args, fmt="svg", **make.keywords)
           for key, (_, make) in pictures.items()}
    made = f"gemaakt {TODAY}"
    # the footer: CBS's tables (werkloosheid: 86088NED; hbo/wo: 85525NED) and dates
    assert "Bron: CBS, tabel 86088NED (StatLine)" in svg["vergelijking"]
    assert "Bron: CBS, tabel 86088NED, 85525NED (StatLine)" in svg["spreiding"]
    assert made in svg["vergelijking"] and made in svg["spreiding"]
    assert "Bron: CBS (StatLine)" in svg["factorscores"] and made in svg["factorscores"]
    for text in svg.values():
        assert "data gebouwd 20" in text
    # title and unit
    assert "Werkloosheid, 2024" in svg["vergelijking"]
    assert "Eenheid: % van de beroepsbevolking" in svg["vergelijking"]
    assert "Factorscores per regio (0-10)" in svg["factorscores"]
    assert "(% van de beroepsbevolking), 2024" in svg["spreiding"]
    # the rows of the heatmap and the bars are the regions, by name
    for key in ("factorscores", "vergelijking"):
        assert "Zeeland" in svg[key] and "Twente" in svg[key] and "Nederland" in svg[key]


def test_kaart_png_button_makes_the_map_picture(run_page, downloads):
    """The Kaart page's real 'Download als PNG' button (monitor/downloads.map_button): its
    file is a 1920x1080 PNG of the chosen indicator, level and year, named after them."""
    from PIL import Image

    at = run_page("pages/kaart.py", indicator="werkloosheid_pct", year="2024", level="gemeente")
    assert not at.exception
    name, data = fetch(at, downloads, ".png")
    assert name == f"kaart_werkloosheid_pct_gemeente_2024_{TODAY}.png"
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data))
    assert image.size == (1920, 1080)
    assert len(set(image.convert("RGB").getdata())) > 200  # a drawn map, not a blank picture
