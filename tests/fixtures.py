"""Hand-made miniature CBS tables for unit tests (test fixtures, not CBS data)."""

from __future__ import annotations

import json
from pathlib import Path

# The 13 gemeenten of provincie Zeeland (= pilot region PR_zeeland), 2024 codes.
ZEELAND = ("GM0654,GM0664,GM0677,GM0678,GM0687,GM1695,GM0703,GM1676,GM1714,GM0715,GM0716,"
           "GM0717,GM0718")


def write_raw_table(directory: Path, table_id: str = "TEST01", rows: list[dict] | None = None,
                    dims: dict[str, list[dict]] | None = None,
                    measures: tuple[str, ...] = ("Aantal_1", "Percentage_2")) -> Path:
    """Write a tiny table in the cbsodata.download_data(typed=True) layout; return its dir."""
    table_dir = directory / table_id
    table_dir.mkdir(parents=True, exist_ok=True)
    dims = dims if dims is not None else {
        "Geslacht": [{"Key": "T001038", "Title": "Totaal mannen en vrouwen"},
                     {"Key": "3000", "Title": "Mannen"}],
    }
    rows = rows if rows is not None else [
        {"ID": 0, "Geslacht": "T001038", "RegioS": "NL01  ", "Perioden": "2023JJ00",
         "Aantal_1": 100.0, "Percentage_2": 5.0},
        {"ID": 1, "Geslacht": "T001038", "RegioS": "GM0363", "Perioden": "2023JJ00",
         "Aantal_1": 60.0, "Percentage_2": None},
        {"ID": 2, "Geslacht": "3000", "RegioS": "GM0363", "Perioden": "2023JJ00",
         "Aantal_1": 30.0, "Percentage_2": 4.0},
        {"ID": 3, "Geslacht": "T001038", "RegioS": "GM0363", "Perioden": "2024HJ01",
         "Aantal_1": 61.0, "Percentage_2": 4.5},
        {"ID": 4, "Geslacht": "T001038", "RegioS": "WK036300", "Perioden": "2023JJ00",
         "Aantal_1": 1.0, "Percentage_2": 1.0},
    ]
    props = [{"Key": d, "Type": "Dimension"} for d in dims]
    props += [{"Key": "RegioS", "Type": "GeoDimension"},
              {"Key": "Perioden", "Type": "TimeDimension"}]
    props += [{"Key": m, "Type": "Topic"} for m in measures]
    files = {
        "TypedDataSet.json": rows,
        "DataProperties.json": props,
        "TableInfos.json": [{"Identifier": table_id, "Title": "test", "Modified": "2024-03-01"}],
        "RegioS.json": [{"Key": "NL01  ", "Title": "Nederland"}, {"Key": "GM0363", "Title": "A"}],
        "Perioden.json": [{"Key": "2023JJ00", "Title": "2023"}, {"Key": "2024HJ01", "Title": "x"}],
        **{f"{d}.json": codes for d, codes in dims.items()},
    }
    for name, payload in files.items():
        (table_dir / name).write_text(json.dumps(payload), encoding="utf-8")
    return table_dir


def shown_tables(at) -> list:
    """The plain tables an AppTest run shows (monitor.show.table: HTML), as frames of their
    text, hidden index restored, in page order."""
    from monitor import show

    return [frame for element in at.get("html")
            for frame in show.read_tables(element.proto.body)]
