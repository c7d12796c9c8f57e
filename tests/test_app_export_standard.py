"""Exports a researcher's tools read as they are (issue 22).

Every table download on the pages comes as a standard CSV (RFC 4180, UTF-8 without BOM, ',' and
'.'), a CSV for Excel in the reader's language, an Excel workbook and a Frictionless Data Package
describing the standard CSV. Here every CSV is read with pandas' and DuckDB's defaults (and the
standard CSV with R's `read.csv`), and every data package is checked by the standard's own
validator (the `frictionless` package).
"""

from __future__ import annotations

import codecs
import io
import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import frictionless
import pandas as pd
import pytest

from monitor import export
from tests.conftest import missing

# (page, URL parameters): every page with table downloads, and both Data-export layouts
VIEWS = {
    "export_long": ("pages/export.py", {"regions": "PR_rga,PR_zeeland,GM0363",
                                        "indicators": "werkloosheid_pct,hbo_wo_pct"}),
    "export_wide": ("pages/export.py", {"regions": "PR_zeeland,GM0363", "layout": "wide",
                                        "indicators": "werkloosheid_pct,hbo_wo_pct"}),
    "kaart": ("pages/kaart.py", {"indicator": "werkloosheid_pct", "level": "provincie"}),
    "vergelijken": ("pages/vergelijken.py", {"regions": "PR_zeeland,PR_twente"}),
    "trends": ("pages/trends.py", {"regions": "PR_zeeland,NL01",
                                   "indicator": "werkloosheid_pct"}),
    "overzicht": (None, {"region": "PR_zeeland"}),
}
# CBS StatLine 86088NED (and README): unemployment in Zeeland, 2024: 2.9 % of the labour force
ZEELAND_2024 = 2.9


def files_of(at, downloads) -> dict[str, bytes]:
    """Every table file the page offers (pictures and reports left out): name -> bytes."""
    found = {}
    for button in at.get("download_button"):
        name, make = downloads.get(button.proto.deferred_file_id, ("", None))
        if name.endswith((".csv", ".json", ".xlsx")):
            found[name] = make()
    return found


def check_package(folder: Path, name: str, data: bytes, files: dict[str, bytes], lang: str):
    """A data package and the standard CSV it describes, side by side: valid by the standard's
    own validator, and saying what a researcher needs."""
    package = json.loads(data)
    resource = package["resources"][0]
    assert resource["path"] in files, "the package describes a file offered beside it"
    (folder / resource["path"]).write_bytes(files[resource["path"]])
    (folder / name).write_bytes(data)
    report = frictionless.validate(str(folder / name))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["language"] == lang
    assert set(package["statusLegend"]) == set(export.STATUSES)
    assert all(text for text in package["statusLegend"].values())
    fields = resource["schema"]["fields"]
    header = files[resource["path"]].decode("utf-8").split("\r\n")[0]
    assert len(fields) == len(pd.read_csv(io.StringIO(header)).columns)
    assert all(f.get("title") for f in fields)
    return package


# Cells a human-readable file of the other language (or the standard CSV) would hold: the
# identifiers and words of yes/no, level, status, origin and CBS status columns
NOT_DUTCH = {"True", "False", "Yes", "No", "province", "municipality", "pilot region", "country",
             "published", "aggregated", "ok", "computed", "CBS figure",
             "other_territory", "other membership", "provisional", "final", "unknown",
             "Netherlands"}
NOT_ENGLISH = {"True", "False", "Ja", "Nee", "provincie", "gemeente", "proeftuin", "land",
               "published", "aggregated", "ok", "berekend", "CBS-cijfer", "other_territory",
               "andere samenstelling", "voorlopig", "definitief", "onbekend", "Nederland"}
WORD_COLUMNS = {"nl": ("Niveau", "Geschat", "Omgerekend naar indeling 2024", "Status",
                       "Herkomst", "Breuk in de reeks", "Status CBS", "Regio"),
                "en": ("Level", "Estimated", "Converted to 2024 division", "Status", "Origin",
                       "Break in the series", "CBS status", "Region")}


def check_words(frame: pd.DataFrame, lang: str) -> None:
    """One language per file, in the values too: the yes/no, level, status and origin columns
    of a human-readable file (CSV for Excel, Excel) hold words of the file's language only."""
    foreign = NOT_DUTCH if lang == "nl" else NOT_ENGLISH
    words = " ".join(map(str, frame.columns))
    assert "[reason]" not in words and "[reden" not in words and "True" not in words
    for column in WORD_COLUMNS[lang]:
        if column in frame.columns:
            found = set(frame[column].dropna().astype(str))
            assert not found & foreign, (column, found & foreign)
    flags = [c for c in ("Geschat", "Breuk in de reeks", "Estimated", "Break in the series")
             if c in frame.columns]
    for column in flags:
        assert set(frame[column]) <= ({"Ja", "Nee"} if lang == "nl" else {"Yes", "No"})


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_every_csv_reads_with_defaults_and_every_package_validates(
        run_page, downloads, tmp_path, view, lang):
    page, params = VIEWS[view]
    at = run_page(page, **params, **({"lang": "en"} if lang == "en" else {}))
    assert not at.exception
    files = files_of(at, downloads)
    standard = {n: d for n, d in files.items() if n.endswith(".csv") and "_excel_" not in n}
    excel = {n: d for n, d in files.items() if "_excel_" in n}
    packages = {n: d for n, d in files.items() if n.endswith(export.DATAPACKAGE_SUFFIX)}
    assert standard and packages and (excel or page == "pages/export.py")
    for name, data in standard.items():
        assert not data.startswith(codecs.BOM_UTF8)
        data.decode("utf-8")  # UTF-8, or this raises
        frame = pd.read_csv(io.BytesIO(data))  # pandas' defaults
        assert len(frame.columns) >= 3 and len(frame) >= 1
        (tmp_path / name).write_bytes(data)
        duck = duckdb.sql(f"select * from read_csv('{tmp_path / name}')").df()  # DuckDB's
        assert list(duck.columns) == list(frame.columns) and len(duck) == len(frame)
        numeric = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])
                   and frame[c].notna().any()]
        for column in numeric:  # numbers stay numbers in both readers
            assert pd.api.types.is_numeric_dtype(duck[column]), column
    for data in excel.values():
        assert data.startswith(codecs.BOM_UTF8)
        sep, decimal = (";", ",") if lang == "nl" else (",", ".")
        frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", sep=sep, decimal=decimal)
        assert len(frame.columns) >= 3
        # one language per file: the headers are the reader's words
        words = " ".join(frame.columns)
        if lang == "nl":
            assert "reason" not in words and "region_code" not in words
        else:
            assert "reden" not in words and "Regio " not in words and "Jaar" not in words
        check_words(frame, lang)
    for name, data in packages.items():
        check_package(tmp_path, name, data, files, lang)


def test_wide_export_is_at_cbs_precision_and_the_long_one_says_it_is_not(run_page, downloads):
    at = run_page("pages/export.py", regions="PR_zeeland", layout="wide",
                  indicators="werkloosheid_pct", years="2020-2024")
    files = files_of(at, downloads)
    name = next(n for n in files if n.endswith(".csv") and "_excel_" not in n)
    wide = pd.read_csv(io.BytesIO(files[name])).set_index("region_code")
    assert [c for c in wide.columns if c.startswith("value_")] == [
        f"value_{y}" for y in range(2020, 2025)]
    assert wide.loc["PR_zeeland", "value_2024"] == ZEELAND_2024  # exactly: CBS's one decimal
    package = json.loads(next(d for n, d in files.items() if n.endswith(".json")))
    indicator = package["indicators"][0]
    assert indicator["cbsTable"] == "86088NED" and indicator["decimalsPublished"] == 1

    at = run_page("pages/export.py", regions="PR_zeeland", indicators="werkloosheid_pct")
    files = files_of(at, downloads)
    package = json.loads(next(d for n, d in files.items() if n.endswith(".json")))
    value = next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "value")
    assert "volle precisie" in value["description"]
    assert any("volle precisie" in c.value for c in at.caption)


def test_other_territory_is_explained_and_claims_nothing(run_page, downloads):
    """Regio Groningen-Assen's delineation holds from 2019: earlier rows have no value, and
    neither a coverage nor 'estimated'; the status is explained in the file's language."""
    for lang in ("nl", "en"):
        at = run_page("pages/export.py", regions="PR_rga", indicators="werkloosheid_pct",
                      years="2013-2020", **({"lang": "en"} if lang == "en" else {}))
        files = files_of(at, downloads)
        name = next(n for n in files if n.endswith(".csv") and "_excel_" not in n)
        frame = pd.read_csv(io.BytesIO(files[name]))
        early = frame[frame["year"] < 2019]
        assert len(early) and set(early["status"]) == {"other_territory"}
        assert early["value"].isna().all() and early["coverage [0-1]"].isna().all()
        assert not early["is_estimated"].any()
        package = json.loads(next(d for n, d in files.items() if n.endswith(".json")))
        legend = package["statusLegend"]["other_territory"]
        assert ("andere samenstelling" in legend) if lang == "nl" else ("membership" in legend)


def test_the_validator_catches_a_broken_file(run_page, downloads, tmp_path):
    """The check above is real: a status outside the legend or text in a number column makes
    the package invalid."""
    at = run_page("pages/export.py", regions="PR_zeeland", indicators="werkloosheid_pct")
    files = files_of(at, downloads)
    name = next(n for n in files if n.endswith(".json"))
    csv_name = json.loads(files[name])["resources"][0]["path"]
    broken = files[csv_name].decode().replace(",ok,", ",fine,", 1).encode()
    assert broken != files[csv_name]
    (tmp_path / csv_name).write_bytes(broken)
    (tmp_path / name).write_bytes(files[name])
    assert not frictionless.validate(str(tmp_path / name)).valid


def test_ten_pilot_regions_in_one_click(run_page):
    at = run_page("pages/export.py", regions="GM0363", indicators="werkloosheid_pct")
    at.button(key="export_pilots").click().run()
    assert not at.exception
    chosen = at.query_params["regions"].split(",")
    assert chosen[0] == "GM0363" and len(chosen) == 11
    assert all(code.startswith("PR_") for code in chosen[1:])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_human_files_write_words_of_their_language(run_page, downloads, lang):
    """The CSV for Excel and the workbook of Kaart (provinces) and of the long Data-export:
    'Ja'/'Nee' (or 'Yes'/'No') for True/False, the level and status as words, the reason
    column named in the file's language; the standard CSV keeps the identifiers."""
    en = {"lang": "en"} if lang == "en" else {}
    at = run_page("pages/kaart.py", indicator="werkloosheid_pct", level="provincie", **en)
    files = files_of(at, downloads)
    book = next(d for n, d in files.items() if n.endswith(".xlsx"))
    data = pd.read_excel(io.BytesIO(book), sheet_name="Data")
    check_words(data, lang)
    level, estimated = ("Niveau", "Geschat") if lang == "nl" else ("Level", "Estimated")
    assert set(data[level]) == {"provincie" if lang == "nl" else "province"}
    assert set(data[estimated]) == {"Nee" if lang == "nl" else "No"}  # CBS's own figures
    zeeland = data[data[data.columns[0]] == "PV29"].iloc[0]
    assert zeeland.iloc[4] == ZEELAND_2024
    standard = next(d for n, d in files.items() if n.endswith(".csv") and "_excel_" not in n)
    machine = pd.read_csv(io.BytesIO(standard))
    assert set(machine["region_level"]) == {"provincie"} and not machine["is_estimated"].any()
    assert machine["is_estimated"].dtype == bool

    at = run_page("pages/export.py", regions="PR_rga,NL01", indicators="werkloosheid_pct",
                  years="2013-2024", format="csv_excel", **en)
    (data,) = [d for n, d in files_of(at, downloads).items() if "_excel_" in n]
    sep, decimal = (";", ",") if lang == "nl" else (",", ".")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", sep=sep, decimal=decimal)
    check_words(frame, lang)
    status = "Status"
    words = set(frame[status])
    assert ("andere samenstelling" if lang == "nl" else "other membership") in words
    region = "Regio" if lang == "nl" else "Region"
    assert ("Nederland" if lang == "nl" else "Netherlands") in set(frame[region])

    at = run_page("pages/vergelijken.py", regions="PR_zeeland,PR_twente", **en)
    files = files_of(at, downloads)
    book = next(d for n, d in files.items() if n.endswith(".xlsx") and "laatste-jaar" in n)
    header = " ".join(pd.read_excel(io.BytesIO(book), sheet_name=0).columns)
    assert ("reden zonder waarde" in header) if lang == "nl" else (
        "reason for no value" in header)
    assert ("reason" not in header) if lang == "nl" else ("reden" not in header)


# R's read.csv with its defaults, on one file: the header as written (scan), the names R gave
# the columns, each column's class, the rows, and the cells asked for ('row=column', 1-based).
R_READ = """
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
header <- scan(args[1], what = "", sep = ",", nlines = 1, quiet = TRUE)
cat("rows", nrow(d), "\\n", sep = "\\t")
for (i in seq_along(header))
  cat("column", header[i], names(d)[i], class(d[[i]]), "\\n", sep = "\\t")
for (ask in args[-1]) {
  at <- strsplit(ask, "=", fixed = TRUE)[[1]]
  cell <- d[[make.names(at[2])]][as.integer(at[1])]
  cat("cell", ask, format(cell, digits = 15), "\\n", sep = "\\t")
}
"""


def read_with_r(path: Path, *cells: str) -> dict:
    """`read.csv(path)` in R (Rscript), with R's defaults: what R made of the file."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        missing("R not found (apt-get install r-base-core; scripts/setup.sh does when root)",
                "scripts/setup.sh installs it in CI")
    out = subprocess.run([rscript, "--vanilla", "-e", R_READ, str(path), *cells],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    lines = [line.split("\t") for line in out.splitlines()]
    return {"rows": int(next(line[1] for line in lines if line[0] == "rows")),
            "columns": {line[1]: (line[2], line[3]) for line in lines if line[0] == "column"},
            "header": [line[1] for line in lines if line[0] == "column"],
            "cells": {line[1]: line[2] for line in lines if line[0] == "cell"}}


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_r_reads_the_standard_csv_with_its_defaults(run_page, downloads, tmp_path, layout):
    """`read.csv` with R's defaults reads the standard CSV whole: every column as written
    (R's default check.names makes 'coverage [0-1]' 'coverage..0.1.'), every row, figures as
    numbers (CBS StatLine 86088NED: Zeeland 2024, 2.9 %), flags as logicals."""
    params = {"regions": "PR_zeeland,PR_rga,GM0363", "indicators": "werkloosheid_pct,hbo_wo_pct",
              "years": "2013-2024"} | ({"layout": "wide"} if layout == "wide" else {})
    at = run_page("pages/export.py", **params)
    files = files_of(at, downloads)
    name = next(n for n in files if n.endswith(".csv") and "_excel_" not in n)
    (tmp_path / name).write_bytes(files[name])
    frame = pd.read_csv(io.BytesIO(files[name]))
    zeeland = frame["region_code"].eq("PR_zeeland") & frame["indicator_id"].eq("werkloosheid_pct")
    if layout == "long":
        zeeland &= frame["year"].eq(2024)
    column = "value" if layout == "long" else "value_2024"
    row = int(frame.index[zeeland][0]) + 1  # R counts from 1
    read = read_with_r(tmp_path / name, f"{row}={column}", f"{row}=region_code")
    assert read["rows"] == len(frame) > 1
    assert read["header"] == list(frame.columns)
    classes = {c: cls for c, (_, cls) in read["columns"].items()}
    for name in frame.columns:  # pandas' numbers are R's numbers, its flags R's logicals
        if pd.api.types.is_float_dtype(frame[name]) or name == "year":
            assert classes[name] in ("numeric", "integer"), (name, classes[name])
        if frame[name].dtype == bool:
            assert classes[name] == "logical", (name, classes[name])
    assert classes["region_code"] == classes["region_name"] == "character"
    assert read["columns"]["region_code"][0] == "region_code"  # names R need not change
    assert read["cells"][f"{row}=region_code"] == "PR_zeeland"
    value = float(read["cells"][f"{row}={column}"])
    assert value == pytest.approx(frame.loc[row - 1, column], abs=1e-9)
    assert round(value, 1) == ZEELAND_2024
    if layout == "long":
        assert {"is_estimated", "is_converted", "series_break"} <= {
            c for c, cls in classes.items() if cls == "logical"}
