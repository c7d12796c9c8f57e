"""Eigen regio: compose a region from gemeenten; it lives in the URL so every page shows it."""

from __future__ import annotations

import streamlit as st

from monitor import member_list, profile, queries, regions, state, widgets
from monitor.i18n import t
from monitor.numbers import format_value

MEMBERS, NAME, START = "compose_members", "compose_name", "compose_start"
SYNCED, CLEANED = "_compose_synced", "_compose_name_cleaned"
KEEP = ("lang", "present")

gemeenten = profile.gemeente_names()


def set_members(codes) -> None:
    """Callback: new member list into the multiselect and the URL."""
    codes = tuple(dict.fromkeys(codes))[:member_list.MAX_CUSTOM_MEMBERS]
    st.session_state[MEMBERS] = list(codes)
    state.write(custom=codes)
    st.session_state[SYNCED] = (codes, st.session_state.get(SYNCED, ((), ""))[1])


def set_name(name: str, quiet: bool = False) -> None:
    """Callback helper: a cleaned name into the text box and the URL (notice if cleaned)."""
    cleaned = member_list.clean_name(name)
    if cleaned != (name or "").strip() and not quiet:
        st.session_state[CLEANED] = cleaned
    st.session_state[NAME] = cleaned
    state.write(custom_name=cleaned)
    st.session_state[SYNCED] = (st.session_state.get(SYNCED, ((), ""))[0], cleaned)


def on_members() -> None:
    """Callback of the multiselect."""
    set_members(st.session_state[MEMBERS])


def on_name() -> None:
    """Callback of the name box."""
    set_name(st.session_state[NAME])


def start_from(add: bool) -> None:
    """Callback: take (or add) the gemeenten of the chosen stored region."""
    start = st.session_state.get(START)
    if not start:
        return
    current = tuple(st.session_state.get(MEMBERS, ())) if add else ()
    set_members(current + queries.members(start))
    if not st.session_state.get(NAME):
        set_name(profile.region_name(start), quiet=True)


def use_upload(codes: tuple[str, ...], add: bool) -> None:
    """Callback: the recognised gemeenten of an uploaded list replace (or join) the members."""
    current = tuple(st.session_state.get(MEMBERS, ())) if add else ()
    set_members(current + tuple(codes))


def sync_from_url() -> tuple[str, ...]:
    """Validate the URL's region; refresh the widgets when the link changed from outside."""
    check = member_list.check_custom(state.raw_custom(), gemeenten.keys())
    codes = check["codes"]
    if check["unknown"]:
        st.error(t("compose_unknown", codes=", ".join(check["unknown"])),
                 icon=":material/block:")
    if check["duplicates"]:
        st.warning(t("compose_duplicates", codes=", ".join(check["duplicates"])),
                   icon=":material/filter_none:")
    given = state.raw_param("custom_name") or ""
    name = member_list.clean_name(given)
    if name != given.strip():
        st.session_state[CLEANED] = name
    if check["unknown"] or check["duplicates"] or name != given:
        state.write(custom=codes, custom_name=name)  # the link now holds the clean region
    # (Streamlit forgets a widget's value when another page ran: back here, fill it again)
    if st.session_state.get(SYNCED) != (codes, name) or MEMBERS not in st.session_state:
        st.session_state[MEMBERS] = list(codes)
        st.session_state[NAME] = name
        st.session_state[SYNCED] = (codes, name)
    return codes


def upload_messages(result: dict) -> None:
    """Say what an uploaded list held: errors, unknown and ambiguous names, repeats."""
    if result["error"] == "columns":
        line, n = result["columns_line"]
        st.error(t("upload_columns", line=line, n=n))
        return
    if result["error"]:
        st.error(t("upload_" + result["error"]))
        return
    if result["encoding"] == "cp1252":
        st.info(t("upload_cp1252"))
    st.success(t("upload_found", n=len(result["codes"])))
    if result["unknown"]:
        st.error(t("upload_unknown", entries=", ".join(result["unknown"])))
    for entry, options in result["ambiguous"].items():
        st.warning(t("upload_ambiguous", entry=entry,
                     options=", ".join(f"{gemeenten[c]} · {c}" for c in options)))
    if result["duplicates"]:
        st.warning(t("upload_duplicates", entries=", ".join(result["duplicates"])))


st.title(t("page_compose"))
st.markdown(t("compose_intro"))
codes = sync_from_url()

# --- name and starting point ----------------------------------------------------------------
name_col, start_col = st.columns([2, 3], gap="large")
with name_col:
    st.text_input(t("compose_name"), key=NAME, on_change=on_name, max_chars=120,
                  placeholder=t("level_custom"))
    cleaned = st.session_state.pop(CLEANED, None)
    if cleaned is not None:
        st.info(t("compose_name_cleaned", name=cleaned), icon=":material/cleaning_services:")
with start_col:
    options = [""] + widgets.region_options(include_custom=False)
    label = profile.labeller()  # the labels looked up once, not once per option
    st.selectbox(t("compose_start"), options, key=START,
                 format_func=lambda c: label(c) if c else t("compose_start_none"))
    # buttons as wide as their words, wrapping to a next row (three equal columns beside the
    # sidebar at 1024 px cut them: 'Vervang …', 'Alles wis…')
    chosen = bool(st.session_state.get(START))
    with st.container(horizontal=True, gap="small"):
        st.button(t("compose_replace"), on_click=start_from, args=(False,), disabled=not chosen)
        st.button(t("compose_add"), on_click=start_from, args=(True,), disabled=not chosen)
        st.button(t("compose_clear"), on_click=set_members, args=((),), disabled=not codes)

# --- members --------------------------------------------------------------------------------
st.multiselect(t("compose_members"), list(gemeenten), key=MEMBERS, on_change=on_members,
               placeholder=t("compose_members_placeholder"),
               format_func=lambda c: f"{gemeenten.get(c, c)} · {c}",
               max_selections=member_list.MAX_CUSTOM_MEMBERS,
               help=t("compose_members_help", n=member_list.MAX_CUSTOM_MEMBERS))

with st.expander(t("compose_upload"), expanded=False):
    upload = st.file_uploader(t("compose_upload"), type=["csv", "txt"], max_upload_size=1,
                              help=t("compose_upload_help"), label_visibility="collapsed")
    st.caption(t("compose_upload_help"))
    if upload is not None:
        result = member_list.parse_region_csv(upload.getvalue(), gemeenten)
        upload_messages(result)
        if result["codes"]:
            use_col, add_list_col = st.columns(2)
            use_col.button(t("upload_replace"), on_click=use_upload,
                           args=(result["codes"], False), width="stretch")
            add_list_col.button(t("upload_add"), on_click=use_upload,
                                args=(result["codes"], True), width="stretch")

# --- the region -----------------------------------------------------------------------------
if not codes:
    st.info(t("compose_empty"), icon=":material/info:")
else:
    summary_col, map_col = st.columns([2, 3], gap="large")
    with summary_col:
        name = st.session_state.get(NAME) or t("level_custom")
        st.markdown(t("compose_summary", name=name, n=len(codes),
                      population=format_value(regions.population_of(codes), 0)
                      .replace(" ", "\u00a0")))  # keep the number on one line
        params = state.params(KEEP)
        params.update(custom=",".join(codes), custom_name=st.session_state.get(NAME) or "")
        if st.button(t("compose_open_profile"), type="primary", width="stretch",
                     icon=":material/description:"):
            st.switch_page("pages/regioprofiel.py",
                           query_params={**params, "region": regions.CUSTOM})
        if st.button(t("compose_open_compare"), width="stretch", icon=":material/balance:"):
            st.switch_page("pages/vergelijken.py",
                           query_params={**params, "regions": f"{regions.CUSTOM},NL01"})
    with map_col:
        widgets.member_map_chart("compose_map", codes, alt=t("compose_members"))
