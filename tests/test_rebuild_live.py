"""A rebuild while the app is in use: the file is swapped in one rename, sessions keep
working, and the next run shows the new data (no restart, no error)."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest
from conftest import require_chromium

from bench import harness

pytestmark = pytest.mark.browser


def marked_copy(source, target, built_at: str) -> None:
    """A warehouse copy whose build_meta says it was built at `built_at`."""
    shutil.copy(source, target)
    con = duckdb.connect(str(target))
    con.execute("update build_meta set built_at = ?::timestamp", [built_at])
    con.close()


def test_swap_under_load_is_picked_up_without_errors(warehouse, tmp_path):
    require_chromium()
    live = tmp_path / "warehouse.duckdb"
    marked_copy(warehouse, live, "2001-01-01 00:00:00")
    fresh = tmp_path / "fresh.duckdb"
    marked_copy(warehouse, fresh, "2002-02-02 00:00:00")
    errors = []
    with harness.serve(live) as (url, _), harness.browser() as chrome:
        first, second = chrome.new_page(), chrome.new_context().new_page()
        for page in (first, second):
            page.goto(f"{url}/")
            harness.wait_drawn(page, 60_000)
            assert "2001-01-01" in page.inner_text('[data-testid="stMain"]')
        os.replace(fresh, live)  # what etl.build does: one rename, while both sessions are open
        for view in ("kaart", "vergelijken", "trends", "regioprofiel", ""):
            second.goto(f"{url}/{view}")
            harness.wait_drawn(second, 60_000)
            if second.query_selector('[data-testid="stException"]'):
                errors.append(view)
        first.reload()
        harness.wait_drawn(first, 60_000)
        text = first.inner_text('[data-testid="stMain"]')
        assert first.query_selector('[data-testid="stException"]') is None
    assert "2002-02-02" in text
    assert not errors
