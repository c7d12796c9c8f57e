"""Shareable page state in st.query_params: validated against allow-lists, never trusted."""

from __future__ import annotations

import re
from collections.abc import Iterable

import streamlit as st

from monitor import queries, regions, releases
from monitor.i18n import LANGS, t
from monitor.member_list import MAX_CUSTOM_MEMBERS, check_custom, clean_name, shown
from monitor.regions import Region

MAX_PARAM_LEN = 2000
MAX_COMPARE = 12
DEFAULT_REGION = "PR_mra"
DEFAULT_INDICATOR = "werkloosheid_pct"
CODE_RE = re.compile(
    r"(NL01|PV[0-9]{2}|CR[0-9]{2}|AM[0-9]{2}|GM[0-9]{4}|PR_[a-z0-9_]{1,60}|"
    + regions.CUSTOM + ")", re.ASCII)
# A number in a link: ASCII digits only. str.isdigit() and a Unicode-aware \d accept '²',
# '①' or Arabic-Indic digits, which int() then rejects or reads as another number.
DIGITS_RE = re.compile(r"[0-9]{1,4}", re.ASCII)
WEIGHT_RE = re.compile(r"[0-9]{1,3}(\.[0-9]{1,6})?([eE]-?[0-9]{1,2})?", re.ASCII)


def parse_number(value: str | None) -> int | None:
    """A URL value as a whole number of at most four ASCII digits, else None."""
    if value is None or not DIGITS_RE.fullmatch(value):
        return None
    return int(value)


def notify(name: str, value: object) -> None:
    """Remember a notice about a refused URL parameter (shown once on the page). The value is
    shown as a code span without backticks or line breaks: st.warning renders markdown, and
    a crafted link or markup in a URL must come out as plain text.

    A parameter the app carried over from the previous page (see `carry`) was not given by
    anyone: where this page cannot use it, it is dropped from the URL without a notice."""
    if name in st.session_state.get(RESTORED, ()):
        if name in st.query_params:
            del st.query_params[name]
        return
    text = "".join(ch for ch in str(value) if ch.isprintable() and ch != "`")
    text = text if len(text) <= 40 else text[:40] + "…"
    st.session_state.setdefault("_notices", []).append(t("param_notice", name=name,
                                                         value=f"`{text}`"))


def notify_text(text: str) -> None:
    """Remember a notice in words of its own (what the page did with what it was given)."""
    notices = st.session_state.setdefault("_notices", [])
    if text not in notices:
        notices.append(text)


def show_notices() -> None:
    """Render and clear the notices collected this run."""
    for text in st.session_state.pop("_notices", []):
        st.warning(text, icon="⚠️")


def in_url(name: str) -> bool:
    """Whether the URL holds the parameter (a sidebar link leaves most of them out)."""
    return name in st.query_params


def raw_param(name: str) -> str | None:
    """A query parameter as text, or None; over-long values are refused."""
    value = st.query_params.get(name)
    if value is None:
        return None
    if len(value) > MAX_PARAM_LEN:
        notify(name, value)
        return None
    return value


def choose(name: str, allowed, default):
    """The parameter if it is one of `allowed`, else the default (with a notice if given)."""
    value = raw_param(name)
    if value is None or value == "":
        return default
    if value in allowed:
        return value
    notify(name, value)
    return default


def read_lang() -> str:
    """Language from the URL (nl default)."""
    return choose("lang", LANGS, st.session_state.get("lang", "nl"))


def read_level(default: str = "gemeente") -> str:
    """Region level from the URL."""
    return choose("level", regions.LEVELS, default)


def read_indicator(default: str = DEFAULT_INDICATOR) -> str:
    """Indicator id from the URL, checked against the registry."""
    ids = queries.indicator_ids()
    return choose("indicator", ids, default if default in ids else ids[0])


def read_year(indicator_id: str) -> int:
    """Year from the URL if the indicator has it, else the latest year."""
    years = queries.indicator_years(indicator_id)
    value = raw_param("year")
    if parse_number(value) in years:
        return parse_number(value)
    if value not in (None, ""):
        notify("year", value)
    return years[-1]


def read_release() -> str | None:
    """The release a link is pinned to (`release=2026-12-05.3f9c`), if it has that form; a
    malformed value is refused with a notice. Whether it is still kept is app.py's business."""
    value = raw_param("release")
    if value in (None, ""):
        return None
    if releases.valid_id(value):
        return value
    notify("release", value)
    return None


def valid_region(code: str, custom: Region | None) -> bool:
    """A stored region code, or the composed region's code when one is defined."""
    if not CODE_RE.fullmatch(code):
        return False
    return code in queries.region_codes() or (custom is not None and code == custom.code)


def read_region(default: str = DEFAULT_REGION) -> str:
    """One region code from the URL."""
    value = raw_param("region")
    if value in (None, ""):
        return default
    if valid_region(value, custom_region()):
        return value
    notify("region", value)
    return default


def read_regions(default: tuple[str, ...]) -> tuple[str, ...]:
    """A list of region codes (comma separated), unknown ones dropped with a notice."""
    value = raw_param("regions")
    if value in (None, ""):
        return default
    custom = custom_region()
    codes = [c.strip() for c in value.split(",") if c.strip()]
    good = tuple(dict.fromkeys(c for c in codes if valid_region(c, custom)))
    if len(good) != len(codes) or len(good) > MAX_COMPARE:
        notify("regions", value)
    return good[:MAX_COMPARE] or default


# --- the export page's selection in the URL -----------------------------------------------------

def read_list(name: str, allowed: Iterable[str]) -> tuple[str, ...]:
    """A comma-separated URL parameter: the allowed entries, in order; a notice for others."""
    value = raw_param(name)
    if not value:
        return ()
    allowed = set(allowed)
    items = list(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    good = tuple(v for v in items if v in allowed)
    if len(good) != len(items):
        notify(name, value)
    return good


def read_years(years: tuple[int, ...]) -> tuple[int, int]:
    """A year range 'first-last' from the URL (`years`), clipped to the years with data."""
    value = raw_param("years")
    full = (years[0], years[-1])
    if not value:
        return full
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{4}))?", value.strip(), re.ASCII)
    if not match:
        notify("years", value)
        return full
    first, last = int(match[1]), int(match[2] or match[1])
    if first > last or last < years[0] or first > years[-1]:
        notify("years", value)
        return full
    return max(first, years[0]), min(last, years[-1])


# --- composed regions ------------------------------------------------------------------------
# 342 codes of 6 characters and their commas: longer than the general parameter limit.
MAX_CUSTOM_PARAM_LEN = MAX_CUSTOM_MEMBERS * 7 + 100


def parse_custom(value: str) -> tuple[tuple[str, ...], list[str]]:
    """Gemeente codes from 'GM0363,GM0362'; returns (valid unique codes, refused entries)."""
    result = check_custom(value, frozenset(queries.members("NL01")))
    return result["codes"], result["unknown"]


def notify_once(name: str, value: object) -> None:
    """notify(), unless the same notice is already waiting (the Eigen regio page reads the
    parameter itself as well)."""
    before = list(st.session_state.get("_notices", []))
    notify(name, value)
    notices = st.session_state["_notices"]
    if notices[-1] in before:
        notices.pop()


def raw_custom() -> str:
    """The `custom` parameter (allowed to be longer than other parameters), or ''."""
    value = st.query_params.get("custom") or ""
    if len(value) > MAX_CUSTOM_PARAM_LEN:
        notify_once("custom", shown(value))
        return ""
    return value


def read_custom() -> Region | None:
    """The composed region in the URL, or None when there is none."""
    value = raw_custom()
    if not value:
        return None
    codes, refused = parse_custom(value)
    if refused:
        notify_once("custom", ",".join(refused))
    if not codes:
        return None
    given = raw_param("custom_name") or ""
    name = clean_name(given)
    if name != given.strip():  # say what the page shows instead, not just that it refused
        notify_text(t("compose_name_cleaned", name=name) if name
                    else t("param_notice", name="custom_name", value=f"`{shown(given)}`"))
    return regions.composed(name, codes)


RUN_CUSTOM = "_custom_region"


def new_run() -> None:
    """Forget the composed region of the previous run (app.py, before the page runs)."""
    st.session_state.pop(RUN_CUSTOM, None)


def custom_region() -> Region | None:
    """The composed region of this run's URL, read once per run (pages that never need it
    do not read it, so they give no notice about it)."""
    if RUN_CUSTOM not in st.session_state:
        st.session_state[RUN_CUSTOM] = read_custom()
    return st.session_state[RUN_CUSTOM]


def region(code: str) -> Region:
    """The region a (validated) code stands for, stored or composed."""
    return regions.resolve(code, custom_region())


# --- state that follows a person from page to page ------------------------------------------
# Streamlit's sidebar links, and the browser's back and forward between pages, open a page
# with an URL that lacks (some of) the parameters the person chose: the language, the
# presentation mode, the composed region, the regions, indicator, year and level. The app keeps
# the last URL's values of these in the session and writes the missing ones back into the URL
# when a person arrives on another page; a parameter a page removed (the composed region
# cleared, a region taken off) is gone from the memory too, because it is taken after every
# run. Parameters a link sets itself win over the memory.
CARRIED = ("lang", "present", "custom", "custom_name", "region", "regions", "indicator",
           "year", "level", "release")
MEMORY, PAGE, RESTORED = "_carried_params", "_carried_page", "_restored_params"


def carry(page: str) -> None:
    """On arrival on another page than the last run's: put the remembered parameters that the
    URL lacks back into it (app.py, after navigation, before the page runs)."""
    last = st.session_state.get(PAGE)
    st.session_state[PAGE] = page
    restored = []
    if last is not None and last != page:
        for key, value in st.session_state.get(MEMORY, {}).items():
            if key not in st.query_params:
                st.query_params[key] = value
                restored.append(key)
    st.session_state[RESTORED] = tuple(restored)


def remember() -> None:
    """After a page ran: the carried parameters as the URL now holds them."""
    st.session_state[MEMORY] = {key: st.query_params[key] for key in CARRIED
                                if st.query_params.get(key)}


def params(keys: Iterable[str] | None = None) -> dict[str, str]:
    """The URL's parameters as they stand (only `keys`, if given), to carry over into a link
    to another page."""
    current = st.query_params.to_dict()
    return current if keys is None else {k: v for k, v in current.items() if k in set(keys)}


def write(**params) -> None:
    """Put page state into the URL (None removes a parameter)."""
    for key, value in params.items():
        if value is None or value == "" or value == ():
            if key in st.query_params:
                del st.query_params[key]
        elif isinstance(value, tuple | list):
            st.query_params[key] = ",".join(str(v) for v in value)
        else:
            st.query_params[key] = str(value)


def weights(allowed: set[str]) -> dict[str, float]:
    """User weights from the URL ('weights=id:0.5,id2:1'): unknown ids and bad numbers are
    left out (with a notice), weights clipped to 0-1."""
    text = raw_param("weights")
    result, bad = {}, False
    for part in (text or "").split(","):
        if not part:
            continue
        ind, _, raw = part.partition(":")
        if not WEIGHT_RE.fullmatch(raw):  # float() also takes '١.٥', '1_0', 'nan', ' 1e9'
            bad = True
            continue
        weight = float(raw)
        if ind in allowed:
            result[ind] = min(max(weight, 0.0), 1.0)
        else:
            bad = True
    if bad:
        notify("weights", text)
    return result
