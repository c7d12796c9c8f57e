"""Heavy exports against a real server on loopback (issue 15): the largest Excel export one
request may ask for, a bystander's page while it is made, and the server's memory after many
distinct export links. Every connection goes to 127.0.0.1; counts and times are bounded."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import time
from pathlib import Path

from bench import harness


def largest_xlsx_query(warehouse: Path) -> tuple[str, int]:
    """The export link of the largest Excel export allowed: every gemeente, every indicator,
    as many recent years as fit in MAX_XLSX_ROWS. Returns (query string, rows)."""
    os.environ["REM_WAREHOUSE"] = str(warehouse)
    from monitor import export, queries

    ids, years = queries.indicator_ids(), queries.export_years()
    codes = tuple(queries.regions("gemeente")["region_code"])
    first, rows = years[-1], 0
    for year in reversed(years):
        count = queries.export_count(codes, ids, year, years[-1])
        if count > export.MAX_XLSX_ROWS:
            break
        first, rows = year, count
    query = (f"levels=gemeente&indicators={','.join(ids)}&years={first}-{years[-1]}"
             "&format=xlsx")
    return query, rows


def excel_time(warehouse: Path, query: str) -> float:
    """Seconds to make the Excel file of an export link in this process (no server)."""
    os.environ["REM_WAREHOUSE"] = str(warehouse)
    from urllib.parse import parse_qs

    from monitor import export, queries

    params = {k: v[0] for k, v in parse_qs(query).items()}
    ids = tuple(params["indicators"].split(","))
    first, last = (int(y) for y in params["years"].split("-"))
    codes = tuple(queries.regions("gemeente")["region_code"])
    frame = export.long_frame(queries.export_values(codes, ids, first, last))
    start = time.perf_counter()
    data = export.to_excel(frame, ids, "nl")
    elapsed = time.perf_counter() - start
    assert data[:2] == b"PK"
    return elapsed


def bystander_during_export(url: str, query: str, page_path: str = "kaart",
                            timeout_ms: int = 120_000, keep_file: bool = False) -> dict:
    """Session A clicks the largest Excel download; while it is being made, session B opens
    a page. Returns B's time to a drawn page, A's time to the file, and the file's size.
    A page that does not complete raises (Playwright's timeout)."""
    with harness.browser() as chrome:
        a = chrome.new_context(accept_downloads=True).new_page()
        b = chrome.new_context().new_page()
        a.goto(f"{url}/export?{query}")
        harness.wait_drawn(a, timeout_ms)
        button = a.get_by_role("button", name=re.compile("Excel"))
        with a.expect_download(timeout=timeout_ms * 3) as download:
            button.click()
            start = time.perf_counter()
            b.goto(f"{url}/{page_path}")
            harness.wait_drawn(b, timeout_ms)
            page_s = time.perf_counter() - start
        path = download.value.path()
        export_s = time.perf_counter() - start
        data = Path(path).read_bytes()
    return {"page_s": page_s, "export_s": export_s, "bytes": len(data),
            "is_zip": data[:2] == b"PK", "data": data if keep_file else None}


def distinct_export_links(n: int, ids: tuple[str, ...], years: tuple[int, ...]) -> list[str]:
    """n different export links (year ranges and levels), each a real selection."""
    links = []
    for level in ("gemeente", "corop", "provincie"):
        for first in years:
            for last in reversed(years):
                if first <= last:
                    links.append(f"export?levels={level}&indicators={','.join(ids)}"
                                 f"&years={first}-{last}")
    return links[:n]


async def drive_links(port: int, links: list[str], sessions: int) -> list[str]:
    """Open every link once over Streamlit's websocket protocol; return the failures."""
    import websockets

    from bench.load import run_view

    queue = list(links)
    errors: list[str] = []

    async def worker() -> None:
        url = f"ws://127.0.0.1:{port}/_stcore/stream"
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
            while queue:
                link = queue.pop()
                try:
                    if not await run_view(ws, link, timeout=180):
                        errors.append(f"exception on {link}")
                except Exception as exc:  # noqa: BLE001 - every failure counts
                    errors.append(f"{link}: {type(exc).__name__}")
                    return

    await asyncio.gather(*(worker() for _ in range(sessions)))
    return errors


def memory_after_links(warehouse: Path, n: int = 100, sessions: int = 4,
                       port: int | None = None) -> dict:
    """Server memory before and after n distinct export links (and the failures)."""
    os.environ["REM_WAREHOUSE"] = str(warehouse)
    from monitor import queries

    links = distinct_export_links(n, queries.indicator_ids(), queries.export_years())
    with harness.serve(warehouse, port) as (url, proc):
        port = int(url.rsplit(":", 1)[1])
        asyncio.run(drive_links(port, links[:1], 1))
        before = harness.rss_mb(proc.pid)
        start = time.perf_counter()
        errors = asyncio.run(drive_links(port, links, sessions))
        seconds = time.perf_counter() - start
        after = harness.rss_mb(proc.pid)
    return {"links": len(links), "before_mb": before, "after_mb": after, "errors": errors,
            "seconds": seconds}


# --- an export storm (issue 24) ----------------------------------------------------------------

def largest_csv_query(warehouse: Path) -> tuple[str, int]:
    """The export link of the largest CSV: every gemeente, every indicator, every year."""
    os.environ["REM_WAREHOUSE"] = str(warehouse)
    from monitor import queries

    ids, years = queries.indicator_ids(), queries.export_years()
    codes = tuple(queries.regions("gemeente")["region_code"])
    rows = queries.export_count(codes, ids, years[0], years[-1])
    return (f"levels=gemeente&indicators={','.join(ids)}&years={years[0]}-{years[-1]}"
            "&format=csv"), rows


async def storm_session(port: int, query: str, requests: int, name: str,
                        barrier: asyncio.Barrier | None = None, timeout: float = 240
                        ) -> list[str]:
    """One session over Streamlit's websocket protocol: runs the export page of `query`, then
    asks for its file `requests` times at once (as a script would, not a person: the browser
    disables the button while its file is made). Returns each answer: 'ok' or the error text."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from monitor.server import rerun_message

    async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream",
                                  subprotocols=["streamlit"], max_size=None) as ws:
        await ws.send(rerun_message(f"export?{query}"))
        file_id = session_id = ""
        async with asyncio.timeout(timeout):
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await ws.recv())
                kind = msg.WhichOneof("type")
                if kind == "new_session":
                    session_id = msg.new_session.initialize.session_id
                if (kind == "delta" and msg.delta.WhichOneof("type") == "new_element"
                        and msg.delta.new_element.WhichOneof("type") == "download_button"):
                    file_id = msg.delta.new_element.download_button.deferred_file_id or file_id
                if kind == "script_finished":
                    break
            if not file_id:
                raise RuntimeError("the export page showed no download button")
            if barrier is not None:  # every session asks at the same moment
                await barrier.wait()
            for i in range(requests):
                back = BackMsg()
                back.backend_operation_request.request_id = f"{name}-{i}"
                back.backend_operation_request.session_id = session_id
                back.backend_operation_request.deferred_file.file_id = file_id
                await ws.send(back.SerializeToString())
            answers: dict[str, str] = {}
            while len(answers) < requests:
                msg = ForwardMsg()
                msg.ParseFromString(await ws.recv())
                if msg.WhichOneof("type") == "backend_operation_response":
                    response = msg.backend_operation_response
                    answers[response.request_id] = response.error_msg or "ok"
    return [answers[f"{name}-{i}"] for i in range(requests)]


def storm_with_bystander(url: str, query: str, sessions: int = 2, requests: int = 4,
                         page_path: str = "kaart", timeout_ms: int = 180_000,
                         chrome=None) -> dict:
    """`sessions` sessions each ask for the largest export `requests` times at once (on the
    replica at `url`), while a bystander opens a page in Chromium. Returns the bystander's
    time to a drawn page, the answers per session, and the same page's time with no storm."""
    import threading

    port = int(url.rsplit(":", 1)[1])
    result: dict = {}

    async def all_sessions() -> list[list[str]]:
        barrier = asyncio.Barrier(sessions)
        return await asyncio.gather(*(storm_session(port, query, requests, f"s{n}", barrier)
                                      for n in range(sessions)))

    def storm() -> None:
        try:
            result["answers"] = asyncio.run(all_sessions())
        except Exception as exc:  # noqa: BLE001 - reported to the caller
            result["error"] = exc

    with contextlib.ExitStack() as stack:
        if chrome is None:  # a Chromium of its own (a test passes the one it has)
            chrome = stack.enter_context(harness.browser())
        quiet = chrome.new_context().new_page()
        start = time.perf_counter()
        quiet.goto(f"{url}/{page_path}")
        harness.wait_drawn(quiet, timeout_ms)
        result["quiet_page_s"] = time.perf_counter() - start
        thread = threading.Thread(target=storm)
        thread.start()
        time.sleep(3)  # the sessions have run their page and asked for their files
        page = chrome.new_context().new_page()
        start = time.perf_counter()
        page.goto(f"{url}/{page_path}")
        harness.wait_drawn(page, timeout_ms)
        result["page_s"] = time.perf_counter() - start
        result["page_error"] = page.query_selector('[data-testid="stException"]') is not None
        thread.join(timeout=timeout_ms / 1000 + 60)
    if "error" in result:
        raise result["error"]
    return result
