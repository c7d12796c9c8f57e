"""Published first: CBS's own figure for a provincie, COROP, arbeidsmarktregio or Nederland,
where CBS publishes it in the same table on the same territory as the region here.

CBS publishes a region's figure on the division of that year (COROP and arbeidsmarktregio
borders moved, gemeenten changed province). The region here is its 2024 territory. A
published figure is used only when the territory is known to be the same that year:

- Nederland: always.
- a year with a 'Gebieden in Nederland' table (2022, 2023, 2024): the gemeenten CBS counted
  in the region that year, mapped to their 2024 successors, are exactly the region's 2024
  members (no split gemeente, no successor shared with another region);
- provincie and COROP in the other years of the population table (85644NED, 2014 onward):
  CBS's population of the region equals the sum of its 2024 members' populations that year
  within 0.1% (a moved gemeente shifts it by far more);
- otherwise unsure: the region is aggregated from its gemeenten.
"""

from __future__ import annotations

import pandas as pd

from etl.regions import DIVISIONS, NL_CODE, find_division_columns
from etl.registry import Indicator, Operand

PUBLISHED_TYPES = ("PV", "CR", "AM", "NL")
GEBIEDEN_BY_YEAR = {2022: "stg_gebieden_2022", 2023: "stg_gebieden_2023"}
POPULATION_TOLERANCE = 0.001
TERRITORY_COLUMNS = ["region_code", "year", "same_territory", "method"]


def read_region_operand(con, op: Operand) -> pd.DataFrame:
    """One measure of one slice for CBS's own regions (region_code, year, value)."""
    frame = con.execute(
        "select region_code, year, value from stg_cbs_value where table_id = ? and measure = ? "
        "and slice = ? and period_type = 'JJ' and list_contains(?, region_type)",
        [op.table, op.key, op.slice_label, list(PUBLISHED_TYPES)],
    ).df()
    return frame.assign(value=frame["value"] * op.factor)


def published_values(con, ind: Indicator, read=None) -> pd.DataFrame:
    """CBS's own figure per region and year, in the indicator's terms: value, and numerator
    and denominator as gm_value holds them (weighted mean: rate x weight and weight).
    `read` (an operand -> frame function) may remember operands several indicators share."""
    read = read or (lambda op: read_region_operand(con, op))
    num = read(ind.numerator).rename(columns={"value": "n"})
    keys = ["region_code", "year"]
    if ind.denominator is None:
        frame = num.assign(numerator=num["n"], denominator=float("nan"))
        frame["value"] = frame["n"] * ind.scale
    else:
        den = read(ind.denominator).rename(columns={"value": "d"})
        frame = num.merge(den, on=keys, how="left")
        if ind.aggregation == "weighted_mean":
            frame = frame.assign(numerator=frame["n"] * frame["d"], denominator=frame["d"],
                                 value=frame["n"] * ind.scale)
        else:
            ratio = frame["n"] / frame["d"].where(frame["d"] != 0)
            frame = frame.assign(numerator=frame["n"], denominator=frame["d"],
                                 value=ratio * ind.scale)
    frame = frame.dropna(subset=["value"])
    return frame.assign(indicator_id=ind.id)[["indicator_id", *keys, "value", "numerator",
                                              "denominator"]]


def division_members(gebieden: pd.DataFrame) -> pd.DataFrame:
    """(region_code, old_code) of one year's 'Gebieden in Nederland' frame."""
    parts = []
    for _prefix, (code_col, _name) in find_division_columns(gebieden).items():
        parts.append(pd.DataFrame({"region_code": gebieden[code_col].astype(str).str.strip(),
                                   "old_code": gebieden["gemeente_code"].astype(str).str
                                   .strip()}))
    return pd.concat(parts, ignore_index=True)


def same_membership(then: pd.DataFrame, now: pd.DataFrame, smap: pd.DataFrame) -> pd.DataFrame:
    """Per region: whether the gemeenten of that year, mapped to 2024, are its 2024 members.

    then: (region_code, old_code) of that year; now: (region_code, gemeente_code) of 2024;
    smap: old_code -> code_2024 with share (a split gemeente has shares < 1)."""
    mapped = then.merge(smap, on="old_code", how="left")
    # a 2024 gemeente whose predecessors lay in several regions of one division level
    mapped["level"] = mapped["region_code"].str[:2]
    spread = mapped.groupby(["level", "code_2024"])["region_code"].transform("nunique") > 1
    mapped["bad"] = mapped["code_2024"].isna() | (mapped["share"] < 1) | spread
    result = {}
    for code, group in mapped.groupby("region_code"):
        members = set(now.loc[now["region_code"] == code, "gemeente_code"])
        result[code] = (not group["bad"].any()) and set(group["code_2024"]) == members
    return pd.DataFrame({"region_code": list(result), "same_territory": list(result.values())})


def population_probe(con, population: Operand) -> pd.DataFrame:
    """provincie and COROP: CBS's population vs the sum over the 2024 members, per year."""
    return con.execute("""
        with pub as (
            select region_code, year, value from stg_cbs_value
            where table_id = ? and measure = ? and slice = ? and period_type = 'JJ'
              and region_type in ('PV', 'CR')
        ),
        summed as (
            select m.region_code, v.year, sum(v.value) as value, count(v.value) as n,
                   any_value(r.n_gemeenten) as n_members
            from region_membership m join region r using (region_code)
            join gm_value v on v.gemeente_code = m.gemeente_code and v.indicator_id = ?
            group by all
        )
        select p.region_code, p.year,
               s.n = s.n_members and abs(s.value - p.value) <= ? * p.value as same_territory,
               'population' as method
        from pub p join summed s using (region_code, year)
    """, [population.table, population.key, population.slice_label, "bevolking",
          POPULATION_TOLERANCE]).df()


def region_territories(con, smap: pd.DataFrame, population: Operand) -> pd.DataFrame:
    """(region_code, year, same_territory, method) for every CBS region and year with data."""
    now = con.execute("select m.region_code, m.gemeente_code from region_membership m join "
                      "region r using (region_code) where list_contains(?, r.region_level)",
                      [list(DIVISIONS.values())]).df()
    years = [int(y) for (y,) in con.execute(
        "select distinct year from stg_cbs_value where period_type = 'JJ' order by 1"
    ).fetchall()]
    parts = [pd.DataFrame({"region_code": NL_CODE, "year": years, "same_territory": True,
                           "method": "nederland"})]
    gebieden = {year: con.execute(f"select * from {table}").df()
                for year, table in GEBIEDEN_BY_YEAR.items()}
    for year, frame in gebieden.items():
        then = division_members(frame[frame["gemeente_code"].astype(str).str.startswith("GM")])
        parts.append(same_membership(then, now, smap).assign(year=year, method="membership"))
    parts.append(now.groupby("region_code", as_index=False).size()[["region_code"]].assign(
        year=2024, same_territory=True, method="membership"))
    probe = population_probe(con, population)
    parts.append(probe[~probe["year"].isin([*gebieden, 2024])])
    frame = pd.concat(parts, ignore_index=True)[TERRITORY_COLUMNS]
    frame["year"] = frame["year"].astype("int32")
    frame["same_territory"] = frame["same_territory"].fillna(False).astype(bool)
    return frame
