"""The code's structure: the data layer runs without Streamlit, caching sits at the edge."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA_LAYER = ("about", "wijken", "charts", "db", "economy", "export", "figures", "fonts", "i18n",
              "maps", "member_list", "memo", "narrative", "numbers", "peers", "profile",
              "provenance", "queries", "regions", "releases", "report", "report_pdf",
              "sensitivity")
APP_SIDE = ("cached", "downloads", "show", "state", "widgets")


def test_data_layer_runs_without_streamlit(warehouse):
    """A script (or a notebook) gets a region's profile, report and export file without
    Streamlit being imported at all."""
    script = (
        "import sys\n"
        f"from monitor import {', '.join(DATA_LAYER)}\n"
        "amsterdam = regions.stored('GM0363')\n"
        "table = profile.indicator_table(amsterdam)\n"
        "row = table.set_index('indicator_id').loc['bevolking']\n"
        "html = report.build_report(amsterdam, 'en')\n"
        "data = export.to_csv(table[['indicator_id', 'value']])\n"
        "assert 'streamlit' not in sys.modules, 'the data layer imported streamlit'\n"
        "print(row['year'], row['value_text'], 'Amsterdam' in html, len(data) > 100)\n")
    env = {**os.environ, "REM_WAREHOUSE": str(warehouse)}
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    # Amsterdam's inhabitants on 1 January 2024 as CBS publishes them (931 298), in Dutch
    # notation: outside the app the default language.
    assert done.stdout.split() == ["2024", "931", "298", "inwoners", "True", "True"]


def test_streamlit_only_at_the_edge():
    """Only the app's edge modules import Streamlit; the data layer does not mention it."""
    modules = {p.stem for p in (REPO / "monitor").glob("*.py")}
    # server and budget are the server's plumbing: they hook into Streamlit's runtime itself
    assert modules - {"__init__", "server", "budget"} == set(DATA_LAYER) | set(APP_SIDE), \
        "a new module in monitor/: add it to DATA_LAYER (no Streamlit) or APP_SIDE"
    for name in DATA_LAYER:
        text = (REPO / "monitor" / f"{name}.py").read_text(encoding="utf-8")
        assert "import streamlit" not in text and "st.cache" not in text, name
    for name in APP_SIDE:
        assert "import streamlit" in (REPO / "monitor" / f"{name}.py").read_text(), name


def test_cache_decorators_in_one_place():
    """Cache bounds are set in monitor/cached.py only (one place to tune them)."""
    for path in [*REPO.glob("monitor/*.py"), *REPO.glob("pages/*.py"), REPO / "app.py"]:
        if path.name != "cached.py":
            assert "cache_data(" not in path.read_text(encoding="utf-8"), path.name


def test_one_set_of_levels():
    """The app's level lists hold exactly the warehouse's levels (etl/schema.py)."""
    from etl.schema import LEVELS
    from monitor import regions

    assert sorted(regions.LEVELS) == sorted(LEVELS)
    assert set(regions.MAP_LEVELS) == set(LEVELS) - {"land"}


def test_url_read_in_state_only():
    """The URL is read and written through monitor/state.py only (validated there)."""
    for path in [*REPO.glob("monitor/*.py"), *REPO.glob("pages/*.py"), REPO / "app.py"]:
        if path.name != "state.py":
            assert "st.query_params" not in path.read_text(encoding="utf-8"), path.name


# A test of a region's kind: comparing with the composed region's code, or asking whether it
# is composed. Only the resolver (monitor/regions.py), the query layer that aggregates composed
# regions, and the URL state that reads them may do so.
KIND_TEST = re.compile(r"""(==|!=|\bin)\s*(\w+\.)?CUSTOM\b|\bCUSTOM\s+(not\s+)?in\b"""
                       r"""|["']CUSTOM["']|\.composed\b"""
                       r"""|level["']?\]?\s*==\s*["']custom["']""")
RESOLVERS = {"monitor/regions.py", "monitor/queries.py", "monitor/state.py"}


def test_no_page_or_builder_tests_a_regions_kind():
    offenders = []
    for path in [*REPO.glob("monitor/*.py"), *REPO.glob("pages/*.py"), REPO / "app.py"]:
        name = str(path.relative_to(REPO))
        if name in RESOLVERS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if KIND_TEST.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_kind_test_pattern_catches_the_old_forms():
    """The pattern above finds each way the code used to tell composed regions apart."""
    for line in ('if code == queries.CUSTOM:', 'stored = [c for c in codes if c != CUSTOM]',
                 'if CUSTOM in codes', 'code = name if code == "CUSTOM" else code',
                 'if region.composed:', 'if info["level"] == "custom":'):
        assert KIND_TEST.search(line), line
    assert not KIND_TEST.search("region.editable and MAX_CUSTOM_MEMBERS")


def test_cached_results_follow_the_warehouse_file(warehouse, tmp_path, monkeypatch):
    """With the app's cache installed, a replaced warehouse is read at the next call: the
    warehouse version is part of every key (no restart, no stale region names)."""
    import shutil

    import duckdb
    import streamlit as st

    from monitor import cached, memo, queries

    other = tmp_path / "other.duckdb"
    shutil.copy(warehouse, other)
    con = duckdb.connect(str(other))
    con.execute("update region set region_name = 'Zeeland (herbouwd)' "
                "where region_code = 'PV29'")
    con.close()
    memo.use(cached.keyed)
    st.cache_data.clear()

    def name() -> str:
        frame = queries.regions("provincie")
        return frame.set_index("region_code").loc["PV29", "region_name"]

    monkeypatch.setenv("REM_WAREHOUSE", str(warehouse))
    assert name() == "Zeeland"
    monkeypatch.setenv("REM_WAREHOUSE", str(other))
    assert name() == "Zeeland (herbouwd)"
    monkeypatch.setenv("REM_WAREHOUSE", str(warehouse))
    assert name() == "Zeeland"
    st.cache_data.clear()
