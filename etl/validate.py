"""Checks a freshly built warehouse must pass before it replaces the old one.

Tables, columns, types, keys and allowed values come from etl/schema.py (the same description
docs/warehouse.md is generated from); the rules a table names there are the functions in RULES.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl import config, schema
from etl.catalog import load_tables

REQUIRED_TABLES = tuple(t.name for t in schema.TABLES)
EXPECTED_LEVEL_COUNTS = {"land": 1, "provincie": 12, "corop": 40, "arbeidsmarktregio": 35,
                         "gemeente": config.N_GEMEENTEN}
UNIQUE_KEYS = {t.name: ", ".join(t.key) for t in schema.TABLES if t.key}


# Plausibility (docs/warehouse.md, "Validation"): values that cannot be right fail the build;
# a jump between two years beyond JUMP_FACTOR is reported as a warning (it can be real).
GEMEENTE_POPULATION = (500, 1_500_000)  # smallest: Schiermonnikoog ~950; largest: Amsterdam ~0.93M
JUMP_FACTOR = 10
EXAMPLES = 5


class ValidationError(ValueError):
    """The new warehouse breaks a rule; the message lists every broken rule."""


def scalar(con, sql: str, *params):
    """First column of the first row."""
    return con.execute(sql, list(params)).fetchone()[0]


def counted(con, sql: str, message: str) -> list[str]:
    """A rule that counts offending rows: [message with {n} filled in] when `sql` (a count)
    finds any, else no problem."""
    n = scalar(con, sql)
    return [message.format(n=n)] if n else []


def check_tables(con) -> list[str]:
    """Every table of the contract exists."""
    present = {r[0] for r in con.execute("select table_name from information_schema.tables")
               .fetchall()}
    raw = [s.raw_name for s in load_tables()]
    return [f"missing table {t}" for t in (*REQUIRED_TABLES, *raw) if t not in present]


def check_unique(con) -> list[str]:
    """Declared keys are unique."""
    problems = []
    for table, key in UNIQUE_KEYS.items():
        # Equal keys hash alike: grouping on the hash (one number, not five texts) finds no
        # repeat where there is none; where it finds one (or a collision), count exactly.
        if not scalar(con, f"select count(*) from (select hash({key}) as h from {table} "
                           f"group by h having count(*) > 1)"):
            continue
        dupes = scalar(con, f"select count(*) from (select {key} from {table} "
                            f"group by all having count(*) > 1)")
        if dupes:
            problems.append(f"{table}: {dupes} duplicate keys on ({key})")
    return problems


def check_columns(con) -> list[str]:
    """Every described column exists with its type."""
    found = {(t, c): d for t, c, d in con.execute(
        "select table_name, column_name, data_type from information_schema.columns").fetchall()}
    problems = []
    for spec in schema.TABLES:
        for col in spec.columns:
            actual = found.get((spec.name, col.name))
            if actual is None:
                problems.append(f"{spec.name}: missing column {col.name}")
            elif not schema.type_matches(actual, col.type):
                problems.append(f"{spec.name}.{col.name}: type {actual}, expected {col.type}")
    return problems


def check_allowed(con) -> list[str]:
    """Columns with a fixed set of values hold nothing else (status, level, direction, ...)."""
    problems = []
    for spec in schema.TABLES:
        for col in (c for c in spec.columns if c.allowed):
            bad = [r[0] for r in con.execute(
                f"select distinct {col.name} from {spec.name} where {col.name} is not null "
                f"and not list_contains(?, {col.name}) order by 1 limit 5",
                [list(col.allowed)]).fetchall()]
            if bad:
                problems.append(f"{spec.name}.{col.name}: unexpected values {bad}")
    return problems


def low_coverage_has_no_value(con) -> list[str]:
    """A value whose gemeenten cover less than 95% of the inhabitants is not given."""
    return counted(con, "select count(*) from indicator_value where status = 'low_coverage' "
                        "and value is not null",
                   "indicator_value: {n} low-coverage rows with a value")


def scores_in_range(con) -> list[str]:
    """Scores lie between 0 and 10."""
    return counted(con, "select count(*) from indicator_score where score < 0 or score > 10",
                   "indicator_score: {n} scores outside 0-10")


def level_counts(con) -> list[str]:
    """Region counts per level, and pilot regions."""
    problems = []
    counts = dict(con.execute("select region_level, count(*) from region group by 1").fetchall())
    for level, expected in EXPECTED_LEVEL_COUNTS.items():
        if counts.get(level) != expected:
            problems.append(f"region: {counts.get(level, 0)} {level} regions, expected {expected}")
    if not counts.get("proeftuin"):
        problems.append("region: no pilot regions")
    return problems


def members_are_gemeenten(con) -> list[str]:
    """Every member of a region is a current gemeente."""
    return counted(con, "select count(*) from region_membership m left join region r "
                        "on r.region_code = m.gemeente_code and r.region_level = 'gemeente' "
                        "where r.region_code is null",
                   "region_membership: {n} members are not current gemeenten")


def every_region_drawn(con) -> list[str]:
    """Geometry for every region."""
    problems = []
    no_geom = con.execute("select region_code from region r where not exists (select 1 from "
                          "geometry g where g.region_code = r.region_code)").fetchall()
    if no_geom:
        problems.append(f"geometry missing for {[r[0] for r in no_geom][:10]}")
    return problems


def check_years(con) -> list[str]:
    """Every period table has annual gemeente figures."""
    present = {r[0] for r in con.execute(
        "select distinct table_id from stg_cbs_value where region_type = 'GM' "
        "and period_type = 'JJ' and year is not null").fetchall()}  # one scan for all tables
    return [f"{spec.id}: no annual gemeente figures" for spec in load_tables()
            if spec.boundaries != "none" and spec.id not in present]


def check_indicators(con) -> list[str]:
    """Every registered indicator is in the warehouse, and values cover gemeenten."""
    return counted(con, "select count(*) from indicator i where data_gap is null and not exists "
                        "(select 1 from indicator_value v where v.indicator_id = i.indicator_id)",
                   "{n} indicators without any value")


RULES = {f.__name__: f for f in (level_counts, members_are_gemeenten, every_region_drawn,
                                 low_coverage_has_no_value, scores_in_range)}


def check_rules(con) -> list[str]:
    """The rules the tables name in etl/schema.py."""
    return [p for spec in schema.TABLES for rule in spec.rules for p in RULES[rule](con)]


def listed(rows: list[tuple]) -> str:
    """A few offending rows as 'indicator region year: value'."""
    return ", ".join(" ".join(str(v) for v in row) for row in rows[:EXAMPLES])


def implausible(con, what: str, where: str, *params) -> list[str]:
    """One plausibility rule over gemeente and region values: the rows breaking it, named."""
    rows = con.execute(f"""
        select v.indicator_id, v.region_code, v.year, v.value
        from indicator_value v join indicator i using (indicator_id)
        where v.value is not null and ({where})
        order by v.indicator_id, v.region_code, v.year""", list(params)).fetchall()
    return [f"{what}: {len(rows)} values, e.g. {listed(rows)}"] if rows else []


def check_plausible(con) -> list[str]:
    """Values that cannot be right: negative counts, percentages outside 0-100, a gemeente's
    population outside a sane band (in the regions table and as the indicator)."""
    low, high = GEMEENTE_POPULATION
    problems = implausible(con, "negative counts", "i.aggregation = 'sum' and v.value < 0")
    problems += implausible(con, "percentages outside 0-100",
                            "starts_with(i.unit_en, '%') and (v.value < 0 or v.value > 100)")
    problems += implausible(con, f"gemeente population outside {low}-{high}",
                            "i.indicator_id = 'bevolking' and v.region_code like 'GM%' "
                            "and (v.value < ? or v.value > ?)", low, high)
    rows = con.execute("select region_code, population from region where region_level = "
                       "'gemeente' and (population is null or population < ? or population > ?) "
                       "order by region_code", [low, high]).fetchall()
    if rows:
        problems.append(f"region: {len(rows)} gemeenten with a population outside {low}-{high}, "
                        f"e.g. {listed(rows)} (CBS table 85755NED)")
    return problems


def jump_warnings(con) -> list[str]:
    """Gemeente values that change by more than JUMP_FACTOR from one year to the next: one
    warning per indicator, with the count and the first case."""
    rows = con.execute("""
        with series as (
            select v.indicator_id, v.region_code, v.year, v.value,
                   lag(v.value) over w as previous, lag(v.year) over w as previous_year
            from indicator_value v
            where v.region_code like 'GM%' and v.value is not null
            window w as (partition by v.indicator_id, v.region_code order by v.year)),
        jumps as (
            select * from series
            where previous_year = year - 1 and previous > 0 and value > 0
              and greatest(value / previous, previous / value) > ?)
        select indicator_id, count(*),
               arg_min(region_code || ' ' || year || ': ' || round(previous, 2) || ' -> '
                       || round(value, 2), region_code || year)
        from jumps group by 1 order by 1""", [JUMP_FACTOR]).fetchall()
    return [f"{indicator}: {n} gemeente values change more than {JUMP_FACTOR}x from one year to "
            f"the next (check against StatLine), e.g. {example}"
            for indicator, n, example in rows]


def validate_warehouse(path: Path) -> list[str]:
    """Raise ValidationError listing every broken rule of the warehouse at `path`; return the
    warnings (plausible but unusual values)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        problems = check_tables(con)
        if not problems:
            for check in (check_columns, check_unique, check_allowed, check_rules, check_years,
                          check_indicators, check_plausible):
                problems += check(con)
        warnings = [] if problems else jump_warnings(con)
    finally:
        con.close()
    if problems:
        raise ValidationError("; ".join(problems))
    return warnings
