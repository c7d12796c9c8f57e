"""The dashboard's library: warehouse access, queries, charts, maps, URL state and UI texts."""

from __future__ import annotations

import sys


def _route_through_app() -> None:
    """Make a page URL opened first (e.g. a shared link to /kaart) run through app.py.

    Streamlit treats an app with a `pages/` folder as a legacy multipage app until app.py has
    called st.navigation once; until then a direct page URL runs the page script alone, with no
    language switch, presentation mode or notices. When a page imports this package in that
    state, switch the legacy mode off (what st.navigation itself does) and rerun, so app.py
    routes from then on. Outside a Streamlit run (tests, benchmarks, the ETL, a notebook)
    nothing happens, and Streamlit is not even imported: the data layer runs without it.
    """
    if "streamlit" not in sys.modules:
        return
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if PagesManager.uses_pages_directory and get_script_run_ctx(suppress_warning=True):
        PagesManager.uses_pages_directory = False
        st.rerun()


_route_through_app()
