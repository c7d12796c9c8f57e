"""The Wijken page in AppTest, and the wijk parts of the exports, picture and region report.
Expected figures are CBS's, written out from ../shared/cbs/85984NED and 85830ENG."""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures import shown_tables

PAGE = "pages/wijken.py"


def wijk_table(at) -> pd.DataFrame:
    """The page's wijk table as shown (monitor.show: HTML, a row per wijk and year of code),
    indexed by (wijk code, year of the code)."""
    frame = shown_tables(at)[0]
    keys = frame.index.str.split("|")
    frame.index = pd.MultiIndex.from_tuples([tuple(k) for k in keys],
                                            names=["wijk_code", "year_kind"])
    return frame


def number(text: str) -> float:
    """A Dutch number as the table writes it ('16 948', '0,5'); NaN for '–'."""
    text = "".join(c for c in text if c.isdigit() or c in ",-")
    return float(text.replace(",", ".")) if text else float("nan")


def live_map(at) -> str:
    """The interactive wijk map's plotly spec: the page shows a picture first
    (monitor.show); its button brings in the plotly map."""
    if not at.get("plotly_chart"):
        at.button(key="live_wijk_map_on").click().run()
    return at.get("plotly_chart")[0].proto.spec


def test_amsterdam_wijken_are_cbs_figures(run_page):
    """85984NED: WK0363AA Haarlemmerbuurt 9,180 inhabitants, 16,948 per km², 5,686 dwellings;
    85830ENG: WK0363AA GP 0.5 km, station 1.6 km (2023, same code and name in 2024)."""
    at = run_page(PAGE, region="GM0363")
    assert not at.exception and not at.error
    assert at.title[0].value == "Wijken van Amsterdam"
    rows = wijk_table(at)
    row = rows.loc[("WK0363AA", "2024")]
    assert row["Wijk"] == "Haarlemmerbuurt"
    assert number(row["Inwoners (2024, inwoners)"]) == 9180
    assert number(row["Bevolkingsdichtheid (2024, inwoners per km²)"]) == 16948
    assert number(row["Woningvoorraad (2024, woningen)"]) == 5686
    assert number(row["Afstand tot huisartsenpraktijk (2023, km)"]) == pytest.approx(0.5)
    assert number(row["Afstand tot treinstation (2023, km)"]) == pytest.approx(1.6)
    # the figure on the map stands beside the name (a phone shows both)
    assert list(rows.columns[:2]) == ["Wijk", "Bevolkingsdichtheid (2024, inwoners per km²)"]
    # first paint without plotly.js or the data grid: a picture, the buurt grid on request
    assert not at.get("plotly_chart") and not at.dataframe and at.get("image")
    at.button(key="buurten_show").click().run()
    buurten = at.dataframe[0].value
    assert buurten["buurt_code"].str.startswith("BU0363").all() and len(buurten) > 400
    # a wijk's figure is its own: no row adds wijken up into the gemeente
    assert not rows.index.get_level_values("wijk_code").str.startswith("GM").any()


def test_oisterwijk_recoded_wijken_are_shown_as_such(run_page):
    """WK082404 was 'Buitengebied (Zuid)' in 2023 and is 'buitengebied Oisterwijk Zuid' in
    2024: its 2023 GP distance (3.8 km, 85830ENG) is on a 2023 row of its own, not on the 2024
    wijk (1,145 inhabitants, 85984NED); WK082420 Haaren (2023) no longer exists."""
    at = run_page(PAGE, region="GM0824", measure="huisarts")
    assert not at.exception and not at.error
    rows = wijk_table(at)
    gp, people, note = ("Afstand tot huisartsenpraktijk (2023, km)",
                        "Inwoners (2024, inwoners)", "Code 2023-2024")
    now, then = rows.loc[("WK082404", "2024")], rows.loc[("WK082404", "2023")]
    assert now["Wijk"] == "buitengebied Oisterwijk Zuid" and number(now[people]) == 1145
    assert now[gp] == "–" and "Buitengebied (Zuid)" in now[note]
    assert then["Wijk"] == "Buitengebied (Zuid) (2023)" and number(then[gp]) == 3.8
    assert then[people] == "–"
    gone = rows.loc[("WK082420", "2023")]
    assert gone[note] == "bestaat niet meer in 2024" and number(gone[gp]) == pytest.approx(1.1)
    # the 2023 rows (renamed or gone in 2024) are grey, the 2024 rows are not
    body = " ".join(h.proto.body for h in at.get("html"))
    grey = body.split('data-key="WK082420|2023"')[1].split("</tr>")[0]
    assert "#6b6b76" in grey
    assert "#6b6b76" not in body.split('data-key="WK082413|2024"')[1].split("</tr>")[0]
    text = " ".join(c.value for c in at.caption)
    assert "12 met een andere naam, 1 verdwenen" in text
    # on the map the renamed wijk is in the 'no value' class, its hover says why
    assert at.get("image") and not at.get("plotly_chart")  # the picture first
    fig = live_map(at)
    assert "WK082404" in fig and "heette deze code" in fig


def test_composed_region_and_pilot_region(run_page):
    at = run_page(PAGE, region="CUSTOM", custom="GM0824,GM0855", custom_name="Mijn regio")
    assert not at.exception and not at.error
    assert at.title[0].value == "Wijken van Mijn regio"
    assert set(wijk_table(at)["Code"].str[:6]) == {"WK0824", "WK0855"}
    at = run_page(PAGE, region="PR_regio_zwolle", lang="en")
    assert not at.exception and not at.error
    assert at.title[0].value == "Districts of Regio Zwolle"
    zwolle = wijk_table(at).xs("2024", level="year_kind")
    assert zwolle.index.str.startswith("WK0193").sum() == 16  # Zwolle's wijken are there


def test_a_bad_measure_is_refused_with_a_notice(run_page):
    at = run_page(PAGE, region="GM0193", measure="<b>x</b>")
    assert not at.exception and not at.error
    assert at.selectbox(key="wijk_measure").value == "dichtheid"
    notices = " ".join(w.value for w in at.warning)
    assert "measure" in notices and "<b>" in notices  # named, shown as text


def test_wijk_exports_name_year_and_cbs_table(lib):
    from monitor import export, wijken

    rows = wijken.wijk_rows(("GM0824",), "nl")
    frame = export.read_csv(export.to_csv(wijken.export_frame(rows, "nl")))
    column = "Afstand tot huisartsenpraktijk [km] 2023 (85830ENG)"
    assert column in frame.columns and "Inwoners [inwoners] 2024 (85984NED)" in frame.columns
    old = frame[(frame["wijk_code"] == "WK082404") & (frame["year_of_code"] == 2023)]
    assert old[column].iloc[0] == pytest.approx(3.8)
    buurten = wijken.buurt_export_frame(wijken.buurt_rows(("GM0824",)), "nl")
    assert len(buurten) == buurten["buurt_code"].nunique() > 30
    assert (buurten["wijk_code"] == "WK" + buurten["buurt_code"].str[2:8]).all()


def test_wijk_picture_and_report(lib):
    from monitor import figures, regions, report, wijken

    parts = wijken.view_parts(("GM0824",), "huisarts", "nl")
    png = figures.map_png(wijken.picture_spec(parts, "huisarts", "Oisterwijk", "nl",
                                              "2026-01-01"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    html = report.build_report(regions.stored("GM0824"), "nl", made="2026-01-01")
    assert '<section id="wijken">' in html and "Buitengebied (Zuid) (2023)" in html
    assert "bestaat niet meer in 2024" in html


def test_exports_name_the_filled_figures_and_the_missing_gemeenten(lib):
    """The compare export says why Regio Zwolle has no library distance (Zwolle lacks it,
    named); the map's table (and its export) says Zwolle's 2023 GP distance is 85830ENG's."""
    from monitor import export, maps, queries, regions

    zwolle = regions.stored("PR_regio_zwolle")
    values = regions.latest_values((zwolle,))
    rows = pd.DataFrame({"indicator_id": ["afstand_bibliotheek_km", "afstand_huisarts_km"],
                         "factor": "f", "year": [2023, 2023]})
    frame = export.compare_frame(values, rows, {zwolle.code: "Regio Zwolle"},
                                 {zwolle.code: zwolle.members})
    reason = frame.set_index("indicator_id")[f"Regio Zwolle (PR_regio_zwolle) {export.REASON}"]
    assert reason["afstand_bibliotheek_km"] == "dekking 84% (< 95%); ontbreekt: Zwolle"
    assert reason["afstand_huisarts_km"] == ""
    level = queries.values_by_level("afstand_huisarts_km", 2023, "gemeente")
    table = maps.value_table(level, True).set_index("region_code")
    assert table.loc["GM0193", "note"] == "Zwolle: cijfer uit CBS-tabel 85830ENG."
    assert table.loc["GM0642", "note"] == "Zwijndrecht: cijfer uit CBS-tabel 85830ENG."
    assert table.loc["GM0363", "note"] == ""
