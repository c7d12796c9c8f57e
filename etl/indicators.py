"""Indicator values for every region and year, aggregated from gemeenten, and 0-10 scores."""

from __future__ import annotations

import pandas as pd

from etl.catalog import get_table
from etl.mergers import (
    build_successor_map,
    convert_to_current,
    derive_split_shares,
    read_mergers,
)
from etl.registry import Indicator, Operand, Registry, factor_frame, load_registry, registry_frame
from etl.rules import create_macros

GM_COLUMNS = ["indicator_id", "gemeente_code", "year", "value", "numerator", "denominator",
              "is_converted", "is_estimated"]
VALUE_COLUMNS = ["indicator_id", "region_code", "year", "value", "numerator", "denominator",
                 "coverage", "is_estimated", "is_converted", "is_published", "status"]

def read_operand(con, op: Operand, region_types=("GM",)) -> pd.DataFrame:
    """One measure of one slice as (region_code, year, value), annual periods only."""
    types = list(region_types)
    return con.execute(
        "select region_code, year, value from stg_cbs_value where table_id = ? and measure = ? "
        "and slice = ? and period_type = 'JJ' and list_contains(?, region_type)",
        [op.table, op.key, op.slice_label, types],
    ).df()


def is_yearly(op: Operand) -> bool:
    """Whether the operand's table is on each year's own boundaries."""
    return get_table(op.table).boundaries == "yearly"


def to_current(frame: pd.DataFrame, cols: list[str], yearly: bool, smap: pd.DataFrame,
               current: set[str]) -> tuple[pd.DataFrame, int]:
    """Put additive columns on 2024 boundaries; return the frame and the count of lost rows."""
    frame = frame.rename(columns={"region_code": "gemeente_code"})
    if not yearly:
        kept = frame[frame["gemeente_code"].isin(current)]
        return kept.assign(is_converted=False, is_estimated=False), len(frame) - len(kept)
    converted, unconverted = convert_to_current(frame, cols, smap)
    split = converted["n_sources"].fillna(1) > 1
    converted["is_estimated"] = converted["is_converted"] & split
    return converted.drop(columns=["n_sources"]), len(unconverted)


def gemeente_values(con, ind: Indicator, smap, current) -> tuple[pd.DataFrame, int]:
    """Numerator and denominator per 2024 gemeente and year for one indicator."""
    num = read_operand(con, ind.numerator).rename(columns={"value": "n"})
    num["n"] *= ind.numerator.factor
    if ind.aggregation in ("sum", "none"):
        frame, lost = to_current(num, ["n"], is_yearly(ind.numerator) and
                                 ind.aggregation == "sum", smap, current)
        frame = frame.assign(numerator=frame["n"], denominator=pd.NA,
                             value=frame["n"] * ind.scale)
        return frame, lost
    den = read_operand(con, ind.denominator).rename(columns={"value": "d"})
    den["d"] *= ind.denominator.factor
    if ind.aggregation == "weighted_mean":
        both = num.merge(den, on=["region_code", "year"], how="left")
        both["wn"] = both["n"] * both["d"]
        # the published value is kept where no conversion touched the gemeente
        frame, lost = to_current(both[["region_code", "year", "wn", "d", "n"]], ["wn", "d", "n"],
                                 is_yearly(ind.numerator), smap, current)
        frame = frame.assign(numerator=frame["wn"], denominator=frame["d"])
        ratio = frame["numerator"] / frame["denominator"].where(frame["denominator"] != 0)
        value = frame["n"].where(~frame["is_converted"], ratio)
        return frame.assign(value=value * ind.scale), lost
    num_c, lost_n = to_current(num, ["n"], is_yearly(ind.numerator), smap, current)
    den_c, lost_d = to_current(den, ["d"], is_yearly(ind.denominator), smap, current)
    frame = num_c.merge(den_c, on=["gemeente_code", "year"], how="inner",
                        suffixes=("", "_d"))
    frame["is_converted"] |= frame.pop("is_converted_d")
    frame["is_estimated"] |= frame.pop("is_estimated_d")
    frame = frame.assign(numerator=frame["n"], denominator=frame["d"])
    frame["value"] = frame["numerator"] / frame["denominator"].where(frame["d"] != 0) * ind.scale
    return frame, lost_n + lost_d


def published_values(con, ind: Indicator) -> pd.DataFrame:
    """For non-aggregable figures (medians): CBS's own values for provinces, COROP, AM, NL."""
    frame = read_operand(con, ind.numerator, ("PV", "CR", "AM", "NL"))
    frame = frame.assign(value=frame["value"] * ind.numerator.factor * ind.scale)
    return frame.assign(indicator_id=ind.id, numerator=None, denominator=None, coverage=None,
                        is_estimated=False, is_converted=False, is_published=True,
                        status="published")


def successor_map(con, current: set[str]) -> pd.DataFrame:
    """Historic gemeente -> 2024 gemeente(n), splits shared out by population."""
    mergers = read_mergers()
    pop = read_operand(con, population_operand())
    pop = pop.rename(columns={"region_code": "gemeente_code", "value": "population"})
    shares = derive_split_shares(mergers, pop)
    return build_successor_map(mergers, current, shares)


def population_operand() -> Operand:
    """The population measure used for split shares."""
    return load_registry().indicator("bevolking").numerator


def all_gemeente_values(con, registry: Registry, current: set[str]) -> tuple[pd.DataFrame, list]:
    """gm_value rows for every indicator with data; notes on rows that could not be converted."""
    smap = successor_map(con, current)
    parts, notes = [], []
    for ind in registry.indicators:
        if ind.data_gap:
            continue
        frame, lost = gemeente_values(con, ind, smap, current)
        if lost:
            notes.append(f"{ind.id}: {lost} gemeente rows on pre-2016 boundaries not convertible "
                         "(counted as missing)")
        parts.append(frame.assign(indicator_id=ind.id)[GM_COLUMNS])
    gm = pd.concat(parts, ignore_index=True)
    gm["year"] = gm["year"].astype("int32")
    for col in ("value", "numerator", "denominator"):
        gm[col] = pd.to_numeric(gm[col], errors="coerce").astype("float64")
    return gm, notes


def region_values(con, registry: Registry) -> pd.DataFrame:
    """Aggregated rows for every non-gemeente region, plus published medians."""
    agg = con.execute("select * from aggregate_members(all_members())").df()
    published = [published_values(con, i) for i in registry.indicators
                 if i.aggregation == "none" and not i.data_gap]
    return pd.concat([agg, *published], ignore_index=True)


def score_tables(con) -> None:
    """indicator_scale, indicator_score, factor_score(+_latest) from indicator_value, by the
    scoring rule in etl/rules.py (the macros the app uses for composed regions too)."""
    con.execute("""
        create or replace table indicator_scale as
        with gm as (
            select v.indicator_id, v.year, v.value from indicator_value v
            join region r on r.region_code = v.region_code and r.region_level = 'gemeente'
            where v.value is not null
        )
        select indicator_id, year, quantile_cont(value, 0.05) as p05,
               quantile_cont(value, 0.95) as p95, count(*) as n_gemeenten
        from gm group by all
    """)
    con.execute("""
        create or replace table factor_weight as
        select indicator_id, factor_id, 1.0 as weight from indicator
        where direction <> 'neutral' and data_gap is null
    """)
    create_macros(con, scoring=True)
    con.execute("""
        create or replace table indicator_score as
        select * from score_rows((select list({indicator_id: indicator_id,
            region_code: region_code, year: year, value: value}) from indicator_value
            where value is not null))
    """)
    scores = ("(select list({indicator_id: indicator_id, region_code: region_code, "
              "year: year, score: score}) from indicator_score)")
    con.execute(f"create or replace table factor_score as select * from factor_rows({scores})")
    con.execute("create or replace table factor_score_latest as "
                f"select * from factor_rows_latest({scores})")


def build_indicator_tables(con) -> list[str]:
    """Write indicator, factor, gm_value, indicator_value and score tables; return notes."""
    from etl.build import write_frame

    registry = load_registry()
    write_frame(con, "indicator", registry_frame(registry))
    write_frame(con, "factor", factor_frame(registry))
    current = {r[0] for r in con.execute(
        "select region_code from region where region_level = 'gemeente'").fetchall()}
    gm, notes = all_gemeente_values(con, registry, current)
    write_frame(con, "gm_value", gm)
    create_macros(con)
    regions = region_values(con, registry)
    gm_rows = gm.rename(columns={"gemeente_code": "region_code"}).assign(
        coverage=lambda f: f["value"].notna().astype("float64"), is_published=False,
        status=lambda f: f["value"].notna().map({True: "ok", False: "missing"}))
    values = pd.concat([gm_rows[VALUE_COLUMNS], regions[VALUE_COLUMNS]], ignore_index=True)
    for flag in ("is_estimated", "is_converted", "is_published"):
        values[flag] = values[flag].fillna(False).astype(bool)
    write_frame(con, "indicator_value", values)
    score_tables(con)
    return notes
