"""How the ranking of compared regions on one factor moves under other weights: the default
weights, equal weights, the user's own (from the URL), and each indicator left out in turn.
Scored by the warehouse's own rule (the factor_scenarios macro, etl/rules.py). No Streamlit."""

from __future__ import annotations

import pandas as pd

from monitor import db, queries, regions
from monitor.memo import memo
from monitor.regions import Region

DEFAULT, EQUAL, OWN = "default", "equal", "own"
LEAVE_OUT = "without:"


def factor_weights(factor_id: str) -> dict[str, float]:
    """The default weights of a factor's scored indicators (registry order)."""
    meta = queries.indicators()
    weights = db.query("select indicator_id, weight from factor_weight where factor_id = ?",
                       [factor_id])
    order = [i for i in meta["indicator_id"] if i in set(weights["indicator_id"])]
    lookup = dict(zip(weights["indicator_id"], weights["weight"].astype(float), strict=True))
    return {i: lookup[i] for i in order}


def scenarios(factor_id: str, own: dict[str, float] | None = None
              ) -> dict[str, dict[str, float]]:
    """Scenario name -> weights: default, equal, own (if given and different), and the
    default weights with each indicator left out."""
    default = factor_weights(factor_id)
    result = {DEFAULT: default, EQUAL: dict.fromkeys(default, 1.0)}
    if own:
        mine = {i: float(own.get(i, w)) for i, w in default.items()}
        if mine != default and any(v > 0 for v in mine.values()):
            result[OWN] = mine
    if len(default) > 1:
        for ind in default:
            result[LEAVE_OUT + ind] = {i: (0.0 if i == ind else w) for i, w in default.items()}
    return result


def rank_table(values: pd.DataFrame, factor_id: str, own: dict[str, float] | None = None
               ) -> pd.DataFrame:
    """scenario x region: the factor score and the rank (1 = best) of every region that has a
    score, under every scenario. values: indicator_id, region_code, score (latest year)."""
    plans = scenarios(factor_id, own)
    scores = values.dropna(subset=["score"])
    scores = scores[scores["indicator_id"].isin(plans[DEFAULT])]
    if scores.empty:
        return pd.DataFrame(columns=["scenario", "region_code", "score", "rank"])
    rows = [{"scenario": name, "indicator_id": i, "weight": w}
            for name, weights in plans.items() for i, w in weights.items()]
    score_rows = [{"indicator_id": i, "region_code": r, "score": float(s)}
                  for i, r, s in zip(scores["indicator_id"], scores["region_code"],
                                     scores["score"], strict=True)]
    frame = db.query("select * from factor_scenarios(?, ?)", [score_rows, rows])
    frame["rank"] = frame.groupby("scenario")["score"].rank(ascending=False, method="min")
    order = {name: i for i, name in enumerate(plans)}
    return frame.assign(order=frame["scenario"].map(order)).sort_values(
        ["order", "rank"]).drop(columns="order").reset_index(drop=True)


def format_weights(weights: dict[str, float]) -> str:
    """{id: weight} -> 'id:0.5,id2:1' for the URL."""
    return ",".join(f"{i}:{w:g}" for i, w in weights.items())


@memo
def region_rank_table(picked: tuple[Region, ...], factor_id: str,
                      own: tuple[tuple[str, float], ...] = ()) -> pd.DataFrame:
    """rank_table of the regions' latest values, once per regions, factor and own weights
    (the same on every rerun of a page that shows it)."""
    return rank_table(regions.latest_values(picked), factor_id, dict(own) or None)
