"""Wat is er veranderd: per region and indicator, what changed between two releases."""

from __future__ import annotations

import streamlit as st

from monitor import downloads, releases, state
from monitor.i18n import current_lang, t

lang = current_lang()
st.title(t("changes_title"))
st.markdown(t("changes_intro"))

def label(release_id: str, newest: str, kept: dict, built: dict) -> str:
    """'2026-12-05.3f9c (gebouwd 2026-12-05), nieuwste'."""
    flag = t("changes_flag_newest") if release_id == newest else \
        "" if kept.get(release_id) else t("changes_flag_gone")
    return t("changes_release_option", id=release_id, date=built.get(release_id, ""), flag=flag)


def main() -> None:
    """The two release pickers, the sentence, the table and its download."""
    known = releases.history()
    ids = list(known["release_id"])
    newest = releases.current_id()
    if newest is None or len(ids) < 2:
        st.info(t("changes_only_one", id=newest or "-"))
        return

    kept = dict(zip(known["release_id"], known["kept"], strict=True))
    built = {r: str(b)[:16] for r, b in zip(known["release_id"], known["built_at"], strict=True)}

    def named(release_id: str) -> str:
        return label(release_id, newest, kept, built)

    pinned = state.read_release()
    default_from = pinned if pinned in ids and pinned != newest else ids[1]
    first = state.choose("from", ids, default_from)
    last = state.choose("to", ids, newest)
    pick_from, pick_to = st.columns(2, gap="large")
    with pick_from:
        chosen_from = st.selectbox(t("changes_from"), ids, index=ids.index(first),
                                   format_func=named, key="changes_from")
    with pick_to:
        chosen_to = st.selectbox(t("changes_to"), ids, index=ids.index(last),
                                 format_func=named, key="changes_to")
    if (chosen_from, chosen_to) != (first, last):
        state.write(**{"from": None if chosen_from == default_from else chosen_from,
                       "to": None if chosen_to == newest else chosen_to})

    changes = releases.changes(chosen_from, chosen_to)
    st.markdown(f"**{releases.summary(changes, lang)}**")
    if changes is None or changes.empty:
        return

    table = releases.describe(changes, lang)
    st.caption(t("changes_rounding"))
    shown = table.drop(columns=["kind", "region_code", "indicator_id"]).rename(columns={
        c: t(f"changes_col_{c}") for c in ("what", "region", "indicator", "year", "was", "now",
                                           "detail")})
    st.dataframe(shown, hide_index=True, width="stretch", height=480,
                 column_config={t("changes_col_year"): st.column_config.NumberColumn(format="%d")})
    export_frame = table.rename(columns={"what": "change", "was": "old_value",
                                         "now": "new_value"}).assign(
        from_release=chosen_from, to_release=chosen_to)
    ids_in = [i for i in export_frame["indicator_id"].dropna().unique()]
    downloads.table_buttons(export_frame, ids_in, ("veranderd", chosen_from, chosen_to),
                            key="changes")


main()
