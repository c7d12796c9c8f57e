"""The hello-world reference for moving between pages in the sidebar: two pages, each a title
and one line, under st.navigation as the dashboard's pages are."""

import streamlit as st


def een() -> None:
    st.title("Hallo een")
    st.write("Eén regel tekst: een.")


def twee() -> None:
    st.title("Hallo twee")
    st.write("Eén regel tekst: twee.")


st.navigation([st.Page(een, title="Een", default=True), st.Page(twee, title="Twee")]).run()
