"""Overzicht: what the tool is, a region's headline figures beside Nederland, its factor profile."""

from __future__ import annotations

import streamlit as st

from monitor import charts, queries, state, widgets
from monitor.i18n import t
from monitor.profile import factor_titles, headline_table, region_factor_profile, region_name

st.title(t("app_title"))
st.markdown(t("app_tagline"))

region = widgets.region_picker()
custom_name, custom_codes = state.read_custom()
name = region_name(region, custom_name)

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(t("overview_headlines", name=name))
    table = headline_table(region, custom_codes)
    st.dataframe(table, hide_index=True, width="stretch")
with right:
    st.subheader(t("overview_profile"))
    profile = region_factor_profile((region, "NL01"), custom_codes)
    names = {region: name, "NL01": t("netherlands")}
    if profile.empty:
        st.info(t("no_value"))
    else:
        st.plotly_chart(charts.factor_bars(profile, names, factor_titles()), width="stretch",
                        config={"displayModeBar": False})
        st.caption(t("overview_profile_note"))

meta = queries.build_meta()
st.caption(t("overview_built", built=str(meta.get("built_at", ""))[:16],
             source=meta.get("source", "")))
