"""The hello-world reference for the benchmarks: a title and one line (and, for the rerun
reference, one select box changed the way the dashboard's pickers are)."""

import streamlit as st

st.title("Hallo wereld")
choice = st.selectbox("Keuze", ["een", "twee", "drie"], key="hello_choice")
st.write(f"Eén regel tekst: {choice}.")
