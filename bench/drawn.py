"""What a person sees, timed in Chromium beside a hello-world Streamlit page of the same run.

Every figure is (dashboard, hello-world, ratio). Drawn is harness.DRAWN_JS: no running
indicator, every chart and table present, every map painted (maplibre loaded with its tiles).
Screenshots of each drawn view go to bench/artifacts/ (git-ignored) to check that "drawn" is
what it says.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench import harness

HELLO = harness.REPO / "bench" / "hello_app.py"
HELLO_MARKER = "Eén regel tekst"
SCREENS = harness.REPO / "bench" / "artifacts"
VIEWPORT = {"width": 1366, "height": 768}
TIMEOUT_MS = 120_000


def goto_drawn(page, url: str, marker: str = harness.FOOTER, shot: str | None = None) -> float:
    """Seconds from asking for a URL to the page drawn."""
    start = time.time()
    page.goto(url)
    try:
        drawn = harness.wait_drawn(page, TIMEOUT_MS, marker)
    except Exception:
        SCREENS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENS / "timeout.png"))
        print(f"not drawn: {url}: {harness.view_signature(page)[-300:]!r}", flush=True)
        raise
    if shot:
        SCREENS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENS / f"{shot}.png"))
    return drawn - start


def change_drawn(page, change, marker: str = harness.FOOTER, shot: str | None = None) -> float:
    """Seconds from a widget change (`change(page)` returns the moment just before the action
    that counts; the page's own record of that press is taken where it has one) to the
    redrawn view."""
    before = harness.view_signature(page)
    harness.listen_for_input(page)
    start = change(page)
    drawn = harness.wait_drawn(page, TIMEOUT_MS, marker, before=before)
    if shot:
        SCREENS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENS / f"{shot}.png"))
    return drawn - harness.input_time(page, start)


def ratio_row(name: str, value: float, hello: float, target: float | None,
              unit_target: str = "", seconds: float | None = None) -> tuple:
    """(measurement, result beside hello-world, target, met); target: a ratio to hello-world,
    or seconds (with unit_target saying it); neither: no verdict (met is None)."""
    ratio = value / hello
    result = f"{value:.2f} s (hello-world {hello:.2f} s, {ratio:.2f}x)"
    if target is None:
        return (name, result, unit_target, None if seconds is None else value < seconds)
    return (name, result, f"<= {target}x hello-world", ratio <= target)


def warm_pages(warehouse: Path, repeat: int = 3) -> list[tuple]:
    """Each page drawn, warm (median of `repeat` after one unmeasured load), beside
    hello-world and beside hello-world with one small chart or one small table (what the
    browser pays, on every full page load, to start plotly.js or the data grid), all measured
    in turns so that a busy moment of the machine hits every one of them."""
    rows, ratios = [], []
    references = {"": [], "chart": [], "table": []}
    with harness.serve(warehouse) as (url, _), harness.serve(warehouse, script=HELLO) as (
            hello_url, _), harness.browser() as chrome:
        page = chrome.new_page(viewport=VIEWPORT)

        def measure_references() -> None:
            for kind, runs in references.items():
                runs.append(goto_drawn(page, f"{hello_url}/?with={kind}" if kind else
                                       hello_url, HELLO_MARKER))

        measure_references()
        for runs in references.values():
            runs.clear()  # the first loads fill the browser's caches
        for _ in range(repeat):
            measure_references()
        times = {}
        for name, path in harness.PAGES.items():
            goto_drawn(page, f"{url}/{path}")
            times[name] = statistics.median(
                goto_drawn(page, f"{url}/{path}", shot=f"warm_{name}" if i == 0 else None)
                for i in range(repeat))
            measure_references()
        # The dashboard's frame nearly alone: 'Wat is er veranderd' on a warehouse with one
        # release shows the sidebar, the switches, the footer and one message. Not one of the
        # judged pages (on a real server it lists changes): what every page pays before its
        # own content.
        goto_drawn(page, f"{url}/veranderd")
        frame = statistics.median(goto_drawn(page, f"{url}/veranderd",
                                             shot="warm_frame" if i == 0 else None)
                                  for i in range(repeat))
    hello, chart, table = (statistics.median(runs) for runs in references.values())
    for name, value in times.items():
        rows.append(ratio_row(f"page '{name}' drawn, warm", value, hello, None))
        ratios.append(value / hello)
    med, worst = statistics.median(ratios), max(ratios)
    slowest = max(times, key=times.get)
    rows.append(("warm page drawn: median ratio to hello-world", f"{med:.2f}x",
                 "<= 1.3x", med <= 1.3))
    rows.append((f"warm page drawn: slowest ('{slowest}') ratio to hello-world",
                 f"{worst:.2f}x", "<= 1.8x", worst <= 1.8))
    rows += [ratio_row("reference: hello-world with one small plotly chart, drawn, warm", chart,
                       hello, None),
             ratio_row("reference: hello-world with one small st.dataframe, drawn, warm",
                       table, hello, None),
             ("warm page drawn: median ratio to hello-world with one chart",
              f"{statistics.median(times.values()) / chart:.2f}x", "", None),
             ratio_row("reference: the dashboard's frame alone (sidebar, switches, footer; "
                       "'veranderd' with one release), drawn, warm", frame, hello, None)]
    return rows


# The wijk view of the pilot region with the most wijken (Metropoolregio Amsterdam: 400 wijken
# of 2024 in 30 gemeenten, 1,729 buurten), density on the map; and a distance (2023), whose map
# shows the recoded wijken as such.
WIJK_VIEWS = {"density": "wijken?region=PR_mra",
              "distance": "wijken?region=PR_mra&measure=huisarts"}


def wijk_view(warehouse: Path, repeat: int = 3) -> list[tuple]:
    """The Wijken page of the largest pilot region drawn (the map painted, both tables drawn):
    the first load after the server started, then warm (median of `repeat`), each beside
    hello-world measured in turns in the same run."""
    hello_runs, times, first = [], {name: [] for name in WIJK_VIEWS}, {}
    with harness.serve(warehouse) as (url, _), harness.serve(warehouse, script=HELLO) as (
            hello_url, _), harness.browser() as chrome:
        page = chrome.new_page(viewport=VIEWPORT)
        goto_drawn(page, hello_url, HELLO_MARKER)
        for name, path in WIJK_VIEWS.items():
            first[name] = goto_drawn(page, f"{url}/{path}", shot=f"wijken_{name}_first")
        for _ in range(repeat):
            hello_runs.append(goto_drawn(page, hello_url, HELLO_MARKER))
            for name, path in WIJK_VIEWS.items():
                times[name].append(goto_drawn(page, f"{url}/{path}"))
    hello = statistics.median(hello_runs)
    rows = []
    for name in WIJK_VIEWS:
        rows.append(ratio_row(f"Wijken, Metropoolregio Amsterdam ({name}), first load after "
                              "start", first[name], hello, None))
        rows.append(ratio_row(f"Wijken, Metropoolregio Amsterdam ({name}), drawn, warm",
                              statistics.median(times[name]), hello, None))
    return rows


def nav_click(page, url: str, path: str, marker: str) -> float:
    """Seconds from a click on a page's link in the sidebar to that page drawn (the way a
    person moves through the app: no full page load)."""
    link = page.locator(f'[data-testid="stSidebarNav"] a[href="{url}/{path}"]')
    before = harness.view_signature(page)
    harness.listen_for_input(page)
    start = time.time()
    link.first.click()
    drawn = harness.wait_drawn(page, TIMEOUT_MS, marker, before=before)
    return drawn - harness.input_time(page, start)


def sidebar_pages(warehouse: Path, repeat: int = 3) -> list[tuple]:
    """Each page reached through the sidebar from the page before it (median of `repeat`
    after one unmeasured round), beside hello-world's second page reached the same way."""
    hello_app = harness.REPO / "bench" / "hello_nav_app.py"
    order = list(harness.PAGES.items())
    with harness.serve(warehouse) as (url, _), harness.serve(warehouse, script=hello_app) as (
            hello_url, _), harness.browser() as chrome:
        page = chrome.new_page(viewport=VIEWPORT)
        goto_drawn(page, hello_url, HELLO_MARKER)
        hello_runs = []
        for _ in range(repeat + 1):
            hello_runs.append(nav_click(page, hello_url, "twee", HELLO_MARKER))
            nav_click(page, hello_url, "", HELLO_MARKER)  # the default page, at /
        hello = statistics.median(hello_runs[1:])
        goto_drawn(page, f"{url}/{order[-1][1]}")
        runs: dict[str, list[float]] = {name: [] for name, _ in order}
        for _ in range(repeat + 1):
            for name, path in order:
                runs[name].append(nav_click(page, url, path, harness.FOOTER))
    times = {name: statistics.median(values[1:]) for name, values in runs.items()}
    rows = [ratio_row(f"page '{name}' reached through the sidebar", value, hello, None)
            for name, value in times.items()]
    ratios = {name: value / hello for name, value in times.items()}
    med, slowest = statistics.median(ratios.values()), max(ratios, key=ratios.get)
    med_s = statistics.median(times.values())
    rows.append(("page reached through the sidebar: median time",
                 f"{med_s:.2f} s (hello-world {hello:.2f} s)", "<= 0.4 s", med_s <= 0.4))
    rows.append(("page reached through the sidebar: median ratio to hello-world",
                 f"{med:.2f}x (hello-world {hello:.2f} s)", "", None))
    rows.append((f"page reached through the sidebar: slowest ('{slowest}') ratio",
                 f"{ratios[slowest]:.2f}x ({times[slowest]:.2f} s)", "", None))
    return rows


def cold_first_page(warehouse: Path) -> list[tuple]:
    """The first page after a server start, from the moment the server answers its health
    check (the dashboard warms itself in the background from then on)."""
    with harness.serve(warehouse, script=HELLO) as (hello_url, _), harness.browser() as chrome:
        hello = goto_drawn(chrome.new_page(viewport=VIEWPORT), hello_url, HELLO_MARKER)
    with harness.serve(warehouse) as (url, _), harness.browser() as chrome:
        value = goto_drawn(chrome.new_page(viewport=VIEWPORT), f"{url}/", shot="cold_first")
    # As deployed: serve.sh opens the balancer once the replica has warmed itself up.
    with harness.serve_replicas(warehouse, 1) as (url, _), harness.browser() as chrome:
        balanced = goto_drawn(chrome.new_page(viewport=VIEWPORT), f"{url}/",
                              shot="cold_first_balanced")
    return [ratio_row("first page after server start (cold; one process, from its health "
                      "check, warm-up still running)", value, hello, 2.0),
            ratio_row("first page after server start (cold; serve.sh, from the moment the "
                      "balancer listens)", balanced, hello, 2.0)]


# An office network as a municipality might have it: 20 Mbit/s down, 5 up, 20 ms away.
OFFICE_NETWORK = {"offline": False, "latency": 20, "downloadThroughput": 20e6 / 8,
                  "uploadThroughput": 5e6 / 8}


def first_visit(chrome, url: str, marker: str, shot: str | None = None) -> tuple[float, float]:
    """(seconds to drawn, MB received) for a first visit (empty browser cache) over
    OFFICE_NETWORK."""
    context = chrome.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_navigation_timeout(TIMEOUT_MS)  # 9.5 MB at 20 Mbit/s takes a while
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", OFFICE_NETWORK)
    received = []
    cdp.on("Network.loadingFinished", lambda e: received.append(e["encodedDataLength"]))
    seconds = goto_drawn(page, url, marker, shot=shot)
    context.close()
    return seconds, sum(received) / 1e6


def first_visit_network(warehouse: Path) -> list[tuple]:
    """The first visit over an office network: hello-world, the dashboard straight from its
    process, and through serve.sh (whose balancer compresses what Streamlit sends as is)."""
    with harness.serve(warehouse, script=HELLO) as (hello_url, _), \
            harness.serve(warehouse) as (url, _), \
            harness.serve_replicas(warehouse, 1) as (balanced_url, _), \
            harness.browser() as chrome:
        for server, marker in ((hello_url, HELLO_MARKER), (f"{url}/", harness.FOOTER),
                               (f"{balanced_url}/", harness.FOOTER)):
            first_visit(chrome, server, marker)  # each server's own first session
        hello = [first_visit(chrome, hello_url, HELLO_MARKER) for _ in range(3)]
        direct = [first_visit(chrome, f"{url}/", harness.FOOTER) for _ in range(3)]
        balanced = [first_visit(chrome, f"{balanced_url}/", harness.FOOTER,
                                shot="first_visit_network") for _ in range(3)]
    rows = []
    h_time = statistics.median(t for t, _ in hello)
    for name, runs in (("hello-world", hello), ("dashboard, one process", direct),
                       ("dashboard through serve.sh (compressed)", balanced)):
        seconds = statistics.median(t for t, _ in runs)
        megabytes = statistics.median(mb for _, mb in runs)
        rows.append((f"first visit over a 20 Mbit/s network: {name}",
                     f"{seconds:.2f} s, {megabytes:.1f} MB received "
                     f"({seconds / h_time:.2f}x hello-world)", "", None))
    return rows


def pick_next_option(label: str):
    """A change: the select box labelled `label` moves to its next option."""
    def change(page) -> float:
        box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
        box.locator("input").click()
        page.keyboard.press("ArrowDown")
        start = time.time()
        page.keyboard.press("Enter")
        return start
    return change


def slider_step(page) -> float:
    """A change: the year slider one step back."""
    page.locator('[data-testid="stSlider"] input[type="range"]').first.focus()
    start = time.time()
    page.keyboard.press("ArrowLeft")
    return start


def click_level(name: str):
    """A change: another level in the segmented control."""
    def change(page) -> float:
        button = page.locator('[data-testid="stButtonGroup"] button').filter(has_text=name)
        start = time.time()
        button.first.click()
        return start
    return change


def apply_regions(page) -> float:
    """Press the regions form's 'Toepassen' (edits of the box are applied together); returns
    the moment of the press."""
    button = page.locator('[data-testid="stFormSubmitButton"] button').first
    start = time.time()
    button.click()
    return start


def add_region(text: str):
    """A change: one more region in the multiselect, typed and chosen, then applied."""
    def change(page) -> float:
        box = page.locator('[data-testid="stMultiSelect"]').first
        box.locator("input").click()
        page.keyboard.type(text)
        page.wait_for_selector('[role="option"]', timeout=TIMEOUT_MS)
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        return apply_regions(page)
    return change


def remove_regions(count: int, from_first: bool):
    """A change: `count` regions taken out of the box one by one (a person tidying up the
    comparison), then applied; timed from the press of 'Toepassen' (what the app makes a
    person wait: removals in the box ask nothing of the server) or, `from_first`, from the
    first removal (the browser automation's seven clicks included)."""
    def change(page) -> float:
        start = time.time()
        for _ in range(count):
            page.locator('[data-testid="stMultiSelect"] [data-tag] '
                         'button[aria-label^="Remove"] >> visible=true').first.click()
        applied = apply_regions(page)
        return start if from_first else applied
    return change


# (name, page to open, change): the interactions the issue names.
INTERACTIONS = [
    ("another indicator on Kaart", "kaart", pick_next_option("Indicator")),
    ("another year on Kaart", "kaart", slider_step),
    ("another level on Kaart (provincie)", "kaart", click_level("Provincie")),
    ("adding a region in Vergelijken", "vergelijken", add_region("Utrecht (prov")),
    ("removing seven regions in Vergelijken (one by one, then applied; from 'Toepassen')",
     "vergelijken", remove_regions(7, from_first=False)),
    ("removing seven regions in Vergelijken, from the first removal (seven clicks included)",
     "vergelijken", remove_regions(7, from_first=True)),
]


def interactions(warehouse: Path, repeat: int = 3) -> list[tuple]:
    """From the change to the fully redrawn view (median of `repeat`, each on a freshly
    opened page), beside a hello-world rerun triggered by a select box."""
    rows, values = [], []
    with harness.serve(warehouse) as (url, _), harness.serve(warehouse, script=HELLO) as (
            hello_url, _), harness.browser() as chrome:
        page = chrome.new_page(viewport=VIEWPORT)
        hello_runs = []
        for _ in range(repeat + 1):
            goto_drawn(page, hello_url, HELLO_MARKER)
            hello_runs.append(change_drawn(page, pick_next_option("Keuze"), HELLO_MARKER))
        hello = statistics.median(hello_runs[1:])
        for name, path, change in INTERACTIONS:
            runs = []
            for i in range(repeat + 1):
                goto_drawn(page, f"{url}/{path}")
                shot = f"change_{path}_{len(values)}" if i == 1 else None
                runs.append(change_drawn(page, change, shot=shot))
            value = statistics.median(runs[1:])
            # issue 23: adding or removing regions in Vergelijken <= 0.5 s, others 0.4 s;
            # the run with the automation's own clicks inside it is shown, not judged
            if "first removal" in name:
                rows.append(ratio_row(f"interaction: {name}", value, hello, None))
                continue
            values.append(value)
            limit = 0.5 if "Vergelijken" in name else 0.4
            rows.append(ratio_row(f"interaction: {name}", value, hello, None,
                                  f"<= {limit} s", limit + 1e-9))
    med = statistics.median(values)
    rows.append(("interactions: median, change to redrawn view",
                 f"{med:.2f} s (hello-world rerun {hello:.2f} s)", "<= 0.4 s", med <= 0.4))
    return rows
