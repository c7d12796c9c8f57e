"""Bad input from users: fuzzed URL parameters never break a page, and SQL is never built
from text a user can influence (every value is bound or allow-listed)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
PAGES = ["pages/overzicht.py", "pages/kaart.py", "pages/regioprofiel.py", "pages/wijken.py",
         "pages/vergelijken.py",
         "pages/trends.py", "pages/eigen_regio.py", "pages/export.py", "pages/over_de_data.py",
         "pages/veranderd.py"]
PARAMS = ["region", "regions", "indicator", "indicator_y", "year", "level", "lang", "custom",
          "custom_name", "present", "highlight", "mode", "base", "background", "levels",
          "indicators", "years", "format", "chart", "pilots", "peer_k", "peer_set", "weights",
          "factor", "measure", "release", "from", "to"]
NASTY = [
    "'; drop table region; --", "GM0363' or '1'='1", "<script>alert(1)</script>",
    "**bold** [x](javascript:alert(1))", "GM0363," * 400, "x" * 5000, "NL01", "PR_mra",
    "CUSTOM", "-1", "1e309", "NaN", "2024.5", "", " ", "😀🇳🇱", "Ä\u202eevil", "GM0363\nGM0362",
    "werkloosheid_pct", "gemeente", "en", "1", "0", ",,,", "GM9999", "PR_" + "a" * 100,
    "2020-01-01.abcd", "../warehouse", "2026-12-05.../../x",  # releases: not kept, not ids
]
# Digits str.isdigit() accepts and int() rejects ('²', '①', '⁴') or reads although they are
# not ASCII (Arabic-Indic, fullwidth): a link must never turn them into a number or a traceback.
ODD_DIGITS = "²³⁴①⑨٠١٢٣٤٥٦٧٨٩０１２４۲"
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str),
                   st.text(alphabet="0123456789-," + ODD_DIGITS, min_size=1, max_size=9),
                   st.sampled_from(["GM", "PV", "CR", "AM", "20"]).flatmap(
                       lambda p: st.text(alphabet="0123" + ODD_DIGITS, min_size=1,
                                         max_size=4).map(lambda d: p + d)))


@pytest.fixture
def run_warm(warehouse, make_app, monkeypatch):
    """Page runs on a warm cache (cleared once, not before every run): hundreds stay fast."""
    import streamlit

    make_app(warehouse).run()
    monkeypatch.setattr(streamlit.cache_data, "clear", lambda: None)
    return lambda page, **params: make_app(warehouse, page, **params).run()


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(page=st.sampled_from(PAGES),
       params=st.dictionaries(st.sampled_from(PARAMS), values, min_size=1, max_size=4))
def test_fuzzed_url_parameters_render_a_page(run_warm, page, params):
    at = run_warm(page, **params)
    assert not at.exception, (page, params, [e.value for e in at.exception])
    assert len(at.title) >= 1  # a page, not an empty screen
    for element in at.markdown:
        assert "<script" not in element.value.lower()


@pytest.mark.parametrize("page, params", [
    ("pages/overzicht.py", {"region": "GM0363' or '1'='1"}),
    ("pages/kaart.py", {"indicator": "werkloosheid_pct; drop table region"}),
    ("pages/kaart.py", {"year": "2024 or 1=1"}),
    ("pages/vergelijken.py", {"regions": "PR_mra,GM9999,<b>x</b>"}),
    ("pages/kaart.py", {"level": "land"}),
    ("pages/regioprofiel.py", {"custom": "GM0363,GM9999", "region": "CUSTOM"}),
])
def test_refused_parameter_gets_a_notice(run_page, page, params):
    at = run_page(page, **params)
    assert not at.exception
    assert any(name in w.value for w in at.warning for name in params)


def built_from_values(node: ast.AST, names: dict[str, ast.AST], depth: int = 0) -> bool:
    """Whether SQL text is built from something other than literals and UPPER_CASE constants
    (module-level SQL fragments): an f-string, '+' or '%' with a variable, .format()."""
    if depth > 10:
        return True
    if isinstance(node, ast.Constant):
        return False
    if isinstance(node, ast.Name):
        if node.id.isupper():
            return False
        value = names.get(node.id)
        return value is None or built_from_values(value, names, depth + 1)
    if isinstance(node, ast.JoinedStr):
        return any(built_from_values(v.value, names, depth + 1) for v in node.values
                   if isinstance(v, ast.FormattedValue))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return (built_from_values(node.left, names, depth + 1)
                or built_from_values(node.right, names, depth + 1))
    return True  # .format(), a call, anything else: not known to be constant text


def sql_calls_with_fstrings(path: Path, source: str | None = None) -> list[str]:
    """Calls like db.query(f"...{x}..."), con.execute("..." + x) or .sql(s.format(x)) in a
    module, where x is not an UPPER_CASE constant."""
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    # a function's own SQL parameter (db.query(sql, ...)) is checked where it is called
    names: dict[str, ast.AST] = {a.arg: ast.Constant("") for node in ast.walk(tree)
                                 if isinstance(node, ast.FunctionDef) for a in node.args.args}
    names.update({target.id: node.value for node in ast.walk(tree)
                  if isinstance(node, ast.Assign) for target in node.targets
                  if isinstance(target, ast.Name)})
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("query", "execute", "sql") and node.args
                and built_from_values(node.args[0], names)):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_sql_check_catches_every_way_of_building_text():
    bad = ['db.query(f"select * from t where a = {x}")', 'con.execute("select " + col)',
           'db.query("select {}".format(x))', 'con.execute("select %s" % x)',
           'sql = "select " + x\ndb.query(sql)', 'db.query(make_sql())']
    good = ['db.query("select * from t where a = ?", [x])', 'db.query("select" + FILTER)',
            'db.query(f"select * from {TABLE}")', 'sql = "select 1"\ndb.query(sql, [])',
            'def query(sql):\n    cursor.execute(sql, [])']
    for source in bad:
        assert sql_calls_with_fstrings(Path("x.py"), source), source
    for source in good:
        assert not sql_calls_with_fstrings(Path("x.py"), source), source


def test_app_sql_takes_no_interpolated_text():
    """The app (what users reach) binds every value; no f-string SQL anywhere in it."""
    files = [REPO / "app.py", *sorted((REPO / "monitor").glob("*.py")),
             *sorted((REPO / "pages").glob("*.py"))]
    assert not [hit for f in files for hit in sql_calls_with_fstrings(f)]


def test_pages_hold_no_sql():
    for page in sorted((REPO / "pages").glob("*.py")):
        text = page.read_text(encoding="utf-8").lower()
        assert not re.search(r"\bselect\b[^\n]*\bfrom\b", text), page.name
        assert "duckdb" not in text and "cbsodata" not in text, page.name


def test_notice_shows_a_refused_value_as_plain_text(run_page):
    """A crafted link or markup in the URL is quoted as a code span, never rendered."""
    at = run_page("pages/overzicht.py", region="[klik](http://example.org) `x` <b>y</b>")
    notice = next(w.value for w in at.warning if "region" in w.value)
    assert "`[klik](http://example.org) x <b>y</b>`" in notice
