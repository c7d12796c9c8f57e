"""The warehouse's description (etl/schema.py) matches a built warehouse and the doc.

The datasette pattern: a table or column the build adds without describing it fails here, and
so does a docs/warehouse.md that was not regenerated (`python -m etl docs`).
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from etl import schema, validate


def test_every_table_and_column_of_the_warehouse_is_described(con):
    columns = con.execute("select table_name, column_name, data_type from "
                          "information_schema.columns order by table_name").fetchall()
    undescribed = []
    for table, column, data_type in columns:
        if schema.in_family(table):
            continue
        names = {t.name for t in schema.TABLES}
        if table not in names:
            undescribed.append(f"table {table}")
            continue
        described = {c.name: c.type for c in schema.table(table).columns}
        if column not in described:
            undescribed.append(f"column {table}.{column} ({data_type})")
        elif not schema.type_matches(data_type, described[column]):
            undescribed.append(f"{table}.{column} is {data_type}, described as "
                               f"{described[column]}")
    assert not undescribed, ("describe these in etl/schema.py, then run python -m etl docs:\n"
                             + "\n".join(undescribed))
    present = {t for t, _, _ in columns}
    assert {t.name for t in schema.TABLES} <= present
    assert any(t.startswith("raw_cbs__") for t in present) and "stg_gebieden_2024" in present
    assert schema.type_matches('"NULL"', "VARCHAR") and not schema.type_matches("DOUBLE",
                                                                                "VARCHAR")


def test_committed_doc_is_the_generated_one():
    text = schema.DOC.read_text(encoding="utf-8")
    assert schema.render_doc(text) == text, "run python -m etl docs"
    assert schema.documented_tables(text) == {t.name for t in schema.TABLES}


def test_generated_block_says_columns_types_allowed_values_and_key():
    block = schema.markdown(schema.table("indicator_value"))
    assert "; one of `ok`, `published`, `low_coverage`, `incomplete_sum`, `unreliable`, " \
           "`other_boundaries`, `other_territory`, `missing` |" in block
    assert "| `source` | varchar |" in block
    assert block.rstrip().endswith("Unique on (`indicator_id`, `region_code`, `year`).")


def test_every_rule_a_table_names_exists():
    named = {rule for t in schema.TABLES for rule in t.rules}
    assert named == set(validate.RULES)


def test_validation_refuses_values_outside_the_description(warehouse, tmp_path):
    """A warehouse with a wrong status, level and direction, a value despite low coverage, a
    score above 10, a member that is no gemeente and an indicator without values is refused
    with each broken rule named."""
    broken = tmp_path / "broken.duckdb"
    shutil.copy(warehouse, broken)
    con = duckdb.connect(str(broken))
    con.execute("update indicator_value set status = 'fine' where rowid = (select min(rowid) "
                "from indicator_value where status = 'ok')")
    con.execute("update indicator_value set value = 1 where rowid = (select min(rowid) from "
                "indicator_value where status = 'low_coverage')")
    con.execute("update indicator set direction = 'up' where indicator_id = 'werkloosheid_pct'")
    con.execute("alter table geometry drop column max_lat")
    con.execute("update indicator_score set score = 11 where rowid = (select min(rowid) from "
                "indicator_score)")
    con.execute("update region_membership set gemeente_code = 'GM9999' where rowid = (select "
                "min(rowid) from region_membership)")
    con.execute("delete from indicator_value where indicator_id = 'hbo_wo_pct'")
    con.close()
    with pytest.raises(validate.ValidationError) as caught:
        validate.validate_warehouse(broken)
    message = str(caught.value)
    assert "indicator_value.status: unexpected values ['fine']" in message
    assert "indicator.direction: unexpected values ['up']" in message
    assert "indicator_value: 1 low-coverage rows with a value" in message
    assert "geometry: missing column max_lat" in message
    assert "indicator_score: 1 scores outside 0-10" in message
    assert "region_membership: 1 members are not current gemeenten" in message
    assert "1 indicators without any value" in message


def test_built_warehouse_passes_validation(warehouse):
    validate.validate_warehouse(warehouse)  # raises on any broken rule
