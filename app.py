"""Regio Ecosysteem Monitor: page config, language, presentation mode and navigation."""

from __future__ import annotations

import functools
import logging
import os
import time

import streamlit as st

from monitor import cached, db, queries, releases, show, state
from monitor.i18n import LANGS, current_lang, t

# An emoji favicon is drawn in the browser; a ":material/...:" one is fetched from
# fonts.gstatic.com on every page (a request leaving our origin).
st.set_page_config(page_title="Regio Ecosysteem Monitor", page_icon="🗺️", layout="wide",
                   initial_sidebar_state="auto")  # collapsed on a phone

# Presentation mode, for a projector (1920x1080) read from the back of a room: no sidebar, no
# toolbar, full width, large type; the page's controls sit in a 'Settings' popover and the way
# out in a button, both top right (Streamlit gives keyed elements a .st-key-<key> class); they
# scroll away with the page instead of staying pinned over the legend and the tables.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"]
  {display: none !important;}
html, body, .stMarkdown p, .stMarkdown li {font-size: 1.35rem;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {font-size: 1.2rem;}
h1 {font-size: 2.4rem !important; padding: 0 440px 0 0 !important; line-height: 1.2 !important;}
@media (max-width: 1200px) {h1 {font-size: 1.7rem !important;}}
/* a phone: the two pinned buttons take the whole top line, the title goes under them */
@media (max-width: 640px) {h1 {padding: 3.6rem 0 0 0 !important; font-size: 1.5rem !important;}}
h2 {font-size: 2.0rem !important;} h3 {font-size: 1.5rem !important;}
.block-container, [data-testid="stMainBlockContainer"]
  {padding: 0.6rem 2rem 1rem !important; max-width: 100% !important;}
.st-key-present_map {flex: 0 0 auto !important; height: calc(100vh - 190px) !important;
  min-height: 320px;}
.st-key-present_chart {flex: 0 0 auto !important; height: calc(100vh - 290px) !important;
  min-height: 300px;}
/* Kaart: a highlighted region's value in large type under the title; the map makes room */
.st-key-present_highlight p {font-size: 2rem !important; line-height: 1.25; margin: 0;}
@media (max-width: 1200px) {.st-key-present_highlight p {font-size: 1.6rem !important;}}
[data-testid="stMainBlockContainer"]:has(.st-key-present_highlight) .st-key-present_map
  {height: calc(100vh - 250px) !important;}
[data-testid="stMainBlockContainer"]:has(.st-key-present_highlight) .st-key-present_map img
  {max-height: calc(100vh - 310px);}
[data-testid="stMainBlockContainer"] {position: relative;}
.st-key-present_off, .st-key-present_controls
  {position: absolute; top: 0.6rem; z-index: 999990; width: auto !important;}
.st-key-present_off {right: 12px;}
.st-key-present_controls {right: 235px;}
.st-key-present_off button, .st-key-present_controls button
  {font-size: 17px; box-shadow: 0 1px 4px rgba(0,0,0,.25);}
.st-key-present_off button p, .st-key-present_controls button p {font-size: 17px;}
</style>
"""
# Everywhere: captions in Streamlit's default grey are about 3.8:1 on white (WCAG AA asks 4.5:1
# for small text); darker, derived from the theme's text colour so a dark theme stays readable.
A11Y_CSS = """
<style>
[data-testid="stCaptionContainer"] {color: inherit; opacity: 0.82;}
/* Side-by-side parts inside a container keyed 'wrap_*' go under each other when a part would
   be narrower than 340 px (beside the sidebar at 1024 px), instead of cutting labels. */
[class*="st-key-wrap_"] [data-testid="stHorizontalBlock"],
[class*="st-key-wrapside_"] [data-testid="stHorizontalBlock"] {flex-wrap: wrap !important;}
[class*="st-key-wrap_"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]
  {min-width: 340px !important;}
/* A touch screen has no hover, so Streamlit shows every table's and chart's toolbar (search,
   download, full screen) all the time, 44 px above the element: over the caption or heading
   before it. There the element makes room for its toolbar. */
@media (hover: none) {*:has(> [data-testid="stElementToolbar"]) {margin-top: 44px;}}
/* A segmented control (Kaart's level, Data-export's layout) wraps its options onto a second
   line where it is narrower than they are, instead of scrolling them out of sight. */
[data-testid="stMain"] [data-testid="stButtonGroup"] > div {flex-wrap: wrap; row-gap: 4px;}
/* 'wrapside_': a narrow side column (controls beside a map) wraps under 200 px */
[class*="st-key-wrapside_"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]
  {min-width: 200px !important;}
</style>
"""


def sync_language() -> None:
    """Language from the URL, switchable in the sidebar; kept in the URL."""
    st.session_state["lang"] = state.read_lang()
    if st.session_state["lang"] != "nl" and not state.in_url("lang"):
        state.write(lang=st.session_state["lang"])  # a sidebar link dropped it: back in the URL
    choice = st.sidebar.segmented_control(t("language"), ["nl", "en"],
                                          default=st.session_state["lang"],
                                          format_func=str.upper, key="lang_switch")
    if choice and choice != st.session_state["lang"]:
        st.session_state["lang"] = choice
        state.write(lang=None if choice == "nl" else choice)
        st.rerun()
    # WCAG 3.1.1: the page says its language (Streamlit's <html lang> is always 'en'), so a
    # screen reader reads Dutch as Dutch. The value comes from the allow-list LANGS only.
    lang = st.session_state["lang"] if st.session_state["lang"] in LANGS else "nl"
    # one element for both scripts: each st.html costs the browser 3-5 ms on every page load
    st.sidebar.html(f"<script>document.documentElement.lang = '{lang}';</script>"
                    + PHONE_SIDEBAR_JS, unsafe_allow_javascript=True)


# On a phone the open sidebar covers three quarters of the screen; Streamlit leaves it open
# after a page is chosen in it, so the chosen page stays hidden. Choosing a page closes it there
# (a tap beside it already does). Static script, registered once per browser tab.
PHONE_SIDEBAR_JS = """<script>
if (!window.remPhoneSidebar) {
  window.remPhoneSidebar = true;
  document.addEventListener('click', (event) => {
    if (!window.matchMedia('(max-width: 640px)').matches) return;
    if (!event.target.closest('[data-testid="stSidebarNav"] a')) return;
    const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (close) setTimeout(() => close.click(), 0);
  }, true);
}
</script>"""


def set_presentation(on: bool | None = None) -> None:
    """Callback: presentation mode on/off in the URL (None: as the sidebar switch now says)."""
    if on is None:
        on = bool(st.session_state.get("present_switch"))
    st.session_state["present_switch"] = on
    state.write(present="1" if on else None)


def sync_presentation() -> bool:
    """Presentation mode: large type, no sidebar; part of the shareable URL (present=1).
    The URL decides; the switch follows it (a link or the way-out button may change it).
    A URL without it (a page reached by the browser's back button) keeps the session's mode."""
    kept = "1" if st.session_state.get("present_switch") else "0"
    on = state.choose("present", ("0", "1"), kept) == "1"
    if on and not state.in_url("present"):
        state.write(present="1")
    if st.session_state.get("present_switch") != on:
        st.session_state["present_switch"] = on
    st.sidebar.toggle(t("presentation_mode"), key="present_switch", on_change=set_presentation)
    st.markdown(A11Y_CSS, unsafe_allow_html=True)  # static CSS, no user input
    if on:
        st.markdown(PRESENT_CSS, unsafe_allow_html=True)  # static CSS, no user input
        st.button(t("present_exit"), key="present_off", icon=":material/close:",
                  on_click=set_presentation, args=(False,))
    return on


def no_data_page() -> None:
    """No warehouse yet: say so, and offer to build it with progress."""
    from etl.build import BuildError, build_warehouse  # the one ETL entry point the app uses

    st.title(t("app_title"))
    st.subheader(t("no_data_title"))
    st.markdown(t("no_data_body"))
    if st.button(t("build_now"), type="primary"):
        bar = st.progress(0.0)

        def progress(label: str, i: int, n: int) -> None:
            bar.progress(min(i / max(n, 1), 1.0), text=label)

        try:
            build_warehouse(target=db.warehouse_path(), progress=progress)
        except BuildError as exc:
            st.error(t("build_failed", error=exc))
            return
        except OSError:  # a read-only (or full) data folder: no traceback, what to do
            LOG.exception("build from the app failed")
            st.error(t("build_read_only"), icon=":material/folder_off:")
            return
        st.success(t("build_done"))
        st.rerun()


# (file stem in pages/, title key, Material icon). The url path is the file stem: AppTest
# finds a page by its file name, and links stay readable (/kaart, /over_de_data). The first
# page is the default and lives at / (a link to /overzicht makes Streamlit say 'not found').
PAGES = (
    ("overzicht", "page_overview", "home"),
    ("kaart", "page_map", "map"),
    ("regioprofiel", "page_profile", "analytics"),
    ("wijken", "page_wijken", "holiday_village"),
    ("eigen_regio", "page_compose", "edit_location_alt"),
    ("vergelijken", "page_compare", "compare_arrows"),
    ("trends", "page_trends", "show_chart"),
    ("export", "page_export", "download"),
    ("veranderd", "page_changes", "difference"),
    ("over_de_data", "page_about", "info"),
)


def pages() -> list:
    """The pages, titled in the current language; the first is the default."""
    return [st.Page(f"pages/{stem}.py", title=t(key), icon=f":material/{icon}:", url_path=stem,
                    default=i == 0) for i, (stem, key, icon) in enumerate(PAGES)]


def footer(page) -> None:
    """Attribution and build date under every page, and the link that holds this view with
    its release ('link met vaste cijfers')."""
    meta = queries.build_meta()
    built = str(meta.get("built_at", ""))[:16]
    st.caption(t("source_line", built=built))
    release_id = db.release_id()
    with st.expander(t("release_link_title"), icon=":material/link:"):
        if release_id is None:
            st.caption(t("release_link_none"))
            return
        st.caption(t("release_link_body", id=release_id, date=releases.built_day(release_id)))
        # not st.code: it loads Streamlit's syntax highlighter on every page (monitor/show.py)
        show.copyable(pinned_link(page, release_id))


def pinned_link(page, release_id: str) -> str:
    """This page's link with its view and release, absolute where the browser told us the
    app's address."""
    try:
        base = st.context.url
    except Exception:  # noqa: BLE001 - outside a browser session (AppTest): a relative link
        base = None
    path = getattr(page, "url_path", "") or ""
    if base and path and base.rstrip("/").endswith("/" + path):  # the page's own address
        base = base.rstrip("/")[:-len(path) - 1]
    return releases.link(path, state.params(), release_id, base)


def set_newest() -> None:
    """Callback: leave the pinned release, show the newest figures (same view)."""
    state.write(release=None)


def pin_release():
    """Fix the warehouse of this run: the release a link is pinned to when it is kept, else
    the current one. Returns (the release asked for, the opened one or None if not kept)."""
    asked = state.read_release()
    return asked, db.begin_run(asked)


def release_banner(asked: str | None, run) -> None:
    """Say which release a pinned link shows and whether newer figures exist; for a release no
    longer kept, that it is gone and what changed since."""
    if asked is None:
        return
    newest = db.current()
    changes_link = {**state.params(("lang",)), "from": asked}
    if run is not None and run.release_id == newest.release_id:
        st.caption(t("release_pinned_current", id=asked))
        return
    with st.container(border=True, key="release_banner"):
        if run is None:  # asked for a release that is no longer kept
            changes = releases.changes(asked, newest.release_id)
            st.warning(t("release_unkept", id=asked, new=newest.release_id) + " "
                       + releases.summary(changes, current_lang()), icon=":material/history:")
        else:
            st.info(t("release_pinned_newer", id=asked, new=newest.release_id),
                    icon=":material/push_pin:")
        with st.container(horizontal=True, gap="small"):
            if run is not None:
                st.button(t("release_show_newest"), on_click=set_newest, key="release_newest")
            st.page_link("pages/veranderd.py", label=t("release_show_changes"),
                         icon=":material/difference:", query_params=changes_link)


LOG = logging.getLogger("rem.app")


def session_moved_notice() -> None:
    """Behind serve.sh every replica knows its name (REM_REPLICA_NAME) and the balancer pins a
    browser to one with a cookie, passed on as the header X-REM-Pinned. A session pinned to
    another replica arrived here because that one stopped: say that the session was lost,
    not the room."""
    mine = os.environ.get("REM_REPLICA_NAME")
    if not mine:
        return
    # Streamlit's frontend reruns the page after a reconnect only when the page has a fragment
    # that reruns on a timer; without one a browser moved to another replica keeps showing the
    # old page on a new, empty session until the next click. This one does nothing else.
    st.fragment(lambda: None, run_every=3600)()
    if "_moved_at" not in st.session_state:
        pinned = next((v for k, v in st.context.headers.items()
                       if k.lower() == "x-rem-pinned"), None)
        moved = bool(pinned) and pinned != mine
        st.session_state["_moved_at"] = time.time() if moved else None
        if moved:
            LOG.warning("a session moved here from replica %s", pinned)
    moved_at = st.session_state["_moved_at"]
    if moved_at is not None and time.time() - moved_at < 120:  # for the next two minutes
        st.info(t("session_moved"), icon=":material/sync_problem:")


def guarded(run) -> None:
    """The last line of defence: whatever fails, the user reads a short message in their
    language, never a traceback or a server path; the details go to the server's log.
    (Streamlit's own rerun/stop signals are BaseExceptions and pass through.)"""
    try:
        run()
    except Exception as exc:
        LOG.exception("page run failed (url parameters: %s)", state.params())
        problem = warehouse_problem(exc)
        if problem:
            st.error(t(problem), icon=":material/database:")
            st.code("python -m etl build", language="bash")
        else:
            st.error(t("app_error"), icon=":material/error:")


def warehouse_problem(exc: Exception) -> str | None:
    """The text key for a failure of the warehouse file itself, or None: a file DuckDB cannot
    read (empty, cut off, not a database) or one made by an older version of the build (a
    table or column the app asks for is not there). Both are repaired by a new build."""
    import duckdb

    if isinstance(exc, duckdb.IOException | duckdb.SerializationException):
        return "warehouse_damaged"
    if isinstance(exc, duckdb.CatalogException | duckdb.BinderException):
        return "warehouse_old"
    return None


def main() -> None:
    """Route to the chosen page."""
    cached.install()
    db.end_run()  # the previous run's warehouse is not this one's
    sync_language()
    session_moved_notice()
    if not db.has_warehouse():
        no_data_page()
        return
    present = sync_presentation()
    st.session_state["present"] = present
    state.new_run()  # the composed region in the URL is read (at most) once in this run
    nav = st.navigation(pages(), position="hidden" if present else "sidebar")
    state.carry(nav.url_path)  # what a sidebar link or the back button left out, put back
    asked, run = pin_release()  # from here on, every query of this run reads one warehouse
    notices = st.container()  # filled after the page ran: it knows which parameters it refused
    release_banner(asked, run)
    # made when a file asks for it: the view as the page has written it into the URL by then
    db.set_run_link(functools.partial(pinned_link, nav, db.release_id())
                    if db.release_id() else None)
    nav.run()
    state.remember()
    with notices:
        state.show_notices()
    footer(nav)


guarded(main)
