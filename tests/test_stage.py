"""Staging: keys, periods, slices by title, measure names and the errors on bad input."""

from __future__ import annotations

import pytest
from fixtures import write_raw_table

from etl.catalog import SliceSpec, TableSpec, load_tables
from etl.raw import RawTableError, read_raw_table
from etl.stage import parse_period, stage_table, strip_region_key


def spec(slices=(({"Geslacht": "Totaal mannen en vrouwen"}, False),), measures=None):
    return TableSpec(
        id="TEST01", alias="test", title="t", boundaries="current",
        slices=tuple(SliceSpec(tuple(sorted(s.items())), opt) for s, opt in slices),
        measures=measures or {"Aantal_1": "aantal_x1000"},
    )


@pytest.mark.parametrize("code, expected", [
    ("2023JJ00", (2023, "JJ")), ("2024HJ01", (2024, "HJ")), ("2019KW04", (2019, "KW")),
    ("2010MM12", (2010, "MM")), (" 2023JJ00 ", (2023, "JJ")),
])
def test_parse_period(code, expected):
    assert parse_period(code) == expected


@pytest.mark.parametrize("bad", ["2023", "JJ002023", "2023 december", ""])
def test_parse_period_rejects(bad):
    with pytest.raises(ValueError, match="period"):
        parse_period(bad)


def test_strip_region_key():
    assert strip_region_key("NL01  ") == "NL01"
    assert strip_region_key("GM0363") == "GM0363"


def test_stage_selects_slice_by_title_and_names_measures(tmp_path):
    raw = read_raw_table(write_raw_table(tmp_path))
    staged, absent = stage_table(raw, spec())
    assert absent == []
    # the 'Mannen' row is dropped, the wijk row (WK) too, NULL values are not staged
    annual = staged[(staged.period_type == "JJ") & (staged.measure == "Aantal_1")]
    assert dict(zip(annual.region_code, annual.value, strict=True)) == {"NL01": 100.0,
                                                                        "GM0363": 60.0}
    assert set(staged.region_type) == {"NL", "GM"}
    assert set(staged.measure_name) == {"aantal_x1000", "Percentage_2"}
    assert staged.loc[staged.measure == "Percentage_2", "region_code"].tolist().count("GM0363") == 1
    half = staged[staged.period_type == "HJ"]
    assert half.year.unique().tolist() == [2024]
    assert staged.slice.unique().tolist() == ["Geslacht=Totaal mannen en vrouwen"]


def test_stage_uses_titles_not_keys(tmp_path):
    """Live keys are codes (T001038); offline Key == Title. Both select the same slice."""
    raw = read_raw_table(write_raw_table(tmp_path))
    assert (raw.data["Geslacht"] == "T001038").any()
    staged, _ = stage_table(raw, spec())
    assert len(staged) > 0


def test_missing_slice_is_an_error_naming_the_table(tmp_path):
    raw = read_raw_table(write_raw_table(tmp_path))
    with pytest.raises(RawTableError, match="TEST01.*not found"):
        stage_table(raw, spec(slices=(({"Geslacht": "Vrouwen"}, False),)))


def test_optional_slice_may_be_absent(tmp_path):
    raw = read_raw_table(write_raw_table(tmp_path))
    staged, absent = stage_table(raw, spec(slices=(
        ({"Geslacht": "Totaal mannen en vrouwen"}, False), ({"Geslacht": "Vrouwen"}, True))))
    assert absent == ["Geslacht=Vrouwen"]
    assert len(staged) > 0


def test_renamed_measure_is_an_error(tmp_path):
    raw = read_raw_table(write_raw_table(tmp_path))
    with pytest.raises(RawTableError, match="measure column.*Aantal_9"):
        stage_table(raw, spec(measures={"Aantal_9": "x"}))


def test_dimension_without_declared_slice_is_an_error(tmp_path):
    raw = read_raw_table(write_raw_table(tmp_path))
    with pytest.raises(RawTableError, match="no slices declared"):
        stage_table(raw, spec(slices=()))


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / "TypedDataSet.json").write_text("[{\"ID\": 0,"), "malformed JSON"),
    (lambda d: (d / "DataProperties.json").unlink(), "missing file DataProperties.json"),
    (lambda d: (d / "TypedDataSet.json").write_text("[]"), "no rows"),
    (lambda d: (d / "Geslacht.json").unlink(), "missing file Geslacht.json"),
])
def test_raw_table_errors_name_table_and_file(tmp_path, damage, message):
    table_dir = write_raw_table(tmp_path)
    damage(table_dir)
    with pytest.raises(RawTableError, match=f"TEST01.*{message}"):
        read_raw_table(table_dir)


def test_every_declared_table_stages_from_the_bundle(bundle_table):
    for table in load_tables():
        raw = bundle_table(table.id)
        if table.boundaries == "none":
            continue
        staged, _ = stage_table(raw, table)
        gm = staged[(staged.region_type == "GM") & (staged.period_type == "JJ")]
        assert gm.region_code.str.fullmatch(r"GM\d{4}").all(), table.id
        assert not staged.duplicated(["slice", "region_code", "period_code", "measure"]).any()
