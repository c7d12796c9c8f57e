"""The Dutch interface reads as Dutch: no English data-gap reason or pilot-variant text, no
repository path, no 'None', no 'Nederland (nederland)' on the pages a first visitor opens."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from fixtures import shown_tables

# English phrases the registry and the pilot-region file used to put in the Dutch UI
ENGLISH = ("is not in this data source", "the snapshot keeps", "data shipped here",
           "before Hardinxveld", "joined", "Reproducible proxy", "urban gemeenten",
           "not verified", "mapped to 2024", "Original U10", "Modified by CBS")
PATH = re.compile(r"(etl/|monitor/|\.ya?ml\b|/work/|\.py\b|\.duckdb\b)")
VIEWS = [
    ("pages/kaart.py", {"indicator": "werkloosheid_pct", "level": "proeftuin"}),
    ("pages/regioprofiel.py", {"region": "PR_drechtsteden"}),
    ("pages/regioprofiel.py", {"region": "PR_u10__u10_12"}),
    ("pages/vergelijken.py", {}),
    ("pages/export.py", {"levels": "proeftuin", "indicators": "werkloosheid_pct"}),
    ("pages/over_de_data.py", {}),
    (None, {"region": "NL01"}),
]


def page_text(at) -> str:
    """Every text a reader sees in an AppTest run: headings, markdown, captions, notices,
    widget labels and options, and the cells of tables."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "success", "error", "expander", "toggle", "checkbox", "button"):
        for element in getattr(at, kind, []):
            parts += [str(getattr(element, attr, "") or "") for attr in ("value", "label",
                                                                           "help")]
    for box in list(at.selectbox) + list(at.multiselect):
        parts.append(box.label)
        parts += [str(o) for o in box.options]  # as shown (formatted)
    for table in list(at.dataframe) + list(at.table):
        value = table.value
        frame = value.data if hasattr(value, "data") else value
        if isinstance(frame, pd.DataFrame):
            parts.append(frame.to_string())
            parts += [str(c) for c in frame.columns]
    for frame in shown_tables(at):  # plain HTML tables (monitor.show); the hidden index is
        parts.append(frame.to_string(index=False))  # codes, never shown
        parts += [str(c) for c in frame.columns]
    return "\n".join(str(p) for p in parts if p is not None)


@pytest.mark.parametrize(("page", "params"), VIEWS,
                         ids=[f"{p or 'overzicht'}-{'-'.join(v.values())}" for p, v in VIEWS])
def test_dutch_pages_hold_no_english_or_paths(run_page, con, page, params):
    at = run_page(page, **params)
    assert not at.exception
    text = page_text(at)
    assert len(text) > 200  # the page did draw
    english_gaps = [r[0] for r in con.execute(
        "select data_gap from indicator where data_gap is not null").fetchall()]
    for sentence in [*ENGLISH, *english_gaps]:
        assert sentence not in text, sentence
    assert not PATH.search(text), PATH.search(text)
    assert "Nederland (nederland)" not in text and "None" not in text


def test_dutch_reasons_exist_for_every_gap(con):
    rows = con.execute("select indicator_id, data_gap, data_gap_nl from indicator "
                       "where data_gap is not null").fetchall()
    assert rows
    for ind, english, dutch in rows:
        assert dutch and dutch != english, ind
        assert "CBS-tabel" in dutch and "meegeleverde gegevens" in dutch, ind
