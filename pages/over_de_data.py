"""Over de data: definitions, sources, coverage, method, provenance and attribution."""

from __future__ import annotations

import streamlit as st

from monitor import about, peers, queries
from monitor.i18n import col, current_lang, t
from monitor.provenance import build_source

st.title(t("page_about"))
st.markdown(t("about_intro"))

link = st.column_config.LinkColumn(t("col_source"), display_text=r"dataset/(\w+)/")
st.header(t("about_factors"))
for _, factor in queries.factors().iterrows():
    with st.expander(f"{col(factor, 'title')}", expanded=False):
        st.markdown(col(factor, "description"))
        st.dataframe(about.indicator_catalogue(factor["factor_id"]), hide_index=True,
                     width="stretch", column_config={t("col_source"): link})

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
st.dataframe(about.provenance(), hide_index=True, width="stretch",
             column_config={t("col_table"): st.column_config.LinkColumn(
                 t("col_table"), display_text=r"dataset/(\w+)/")})
if about.any_left_out():
    st.caption(t("about_left_out_note"))
for line in about.fill_lines():
    st.caption(line)
st.info(t("about_attribution"))
