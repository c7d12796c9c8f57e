"""Which of Streamlit's lazily loaded scripts the dashboard's pages use: writes
monitor/preload.json, which monitor.server turns into <link rel="modulepreload"> lines in the
page's index.html.

    python -m bench.chunks

Streamlit's browser code loads the code of an element type (a select box, a download button,
markdown) only when the first such element arrives over the websocket: on every full page
load a cascade of 60 small scripts was fetched and compiled after the page's data came in
(0.05-0.1 s of a warm load). Named in the page, the browser fetches and compiles them while
it waits for the connection. Run this after an upgrade of Streamlit (the file names carry a
hash of their content) or when a page starts using another kind of element; the browser test
`test_page_draws_without_error` fails when a page fetches a script after its connection opened.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import streamlit

from bench import harness
from monitor.server import PRELOAD_FILE, static_js_in_index

# Every page, both languages, presentation mode, and views that show other kinds of element
# (a composed region, a pinned release, the export's choices, the sensitivity weights).
VIEWS = [*harness.PAGES.values(), "veranderd", "?lang=en", "kaart?present=1",
         "vergelijken?present=1", "regioprofiel?region=PR_mra",
         "eigen_regio?custom=GM0654,GM0664,GM0677&custom_name=Test",
         "export?levels=proeftuin&indicators=werkloosheid_pct,hbo_wo_pct",
         "wijken?region=PR_regio_zwolle&measure=huisarts", "trends?indicator=werkloosheid_pct"]


def used_chunks(url: str) -> list[str]:
    """The scripts under static/js/ the pages ask for, in the order first asked."""
    seen: list[str] = []

    def note(request) -> None:
        name = request.url.split("/static/js/")[-1] if "/static/js/" in request.url else None
        if name and name not in seen:
            seen.append(name)

    with harness.browser() as chrome:
        for view in VIEWS:
            page = chrome.new_page(viewport={"width": 1366, "height": 768})
            page.on("request", note)
            page.goto(f"{url}/{view}")
            harness.wait_drawn(page, 120_000)
            page.close()
    return seen


def main() -> None:
    warehouse = Path(os.environ.get("REM_WAREHOUSE", harness.REPO / "data" / "warehouse.duckdb"))
    with harness.serve(warehouse) as (url, _):
        chunks = used_chunks(url)
    own = static_js_in_index()
    lazy = sorted(c for c in chunks if c not in own)
    PRELOAD_FILE.write_text(json.dumps({"streamlit": streamlit.__version__, "chunks": lazy},
                                       indent=1) + "\n", encoding="utf-8")
    print(f"{len(lazy)} scripts -> {PRELOAD_FILE.relative_to(harness.REPO)}")


if __name__ == "__main__":
    main()
