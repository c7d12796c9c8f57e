"""Over de data: definitions, sources, coverage, method, provenance and attribution."""

from __future__ import annotations

import streamlit as st

from monitor import about, peers, queries, show
from monitor.i18n import col, current_lang, t
from monitor.provenance import build_source

st.title(t("page_about"))
st.markdown(t("about_intro"))

CBS_DATASET = r"dataset/(\w+)/"  # a StatLine address, linked by its table id

st.header(t("about_factors"))
for _, factor in queries.factors().iterrows():
    with st.expander(f"{col(factor, 'title')}", expanded=False):
        st.markdown(col(factor, "description"))
        show.table(about.indicator_catalogue(factor["factor_id"]),
                   links={t("col_source"): CBS_DATASET}, key=f"about_{factor['factor_id']}")

st.header(t("about_method"))
st.markdown(t("about_method_body"))
st.subheader(t("about_peers"))
st.markdown(t("about_peers_body", items=peers.context_titles(current_lang())))
st.subheader(t("about_narrative"))
st.markdown(t("about_narrative_body"))
st.subheader(t("about_economy"))
st.markdown(t("about_economy_body"))

st.header(t("about_build"))
meta = queries.build_meta()
built = t("overview_built", built=str(meta.get("built_at", ""))[:16],
          source=build_source(meta, current_lang()))
st.markdown(f"{built} · code `{meta.get('code_version') or '-'}`")
show.table(about.provenance(), links={t("col_table"): CBS_DATASET}, key="about_provenance",
           sortable=True)
if about.any_left_out():
    st.caption(t("about_left_out_note"))
for line in about.fill_lines():
    st.caption(line)
st.info(t("about_attribution"))
