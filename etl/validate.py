"""Checks a freshly built warehouse must pass before it replaces the old one."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl import config
from etl.catalog import load_tables

REQUIRED_TABLES = (
    "stg_cbs_value", "region", "region_membership", "geometry", "indicator", "factor",
    "indicator_value", "indicator_score", "factor_score", "build_info", "build_meta",
)
EXPECTED_LEVEL_COUNTS = {"land": 1, "provincie": 12, "corop": 40, "arbeidsmarktregio": 35,
                         "gemeente": config.N_GEMEENTEN}
UNIQUE_KEYS = {
    "region": "region_code",
    "region_membership": "region_code, gemeente_code",
    "geometry": "region_code",
    "stg_cbs_value": "table_id, slice, region_code, period_code, measure",
    "indicator": "indicator_id",
    "indicator_value": "indicator_id, region_code, year",
    "factor_score": "region_code, factor_id, year",
}


class ValidationError(ValueError):
    """The new warehouse breaks a rule; the message lists every broken rule."""


def scalar(con, sql: str, *params):
    """First column of the first row."""
    return con.execute(sql, list(params)).fetchone()[0]


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
        dupes = scalar(con, f"select count(*) from (select {key} from {table} "
                            f"group by all having count(*) > 1)")
        if dupes:
            problems.append(f"{table}: {dupes} duplicate keys on ({key})")
    return problems


def check_regions(con) -> list[str]:
    """Region counts per level, pilot members, geometry for every region."""
    problems = []
    counts = dict(con.execute("select region_level, count(*) from region group by 1").fetchall())
    for level, expected in EXPECTED_LEVEL_COUNTS.items():
        if counts.get(level) != expected:
            problems.append(f"region: {counts.get(level, 0)} {level} regions, expected {expected}")
    if not counts.get("proeftuin"):
        problems.append("region: no pilot regions")
    orphans = scalar(con, "select count(*) from region_membership m left join region r "
                          "on r.region_code = m.gemeente_code and r.region_level = 'gemeente' "
                          "where r.region_code is null")
    if orphans:
        problems.append(f"region_membership: {orphans} members are not current gemeenten")
    no_geom = con.execute("select region_code from region r where not exists (select 1 from "
                          "geometry g where g.region_code = r.region_code)").fetchall()
    if no_geom:
        problems.append(f"geometry missing for {[r[0] for r in no_geom][:10]}")
    return problems


def check_years(con) -> list[str]:
    """Every period table has annual gemeente figures."""
    problems = []
    for spec in load_tables():
        if spec.boundaries == "none":
            continue
        n = scalar(con, "select count(distinct year) from stg_cbs_value where table_id = ? "
                        "and region_type = 'GM' and period_type = 'JJ'", spec.id)
        if not n:
            problems.append(f"{spec.id}: no annual gemeente figures")
    return problems


def check_indicators(con) -> list[str]:
    """Every registered indicator is in the warehouse, and values cover gemeenten."""
    missing = scalar(con, "select count(*) from indicator i where data_gap is null and not exists "
                          "(select 1 from indicator_value v where v.indicator_id = i.indicator_id)")
    return [f"{missing} indicators without any value"] if missing else []


def validate_warehouse(path: Path) -> None:
    """Raise ValidationError listing every broken rule of the warehouse at `path`."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        problems = check_tables(con)
        if not problems:
            for check in (check_unique, check_regions, check_years, check_indicators):
                problems += check(con)
    finally:
        con.close()
    if problems:
        raise ValidationError("; ".join(problems))
