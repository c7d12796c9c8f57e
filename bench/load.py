"""Load test: concurrent sessions against any running server (`--url`: one Streamlit process
or the balancer of scripts/serve.sh), switching pages and indicators.

    python -m bench.load --url http://127.0.0.1:8501 --sessions 20 --seconds 60 --think 5

A meeting: each session opens a page, waits about `--think` seconds (a person reading),
changes something on it (another indicator, year or level), waits, opens another page, and so
on. `--think 0` is saturation: every session asks for the next page as soon as one is done.
Each session speaks Streamlit's own websocket protocol, as the browser does: it opens
/_stcore/stream, asks for a run of a page with a query string (ClientState), and times until
the server reports the run finished, having received every element. That measures the
server; 20 headless Chromium tabs painting plotly maps on a 2-core machine would measure the
browser instead (tried: p50 81 s, timeouts). Bounded in sessions and seconds; every
connection goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench import harness
from monitor.server import run_view

# A page and the same page with something changed (what a person does next on it).
CHANGES = {
    "?region=PR_mra": "?region=PR_twente",
    "kaart?indicator=werkloosheid_pct&level=gemeente":
        "kaart?indicator=hbo_wo_pct&level=gemeente",
    "kaart?indicator=hbo_wo_pct&level=provincie": "kaart?indicator=hbo_wo_pct&level=corop",
    "kaart?indicator=woz_gemiddeld&level=corop": "kaart?indicator=woz_gemiddeld&level=corop"
                                                 "&year=2020",
    "regioprofiel?region=PR_twente": "regioprofiel?region=GM0363",
    "vergelijken?regions=PR_mra,PR_zeeland,PR_twente":
        "vergelijken?regions=PR_mra,PR_zeeland,PR_twente,PR_regio_zwolle",
    "trends?indicator=werkloosheid_pct": "trends?indicator=hbo_wo_pct",
}
VIEWS = [
    "?region=PR_mra", "?region=PR_zeeland&lang=en",
    "kaart?indicator=werkloosheid_pct&level=gemeente",
    "kaart?indicator=hbo_wo_pct&level=provincie", "kaart?indicator=woz_gemiddeld&level=corop",
    "regioprofiel?region=PR_twente", "regioprofiel?region=GM0363",
    "vergelijken?regions=PR_mra,PR_zeeland,PR_twente",
    "trends?indicator=werkloosheid_pct", "over_de_data",
    "export?levels=proeftuin&indicators=werkloosheid_pct",
]


def stream_url(url: str) -> str:
    """The websocket endpoint behind an http(s) server address."""
    parts = urlsplit(url.rstrip("/"))
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream"


async def timed_view(ws, view: str, times: list, errors: list) -> None:
    """One page run, timed; an exception element counts as an error."""
    start = time.perf_counter()
    if not await run_view(ws, view, timeout=120):
        errors.append(f"exception on {view}")
    times.append(time.perf_counter() - start)


async def session(url: str, deadline: float, seed: int, think: float, times: list,
                  errors: list) -> None:
    """One person: open a page, read, change something, read, the next page... until the
    deadline; every run (page or change) is timed to its last element."""
    import websockets

    rng = random.Random(seed)
    pause = (lambda: asyncio.sleep(rng.uniform(0.6, 1.4) * think)) if think else (
        lambda: asyncio.sleep(0))
    await asyncio.sleep(rng.uniform(0, think))  # people do not click in the same millisecond
    view = None
    try:
        async with websockets.connect(stream_url(url), subprotocols=["streamlit"],
                                      max_size=None, open_timeout=60) as ws:
            while time.time() < deadline:
                view = rng.choice(VIEWS)
                await timed_view(ws, view, times, errors)
                await pause()
                if view in CHANGES and time.time() < deadline:
                    view = CHANGES[view]
                    await timed_view(ws, view, times, errors)
                    await pause()
    except Exception as exc:  # noqa: BLE001 - every failure counts as an error
        errors.append(f"{view}: {type(exc).__name__}: {exc}"[:200])


async def monitor_memory(pids: list[int], stop: asyncio.Event, peaks: list) -> None:
    """Sample the servers' resident memory every half second (sum over the processes)."""
    while not stop.is_set():
        peaks.append(sum(harness.rss_mb(pid) for pid in pids))
        await asyncio.sleep(0.5)


async def drive(url: str, pids: list[int], sessions: int, seconds: float,
                think: float = 0.0) -> dict:
    """Run the sessions concurrently and collect timings, errors and memory."""
    times, errors, peaks = [], [], []
    stop = asyncio.Event()
    watcher = asyncio.create_task(monitor_memory(pids, stop, peaks))
    started = time.perf_counter()
    deadline = time.time() + seconds
    await asyncio.gather(*(session(url, deadline, i, think, times, errors)
                           for i in range(sessions)))
    elapsed = time.perf_counter() - started
    stop.set()
    await watcher
    ordered = sorted(times) or [float("nan")]
    return {"n": len(times), "p50": statistics.median(ordered),
            "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
            "per_second": len(times) / elapsed, "errors": len(errors),
            "error_list": errors[:10], "peak_mb": max(peaks or [0])}


async def hold_sessions(url: str, views: list[str]) -> list:
    """Open one session per view, run it, and keep the connections open (for memory)."""
    import websockets

    sockets = []
    for view in views:
        ws = await websockets.connect(stream_url(url), subprotocols=["streamlit"],
                                      max_size=None, open_timeout=60)
        await run_view(ws, view, timeout=120)
        sockets.append(ws)
    return sockets


def run_load(warehouse: Path, sessions: int = 20, seconds: float = 60,
             think: float = 5.0) -> dict:
    """Start one server on loopback and drive it."""
    with harness.serve(warehouse) as (url, proc):
        return asyncio.run(drive(url, [proc.pid], sessions, seconds, think))


def main() -> None:
    """Drive a server that is already running (one process or the balancer)."""
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--url", required=True, help="e.g. http://127.0.0.1:8501")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=5.0,
                        help="seconds a person reads before the next change (0: saturation)")
    parser.add_argument("--pid", type=int, action="append", default=[],
                        help="server process ids to sample memory of (optional)")
    args = parser.parse_args()
    result = asyncio.run(drive(args.url, args.pid, args.sessions, args.seconds, args.think))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
