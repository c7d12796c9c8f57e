"""Aggregation rules on tiny hand-made inputs (test fixtures, not CBS data): ratio, sum,
weighted mean, none; missing values; coverage; and the 0-10 scores."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from etl.indicators import score_tables
from etl.rules import create_macros

# Region R holds gemeenten A (pop 100), B (pop 300) and C (pop 600).
REGIONS = pd.DataFrame({
    "region_code": ["A", "B", "C", "R"], "region_level": ["gemeente"] * 3 + ["provincie"],
    "population": [100, 300, 600, 1000], "is_default_variant": True,
})
MEMBERS = pd.DataFrame({"region_code": ["A", "B", "C", "R", "R", "R"],
                        "gemeente_code": ["A", "B", "C", "A", "B", "C"]})
INDICATORS = pd.DataFrame({
    "indicator_id": ["rate", "count", "wmean", "median"],
    "aggregation": ["ratio", "sum", "weighted_mean", "none"],
    "scale": [100.0, 1.0, 1.0, 1.0], "factor_id": "f", "data_gap": None,
    "direction": ["higher_is_better", "neutral", "lower_is_better", "neutral"],
    "weight": 1.0,
})


def scored_gemeenten(values: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse of 21 gemeenten G0..G20 with `values`, scored by score_tables."""
    regions = pd.DataFrame({"region_code": [f"G{i}" for i in range(21)],
                            "region_level": "gemeente"})
    con = duckdb.connect()
    for name, frame in [("indicator_value", values), ("region", regions),
                        ("indicator", INDICATORS),
                        ("factor", pd.DataFrame({"factor_id": ["f"], "scored": [True]}))]:
        con.register(f"_{name}", frame)
        con.execute(f"create table {name} as select * from _{name}")
    score_tables(con)
    return con


def gm_rows(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["indicator_id", "gemeente_code", "year", "value",
                                        "numerator", "denominator"])
    return frame.assign(is_converted=False, is_estimated=False)


def warehouse(gm: pd.DataFrame, regions=REGIONS, members=MEMBERS) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse of the tiny inputs, with the rule macros stored in it."""
    con = duckdb.connect()
    for name, frame in [("region", regions), ("region_membership", members),
                        ("indicator", INDICATORS), ("gm_value", gm)]:
        con.register(f"_{name}", frame)
        con.execute(f"create table {name} as select * from _{name}")
    create_macros(con)
    return con


def aggregate(gm: pd.DataFrame) -> pd.DataFrame:
    out = warehouse(gm).execute("select * from aggregate_members(all_members())").df()
    return out.set_index("indicator_id")


def composed(con, gemeenten) -> pd.DataFrame:
    return con.execute("select * from aggregate_members(composed_members(?, 'X'))",
                       [gemeenten]).df()


def test_ratio_is_sum_over_sum_not_mean_of_rates():
    gm = gm_rows([("rate", "A", 2024, 50.0, 1, 2), ("rate", "B", 2024, 10.0, 1, 10),
                  ("rate", "C", 2024, 10.0, 8, 80)])
    row = aggregate(gm).loc["rate"]
    assert row["value"] == pytest.approx(10 / 92 * 100)  # not (50 + 10 + 10) / 3
    assert row["coverage"] == 1 and row["status"] == "ok" and not row["is_estimated"]


def test_sum_adds_numerators():
    gm = gm_rows([("count", g, 2024, v, v, None) for g, v in [("A", 5.0), ("B", 7.0),
                                                                ("C", 9.0)]])
    assert aggregate(gm).loc["count", "value"] == 21


def test_weighted_mean_uses_the_published_weights():
    # published rates 2.0, 3.0, 4.0 with labour forces 1, 1, 2: (2 + 3 + 8) / 4
    gm = gm_rows([("wmean", "A", 2024, 2.0, 2.0, 1.0), ("wmean", "B", 2024, 3.0, 3.0, 1.0),
                  ("wmean", "C", 2024, 4.0, 8.0, 2.0)])
    assert aggregate(gm).loc["wmean", "value"] == pytest.approx(13 / 4)


def test_missing_gemeente_lowers_coverage_and_value_needs_95_percent():
    gm = gm_rows([("count", "B", 2024, 7.0, 7.0, None), ("count", "C", 2024, 9.0, 9.0, None),
                  ("count", "A", 2024, None, None, None)])
    row = aggregate(gm).loc["count"]
    assert row["coverage"] == pytest.approx(0.9)
    assert pd.isna(row["value"]) and row["status"] == "low_coverage"


def test_a_sum_needs_every_member_a_ratio_95_percent():
    """D (4% of the people) has no figure: a total over A, B and C is not the region's total
    (no value, status incomplete_sum); a ratio over 96% of the people stands. Neither is
    'estimated': that flag is kept for population-share estimates."""
    regions = pd.concat([REGIONS, pd.DataFrame({"region_code": ["D"], "region_level":
                         ["gemeente"], "population": [40], "is_default_variant": True})])
    members = pd.concat([MEMBERS, pd.DataFrame({"region_code": ["D", "R"],
                                                "gemeente_code": ["D", "D"]})])
    gm = gm_rows([("count", g, 2024, 1.0, 1.0, None) for g in "ABC"]
                 + [("rate", g, 2024, 50.0, 1.0, 2.0) for g in "ABC"])
    con = warehouse(gm, regions, members)
    out = con.execute("select * from aggregate_members(all_members())").df()
    count, rate = (out.set_index("indicator_id").loc[i] for i in ("count", "rate"))
    assert count["coverage"] == pytest.approx(1000 / 1040)
    assert pd.isna(count["value"]) and count["status"] == "incomplete_sum"
    assert rate["value"] == pytest.approx(50) and rate["status"] == "ok"
    assert not count["is_estimated"] and not rate["is_estimated"]
    full = gm_rows([("count", g, 2024, 1.0, 1.0, None) for g in "ABCD"])
    row = warehouse(full, regions, members).execute(
        "select value, status from aggregate_members(all_members())").fetchone()
    assert row == (4.0, "ok")


def test_weighted_mean_without_weight_counts_as_missing():
    gm = gm_rows([("wmean", "A", 2024, 2.0, None, None), ("wmean", "B", 2024, 3.0, 3.0, 1.0),
                  ("wmean", "C", 2024, 4.0, 8.0, 2.0)])
    row = aggregate(gm).loc["wmean"]
    assert row["coverage"] == pytest.approx(0.9) and pd.isna(row["value"])


def test_no_weights_at_all_says_low_coverage_not_ok():
    gm = gm_rows([("wmean", g, 2006, 2.0, None, None) for g in "ABC"])
    row = aggregate(gm).loc["wmean"]
    assert row["coverage"] == 0 and row["status"] == "low_coverage" and pd.isna(row["value"])


def test_medians_are_never_aggregated():
    gm = gm_rows([("median", g, 2024, 30.0, 30.0, None) for g in "ABC"])
    assert "median" not in aggregate(gm).index


def test_custom_region_sql_matches_the_etl_rule():
    gm = gm_rows([("rate", "A", 2024, 50.0, 1, 2), ("rate", "B", 2024, 10.0, 1, 10),
                  ("rate", "C", 2024, 10.0, 8, 80)])
    out = composed(warehouse(gm), ["A", "B", "C"])
    assert out.iloc[0]["value"] == pytest.approx(aggregate(gm).loc["rate", "value"])


def test_scores_clip_at_p5_p95_and_turn_round_for_lower_is_better():
    values = pd.DataFrame({
        "indicator_id": ["wmean"] * 21 + ["rate"] * 21, "year": 2024,
        "region_code": [f"G{i}" for i in range(21)] * 2,
        "value": [float(i) for i in range(21)] * 2,
    })
    con = scored_gemeenten(values)
    scores = con.execute("select indicator_id, region_code, score from indicator_score").df()
    rate = scores[scores.indicator_id == "rate"].set_index("region_code")["score"]
    wmean = scores[scores.indicator_id == "wmean"].set_index("region_code")["score"]
    assert rate["G0"] == 0 and rate["G20"] == 10 and rate["G1"] == 0  # clipped below p5 (1.0)
    assert rate["G10"] == pytest.approx(5)
    assert wmean["G0"] == 10 and wmean["G20"] == 0  # lower is better
    factor = con.execute("select score, n_indicators, is_partial from factor_score where "
                         "region_code = 'G10'").fetchone()
    assert factor == (pytest.approx(5), 2, False)


def test_score_cells_keep_wcag_aa_text_contrast():
    """Every score colour of the comparison table carries text at 4.5:1 or more."""
    import re

    from monitor.charts import relative_luminance, score_style

    def ratio(a, b):
        la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
        return (la + 0.05) / (lb + 0.05)

    for step in range(101):
        css = score_style(step / 10)
        bg, fg = re.findall(r"#([0-9a-f]{6})", css)
        rgb = [tuple(int(c[k:k + 2], 16) for k in (0, 2, 4)) for c in (bg, fg)]
        assert ratio(*rgb) >= 4.5, (step / 10, css)


def test_custom_region_sql_carries_the_merger_flag():
    """A composed region whose value used a converted gemeente says so (as stored regions do)."""
    gm = gm_rows([("rate", "A", 2016, 50.0, 1, 2), ("rate", "B", 2016, 10.0, 1, 10),
                  ("rate", "C", 2016, 10.0, 8, 80)])
    gm.loc[gm["gemeente_code"] == "B", "is_converted"] = True
    con = warehouse(gm)
    both = composed(con, ["A", "B"]).iloc[0]
    alone = composed(con, ["A", "C"]).iloc[0]
    assert bool(both["is_converted"]) and not bool(alone["is_converted"])
    assert bool(aggregate(gm).loc["rate", "is_converted"])


def test_one_scoring_rule_weights_and_skips_unscored_factors_for_composed_regions():
    """A composed region is scored by the warehouse's macros: factor_weight counts and an
    indicator of an unscored factor does not (the old pandas path ignored both)."""
    gms = [f"G{i}" for i in range(21)]
    regions = pd.DataFrame({"region_code": gms, "region_level": "gemeente",
                            "population": 1, "is_default_variant": True})
    members = pd.DataFrame({"region_code": gms, "gemeente_code": gms})
    indicators = pd.concat([INDICATORS, pd.DataFrame({
        "indicator_id": ["ctx"], "aggregation": ["ratio"], "scale": [1.0], "factor_id": ["c"],
        "data_gap": [None], "direction": ["higher_is_better"], "weight": [1.0]})],
        ignore_index=True)
    gm = gm_rows([(ind, g, 2024, float(i), float(i), 1.0)
                  for ind in ("rate", "wmean", "ctx") for i, g in enumerate(gms)])
    con = duckdb.connect()
    for name, frame in [("region", regions), ("region_membership", members),
                        ("indicator", indicators), ("gm_value", gm),
                        ("factor", pd.DataFrame({"factor_id": ["f", "c"],
                                                 "scored": [True, False]}))]:
        con.register(f"_{name}", frame)
        con.execute(f"create table {name} as select * from _{name}")
    create_macros(con)
    con.execute("create table indicator_value as select indicator_id, gemeente_code as "
                "region_code, year, value from gm_value")
    score_tables(con)
    con.execute("update factor_weight set weight = 3 where indicator_id = 'rate'")
    # G5 + G15: rate = 20/2 * 100 = 1000 -> clipped to p95 (19) -> 10; wmean (lower is
    # better) 20/2 = 10 -> 5.0; weighted (3 * 10 + 1 * 5) / 4 = 8.75, ctx not counted
    row = con.execute("""
        select factor_id, score, n_indicators, is_partial from factor_rows_latest((
            select list({indicator_id: indicator_id, region_code: region_code, year: year,
                         score: score})
            from score_rows((select list({indicator_id: indicator_id,
                region_code: region_code, year: year, value: value})
                from aggregate_members(composed_members(['G5', 'G15'], 'X'))))))
    """).fetchall()
    assert row == [("f", pytest.approx(8.75), 2, False)]


def test_a_factor_score_without_every_indicator_says_it_is_partial():
    """G5 lacks 'wmean': its factor score rests on 'rate' alone and says so (1 of 2)."""
    values = pd.DataFrame({
        "indicator_id": ["wmean"] * 21 + ["rate"] * 21, "year": 2024,
        "region_code": [f"G{i}" for i in range(21)] * 2,
        "value": [None if i == 5 else float(i) for i in range(21)] + [float(i) for i in
                                                                      range(21)],
    })
    con = scored_gemeenten(values)
    rows = {r[0]: r[1:] for r in con.execute(
        "select region_code, n_indicators, n_expected, is_partial from factor_score_latest "
        "where region_code in ('G5', 'G6')").fetchall()}
    assert rows["G5"] == (1, 2, True) and rows["G6"] == (2, 2, False)
