"""Vergelijkbare regio's: the method on hand-made frames, and on the warehouse for stored and
composed regions. The hand-made values below are invented, not CBS figures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from monitor import peers, queries, regions

# Invented context values of five made-up regions (not CBS figures).
WIDE = pd.DataFrame({"size": [1000.0, 10000.0, 100000.0, 1100.0, 9000.0],
                     "share": [10.0, 20.0, 30.0, 12.0, 19.0]},
                    index=pd.Index(["A", "B", "C", "D", "E"], name="region_code"))


def z_of(wide: pd.DataFrame) -> pd.DataFrame:
    values = peers.transform(wide, {"size": "log", "share": "linear"})
    centre, spread = peers.robust_scale(values)
    return peers.standardise(values, centre, spread)


def test_robust_scale_is_median_and_scaled_mad():
    values = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 100.0]})
    centre, spread = peers.robust_scale(values)
    assert centre["x"] == 3.0
    assert spread["x"] == pytest.approx(1.4826 * 1.0)  # |deviations| 2,1,0,1,97 -> median 1


def test_log_transform_and_no_spread_drops_the_column():
    values = peers.transform(pd.DataFrame({"size": [10.0, 0.0, 100.0], "flat": [5.0] * 3}),
                             {"size": "log", "flat": "linear"})
    assert values["size"].tolist()[0] == pytest.approx(math.log(10))
    assert np.isnan(values["size"].iloc[1])  # no logarithm of 0: missing, not -inf
    assert np.isnan(peers.robust_scale(values)[1]["flat"])


def test_region_is_its_own_nearest_neighbour_at_distance_zero():
    z = z_of(WIDE)
    table = peers.nearest(z.loc["A"], z, k=3)
    assert table["region_code"].tolist()[:2] == ["A", "D"]
    assert table["distance"].iloc[0] == 0


def test_excluded_region_is_not_a_peer():
    z = z_of(WIDE)
    table = peers.nearest(z.loc["A"], z, k=2, exclude={"A"})
    assert table["region_code"].tolist() == ["D", "E"]


def test_distance_is_root_mean_square_of_z_differences():
    target = pd.Series({"a": 0.0, "b": 0.0})
    cands = pd.DataFrame({"a": [3.0, 1.0], "b": [4.0, np.nan]}, index=["X", "Y"])
    table = peers.distances(target, cands)
    got = dict(zip(table["region_code"], table["distance"], strict=True))
    assert got["X"] == pytest.approx(math.sqrt((9 + 16) / 2))
    assert got["Y"] == pytest.approx(1.0)  # over the one indicator it has (half of two)
    sparse = peers.distances(pd.Series({"a": 0.0, "b": 0.0, "c": 0.0}),
                             pd.DataFrame({"a": [1.0], "b": [np.nan], "c": [np.nan]},
                                          index=["Z"]))
    assert sparse["distance"].isna().all()  # one of three: fewer than half, not compared


def test_result_is_stable_under_reordering_of_inputs():
    z = z_of(WIDE)
    shuffled = z_of(WIDE.sample(frac=1, random_state=3)[["share", "size"]])
    a = peers.nearest(z.loc["B"], z, k=4, exclude={"B"})
    b = peers.nearest(shuffled.loc["B"], shuffled, k=4, exclude={"B"})
    pd.testing.assert_frame_equal(a, b)


def test_ties_are_broken_by_region_code():
    z = pd.DataFrame({"x": [1.0, -1.0, 1.0]}, index=["Q", "P", "R"])
    table = peers.nearest(pd.Series({"x": 0.0}), z, k=3)
    assert table["region_code"].tolist() == ["P", "Q", "R"]


def test_explanation_orders_similar_first_and_gives_the_side():
    z = z_of(WIDE)
    frame = peers.explain(WIDE.loc["A"], z.loc["A"], WIDE.loc[["D", "E"]], z.loc[["D", "E"]])
    assert set(frame["indicator_id"]) == {"size", "share"}
    assert frame["mean_abs_z"].is_monotonic_increasing
    row = frame.set_index("indicator_id").loc["share"]
    assert row["peer_median"] == pytest.approx(15.5) and row["sign"] == -1


# --- on the warehouse --------------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.parametrize("code, comparison", [("PV29", "provincie"), ("GM0363", "gemeente"),
                                              ("CR17", "corop"), ("AM12", None)])
def test_stored_region_is_its_own_nearest_when_included(lib, code, comparison):
    result = peers.find_peers(regions.stored(code), comparison, k=3, include_self=True)
    assert result.table["region_code"].iloc[0] == code
    assert result.table["distance"].iloc[0] == 0
    excluded = peers.find_peers(regions.stored(code), comparison, k=3)
    assert code not in set(excluded.table["region_code"])
    assert len(excluded.table) == 3 and excluded.table["distance"].is_monotonic_increasing


@pytest.mark.integration
@pytest.mark.parametrize("code, comparison", [("PV29", "provincie"), ("PR_zeeland", "gemeente"),
                                              ("CR17", "proeftuin")])
def test_composed_region_equal_to_stored_gets_the_same_peers(lib, code, comparison):
    """The same peers in the same order. A stored provincie shows CBS's own published figure,
    the composed copy the sum of its gemeenten (equal within CBS's rounding), so distances
    agree to within that rounding, not to the last digit."""
    stored = peers.find_peers(regions.stored(code), comparison, k=5)
    composed = peers.find_peers(regions.composed("", queries.members(code)), comparison, k=5)
    assert stored.table["region_code"].tolist() == composed.table["region_code"].tolist()
    assert (stored.table["distance"] - composed.table["distance"]).abs().max() < 0.05
    assert stored.explanation["indicator_id"].tolist()[-1:] == \
        composed.explanation["indicator_id"].tolist()[-1:]


@pytest.mark.integration
def test_pilot_region_is_not_compared_with_its_own_variants(lib):
    result = peers.find_peers(regions.stored("PR_zeeland"), "proeftuin", k=10)
    pilots = queries.regions("proeftuin").set_index("region_code")["pilot_id"]
    assert "zeeland" not in {pilots[c] for c in result.table["region_code"]}
    assert len(result.table) == 9  # the other nine default pilot regions


@pytest.mark.integration
def test_explanation_text_uses_the_numbers_of_the_table(lib):
    result = peers.find_peers(regions.stored("PV29"), "provincie", k=3)
    text = peers.explanation_text(result, "Zeeland", "nl")
    assert text.startswith("Ze lijken het meest op Zeeland in: ")
    worst = result.explanation.iloc[-1]
    meta = queries.indicators().set_index("indicator_id").loc[worst["indicator_id"]]
    assert meta["title_nl"] in text.split("verschilt het meest")[1]
    value = f"{worst['value']:.{int(meta['decimals'])}f}".replace(".", ",")
    assert value in text
    assert "They are most like Zeeland in: " in peers.explanation_text(result, "Zeeland", "en")


@pytest.mark.integration
def test_export_frame_holds_the_numbers_behind_the_distance(lib, con):
    region = regions.stored("PV29")
    found = peers.find_peers(region, "provincie", k=3)
    frame = peers.export_frame(found, region, "nl")
    assert frame["region_code"].tolist() == ["PV29", *found.table["region_code"]]
    assert frame["distance"].iloc[0] == 0
    assert frame["distance"].iloc[1:].tolist() == pytest.approx(
        found.table["distance"].tolist(), abs=1e-4)
    column = next(c for c in frame.columns if c.startswith("Inwoners ("))
    cbs = dict(con.execute("select region_code, value from stg_cbs_value where table_id = "
                           "'85644NED' and measure = 'Bevolking_1' and year = 2024 and "
                           "region_type = 'PV'").fetchall())
    for code, value in zip(frame["region_code"], frame[column], strict=True):
        assert value == cbs[code]  # CBS's own population of each province
