"""Load test: concurrent sessions on loopback switching pages and indicators.

Each session speaks Streamlit's own websocket protocol, as the browser does: it opens
/_stcore/stream, asks for a run of a page with a query string (ClientState), and times until
the server reports the run finished, having received every element. That measures the
server; 20 headless Chromium tabs painting plotly maps on a 2-core machine would measure the
browser instead (tried: p50 81 s, timeouts). Bounded in sessions and seconds; every
connection goes to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench import harness

VIEWS = [
    "?region=PR_mra", "?region=PR_zeeland&lang=en",
    "kaart?indicator=werkloosheid_pct&level=gemeente",
    "kaart?indicator=hbo_wo_pct&level=provincie", "kaart?indicator=woz_gemiddeld&level=corop",
    "regioprofiel?region=PR_twente", "regioprofiel?region=GM0363",
    "vergelijken?regions=PR_mra,PR_zeeland,PR_twente",
    "trends?indicator=werkloosheid_pct", "over_de_data",
    "export?levels=proeftuin&indicators=werkloosheid_pct",
]


def rerun_message(view: str) -> bytes:
    """A BackMsg asking for a run of a page with its query string."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    parts = urlsplit(view)
    msg = BackMsg()
    msg.rerun_script.query_string = parts.query
    msg.rerun_script.page_name = parts.path
    return msg.SerializeToString()


def inspect(data: bytes) -> tuple[bool, bool]:
    """(run finished, an exception element arrived) for one ForwardMsg."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.ParseFromString(data)
    kind = msg.WhichOneof("type")
    failed = (kind == "delta" and msg.delta.WhichOneof("type") == "new_element"
              and msg.delta.new_element.WhichOneof("type") == "exception")
    return kind == "script_finished", failed


async def run_view(ws, view: str, timeout: float) -> bool:
    """Ask for one page and read until the run finished; True when no exception came."""
    await ws.send(rerun_message(view))
    ok = True
    async with asyncio.timeout(timeout):
        while True:
            finished, failed = inspect(await ws.recv())
            ok = ok and not failed
            if finished:
                return ok


async def session(port: int, deadline: float, seed: int, times: list, errors: list) -> None:
    """One user: open views in random order until the deadline; time each full run."""
    import websockets

    rng = random.Random(seed)
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
        while time.time() < deadline:
            view = rng.choice(VIEWS)
            start = time.perf_counter()
            try:
                if not await run_view(ws, view, timeout=120):
                    errors.append(f"exception on {view}")
                times.append(time.perf_counter() - start)
            except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                errors.append(f"{view}: {type(exc).__name__}")
                return


async def monitor_memory(pid: int, stop: asyncio.Event, peaks: list) -> None:
    """Sample the server's resident memory every half second."""
    while not stop.is_set():
        peaks.append(harness.rss_mb(pid))
        await asyncio.sleep(0.5)


async def drive(port: int, pid: int, sessions: int, seconds: float) -> dict:
    """Run the sessions concurrently and collect timings, errors and memory."""
    times, errors, peaks = [], [], []
    stop = asyncio.Event()
    watcher = asyncio.create_task(monitor_memory(pid, stop, peaks))
    deadline = time.time() + seconds
    await asyncio.gather(*(session(port, deadline, i, times, errors) for i in range(sessions)))
    stop.set()
    await watcher
    ordered = sorted(times) or [float("nan")]
    return {"n": len(times), "p50": statistics.median(ordered),
            "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
            "errors": len(errors), "error_list": errors[:10], "peak_mb": max(peaks or [0])}


def run_load(warehouse: Path, sessions: int = 20, seconds: float = 60) -> dict:
    """Start a server on loopback and drive it."""
    with harness.serve(warehouse) as (url, proc):
        return asyncio.run(drive(int(url.rsplit(":", 1)[1]), proc.pid, sessions, seconds))
