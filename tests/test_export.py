"""The export files: CSV, Excel (data + sources) and Parquet read back against the warehouse."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from monitor import export, queries, regions

DAY = dt.date(2026, 11, 22)
LICENCE = "Bron: CBS, StatLine (CC BY 4.0); grenzen CBS/PDOK (CC BY 4.0)"
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+\.(csv|xlsx|parquet)$")



def stored(con, indicator: str, code: str, year: int) -> float:
    """A value from indicator_value."""
    return con.execute("select value from indicator_value where indicator_id = ? and "
                       "region_code = ? and year = ?", [indicator, code, year]).fetchone()[0]


def sample(codes=("PR_zeeland", "GM0363"), ids=("werkloosheid_pct", "hbo_wo_pct"),
           years=(2022, 2024)) -> pd.DataFrame:
    """A long-format export of stored regions."""
    return export.long_frame(queries.export_values(tuple(codes), tuple(ids), *years))


def sources_rows(sheet) -> tuple[dict[str, str], list[str], list[tuple]]:
    """The sources sheet: provenance (label -> text), the indicator header and rows."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "indicator_id")
    about = {r[0]: r[1] for r in rows[:start] if r[0]}
    return about, list(rows[start]), [r for r in rows[start + 1:] if r[0]]


def test_csv_opens_in_dutch_excel_with_numbers_and_units(lib, con):
    frame = sample()
    data = export.to_csv(frame, "nl")
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.split(";")[:4] == ["region_code", "region_name", "region_level",
                                     "indicator_id"]
    back = export.read_csv(data, "nl")
    assert back["value"].dtype == float and back["year"].dtype == "int64"
    assert "coverage [0-1]" in back.columns
    row = back[(back["region_code"] == "PR_zeeland") & (back["year"] == 2024)
               & (back["indicator_id"] == "werkloosheid_pct")].iloc[0]
    assert row["value"] == pytest.approx(stored(con, "werkloosheid_pct", "PR_zeeland", 2024))
    assert row["value"] == pytest.approx(2.92, abs=0.01)  # CBS's own 2.9%, not 1.9%
    assert row["unit"] == "% van de beroepsbevolking"
    ams = back[(back["region_code"] == "GM0363") & (back["year"] == 2024)
               & (back["indicator_id"] == "werkloosheid_pct")].iloc[0]
    assert ams["value"] == pytest.approx(stored(con, "werkloosheid_pct", "GM0363", 2024))
    assert ";5,1;" in data.decode("utf-8-sig")  # decimal comma, no thousands separators


def test_csv_in_english_uses_comma_and_point(lib):
    back = pd.read_csv(io.BytesIO(export.to_csv(sample(), "en")), encoding="utf-8-sig")
    assert back["value"].dtype == float and len(back) == len(sample())


def test_excel_has_data_and_sources_sheets(lib, con):
    frame = sample()
    wb = openpyxl.load_workbook(io.BytesIO(export.to_excel(
        frame, ["werkloosheid_pct", "hbo_wo_pct"], "nl", DAY)))
    assert wb.sheetnames == ["Data", "Bronnen en definities"]
    data = pd.read_excel(io.BytesIO(export.to_excel(frame, ["werkloosheid_pct"], "nl")),
                         sheet_name="Data")
    # a workbook is read by people: the columns in their language (the standard CSV keeps
    # the machine-readable names)
    assert list(data.columns) == [
        "Regiocode", "Regio", "Niveau", "Indicatorcode", "Indicator", "Eenheid", "Jaar",
        "Waarde", "Dekking (0-1)", "Geschat", "Omgerekend naar indeling 2024", "Status",
        "Herkomst", "Breuk in de reeks", "Status CBS"]
    row = data[(data["Regiocode"] == "PR_zeeland") & (data["Jaar"] == 2024)
               & (data["Indicatorcode"] == "werkloosheid_pct")].iloc[0]
    assert row["Waarde"] == pytest.approx(stored(con, "werkloosheid_pct", "PR_zeeland", 2024))
    cell = wb["Data"].cell(row=2, column=list(export.LONG_COLUMNS).index("value") + 1)
    assert isinstance(cell.value, float)  # a number, not formatted text

    about, header, rows = sources_rows(wb["Bronnen en definities"])
    assert about["Bron en licentie"] == LICENCE
    built = con.execute("select built_at, taken_at from build_meta").fetchone()
    assert about["Data gebouwd op (UTC)"] == str(built[0])[:19]
    assert about["Bron van de build"] == (f"CBS StatLine, opgehaald op {str(built[1])[:10]} "
                                          "(meegeleverde gegevens)")
    assert about["Geëxporteerd op"] == "2026-11-22"
    assert header[:6] == ["indicator_id", "Titel", "Definitie", "Eenheid", "CBS-tabel",
                          "StatLine"]
    registry = con.execute("select indicator_id, source_table, statline_url, definition_nl, "
                           "unit_nl from indicator where indicator_id in ('werkloosheid_pct', "
                           "'hbo_wo_pct')").fetchall()
    listed = {r[0]: r for r in rows}
    assert set(listed) == {"werkloosheid_pct", "hbo_wo_pct"}
    for ind, table, url, definition, unit in registry:
        assert listed[ind][4] == table and listed[ind][5] == url
        assert listed[ind][2] == definition and listed[ind][3] == unit
        assert listed[ind][6] and listed[ind][7]  # aggregation rule and caveat
    link_row = next(r for r in wb["Bronnen en definities"].iter_rows()
                    if r[0].value == "werkloosheid_pct")
    assert link_row[5].hyperlink.target.startswith("https://opendata.cbs.nl/")


def test_parquet_is_typed_and_carries_the_licence(lib, con):
    frame = sample()
    table = pq.read_table(io.BytesIO(export.to_parquet(frame, DAY)))
    back = table.to_pandas()
    assert list(back.columns) == ["region_code", "region_name", "region_level", "indicator_id",
                                  "indicator", "unit", "year", "value", "coverage_0_1",
                                  "is_estimated", "is_converted", "status", "source",
                                  "series_break", "cbs_status"]  # no quoting in SQL or R
    assert str(table.schema.field("value").type) == "double"
    assert str(table.schema.field("is_estimated").type) == "bool"
    row = back[(back["region_code"] == "GM0363") & (back["year"] == 2024)
               & (back["indicator_id"] == "werkloosheid_pct")].iloc[0]
    assert row["value"] == pytest.approx(stored(con, "werkloosheid_pct", "GM0363", 2024))
    meta = {k.decode(): v.decode() for k, v in table.schema.metadata.items()}
    assert "CC BY 4.0" in meta["rem_source-and-licence"]
    assert meta["rem_exported-on"] == "2026-11-22"


def test_composed_region_equals_stored_region_with_same_members(lib, con):
    members = queries.members("PR_zeeland")
    ids = ("werkloosheid_pct", "hbo_wo_pct", "bevolking", "banen_per_1000_inwoners")
    mine = regions.composed("Mijn Zeeland", members)
    frame = export.long_frame(regions.export_rows((), (regions.stored("PR_zeeland"), mine),
                                                  ids, (2006, 2024)))
    back = pq.read_table(io.BytesIO(export.to_parquet(frame))).to_pandas()
    mine = back[back["region_code"] == "CUSTOM"].set_index(["indicator_id", "year"])
    theirs = back[back["region_code"] == "PR_zeeland"].set_index(["indicator_id", "year"])
    assert set(mine["region_name"]) == {"Mijn Zeeland"}
    assert len(theirs) > 20 and set(theirs.index) <= set(mine.index)
    joined = theirs.join(mine, suffixes=("", "_c"))
    assert joined["value"].to_numpy() == pytest.approx(joined["value_c"].to_numpy(),
                                                       nan_ok=True)
    assert (joined["coverage_0_1"] - joined["coverage_0_1_c"]).abs().max() < 1e-9


def test_file_names_say_what_is_in_them_with_safe_characters():
    name = export.file_name(("kaart", "werkloosheid_pct", "gemeente", 2024), "csv", DAY)
    assert name == "kaart_werkloosheid_pct_gemeente_2024_2026-11-22.csv"
    odd = export.file_name(("export", "../../etc/passwd", "Fryslân & co", "a/b\\c:d*?"),
                           "xlsx", DAY)
    assert SAFE_NAME.match(odd), odd
    assert "Fryslan" in odd and ".." not in odd.removesuffix(".xlsx")
    assert export.codes_part(["PR_mra", "GM0363"]) == "PR_mra-GM0363"
    assert export.codes_part([f"GM{i:04d}" for i in range(10)]).endswith("-plus6")
    assert export.years_part([2024, 2013, 2020]) == "2013-2024"


def test_text_that_looks_like_a_formula_stays_text(lib):
    frame = pd.DataFrame({"region_name": ["=HYPERLINK(\"http://x\")", "-2+3", "Zeeland"],
                          "werkloosheid_pct [%]": [1.5, 2.0, 3.0]})
    csv = export.to_csv(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'-2+3" in csv
    wb = openpyxl.load_workbook(io.BytesIO(export.to_excel(frame, [], "nl")))
    # In Excel a cell written as a string is never a formula: the text as it is, no apostrophe
    assert [wb["Data"][c].data_type for c in ("A2", "A3")] == ["s", "s"]
    assert wb["Data"]["A2"].value == "=HYPERLINK(\"http://x\")"
    assert wb["Data"]["A3"].value == "-2+3"
    assert wb["Data"]["B2"].value == 1.5


def test_map_and_trend_columns_carry_units(lib, con):
    values = queries.values_by_level("werkloosheid_pct", 2024, "provincie")
    from monitor.maps import value_table

    frame = export.map_frame(value_table(values, True), values, "werkloosheid_pct", 2024,
                             "provincie")
    column = "werkloosheid_pct [% van de beroepsbevolking]"
    assert column in frame.columns and "coverage [0-1]" in frame.columns
    assert "rank [1 = best]" in frame.columns
    back = export.read_csv(export.to_csv(frame)).set_index("region_code")
    assert back.loc["PV26", column] == pytest.approx(stored(con, "werkloosheid_pct", "PV26",
                                                            2024))
    series = regions.series((regions.stored("PR_mra"), regions.stored("NL01")),
                            "werkloosheid_pct")
    trend = export.trend_frame(series, {"PR_mra": "MRA", "NL01": "Nederland"},
                               "werkloosheid_pct", "Index (2015 = 100)")
    assert "werkloosheid_pct [Index (2015 = 100)]" in trend.columns
    assert list(dict.fromkeys(trend["region_code"])) == ["PR_mra", "NL01"]


def test_sources_of_a_gap_indicator_say_so(lib, con):
    sources = export.sources_table(["ict_banen_pct", "mediaan_vermogen"], "nl")
    caveats = dict(zip(sources["indicator_id"], sources["Kanttekening"], strict=True))
    (reason,) = con.execute("select data_gap_nl from indicator where indicator_id = "
                            "'ict_banen_pct'").fetchone()  # a Dutch file, a Dutch reason
    assert reason and caveats["ict_banen_pct"].startswith(reason)
    assert "is not in this data source" not in caveats["ict_banen_pct"]
    assert "mediaan" in caveats["mediaan_vermogen"].lower()


def test_profile_download_holds_the_numbers_of_the_page(run_page, warehouse):
    """Regioprofiel has CSV and Excel buttons; the frame they serve holds the warehouse's
    numbers for the region and for Nederland (numbers, not formatted text)."""
    import duckdb

    from monitor import export, regions
    from monitor import profile as prof

    at = run_page("pages/regioprofiel.py", region="PR_zeeland")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(label.endswith("CSV") for label in labels)
    assert any(label.endswith("Excel") for label in labels)
    zeeland = regions.stored("PR_zeeland")
    frame = export.profile_frame(prof.indicator_table(zeeland), "PR_zeeland", "Zeeland")
    row = frame[frame["indicator_id"] == "werkloosheid_pct"].iloc[0]
    con = duckdb.connect(str(warehouse), read_only=True)
    region, nl = con.execute(
        "select max(value) filter (where region_code = 'PR_zeeland'), "
        "max(value) filter (where region_code = 'NL01') from indicator_value "
        "where indicator_id = 'werkloosheid_pct' and year = ?", [int(row["year"])]).fetchone()
    # at the precision CBS publishes (one decimal)
    assert row["Zeeland (PR_zeeland)"] == pytest.approx(round(region, 1))
    assert row["Nederland (NL01)"] == pytest.approx(round(nl, 1))


def test_parquet_names_need_no_quoting_and_carry_definitions(lib):
    """A wide table with Dutch headers: snake_case ascii names in the file, the originals and
    each indicator's definition and CBS table in its metadata."""
    import json

    frame = pd.DataFrame({"Regio": ["Zeeland"], "Waarde (% van de beroepsbevolking)": [2.9],
                          "Inwoners (1 jan. 2024)": [391634], "2024": [1.0],
                          "Zekerheid ≈ geschat": [True]})
    table = pq.read_table(io.BytesIO(export.to_parquet(frame, DAY, ["werkloosheid_pct"])))
    assert table.column_names == ["regio", "waarde_van_de_beroepsbevolking",
                                  "inwoners_1_jan_2024", "c_2024", "zekerheid_geschat"]
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in table.column_names)
    meta = {k.decode(): v.decode() for k, v in table.schema.metadata.items()}
    assert json.loads(meta["rem_columns"])["c_2024"] == "2024"
    (ind,) = json.loads(meta["rem_indicators"])
    assert ind["indicator_id"] == "werkloosheid_pct" and ind["source_table"] == "86088NED"
    assert ind["definition_nl"].startswith("Werkloze beroepsbevolking")


def test_wide_export_says_why_a_value_is_missing(lib):
    """Vergelijken's wide export: beside each region's values a reason column, filled exactly
    where the value is missing (a data gap, a median, no figure), empty where there is one."""
    from monitor import regions

    picked = (regions.stored("PR_zeeland"), regions.stored("NL01"))
    ids = ["werkloosheid_pct", "ict_banen_pct", "mediaan_vermogen"]
    values = regions.latest_values(picked)
    years = values.groupby("indicator_id")["year"].max()
    rows = pd.DataFrame({"indicator_id": ids, "factor": "f",
                         "year": [int(years.get(i, 2024)) for i in ids]})
    frame = export.compare_frame(values, rows, {"PR_zeeland": "Zeeland", "NL01": "Nederland"})
    reason = frame.set_index("indicator_id")[f"Zeeland (PR_zeeland) {export.REASON}"]
    value = frame.set_index("indicator_id")["Zeeland (PR_zeeland)"]
    assert pd.notna(value["werkloosheid_pct"]) and reason["werkloosheid_pct"] == ""
    assert pd.isna(value["ict_banen_pct"]) and "CBS-tabel" in reason["ict_banen_pct"]
    assert pd.isna(value["mediaan_vermogen"]) and "mediaan" in reason["mediaan_vermogen"]
