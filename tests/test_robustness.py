"""No single user or operator action hurts everyone (issue 15): strict numbers in links, no
tracebacks for users, bounded exports and caches, one validated build at a time."""

from __future__ import annotations

import pytest

# Characters str.isdigit() accepts but int() rejects, and digits int() reads although they
# are not ASCII (Arabic-Indic, fullwidth): none of them may become a number from a link.
NON_ASCII_DIGITS = ["²", "①", "⁴", "٢٠٢٤", "２０２４", "²⁰²⁴", "2024²", "20２4"]
PAGES = ["pages/overzicht.py", "pages/kaart.py", "pages/regioprofiel.py", "pages/wijken.py",
         "pages/vergelijken.py",
         "pages/trends.py", "pages/eigen_regio.py", "pages/export.py", "pages/over_de_data.py"]


def digit_params(digits: str) -> dict[str, str]:
    """Every URL parameter that becomes a number or holds digits, filled with `digits`."""
    return {"year": digits, "base": digits, "years": f"{digits}-{digits}", "present": digits,
            "mode": "index", "region": f"GM{digits}", "regions": f"PR_mra,GM{digits}",
            "custom": f"GM0363,GM{digits}", "peer_k": digits,
            "weights": f"werkloosheid_pct:{digits},hbo_wo_pct:0.{digits}"}


def page_text(at) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "warning", "error", "info",
                                                "caption", "title")
                     for e in getattr(at, kind))


@pytest.mark.parametrize("page, params", [
    ("pages/kaart.py", {"year": "²"}),
    ("pages/vergelijken.py", {"year": "²"}),
    ("pages/trends.py", {"mode": "index", "base": "²"}),
    ("pages/kaart.py", {"year": "٢٠٢٤"}),
    ("pages/export.py", {"years": "٢٠١٣-٢٠٢٤", "levels": "provincie",
                         "indicators": "werkloosheid_pct"}),
])
def test_non_ascii_digit_is_refused_with_a_notice(run_page, page, params):
    at = run_page(page, **params)
    assert not at.exception, [e.value for e in at.exception]
    name = next(k for k in params if k in ("year", "base", "years"))
    assert any(f"'{name}'" in w.value for w in at.warning), [w.value for w in at.warning]


@pytest.mark.parametrize("digits", ["²", "①", "٢٠٢٤"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_takes_non_ascii_digits_in_every_numeric_parameter(run_page, page, digits):
    at = run_page(page, **digit_params(digits))
    assert not at.exception, (page, [e.value for e in at.exception])
    assert len(at.title) >= 1
    assert "Traceback" not in page_text(at) and "invalid literal" not in page_text(at)


def test_weights_take_ascii_decimals_only(run_page):
    at = run_page("pages/vergelijken.py", weights="werkloosheid_pct:١.٥,hbo_wo_pct:1_0")
    assert not at.exception
    assert any("'weights'" in w.value for w in at.warning), [w.value for w in at.warning]


def test_parse_number_takes_ascii_digits_only():
    from monitor.state import parse_number

    assert parse_number("2024") == 2024 and parse_number("0") == 0
    for value in [*NON_ASCII_DIGITS, "", " 2024", "2024 ", "+2024", "-1", "20245", "2e3", None]:
        assert parse_number(value) is None, value


def test_cleaned_name_notice_says_what_the_page_shows(run_page):
    """A composed region's name from a link is cleaned; the notice quotes the result."""
    at = run_page("pages/regioprofiel.py", region="CUSTOM", custom="GM0363,GM0362",
                  custom_name="Foo<b>*</b> Bar")
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert any("'Foo Bar'" in n and "opgeschoond" in n for n in notices), notices


def test_server_config_hides_error_details_and_limits_uploads():
    """The installed Streamlit reads the repository's config as meant: no error details in
    the browser, uploads limited to 1 MB (the app itself accepts 100 kB)."""
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=repo,
                         capture_output=True, text=True, timeout=120).stdout
    lines = set(out.splitlines())
    assert 'showErrorDetails = "none"' in lines
    assert "maxUploadSize = 1" in lines


def test_a_failing_page_shows_a_short_message_and_logs_the_details(run_page, monkeypatch,
                                                                    caplog):
    from monitor import queries

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/secret/warehouse.duckdb: disk I/O error")

    monkeypatch.setattr(queries, "build_meta", broken)
    with caplog.at_level("ERROR", logger="rem.app"):
        at = run_page("pages/kaart.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any("Er ging iets mis" in e.value for e in at.error), [e.value for e in at.error]
    shown = page_text(at)
    assert "/srv/secret" not in shown and "RuntimeError" not in shown
    logged = [r for r in caplog.records if r.name == "rem.app"]
    assert logged and logged[0].exc_info and "/srv/secret" in str(logged[0].exc_info[1])


ALL_LEVELS = "proeftuin,provincie,corop,arbeidsmarktregio,gemeente,land"


def test_excel_export_is_bounded_with_a_message_saying_what_to_narrow(run_page, con):
    """The whole warehouse as Excel is refused with a message; CSV of the same is offered."""
    from monitor.export import MAX_XLSX_ROWS

    ids = ",".join(r[0] for r in con.execute(
        "select indicator_id from indicator where data_gap is null").fetchall())
    at = run_page("pages/export.py", levels=ALL_LEVELS, indicators=ids, format="xlsx")
    assert not at.exception
    warning = next(w.value for w in at.warning if "Excel" in w.value)
    assert "tenhoogste50000rijen" in "".join(warning.split())  # format_value's thin space
    assert "CSV" in warning and "jaren" in warning
    assert MAX_XLSX_ROWS == 50_000
    assert not at.get("download_button")
    at = run_page("pages/export.py", levels=ALL_LEVELS, indicators=ids, format="csv")
    # the file and the data package that describes it (issue 22)
    assert not at.exception
    assert [b.key for b in at.get("download_button")] \
        == ["export_file_csv", "export_file_datapackage"]


def test_make_excel_refuses_more_rows_than_allowed():
    import pandas as pd

    from monitor import export

    frame = pd.DataFrame({"value": range(export.MAX_XLSX_ROWS + 1)})
    with pytest.raises(ValueError, match="at most"):
        export.file_maker("xlsx", frame, [], "nl")


def test_export_cache_stays_bounded_under_many_distinct_selections(warehouse, monkeypatch):
    """Every distinct export link used to stay cached (512 entries of up to ~30 MB each, no
    expiry). Now export_values keeps at most 3 results and 128 MB, whatever links arrive."""
    import pickle

    import streamlit
    from streamlit.runtime.caching.cache_data_api import get_data_cache_stats_provider

    from monitor import cached, memo, queries

    def cached_bytes() -> dict[str, int]:
        stats = get_data_cache_stats_provider().get_stats()
        return {s.cache_name: s.byte_length for family in stats.values() for s in family}

    monkeypatch.setenv("REM_WAREHOUSE", str(warehouse))
    streamlit.cache_data.clear()
    memo.use(cached.keyed)
    try:
        ids, years = queries.indicator_ids(), queries.export_years()
        gemeenten = tuple(queries.regions("gemeente")["region_code"])
        provincies = tuple(queries.regions("provincie")["region_code"])
        selections = [(provincies, ids[:n], first, years[-1])
                      for n in (3, 9) for first in years[:15]]  # 30 small ones
        selections += [(gemeenten, ids, first, years[-1]) for first in years[:6]]  # ~20 MB each
        largest = 0
        for selection in selections:
            largest = max(largest, len(pickle.dumps(queries.export_values(*selection))))
            held = cached_bytes().get("monitor.queries.export_values", 0)
            assert held <= 3 * largest * 1.05 and held <= 128 * 2**20, (selection[2:], held)
        assert largest > 15 * 2**20  # the bound was tested with big results, not only small
        assert sum(cached_bytes().values()) <= 256 * 2**20
    finally:
        memo.use(None)
        streamlit.cache_data.clear()


def test_every_cache_has_a_bound_and_an_age():
    from monitor import cached

    for limits in (cached.DEFAULT_LIMITS, *cached.LIMITS.values()):
        assert limits["max_entries"] and limits["max_size"] and limits["ttl"]
    assert cached.SHARED_LIMITS["max_entries"] and cached.SHARED_LIMITS["ttl"]


@pytest.mark.browser
def test_bystander_page_completes_while_the_largest_excel_export_is_made(warehouse):
    """Session A clicks the largest Excel export one request may ask for (real server,
    Chromium); meanwhile session B opens the map. B's page completes (Playwright's wait
    raises otherwise) and A gets a real workbook with every row asked for."""
    import io

    import openpyxl
    from conftest import require_chromium

    from bench import export_load, harness

    require_chromium()
    query, rows = export_load.largest_xlsx_query(warehouse)
    assert 40_000 < rows <= 50_000
    with harness.serve(warehouse) as (url, _):
        seen = export_load.bystander_during_export(url, query, timeout_ms=120_000,
                                                   keep_file=True)
    assert seen["is_zip"]
    sheet = openpyxl.load_workbook(io.BytesIO(seen["data"]), read_only=True)["Data"]
    assert sheet.max_row == rows + 1  # the header and every row
