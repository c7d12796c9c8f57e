"""Load test: concurrent browser sessions on loopback switching pages and indicators.

Bounded in sessions and seconds; every request goes to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from pathlib import Path

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


async def session(browser, url: str, deadline: float, seed: int, times: list, errors: list):
    """One user: open views in random order until the deadline; time each to drawn."""
    rng = random.Random(seed)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    try:
        while time.time() < deadline:
            view = rng.choice(VIEWS)
            start = time.perf_counter()
            try:
                await page.goto(f"{url}/{view}", timeout=60_000)
                await page.wait_for_function(harness.DRAWN_JS, timeout=60_000, polling=150)
                if await page.query_selector('[data-testid="stException"]'):
                    errors.append(f"exception on {view}")
                times.append(time.perf_counter() - start)
            except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                errors.append(f"{view}: {type(exc).__name__}")
    finally:
        await context.close()


async def monitor_memory(pid: int, stop: asyncio.Event, peaks: list) -> None:
    """Sample the server's resident memory every half second."""
    while not stop.is_set():
        peaks.append(harness.rss_mb(pid))
        await asyncio.sleep(0.5)


async def drive(url: str, pid: int, sessions: int, seconds: float) -> dict:
    """Run the sessions concurrently and collect timings, errors and memory."""
    from playwright.async_api import async_playwright

    times, errors, peaks = [], [], []
    stop = asyncio.Event()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=harness.CHROMIUM,
                                           args=harness.CHROMIUM_ARGS)
        watcher = asyncio.create_task(monitor_memory(pid, stop, peaks))
        deadline = time.time() + seconds
        await asyncio.gather(*(session(browser, url, deadline, i, times, errors)
                               for i in range(sessions)))
        stop.set()
        await watcher
        await browser.close()
    ordered = sorted(times) or [float("nan")]
    return {"n": len(times), "p50": statistics.median(ordered),
            "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
            "errors": len(errors), "error_list": errors[:10], "peak_mb": max(peaks or [0])}


def run_load(warehouse: Path, sessions: int = 20, seconds: float = 60) -> dict:
    """Start a server on loopback and drive it."""
    with harness.serve(warehouse) as (url, proc):
        return asyncio.run(drive(url, proc.pid, sessions, seconds))
