"""Compare two warehouses in every figure: indicator values, scores, scales, factor scores.

    python bench/compare_builds.py BEFORE.duckdb AFTER.duckdb

For each table it joins the two builds on the table's key (from etl/schema.py) and counts
rows only in one build and rows whose columns differ (numbers beyond a relative 1e-9, other
columns exactly). Exit status 0 when the builds agree everywhere, 1 otherwise. Used to show
that a refactor changed no number (see bench/RESULTS.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl import schema  # noqa: E402

TABLES = ("gm_value", "indicator_value", "indicator_scale", "indicator_score", "factor_weight",
          "factor_score", "factor_score_latest", "region", "region_membership")
NUMERIC = ("DOUBLE", "DECIMAL(2,1)", "BIGINT", "INTEGER")


def differing(con, table: str) -> dict[str, int]:
    """Rows only before, only after, and with a different value in some column."""
    spec = schema.table(table)
    key = list(spec.key) or [spec.columns[0].name]
    before = {r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_catalog = 'a' "
        "and table_name = ?", [table]).fetchall()}
    after = {r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_catalog = 'b' "
        "and table_name = ?", [table]).fetchall()}
    columns = [c for c in spec.columns if c.name in before & after and c.name not in key]
    on = " and ".join(f"x.{k} is not distinct from y.{k}" for k in key)
    tests = []
    for col in columns:
        x, y = f"x.{col.name}", f"y.{col.name}"
        if col.type in NUMERIC:
            tests.append(f"(({x} is null) <> ({y} is null) or abs({x} - {y}) > "
                         f"1e-9 * greatest(1, abs({x})))")
        else:
            tests.append(f"{x} is distinct from {y}")
    changed = " or ".join(tests) or "false"
    sql = (f"select count(*) filter (where y.{key[0]} is null and x.{key[0]} is not null),"
           f" count(*) filter (where x.{key[0]} is null and y.{key[0]} is not null),"
           f" count(*) filter (where x.{key[0]} is not null and y.{key[0]} is not null"
           f" and ({changed})), count(*)"
           f" from a.{table} x full join b.{table} y on {on}")
    only_before, only_after, changed_rows, total = con.execute(sql).fetchone()
    return {"rows": total, "only_before": only_before, "only_after": only_after,
            "changed": changed_rows,
            "columns_only_in_one": len((before ^ after) & {c.name for c in spec.columns})}


def compare(before: Path, after: Path) -> dict[str, dict[str, int]]:
    """Per table: row counts and differences."""
    con = duckdb.connect(":memory:")
    con.execute("attach ? as a (read_only)", [str(before)])
    con.execute("attach ? as b (read_only)", [str(after)])
    try:
        return {table: differing(con, table) for table in TABLES}
    finally:
        con.close()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    result = compare(Path(argv[0]), Path(argv[1]))
    print("| table | rows | only before | only after | changed |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for table, r in result.items():
        print(f"| {table} | {r['rows']} | {r['only_before']} | {r['only_after']} | "
              f"{r['changed']} |")
    same = all(r["only_before"] == r["only_after"] == r["changed"] == 0 for r in result.values())
    print("identical in every figure" if same else "the builds differ")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
