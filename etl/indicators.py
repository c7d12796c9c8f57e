"""Indicator values for every region and year, aggregated from gemeenten, and 0-10 scores."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from etl.catalog import get_table
from etl.mergers import (
    build_successor_map,
    convert_to_current,
    derive_split_shares,
    read_mergers,
)
from etl.published import PUBLISHED_TYPES, published_values, region_territories
from etl.registry import (
    Indicator,
    Operand,
    Registry,
    break_frame,
    factor_frame,
    load_registry,
    registry_frame,
)
from etl.rules import create_macros

GM_COLUMNS = ["indicator_id", "gemeente_code", "year", "value", "numerator", "denominator",
              "is_converted", "is_estimated", "status"]
VALUE_COLUMNS = ["indicator_id", "region_code", "year", "value", "numerator", "denominator",
                 "coverage", "is_estimated", "is_converted", "is_published", "status", "source",
                 "aggregate_value"]
KEYS = ["indicator_id", "region_code", "year"]

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
    return estimated(converted), len(unconverted)


def estimated(converted: pd.DataFrame) -> pd.DataFrame:
    """convert_to_current's rows with is_estimated: only where a split gemeente was shared out
    by population; a plain merger (predecessors summed whole) is converted, not estimated."""
    converted["is_estimated"] = converted.pop("is_shared").fillna(False).astype(bool)
    return converted.drop(columns=["n_sources"])


Conversion = tuple[pd.DataFrame, list[str], bool]  # to_current's frame, columns and yearly


def to_current_all(requests: list[Conversion], smap: pd.DataFrame,
                   current: set[str]) -> list[tuple[pd.DataFrame, int]]:
    """to_current of every request. The yearly ones with the same columns are converted in one
    go (one merge and one grouping for all indicators instead of one each): every request's
    rows keep their order, so each sum adds the same numbers in the same order as alone."""
    done: list[tuple[pd.DataFrame, int] | None] = [None] * len(requests)
    batches: dict[tuple[str, ...], list[int]] = {}
    for i, (frame, cols, yearly) in enumerate(requests):
        if yearly and len(frame):
            batches.setdefault(tuple(cols), []).append(i)
        else:
            done[i] = to_current(frame, cols, yearly, smap, current)
    for cols, members in batches.items():
        frame = pd.concat([requests[i][0].rename(columns={"region_code": "gemeente_code"})
                           .assign(_request=i) for i in members], ignore_index=True)
        converted, unconverted = convert_to_current(frame, list(cols), smap,
                                                    batch_col="_request")
        converted = estimated(converted)
        lost = unconverted["_request"].value_counts()
        for i, part in converted.groupby("_request", sort=False):
            done[i] = (part.drop(columns="_request").reset_index(drop=True),
                       int(lost.get(i, 0)))
    for i, (frame, cols, yearly) in enumerate(requests):
        if done[i] is None:  # no row converted: as to_current says it alone
            done[i] = to_current(frame, cols, yearly, smap, current)
    return done


def conversions(con, ind: Indicator, read=None) -> list[Conversion]:
    """What gemeente_values puts on 2024 boundaries for one indicator (see gemeente_frame).
    `read` (an operand -> frame function) may remember operands several indicators share."""
    read = read or (lambda op: read_operand(con, op))
    num = read(ind.numerator).rename(columns={"value": "n"})
    num["n"] *= ind.numerator.factor
    if ind.aggregation in ("sum", "none"):
        return [(num, ["n"], is_yearly(ind.numerator) and ind.aggregation == "sum")]
    den = read(ind.denominator).rename(columns={"value": "d"})
    den["d"] *= ind.denominator.factor
    if ind.aggregation == "weighted_mean":
        both = num.merge(den, on=["region_code", "year"], how="left")
        both["wn"] = both["n"] * both["d"]
        # the published value is kept where no conversion touched the gemeente
        return [(both[["region_code", "year", "wn", "d", "n"]], ["wn", "d", "n"],
                 is_yearly(ind.numerator))]
    return [(num, ["n"], is_yearly(ind.numerator)), (den, ["d"], is_yearly(ind.denominator))]


def gemeente_frame(ind: Indicator, converted: list[tuple[pd.DataFrame, int]]
                   ) -> tuple[pd.DataFrame, int]:
    """Numerator, denominator and value per 2024 gemeente and year from the conversions'
    results (in the order conversions() gave them), and the count of lost rows."""
    if ind.aggregation in ("sum", "none"):
        [(frame, lost)] = converted
        frame = frame.assign(numerator=frame["n"], denominator=pd.NA,
                             value=frame["n"] * ind.scale)
        return frame, lost
    if ind.aggregation == "weighted_mean":
        [(frame, lost)] = converted
        frame = frame.assign(numerator=frame["wn"], denominator=frame["d"])
        ratio = frame["numerator"] / frame["denominator"].where(frame["denominator"] != 0)
        value = frame["n"].where(~frame["is_converted"], ratio)
        return frame.assign(value=value * ind.scale), lost
    [(num_c, lost_n), (den_c, lost_d)] = converted
    frame = num_c.merge(den_c, on=["gemeente_code", "year"], how="inner",
                        suffixes=("", "_d"))
    frame["is_converted"] |= frame.pop("is_converted_d")
    frame["is_estimated"] |= frame.pop("is_estimated_d")
    frame = frame.assign(numerator=frame["n"], denominator=frame["d"])
    frame["value"] = frame["numerator"] / frame["denominator"].where(frame["d"] != 0) * ind.scale
    return frame, lost_n + lost_d


def gemeente_values(con, ind: Indicator, smap, current) -> tuple[pd.DataFrame, int]:
    """Numerator and denominator per 2024 gemeente and year for one indicator."""
    return gemeente_frame(ind, [to_current(frame, cols, yearly, smap, current)
                                for frame, cols, yearly in conversions(con, ind)])


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


def reliability(frame: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """status per gemeente row: ok, missing, or unreliable (denominator below the indicator's
    min_denominator: no value, no score; numerator and denominator stay for aggregation)."""
    frame = frame.assign(status=frame["value"].notna().map({True: "ok", False: "missing"}))
    if ind.min_denominator is None:
        return frame
    small = frame["denominator"].astype("float64") < ind.min_denominator
    frame.loc[small, "status"] = "unreliable"
    frame.loc[small, "value"] = float("nan")
    return frame


def operand_reader(con, registry: Registry, region_types=("GM",)
                   ) -> Callable[[Operand], pd.DataFrame]:
    """read_operand(con, op, region_types) for every operand of the registry's indicators,
    read in one query (one query per operand scanned stg_cbs_value ~100 times; many
    indicators share a denominator: bevolking is one of 21). Each operand's rows come in the
    table's own order, as read_operand gives them; every caller gets its own copy."""
    keys = sorted({(op.table, op.key, op.slice_label) for ind in registry.indicators
                   if not ind.data_gap for op in (ind.numerator, ind.denominator)
                   if op is not None})
    con.register("_operands", pd.DataFrame(keys, columns=["table_id", "measure", "slice"])
                 .assign(operand=range(len(keys))))
    try:
        rows = con.execute(
            "select o.operand, s.region_code, s.year, s.value from stg_cbs_value s "
            "join _operands o using (table_id, measure, slice) where s.period_type = 'JJ' "
            "and list_contains(?, s.region_type) order by o.operand, s.rowid",
            [list(region_types)]).df()
    finally:
        con.unregister("_operands")
    bounds = np.searchsorted(rows.pop("operand").to_numpy(), np.arange(len(keys) + 1))
    where = {key: (bounds[i], bounds[i + 1]) for i, key in enumerate(keys)}

    def read(op: Operand) -> pd.DataFrame:
        start, stop = where.get((op.table, op.key, op.slice_label), (0, 0))
        if start == stop:  # no rows: as read_operand says it (an empty result's own types)
            return read_operand(con, op, region_types)
        return rows.iloc[start:stop].reset_index(drop=True)

    return read


def all_gemeente_values(con, registry: Registry, smap: pd.DataFrame,
                        current: set[str]) -> tuple[pd.DataFrame, list]:
    """gm_value rows for every indicator with data; notes on rows that could not be converted."""
    parts, notes = [], []
    indicators = [ind for ind in registry.indicators if not ind.data_gap]
    read = operand_reader(con, registry)
    requests = [conversions(con, ind, read) for ind in indicators]
    results = iter(to_current_all([r for rs in requests for r in rs], smap, current))
    for ind, asked in zip(indicators, requests, strict=True):
        frame, lost = gemeente_frame(ind, [next(results) for _ in asked])
        if lost:
            notes.append(f"{ind.id}: {lost} gemeente rows on pre-2016 boundaries not convertible "
                         "(counted as missing)")
        frame = reliability(frame.assign(indicator_id=ind.id), ind)
        parts.append(frame[GM_COLUMNS])
    gm = pd.concat(parts, ignore_index=True)
    gm["year"] = gm["year"].astype("int32")
    for col in ("value", "numerator", "denominator"):
        gm[col] = pd.to_numeric(gm[col], errors="coerce").astype("float64")
    return gm, notes


def region_values(con, registry: Registry, territory: pd.DataFrame) -> pd.DataFrame:
    """Every non-gemeente region: CBS's own figure where it publishes one on the same
    territory (source 'published'), else the aggregate of its gemeenten ('aggregated'). The
    aggregate stays beside it as aggregate_value, the cross-check."""
    agg = con.execute("select * from aggregate_members(all_members())").df()
    agg = agg.assign(source="aggregated", aggregate_value=agg["value"])
    rows = operand_reader(con, registry, PUBLISHED_TYPES)

    def read(op: Operand) -> pd.DataFrame:  # as read_region_operand
        frame = rows(op)
        return frame.assign(value=frame["value"] * op.factor)

    pub = pd.concat([published_values(con, i, read) for i in registry.indicators
                     if not i.data_gap], ignore_index=True)
    pub = pub.merge(territory, on=["region_code", "year"], how="left")
    pub["same_territory"] = pub["same_territory"].fillna(False).astype(bool)
    none_ids = {i.id for i in registry.indicators if i.aggregation == "none"}
    used = pub[pub["same_territory"]].drop(columns=["same_territory", "method"])
    used = used.merge(agg[KEYS + ["aggregate_value"]], on=KEYS, how="left").assign(
        coverage=1.0, is_estimated=False, is_converted=False, is_published=True,
        status="published", source="published")
    # a median CBS publishes on other borders cannot be aggregated: no value, and say why
    other = pub[~pub["same_territory"] & pub["indicator_id"].isin(none_ids)]
    other = other[KEYS].assign(value=float("nan"), numerator=float("nan"),
                               denominator=float("nan"), coverage=float("nan"),
                               is_estimated=False, is_converted=False, is_published=False,
                               status="other_boundaries", source="published",
                               aggregate_value=float("nan"))
    taken = pd.MultiIndex.from_frame(used[KEYS])
    agg = agg[~pd.MultiIndex.from_frame(agg[KEYS]).isin(taken)]
    parts = [p[VALUE_COLUMNS] for p in (agg, used, other) if len(p)]
    return before_valid_from(con, pd.concat(parts, ignore_index=True))


def before_valid_from(con, values: pd.DataFrame) -> pd.DataFrame:
    """A pilot variant whose membership holds from a year on (valid_from) has no value before
    it: its 2024 gemeenten are not the region of that time (status other_territory)."""
    since = con.execute("select region_code, valid_from from region where valid_from is not "
                        "null").df()
    start = values["region_code"].map(dict(zip(since["region_code"], since["valid_from"],
                                               strict=True)))
    early = start.notna() & (values["year"] < start.fillna(0))
    values.loc[early, ["value", "numerator", "denominator"]] = float("nan")
    values.loc[early, "status"] = "other_territory"
    return values


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
        select i.indicator_id, i.factor_id, i.weight from indicator i
        join factor f using (factor_id)
        where i.direction <> 'neutral' and i.data_gap is null and i.weight > 0 and f.scored
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


def has_gemeente_rows(con, op: Operand) -> bool:
    """Whether the source holds gemeente values of an operand (an optional slice may not)."""
    return con.execute(
        "select count(*) > 0 from stg_cbs_value where table_id = ? and measure = ? and "
        "slice = ? and region_type = 'GM' and value is not null",
        [op.table, op.key, op.slice_label]).fetchall()[0][0]


def with_available_gaps(con, registry: Registry) -> Registry:
    """The registry as this source allows: an indicator declared as a data gap (its slices
    are optional, e.g. sectors the snapshot lacks) is computed like any other when every
    operand has gemeente values, as from live CBS; its data_gap is then NULL."""
    indicators = tuple(
        replace(ind, data_gap=None, data_gap_nl=None)
        if ind.data_gap and all(has_gemeente_rows(con, op) for op in
                                (ind.numerator, ind.denominator) if op is not None)
        else ind for ind in registry.indicators)
    return Registry(registry.factors, indicators)


def build_indicator_tables(con) -> list[str]:
    """Write indicator, factor, gm_value, indicator_value and score tables; return notes."""
    from etl.build import write_frame

    registry = with_available_gaps(con, load_registry())
    write_frame(con, "indicator", registry_frame(registry))
    write_frame(con, "factor", factor_frame(registry))
    write_frame(con, "series_break", break_frame(registry))
    current = {r[0] for r in con.execute(
        "select region_code from region where region_level = 'gemeente'").fetchall()}
    smap = successor_map(con, current)
    gm, notes = all_gemeente_values(con, registry, smap, current)
    write_frame(con, "gm_value", gm)
    create_macros(con)
    territory = region_territories(con, smap, population_operand())
    write_frame(con, "region_territory", territory)
    regions = region_values(con, registry, territory)
    # a gemeente's own figure is CBS's; a merged gemeente's is added up from its predecessors
    gm_rows = gm.rename(columns={"gemeente_code": "region_code"}).assign(
        coverage=lambda f: f["value"].notna().astype("float64"), is_published=False,
        source=lambda f: f["is_converted"].map({True: "aggregated", False: "published"}),
        aggregate_value=float("nan"))
    values = pd.concat([gm_rows[VALUE_COLUMNS], regions[VALUE_COLUMNS]], ignore_index=True)
    for flag in ("is_estimated", "is_converted", "is_published"):
        values[flag] = values[flag].fillna(False).astype(bool)
    write_frame(con, "indicator_value", values)
    score_tables(con)
    return notes
