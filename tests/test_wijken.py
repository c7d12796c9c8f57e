"""Issue 20's data: 85830ENG fills 80305ned's 2023 gaps, woon-werkafstand (85481NED) against
CBS's own provincie and Nederland rows, and the wijk tables (85984NED, 85830ENG, boundaries,
2023-2024 codes). Expected figures are read from the CBS files in ../shared or written out
literally from them, never from the code under test."""

from __future__ import annotations

import json

import pytest

from etl.catalog import get_table


def cbs_rows(snapshot_dir, table_id: str, region_dim: str) -> dict:
    """{region code: row} of a snapshot table (the region key stripped)."""
    rows = json.loads((snapshot_dir / "cbs" / table_id / "TypedDataSet.json").read_text())
    return {(str(r[region_dim]).strip(), r.get("Perioden")): r for r in rows}


# --- 1. the gaps of 80305ned 2023 --------------------------------------------------------

def test_85830eng_equals_80305ned_2023_for_every_shared_gemeente(snapshot_dir):
    """The figures used to fill 80305ned are CBS's same figures: where both tables have a
    gemeente, every declared pair of measures agrees exactly."""
    eng = cbs_rows(snapshot_dir, "85830ENG", "DistrictsAndNeighbourhoods")
    ned = cbs_rows(snapshot_dir, "80305ned", "RegioS")
    pairs = get_table("85830ENG").fills["measures"]
    assert len(pairs) == 9
    shared, compared = 0, 0
    for (code, _), row in eng.items():
        other = ned.get((code, "2023JJ00"))
        if not code.startswith("GM") or other is None:
            continue
        shared += 1
        for eng_key, ned_key in pairs.items():
            if row[eng_key] is None and other[ned_key] is None:
                continue
            assert row[eng_key] == pytest.approx(other[ned_key]), (code, eng_key, ned_key)
            compared += 1
    assert shared == 340 and compared > 340 * 8


def test_zwolle_and_zwijndrecht_2023_come_from_85830eng(con):
    """CBS 85830ENG, GM0193 Zwolle: GP 1.0 km, hospital 4.4 km, station 2.9 km;
    GM0642 Zwijndrecht: GP 0.7, hospital 2.8, station 2.0."""
    values = dict(((g, i), v) for g, i, v in con.execute(
        "select gemeente_code, indicator_id, value from gm_value where year = 2023 and "
        "gemeente_code in ('GM0193', 'GM0642')").fetchall())
    assert values[("GM0193", "afstand_huisarts_km")] == pytest.approx(1.0)
    assert values[("GM0193", "afstand_ziekenhuis_km")] == pytest.approx(4.4)
    assert values[("GM0193", "afstand_treinstation_km")] == pytest.approx(2.9)
    assert values[("GM0642", "afstand_huisarts_km")] == pytest.approx(0.7)
    assert values[("GM0642", "afstand_ziekenhuis_km")] == pytest.approx(2.8)
    assert values[("GM0642", "afstand_treinstation_km")] == pytest.approx(2.0)
    # 85830ENG has no library distance: that one stays missing, not invented
    assert ("GM0193", "afstand_bibliotheek_km") not in values
    fills = con.execute("select distinct region_code, year, from_table from value_fill "
                        "where table_id = '80305ned'").fetchall()
    assert sorted(fills) == [("GM0193", 2023, "85830ENG"), ("GM0642", 2023, "85830ENG")]


def test_regio_zwolle_and_drechtsteden_have_a_2023_accessibility_score(con):
    rows = dict(con.execute(
        "select region_code, score from factor_score where factor_id = 'bereikbaarheid' and "
        "year = 2023 and region_code in ('PR_regio_zwolle', 'PR_drechtsteden')").fetchall())
    assert set(rows) == {"PR_regio_zwolle", "PR_drechtsteden"}
    assert all(0 <= s <= 10 for s in rows.values())
    # and their GP distance for 2023 covers every member
    cov = con.execute("select min(coverage) from indicator_value where indicator_id = "
                      "'afstand_huisarts_km' and year = 2023 and region_code in "
                      "('PR_regio_zwolle', 'PR_drechtsteden')").fetchone()[0]
    assert cov == pytest.approx(1.0)


# --- 2. woon-werkafstand -------------------------------------------------------------------

# Half a unit of CBS's precision on every gemeente mean (0.05 km), plus what the weight cannot
# carry: the published jobs (the weight) include jobs without a known home address in the
# Netherlands, for which CBS cannot measure a distance (Flevoland, with many such jobs, is the
# worst: 0.10 km in 2022).
WOON_WERK_TOLERANCE = 0.11


def test_woon_werkafstand_reproduces_cbs_provincie_and_nederland_rows(con, snapshot_dir):
    rows = json.loads((snapshot_dir / "cbs" / "85481NED" / "TypedDataSet.json").read_text())
    published = {(r["WerkregioS"].strip(), int(r["Perioden"][:4])): r["WoonWerkafstand_2"]
                 for r in rows if r["WerkregioS"].strip()[:2] in ("PV", "NL")
                 and r["WoonWerkafstand_2"] is not None}
    assert len(published) == 13 * 3  # 12 provincies and Nederland, 2021-2023
    ours = {(r, y): v for r, y, v in con.execute(
        "select region_code, year, aggregate_value from indicator_value where indicator_id = "
        "'woon_werkafstand_km'").fetchall()}
    for key, cbs in published.items():
        assert ours[key] == pytest.approx(cbs, abs=WOON_WERK_TOLERANCE), key
    # literal: Nederland 19.9 km in 2021 and 2023, 19.8 km in 2022 (CBS 85481NED)
    assert [published[("NL01", y)] for y in (2021, 2022, 2023)] == [19.9, 19.8, 19.9]


def test_woon_werkafstand_is_in_accessibility_unscored_with_trends(con):
    ind = con.execute("select factor_id, direction, aggregation from indicator where "
                      "indicator_id = 'woon_werkafstand_km'").fetchone()
    assert ind == ("bereikbaarheid", "neutral", "weighted_mean")
    years = [y for (y,) in con.execute(
        "select year from indicator_value where indicator_id = 'woon_werkafstand_km' and "
        "region_code = 'PR_twente' and value is not null order by year").fetchall()]
    assert years == [2021, 2022, 2023]
    assert not con.execute("select count(*) from factor_weight where indicator_id = "
                           "'woon_werkafstand_km'").fetchone()[0]


# --- 3. wijken ------------------------------------------------------------------------------

def test_wijk_codes_2023_2024_as_the_reference_says(con):
    counts = dict(con.execute("select status, count(*) from wijk group by 1").fetchall())
    # 3,393 wijken of 2024; 26 renamed codes and 7 vanished ones (reference file); 47 wijken
    # of 2024 whose code did not exist in 2023
    assert counts == {"same": 3320, "renamed": 26, "new_2024": 47, "absent_2024": 7}
    row = con.execute("select gemeente_code, name_2023, name_2024, status from wijk where "
                      "wijk_code = 'WK082404'").fetchone()
    assert row == ("GM0824", "Buitengebied (Zuid)", "buitengebied Oisterwijk Zuid", "renamed")
    assert con.execute("select count(*) from wijk_geometry").fetchone()[0] == 3393


def test_wijk_values_are_cbs_figures(con):
    """85984NED: WK082404 1,145 inhabitants, 157 dwellings; Amsterdam (GM0363) 931,298
    inhabitants. 85830ENG: WK082404 GP 3.8 km, hospital 9.5 km."""
    def value(table, code, measure):
        return con.execute("select value from wijk_value where table_id = ? and region_code = ? "
                           "and measure = ?", [table, code, measure]).fetchone()[0]
    assert value("85984NED", "WK082404", "AantalInwoners_5") == 1145
    assert value("85984NED", "WK082404", "Woningvoorraad_35") == 157
    assert value("85984NED", "GM0363", "AantalInwoners_5") == 931298
    assert value("85830ENG", "WK082404", "DistanceToGPPractice_5") == pytest.approx(3.8)
    assert value("85830ENG", "WK082404", "DistanceToHospital_11") == pytest.approx(9.5)
    n = dict(con.execute("select region_type, count(distinct region_code) from wijk_value "
                         "where table_id = '85830ENG' group by 1").fetchall())
    assert n == {"GM": 342, "WK": 3352, "BU": 14421}
