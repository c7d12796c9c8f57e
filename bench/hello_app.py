"""The hello-world reference for the benchmarks: a title and one line (and, for the rerun
reference, one select box changed the way the dashboard's pickers are).

`?with=chart` adds one small plotly chart, `?with=table` one small st.dataframe: what a page
pays for the first chart or grid it shows (the browser loads and starts plotly.js or the
data grid on every full page load), measured beside the plain page in the same run."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.title("Hallo wereld")
choice = st.selectbox("Keuze", ["een", "twee", "drie"], key="hello_choice")
extra = st.query_params.get("with")
if extra == "chart":
    st.plotly_chart(go.Figure(go.Bar(x=["een", "twee", "drie"], y=[3, 1, 2])))
elif extra == "table":
    st.dataframe(pd.DataFrame({"regio": ["een", "twee", "drie"], "waarde": [3, 1, 2]}))
st.write(f"Eén regel tekst: {choice}.")
