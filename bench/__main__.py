"""One command for every measurement the issues ask for: python -m bench [--only a,b].

Writes bench/RESULTS.md (medians, the machine's cores, the date). Builds from the data bundle
shipped in data/bundle/; the build section also times a build from the offline snapshot
($REM_SNAPSHOT_DIR or ../shared) when there is one. The browser parts need Debian's chromium.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench import drawn, harness

REPO = harness.REPO
RESULTS = REPO / "bench" / "RESULTS.md"
SECTION_START = "\n## "
SECTIONS = ("build", "indicators", "custom_region", "map_payload", "pages_server",
            "pages_browser", "pages_sidebar", "cold", "network", "interactions", "memory", "load",
            "saturation", "export", "releases", "wijken", "storm", "failover")


def median_time(action, repeat: int) -> tuple[float, list[float]]:
    """Median wall time of `repeat` runs (seconds) and all the runs."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), runs


def snapshot_dir() -> Path | None:
    """The offline snapshot, if there is one ($REM_SNAPSHOT_DIR or ../shared)."""
    path = Path(os.environ.get("REM_SNAPSHOT_DIR") or REPO.parent / "shared")
    return path if (path / "cbs").is_dir() else None


def build_from_bundle(target: Path, raw: Path) -> None:
    """The default build: from data/bundle/, offline."""
    from etl.build import build_warehouse
    from etl.bundle import BUNDLE_DIR

    build_warehouse(None, target, raw_dir=raw, bundle_dir=BUNDLE_DIR)


def timed_build(build, repeat: int = 3) -> tuple[float, str]:
    """Median wall time of a build and a text with the runs and the CPU time of the process
    (on a shared machine the wall time includes waiting for the cores)."""
    cpu = []

    def run():
        start = time.process_time()
        build()
        cpu.append(time.process_time() - start)

    med, runs = median_time(run, repeat)
    shown = ", ".join(f"{r:.1f}" for r in runs)
    return med, f"{med:.1f} s (runs {shown}; CPU {statistics.median(cpu):.1f} s)"


def bench_build(work: Path) -> list[tuple]:
    """Build from the bundle and from the snapshot (medians of 3), warehouse and bundle size."""
    from etl.build import build_warehouse
    from etl.bundle import bundle_size

    target = work / "warehouse.duckdb"
    med, text = timed_build(lambda: build_from_bundle(target, work / "raw"))
    size = target.stat().st_size / 1e6
    rows = [("full build from the bundle (default)", text, "< 5 s", med < 5)]
    snapshot = snapshot_dir()
    if snapshot is not None:
        snap = work / "snapshot.duckdb"
        smed, stext = timed_build(lambda: build_warehouse(snapshot, snap, raw_dir=work / "raw"))
        rows.append(("full build from the snapshot", stext, "< 30 s (stretch < 10 s)",
                     smed < 30))
    bundle_mb = bundle_size() / 1e6
    return rows + [("warehouse size", f"{size:.1f} MB", "< 50 MB", size < 50),
                   ("data bundle in git (data/bundle/)", f"{bundle_mb:.1f} MB", "< 10 MB",
                    bundle_mb < 10)]


def bench_indicators(warehouse: Path, work: Path) -> list[tuple]:
    """All indicators for all levels and years, from a built warehouse (median of 3)."""
    import duckdb

    from etl.indicators import build_indicator_tables

    copy = work / "indicators.duckdb"

    def run():
        shutil.copy(warehouse, copy)
        con = duckdb.connect(str(copy))
        start = time.perf_counter()
        build_indicator_tables(con)
        elapsed = time.perf_counter() - start
        con.close()
        return elapsed

    runs = [run() for _ in range(3)]
    med = statistics.median(runs)
    return [("all indicators, all levels and years", f"{med:.2f} s", "< 5 s", med < 5)]


def bench_custom_region(warehouse: Path) -> list[tuple]:
    """A 20-gemeente composed region, one indicator and year (median of 50)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    members = [r[0] for r in con.execute("select gemeente_code from region_membership where "
                                          "region_code = 'PR_regio_zwolle' limit 20").fetchall()]
    sql = ("select * from aggregate_members(composed_members(?, 'CUSTOM'), ids := ?, yr := ?)")
    params = [members, ["werkloosheid_pct"], 2024]
    con.execute(sql, params).df()
    med, _ = median_time(lambda: con.cursor().execute(sql, params).df(), 50)
    return [("20-gemeente custom region, 1 indicator/year", f"{med * 1000:.1f} ms (median of 50)",
             "< 20 ms", med < 0.020)]


def bench_map_payload(warehouse: Path) -> list[tuple]:
    """The gemeente map's figure JSON, as the browser receives it."""
    at = harness.app_test(warehouse, "pages/kaart.py", indicator="werkloosheid_pct",
                          level="gemeente").run()
    at.button(key="live_kaart_map_on").click().run()  # the picture first; then interactive
    sizes = [len(c.proto.spec) for c in at.get("plotly_chart")]
    size = max(sizes) / 1024 if sizes else float("nan")
    return [("gemeente map figure payload", f"{size:.0f} KB", "< 300 KB", size < 300)]


def bench_pages_server(warehouse: Path) -> list[tuple]:
    """Each page's server-side script run, warm (AppTest; median of 10 after a cold run)."""
    rows = []
    for name in harness.PAGES:
        at = harness.app_test(warehouse, f"pages/{name}.py").run()
        med, _ = median_time(at.run, 10)
        rows.append((f"page '{name}' server run (warm)", f"{med * 1000:.0f} ms", "< 300 ms",
                     med < 0.3 and not at.exception))
    return rows


def bench_memory(warehouse: Path) -> list[tuple]:
    """Memory of one replica holding 10 open sessions (each ran a different page)."""
    import asyncio

    from bench.load import VIEWS, hold_sessions

    async def measure(url: str, pid: int) -> float:
        sockets = await hold_sessions(url, VIEWS[:10])
        rss = harness.rss_mb(pid)
        for ws in sockets:
            await ws.close()
        return rss

    with harness.serve(warehouse) as (url, proc):
        rss = asyncio.run(measure(url, proc.pid))
    return [("memory of one replica, 10 open sessions", f"{rss:.0f} MB", "< 400 MB",
             rss < 400)]


def settle(url: str, seconds: float = 15) -> None:
    """Unmeasured: let the replicas finish their start-up warm-up and see every view once."""
    import asyncio

    from bench.load import drive

    time.sleep(seconds / 3)
    asyncio.run(drive(url, [], sessions=4, seconds=seconds, think=0))


def bench_load(warehouse: Path, seconds: float = 60) -> list[tuple]:
    """A meeting: 20 sessions that each open a page, read ~5 s, change something, for 60 s,
    against two replicas behind the balancer (scripts/serve.sh --replicas 2), as deployed
    for a room (issue 23)."""
    import asyncio

    from bench.load import drive

    with harness.serve_replicas(warehouse, 2) as (url, pids):
        settle(url)
        result = asyncio.run(drive(url, pids, sessions=20, seconds=seconds, think=5.0))
    return [
        (f"meeting load: 20 sessions x {seconds:.0f} s (read ~5 s, change), runs",
         str(result["n"]), "", True),
        ("meeting load: time to a complete page p50 / p95",
         f"{result['p50']:.2f} s / {result['p95']:.2f} s", "p95 <= 2 s", result["p95"] <= 2),
        ("meeting load: errors", f"{result['errors']} {result['error_list'] or ''}".strip(),
         "0", result["errors"] == 0),
        ("meeting load: peak memory (replica)", f"{result['peak_mb']:.0f} MB", "", True),
    ]


def bench_saturation(warehouse: Path, seconds: float = 30) -> list[tuple]:
    """Pages per second with no waiting (20 sessions), 1 and 2 replicas behind HAProxy."""
    import asyncio

    from bench.load import drive

    rows = []
    for replicas in (1, 2):
        with harness.serve_replicas(warehouse, replicas) as (url, pids):
            settle(url)
            result = asyncio.run(drive(url, pids, sessions=20, seconds=seconds, think=0))
        rows.append((f"saturation, {replicas} replica(s): complete pages per second",
                     f"{result['per_second']:.2f}/s (p50 {result['p50']:.2f} s, "
                     f"errors {result['errors']}, {result['peak_mb']:.0f} MB)", "",
                     result["errors"] == 0))
    return rows


def bench_export(warehouse: Path) -> list[tuple]:
    """Issue 15: the largest Excel export allowed, a bystander's page while it is made (real
    server, two Chromium sessions), and server memory after 100 distinct export links."""
    from bench import export_load
    from monitor.export import MAX_XLSX_ROWS

    query, rows = export_load.largest_xlsx_query(warehouse)
    made = export_load.excel_time(warehouse, query)
    rows_out = [(f"largest Excel export allowed ({rows:,} rows, max {MAX_XLSX_ROWS:,}), made "
                 "in-process", f"{made:.1f} s", "< 30 s", made < 30)]
    with harness.serve(warehouse) as (url, _):
        seen = export_load.bystander_during_export(url, query)
    rows_out += [
        ("largest Excel export through the server (click to file)",
         f"{seen['export_s']:.1f} s, {seen['bytes'] / 1e6:.1f} MB", "", seen["is_zip"]),
        ("bystander's Kaart page drawn while that export is made",
         f"{seen['page_s']:.1f} s", "completes (< 120 s)", seen["page_s"] < 120),
    ]
    mem = export_load.memory_after_links(warehouse, 100)
    rows_out.append((f"server memory after {mem['links']} distinct export links "
                     f"({mem['seconds']:.0f} s, 4 sessions)",
                     f"{mem['before_mb']:.0f} MB -> {mem['after_mb']:.0f} MB, "
                     f"{len(mem['errors'])} errors", "< 1,200 MB, 0 errors",
                     mem["after_mb"] < 1200 and not mem["errors"]))
    return rows_out


def bench_releases(work: Path, repeat: int = 3) -> list[tuple]:
    """Issue 21: what keeping releases costs (disk per kept release, the build's release step,
    a server's memory when a pinned release is open beside the current one) and the time to
    open a pinned link, beside an unpinned one and hello-world. Release B is the labelled test
    fixture (tests/release_fixture.py: invented values, never shown as CBS data)."""
    import statistics
    import sys

    from etl import release
    from etl.build import build_warehouse
    from etl.bundle import BUNDLE_DIR

    sys.path.insert(0, str(REPO / "tests"))
    from release_fixture import make_bundle_b

    target = work / "releases" / "warehouse.duckdb"
    target.parent.mkdir(parents=True)
    a = build_warehouse(None, target, raw_dir=work / "raw_r", bundle_dir=BUNDLE_DIR)
    b = build_warehouse(None, target, raw_dir=work / "raw_r",
                        bundle_dir=make_bundle_b(work / "releases" / "bundle_b"))
    kept_mb = release.disk_use(target) / 1e6
    keep_n, budget = release.settings()
    rows = [
        ("disk of one kept release beside the current one (the current is a hard link: 0)",
         f"{kept_mb:.0f} MB", "", None),
        (f"disk at the defaults ({keep_n} kept, budget {budget} MB)",
         f"~{min(keep_n * kept_mb, budget):.0f} MB (the oldest go first past the budget)",
         "", None),
        ("the build's release step (hash, sources, statuses, changes, keep)",
         f"{b.steps.get('release', 0):.2f} s (first build {a.steps.get('release', 0):.2f} s)",
         "", None),
    ]
    view = "kaart?indicator=werkloosheid_pct&year=2023&level=gemeente"
    pinned_url = f"{view}&release={a.release_id}"
    times: dict[str, list[float]] = {"hello": [], "current": [], "pinned": []}
    with harness.serve(target) as (url, proc), harness.serve(target, script=drawn.HELLO) as (
            hello_url, _), harness.browser() as chrome:
        page = chrome.new_page(viewport=drawn.VIEWPORT)
        drawn.goto_drawn(page, hello_url, drawn.HELLO_MARKER)
        drawn.goto_drawn(page, f"{url}/{view}")
        rss_current = harness.rss_mb(proc.pid)
        drawn.goto_drawn(page, f"{url}/{pinned_url}")
        rss_pinned = harness.rss_mb(proc.pid)
        for _ in range(repeat):  # in turns: a busy moment hits all three
            times["hello"].append(drawn.goto_drawn(page, hello_url, drawn.HELLO_MARKER))
            times["current"].append(drawn.goto_drawn(page, f"{url}/{view}"))
            times["pinned"].append(drawn.goto_drawn(page, f"{url}/{pinned_url}",
                                                    shot="pinned_kaart"))
    hello = statistics.median(times["hello"])
    rows += [
        ("server memory: Kaart on the current release, then the same view pinned to the "
         "previous one", f"{rss_current:.0f} MB -> {rss_pinned:.0f} MB "
         f"(+{rss_pinned - rss_current:.0f} MB)", "", None),
        drawn.ratio_row("Kaart drawn, warm, current release",
                        statistics.median(times["current"]), hello, None),
        drawn.ratio_row("Kaart drawn, warm, pinned link to the previous release (banner)",
                        statistics.median(times["pinned"]), hello, None),
    ]
    return rows


def bench_storm(warehouse: Path) -> list[tuple]:
    """Issue 24: three sessions on one replica each ask for the largest CSV three times at
    once; a bystander's Kaart page drawn meanwhile, beside the same page with no storm."""
    from bench import export_load
    from monitor import budget

    query, rows = export_load.largest_csv_query(warehouse)
    with harness.serve_replicas(warehouse, 1) as (url, _):
        replica = url.rsplit(":", 1)[0] + f":{int(url.rsplit(':', 1)[1]) + 1}"
        settle(replica)
        seen = export_load.storm_with_bystander(replica, query, sessions=3, requests=3)
    answers = [a for session in seen["answers"] for a in session]
    made = answers.count("ok")
    return [
        (f"export storm: 3 sessions x 3 requests for the largest CSV ({rows:,} rows) at once",
         f"{made} made, {len(answers) - made} refused with a message", f"<= {budget.MAX_IN_PROCESS}"
         " made at once, 1 per session", made <= budget.MAX_IN_PROCESS),
        ("bystander's Kaart page drawn during that storm (same page, no storm)",
         f"{seen['page_s']:.1f} s ({seen['quiet_page_s']:.1f} s)", "< 5 s",
         seen["page_s"] < 5 and not seen["page_error"]),
    ]


def bench_failover(warehouse: Path) -> list[tuple]:
    """Issue 24: kill -9 of one of two replicas with a browser on it: time until that browser
    shows its page again (on the other replica, with the notice), and until supervisord has
    the killed replica answering again."""
    with harness.serve_replicas(warehouse, 2) as (url, _):
        settle(url)
        return killed_replica(url)


def killed_replica(url: str) -> list[tuple]:
    """bench_failover's measurement on a running serve.sh with two replicas."""
    import signal

    with harness.browser() as chrome:
        page = None
        for _ in range(6):
            context = chrome.new_context()
            candidate = context.new_page()
            candidate.goto(f"{url}/kaart")
            harness.wait_drawn(candidate, 120_000)
            cookies = {c["name"]: c["value"] for c in context.cookies()}
            if cookies.get("REM_REPLICA") == "r1":
                page = candidate
                break
        if page is None:
            raise RuntimeError("no session reached replica r1")
        port = int(url.rsplit(":", 1)[1]) + 1
        victim = next(p for p in harness.all_pids()
                      if f"--server.port {port} " in harness.process_command(p))
        start = time.perf_counter()
        os.kill(victim, signal.SIGKILL)
        page.get_by_text("De server die uw sessie bewaarde").wait_for(timeout=120_000)
        harness.wait_drawn(page, 120_000)
        moved = time.perf_counter() - start
        harness.wait_until_up(f"http://127.0.0.1:{port}", timeout=180)
        back = time.perf_counter() - start
    return [("replica killed (kill -9): its user's page drawn again on the other replica",
             f"{moved:.1f} s", "< 15 s", moved < 15),
            ("replica killed (kill -9): restarted by supervisord and answering",
             f"{back:.1f} s", "< 60 s", back < 60)]


def write_results(rows: list[tuple], sections: list[str]) -> None:
    """bench/RESULTS.md: a table of measured value, target and verdict."""
    lines = [
        "# Benchmark results", "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}; sections: {', '.join(sections)}.",
        "Reproduce: `python -m bench` (or `--only build,indicators`). Medians unless stated.", "",
        "| measurement | result | target | met |", "| --- | --- | --- | --- |",
    ]
    verdict = {True: "yes", False: "**no**", None: "–"}
    lines += [f"| {m} | {r} | {t} | {verdict[ok if t else None]} |" for m, r, t, ok in rows]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines += ["", f"Machine load average (1, 5, 15 min) when written: {load}."]
    # Hand-written sections under the table (notes, other issues' runs) survive a rerun.
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    notes = old[old.index(SECTION_START) + 1:] if SECTION_START in old else ""
    RESULTS.write_text("\n".join(lines) + "\n" + ("\n" + notes if notes else ""),
                       encoding="utf-8")


def main() -> None:
    """Run the chosen sections and write the results."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(SECTIONS)}")
    parser.add_argument("--load-seconds", type=float, default=60)
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(SECTIONS)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        warehouse = work / "bench.duckdb"
        build_from_bundle(warehouse, work / "raw0")
        steps = {
            "build": lambda: bench_build(work),
            "indicators": lambda: bench_indicators(warehouse, work),
            "custom_region": lambda: bench_custom_region(warehouse),
            "map_payload": lambda: bench_map_payload(warehouse),
            "pages_server": lambda: bench_pages_server(warehouse),
            "pages_browser": lambda: drawn.warm_pages(warehouse),
            "pages_sidebar": lambda: drawn.sidebar_pages(warehouse),
            "cold": lambda: drawn.cold_first_page(warehouse),
            "network": lambda: drawn.first_visit_network(warehouse),
            "interactions": lambda: drawn.interactions(warehouse),
            "memory": lambda: bench_memory(warehouse),
            "load": lambda: bench_load(warehouse, seconds=args.load_seconds),
            "saturation": lambda: bench_saturation(warehouse),
            "export": lambda: bench_export(warehouse),
            "releases": lambda: bench_releases(work),
            "wijken": lambda: drawn.wijk_view(warehouse),
            "storm": lambda: bench_storm(warehouse),
            "failover": lambda: bench_failover(warehouse),
        }
        for name in chosen:
            print(f"-- {name}", flush=True)
            try:
                section = steps[name]()
            except Exception as exc:  # one broken section must not lose the others' results
                section = [(f"section '{name}' failed", f"{type(exc).__name__}: "
                            f"{str(exc).splitlines()[0][:120]}", "completes", False)]
            for row in section:
                print(f"   {row[0]}: {row[1]} (target {row[2] or '-'})", flush=True)
            rows += section
    write_results(rows, chosen)
    print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
