"""Tests of etl.mergers: hand-made merger cases, the project's merger list, real CBS population."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from etl import mergers
from etl.config import N_GEMEENTEN
from etl.mergers import MergerError, build_successor_map, convert_to_current
from etl.stage import strip_region_key

# --- hand-made fixtures (invented codes GM90xx, NOT CBS data) ---------------------------------


def make_mergers(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """Build a merger list from (date, old_code, new_code, kind) tuples (hand-made)."""
    frame = pd.DataFrame(rows, columns=["effective_date", "old_code", "new_code", "kind"])
    return frame.assign(
        effective_date=pd.to_datetime(frame["effective_date"]),
        old_name=frame["old_code"],
        new_name=frame["new_code"],
        note="",
    )[mergers.MERGER_COLUMNS]


# Hand-made: GM9001+GM9002 -> new GM9003 (2019); GM9004 -> existing GM9005 (2020);
# GM9006 split over existing GM9007 (0.6) and GM9008 (0.4) (2021); chain GM9009 -> GM9010
# (2016) -> GM9005 (2019).
TOY_MERGERS = make_mergers(
    [
        ("2019-01-01", "GM9001", "GM9003", "merger"),
        ("2019-01-01", "GM9002", "GM9003", "merger"),
        ("2020-01-01", "GM9004", "GM9005", "merger"),
        ("2021-01-01", "GM9006", "GM9007", "split"),
        ("2021-01-01", "GM9006", "GM9008", "split"),
        ("2016-01-01", "GM9009", "GM9010", "merger"),
        ("2019-01-01", "GM9010", "GM9005", "merger"),
    ]
)
TOY_SHARES = pd.DataFrame(
    {"old_code": ["GM9006", "GM9006"], "new_code": ["GM9007", "GM9008"], "share": [0.6, 0.4]}
)
TOY_CURRENT = ["GM9003", "GM9005", "GM9007", "GM9008"]


@pytest.fixture()
def toy_map() -> pd.DataFrame:
    return build_successor_map(TOY_MERGERS, TOY_CURRENT, TOY_SHARES)


def toy_frame(rows: list[tuple[str, int, float, float]]) -> pd.DataFrame:
    """Hand-made values: gemeente_code, year, persons, jobs."""
    return pd.DataFrame(rows, columns=["gemeente_code", "year", "persons", "jobs"])


def convert(frame: pd.DataFrame, successor_map: pd.DataFrame):
    return convert_to_current(frame, ["persons", "jobs"], successor_map)


def row_of(converted: pd.DataFrame, code: str, year: int) -> pd.Series:
    hit = converted[(converted["gemeente_code"] == code) & (converted["year"] == year)]
    assert len(hit) == 1, f"expected one row for {code} {year}, got {len(hit)}"
    return hit.iloc[0]


def test_two_gemeenten_merge_into_a_new_code(toy_map):
    frame = toy_frame(
        [("GM9001", 2018, 100, 10), ("GM9002", 2018, 50, 5), ("GM9003", 2019, 160, 16)]
    )
    converted, unconverted = convert(frame, toy_map)
    before = row_of(converted, "GM9003", 2018)
    assert (before["persons"], before["jobs"], before["n_sources"]) == (150, 15, 2)
    assert before["is_converted"]
    after = row_of(converted, "GM9003", 2019)
    assert (after["persons"], after["n_sources"], after["is_converted"]) == (160, 1, False)
    assert unconverted.empty


def test_merger_into_an_existing_code_counts_both_rows(toy_map):
    frame = toy_frame([("GM9004", 2019, 30, 3), ("GM9005", 2019, 70, 7), ("GM9005", 2020, 101, 10)])
    converted, _ = convert(frame, toy_map)
    assert row_of(converted, "GM9005", 2019)["persons"] == 100
    assert row_of(converted, "GM9005", 2019)["is_converted"]
    assert not row_of(converted, "GM9005", 2020)["is_converted"]


def test_split_shares_out_values(toy_map):
    frame = toy_frame(
        [("GM9006", 2020, 100, 50), ("GM9007", 2020, 1000, 0), ("GM9008", 2020, 0, 0)]
    )
    converted, _ = convert(frame, toy_map)
    assert row_of(converted, "GM9007", 2020)["persons"] == pytest.approx(1060)
    assert row_of(converted, "GM9008", 2020)["persons"] == pytest.approx(40)
    assert row_of(converted, "GM9008", 2020)["jobs"] == pytest.approx(20)
    assert row_of(converted, "GM9008", 2020)["is_converted"]


def test_chain_is_followed_to_the_current_code(toy_map):
    chain = toy_map[toy_map["old_code"] == "GM9009"]
    assert chain[["code_2024", "share"]].values.tolist() == [["GM9005", 1.0]]
    frame = toy_frame([("GM9009", 2015, 7, 1), ("GM9004", 2015, 3, 1), ("GM9005", 2015, 90, 8)])
    converted, _ = convert(frame, toy_map)
    assert row_of(converted, "GM9005", 2015)["persons"] == 100
    assert row_of(converted, "GM9005", 2015)["n_sources"] == 3


def test_chain_through_a_split_multiplies_shares():
    # Hand-made: GM9011 -> GM9012 (2016), GM9012 split 0.25/0.75 (2019).
    toy = make_mergers(
        [
            ("2016-01-01", "GM9011", "GM9012", "merger"),
            ("2019-01-01", "GM9012", "GM9013", "split"),
            ("2019-01-01", "GM9012", "GM9014", "split"),
        ]
    )
    shares = pd.DataFrame(
        {"old_code": ["GM9012"] * 2, "new_code": ["GM9013", "GM9014"], "share": [0.25, 0.75]}
    )
    mapped = build_successor_map(toy, ["GM9013", "GM9014"], shares)
    got = mapped[mapped["old_code"] == "GM9011"].set_index("code_2024")["share"].to_dict()
    assert got == {"GM9013": 0.25, "GM9014": 0.75}


def test_null_in_one_predecessor_makes_the_successor_null(toy_map):
    frame = toy_frame([("GM9001", 2018, np.nan, 10), ("GM9002", 2018, 50, 5)])
    converted, _ = convert(frame, toy_map)
    merged = row_of(converted, "GM9003", 2018)
    assert pd.isna(merged["persons"])  # a partial sum (50) would be wrong
    assert merged["jobs"] == 15  # the other column is complete


def test_unknown_code_goes_to_unconverted_unchanged(toy_map):
    frame = toy_frame([("GM9999", 2018, 5, 1), ("GM9003", 2019, 160, 16)])
    frame["note"] = ["kept", "also"]
    converted, unconverted = convert(frame, toy_map)
    assert unconverted.to_dict("records") == [
        {"gemeente_code": "GM9999", "year": 2018, "persons": 5, "jobs": 1, "note": "kept"}
    ]
    assert "GM9999" not in set(converted["gemeente_code"])
    assert "note" not in converted.columns


def test_totals_are_conserved_except_unconverted(toy_map):
    rng = np.random.default_rng(7)
    codes = [
        "GM9001",
        "GM9002",
        "GM9003",
        "GM9004",
        "GM9005",
        "GM9006",
        "GM9007",
        "GM9008",
        "GM9009",
        "GM9010",
        "GM9998",
    ]
    rows = [(c, y, *rng.integers(0, 10_000, 2)) for c in codes for y in (2015, 2018)]
    frame = toy_frame(rows)
    converted, unconverted = convert(frame, toy_map)
    for col in ("persons", "jobs"):
        assert converted[col].sum() == pytest.approx(frame[col].sum() - unconverted[col].sum())
    assert set(unconverted["gemeente_code"]) == {"GM9998"}
    assert set(converted["gemeente_code"]) <= set(TOY_CURRENT)


def test_padded_codes_are_matched(toy_map):
    converted, unconverted = convert(toy_frame([("GM9001  ", 2018, 1, 1)]), toy_map)
    assert unconverted.empty and row_of(converted, "GM9003", 2018)["persons"] == 1


def test_repeated_keys_are_refused(toy_map):
    frame = toy_frame([("GM9003", 2019, 1, 1), ("GM9003", 2019, 2, 2)])
    with pytest.raises(MergerError):
        convert(frame, toy_map)


def test_chain_ending_in_a_code_that_is_not_current_raises():
    with pytest.raises(MergerError, match="not current"):
        build_successor_map(TOY_MERGERS, ["GM9003", "GM9007", "GM9008"], TOY_SHARES)


def test_shares_not_summing_to_one_raise():
    bad = TOY_SHARES.assign(share=[0.6, 0.5])
    with pytest.raises(MergerError, match="summing to 1"):
        build_successor_map(TOY_MERGERS, TOY_CURRENT, bad)


def test_without_shares_splits_are_equal(toy_map):
    mapped = build_successor_map(TOY_MERGERS, TOY_CURRENT)
    assert mapped.loc[mapped["old_code"] == "GM9006", "share"].tolist() == [0.5, 0.5]


def test_derive_split_shares_from_hand_made_population():
    # Hand-made: GM9006 (1,000 people) splits in 2021; existing GM9007 grows from 5,000 to 5,600
    # (+600), existing GM9008 from 2,000 to 2,400 (+400); no natural growth (factor 1).
    pop = pd.DataFrame(
        {
            "gemeente_code": ["GM9006", "GM9007", "GM9007", "GM9008", "GM9008"],
            "year": [2020, 2020, 2021, 2020, 2021],
            "population": [1000, 5000, 5600, 2000, 2400],
        }
    )
    split = TOY_MERGERS[TOY_MERGERS["old_code"] == "GM9006"]
    shares = mergers.derive_split_shares(split, pop).set_index("new_code")["share"]
    assert shares.to_dict() == pytest.approx({"GM9007": 0.6, "GM9008": 0.4})


def test_derive_split_shares_subtracts_whole_predecessors_of_a_new_gemeente():
    # Hand-made: GM9020 splits 2019 into new GM9022 (with whole GM9021) and existing GM9023.
    toy = make_mergers(
        [
            ("2019-01-01", "GM9020", "GM9022", "split"),
            ("2019-01-01", "GM9020", "GM9023", "split"),
            ("2019-01-01", "GM9021", "GM9022", "merger"),
        ]
    )
    pop = pd.DataFrame(
        {
            "gemeente_code": ["GM9020", "GM9021", "GM9022", "GM9023", "GM9023"],
            "year": [2018, 2018, 2019, 2018, 2019],
            "population": [100, 500, 570, 1000, 1030],
        }
    )
    shares = mergers.derive_split_shares(toy, pop, adjust_growth=False)
    assert shares.set_index("new_code")["share"].to_dict() == pytest.approx(
        {"GM9022": 0.7, "GM9023": 0.3}
    )


def test_derive_split_shares_falls_back_to_equal_when_years_are_missing():
    pop = pd.DataFrame({"gemeente_code": ["GM9007"], "year": [2021], "population": [5600]})
    split = TOY_MERGERS[TOY_MERGERS["old_code"] == "GM9006"]
    shares = mergers.derive_split_shares(split, pop)
    assert shares["share"].tolist() == [0.5, 0.5]
    assert shares["method"].str.startswith("equal shares").all()


def test_convert_conserves_totals_on_100k_rows(toy_map):
    codes = np.array(TOY_CURRENT + ["GM9001", "GM9002", "GM9004", "GM9006", "GM9009", "GM9010"])
    years = np.arange(2000, 2000 + 100_000 // len(codes) + 1)
    grid = pd.MultiIndex.from_product([codes, years], names=["gemeente_code", "year"])
    frame = pd.DataFrame(index=grid).reset_index().assign(persons=1.0, jobs=2.0)
    converted, _ = convert(frame, toy_map)
    assert len(frame) >= 100_000 and converted["persons"].sum() == pytest.approx(len(frame))
    assert converted["jobs"].sum() == pytest.approx(2 * len(frame))


# --- the project's merger list ----------------------------------------------------------------


def test_merger_list_reads_and_marks_weesp_and_splits():
    merger_list = mergers.read_mergers()
    weesp = merger_list[merger_list["old_code"] == "GM0457"].iloc[0]
    assert weesp["effective_date"] == pd.Timestamp("2022-03-24")
    splits = merger_list.loc[merger_list["kind"] == "split"].groupby("old_code").size()
    assert splits.to_dict() == {"GM0053": 2, "GM0140": 3, "GM0788": 4}
    renames = merger_list.loc[merger_list["kind"] == "rename", ["old_code", "new_code"]]
    assert renames.values.tolist() == [["GM0241", "GM1945"], ["GM1921", "GM1940"]]


def test_merger_list_holds_every_shared_reference_row(snapshot_dir):
    shared = snapshot_dir / "reference" / "herindelingen.csv"
    if not shared.is_file():
        pytest.skip(f"shared reference list not found at {shared}")
    with shared.open(encoding="utf-8") as fh:
        expected = {(int(r["year"]), r["old_code"], r["new_code"]) for r in csv.DictReader(fh)}
    merger_list = mergers.read_mergers()
    ours = set(
        zip(
            merger_list["effective_date"].dt.year,
            merger_list["old_code"],
            merger_list["new_code"],
            strict=True,
        )
    )
    assert ours == expected


# --- real CBS data (offline snapshot) --------------------------------------------------------


@pytest.fixture(scope="module")
def regions_2024(bundle_table) -> pd.DataFrame:
    """85755NED: the 342 gemeenten of 2024 with their provincie code (Code_28)."""
    rows = bundle_table("85755NED").data
    return pd.DataFrame(
        {
            "gemeente_code": rows["Code_1"].map(strip_region_key),
            "province_code": rows["Code_28"].map(strip_region_key),
        }
    )


@pytest.fixture(scope="module")
def population(bundle_table) -> pd.DataFrame:
    """85644NED population on 1 January, all regions, on each year's own boundaries."""
    rows = bundle_table("85644NED").data
    totals = (rows["Geslacht"] == "Totaal mannen en vrouwen") & (rows["Leeftijd"] == "Totaal")
    rows = rows[
        totals & (rows["Nationaliteit"] == "Totaal") & rows["Perioden"].str.endswith("JJ00")
    ]
    return pd.DataFrame(
        {
            "gemeente_code": rows["RegioS"].map(strip_region_key),
            "year": rows["Perioden"].str[:4].astype(int),
            "population": rows["Bevolking_1"],
        }
    )


@pytest.fixture(scope="module")
def gemeente_population(population) -> pd.DataFrame:
    # CBS lists every historic code in every year, NULL where the gemeente did not exist then.
    gm = population[population["gemeente_code"].str.startswith("GM")]
    return gm.dropna(subset=["population"])


@pytest.fixture(scope="module")
def real_shares(gemeente_population) -> pd.DataFrame:
    return mergers.derive_split_shares(mergers.read_mergers(), gemeente_population)


@pytest.fixture(scope="module")
def real_map(regions_2024, real_shares) -> pd.DataFrame:
    return build_successor_map(mergers.read_mergers(), regions_2024["gemeente_code"], real_shares)


@pytest.fixture(scope="module")
def converted_population(gemeente_population, real_map):
    return convert_to_current(gemeente_population, ["population"], real_map)


def test_every_listed_code_maps_to_a_current_gemeente(regions_2024, real_map):
    current = set(regions_2024["gemeente_code"])
    assert len(current) == N_GEMEENTEN
    merger_list = mergers.read_mergers()
    assert set(merger_list["old_code"]) <= set(real_map["old_code"])
    assert set(real_map["code_2024"]) == current
    assert real_map.groupby("old_code")["share"].sum().sub(1).abs().max() < 1e-9


def test_derived_split_shares_are_plausible(real_shares):
    assert not real_shares["method"].str.startswith("equal").any()
    assert real_shares.groupby("old_code")["share"].sum().sub(1).abs().max() < 1e-9
    share = real_shares.set_index(["old_code", "new_code"])["share"]
    assert share["GM0053", "GM1966"] > 0.6  # Winsum: all but the Ezinge area to Het Hogeland
    littenseradiel = share["GM0140"]
    assert littenseradiel.between(0.1, 0.6).all(), littenseradiel.to_dict()
    haaren = share["GM0788"]
    # Biezenmortel (to Tilburg) held about 10% of Haaren (herindelingsadvies 2019).
    assert 0.05 < haaren["GM0855"] < 0.13, haaren.to_dict()
    assert haaren.idxmax() == "GM0824"  # village Haaren, to Oisterwijk, is the largest part


@pytest.mark.parametrize("year", range(2014, 2025))
def test_converted_population_adds_up_to_the_national_total(year, population, converted_population):
    converted, unconverted = converted_population
    national = population.set_index(["gemeente_code", "year"]).loc[("NL01", year), "population"]
    in_year = converted[converted["year"] == year]
    lost = unconverted.loc[unconverted["year"] == year, "population"].sum()
    assert in_year["population"].notna().all()
    # Exact up to float rounding of the split shares.
    assert in_year["population"].sum() == pytest.approx(national - lost, abs=1e-6)
    if year >= 2016:  # the merger list starts in 2016: from then on nothing is lost
        assert len(in_year) == N_GEMEENTEN and lost == 0


def test_codes_left_unconverted_disappeared_before_2016(snapshot_dir, converted_population):
    _, unconverted = converted_population
    historic = snapshot_dir / "reference" / "gemeenten_historisch.psv"
    if not historic.is_file():
        pytest.skip(f"list of historic gemeenten not found at {historic}")
    # Some codes appear twice (name variants such as 'Hengelo' / 'Hengelo (O.)'): take the latest.
    last_year = pd.read_csv(historic, sep="|").groupby("code")["last_year"].max()
    assert not unconverted.empty  # 2014 holds gemeenten merged on 2015-01-01
    assert last_year.reindex(unconverted["gemeente_code"]).lt(2016).all()


@pytest.mark.parametrize("year", range(2019, 2025))
def test_provinces_on_2024_boundaries_match_cbs(
    year, population, regions_2024, converted_population
):
    # Vijfheerenlanden moved from Zuid-Holland to Utrecht in 2019: from then on CBS's own
    # province rows are on 2024 boundaries. Required within 0.5%; in this snapshot it is exact.
    converted, _ = converted_population
    in_year = converted[converted["year"] == year].merge(regions_2024, on="gemeente_code")
    ours = in_year["population"].groupby(in_year["province_code"]).sum()
    pv = population[population["gemeente_code"].str.startswith("PV") & (population["year"] == year)]
    cbs = pv.set_index("gemeente_code")["population"]
    assert len(ours) == 12 and set(ours.index) == set(cbs.index)
    deviation = (ours / cbs.reindex(ours.index) - 1).abs()
    assert (deviation < 0.005).all(), deviation[deviation >= 0.005].to_dict()
