"""Regio Ecosysteem Monitor: page config, language, presentation mode and navigation."""

from __future__ import annotations

import streamlit as st

from monitor import db, queries, state
from monitor.i18n import t

st.set_page_config(page_title="Regio Ecosysteem Monitor", page_icon="🗺️", layout="wide",
                   initial_sidebar_state="expanded")

PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none;}
html, body, [class*="css"], .stMarkdown p, .stMarkdown li {font-size: 1.35rem;}
h1 {font-size: 3rem !important;} h2 {font-size: 2.3rem !important;}
.block-container {padding-top: 1rem; max-width: 100% !important;}
[data-testid="stExpander"] {display: none;}
</style>
"""


def sync_language() -> None:
    """Language from the URL, switchable in the sidebar; kept in the URL."""
    st.session_state["lang"] = state.read_lang()
    choice = st.sidebar.segmented_control(t("language"), ["nl", "en"],
                                          default=st.session_state["lang"],
                                          format_func=str.upper, key="lang_switch")
    if choice and choice != st.session_state["lang"]:
        st.session_state["lang"] = choice
        state.write(lang=None if choice == "nl" else choice)
        st.rerun()


def sync_presentation() -> bool:
    """Presentation mode: large type, no sidebar; part of the shareable URL (present=1)."""
    on = state.choose("present", ("0", "1"), "0") == "1"
    toggled = st.sidebar.toggle(t("presentation_mode"), value=on, key="present_switch")
    if toggled != on:
        state.write(present="1" if toggled else None)
        st.rerun()
    if on:
        st.markdown(PRESENT_CSS, unsafe_allow_html=True)  # static CSS, no user input
        if st.button("✕ " + t("presentation_mode"), key="present_off"):
            state.write(present=None)
            st.rerun()
    return on


def no_data_page() -> None:
    """No warehouse yet: say so, and offer to build it with progress."""
    from etl.build import BuildError, build_warehouse  # the one ETL entry point the app uses

    st.title(t("app_title"))
    st.subheader(t("no_data_title"))
    st.markdown(t("no_data_body", path=db.warehouse_path()))
    if st.button(t("build_now"), type="primary"):
        bar = st.progress(0.0)

        def progress(label: str, i: int, n: int) -> None:
            bar.progress(min(i / max(n, 1), 1.0), text=label)

        try:
            report = build_warehouse(target=db.warehouse_path(), progress=progress)
        except BuildError as exc:
            st.error(t("build_failed", error=exc))
            return
        st.success(t("build_done", summary=report.summary()))
        st.rerun()


def pages() -> list:
    """The pages, titled in the current language."""
    return [
        st.Page("pages/overzicht.py", title=t("page_overview"), icon="🏠", url_path="overzicht",
                default=True),
        st.Page("pages/kaart.py", title=t("page_map"), icon="🗺️", url_path="kaart"),
        st.Page("pages/regioprofiel.py", title=t("page_profile"), icon="📋",
                url_path="regioprofiel"),
        st.Page("pages/vergelijken.py", title=t("page_compare"), icon="⚖️",
                url_path="vergelijken"),
        st.Page("pages/trends.py", title=t("page_trends"), icon="📈", url_path="trends"),
        st.Page("pages/over_de_data.py", title=t("page_about"), icon="ℹ️",
                url_path="over-de-data"),
    ]


def footer() -> None:
    """Attribution and build date under every page."""
    meta = queries.build_meta()
    built = str(meta.get("built_at", ""))[:16]
    st.caption(t("source_line", built=built))


def main() -> None:
    """Route to the chosen page."""
    sync_language()
    if not db.has_warehouse():
        no_data_page()
        return
    queries.refresh_if_rebuilt()
    present = sync_presentation()
    st.session_state["present"] = present
    nav = st.navigation(pages(), position="hidden" if present else "sidebar")
    notices = st.container()  # filled after the page ran: it knows which parameters it refused
    nav.run()
    with notices:
        state.show_notices()
    footer()


main()
