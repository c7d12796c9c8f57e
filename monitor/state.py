"""Shareable page state in st.query_params: validated against allow-lists, never trusted."""

from __future__ import annotations

import re
import unicodedata

import streamlit as st

from monitor import queries
from monitor.i18n import LANGS, t

LEVELS = ("gemeente", "provincie", "corop", "arbeidsmarktregio", "proeftuin", "land")
MAX_PARAM_LEN = 2000
MAX_CUSTOM_MEMBERS = 342
MAX_NAME_LEN = 60
MAX_COMPARE = 12
DEFAULT_REGION = "PR_mra"
DEFAULT_INDICATOR = "werkloosheid_pct"
CODE_RE = re.compile(r"^(NL01|PV\d\d|CR\d\d|AM\d\d|GM\d{4}|PR_[a-z0-9_]{1,60}|CUSTOM)$")


def notify(name: str, value: object) -> None:
    """Remember a notice about a refused URL parameter (shown once on the page)."""
    shown = str(value)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    st.session_state.setdefault("_notices", []).append(t("param_notice", name=name,
                                                         value=shown))


def show_notices() -> None:
    """Render and clear the notices collected this run."""
    for text in st.session_state.pop("_notices", []):
        st.warning(text, icon="⚠️")


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
    return choose("level", LEVELS, default)


def read_indicator(default: str = DEFAULT_INDICATOR) -> str:
    """Indicator id from the URL, checked against the registry."""
    ids = queries.indicator_ids()
    return choose("indicator", ids, default if default in ids else ids[0])


def read_year(indicator_id: str) -> int:
    """Year from the URL if the indicator has it, else the latest year."""
    years = queries.indicator_years(indicator_id)
    value = raw_param("year")
    if value is not None and value.isdigit() and int(value) in years:
        return int(value)
    if value not in (None, ""):
        notify("year", value)
    return years[-1]


def valid_region(code: str, custom: tuple[str, ...]) -> bool:
    """A stored region code, or CUSTOM when a composed region is defined."""
    if not CODE_RE.match(code):
        return False
    return code in queries.region_codes() or (code == queries.CUSTOM and bool(custom))


def read_region(default: str = DEFAULT_REGION) -> str:
    """One region code from the URL."""
    value = raw_param("region")
    if value in (None, ""):
        return default
    if valid_region(value, read_custom()[1]):
        return value
    notify("region", value)
    return default


def read_regions(default: tuple[str, ...]) -> tuple[str, ...]:
    """A list of region codes (comma separated), unknown ones dropped with a notice."""
    value = raw_param("regions")
    if value in (None, ""):
        return default
    custom = read_custom()[1]
    codes = [c.strip() for c in value.split(",") if c.strip()]
    good = tuple(dict.fromkeys(c for c in codes if valid_region(c, custom)))
    if len(good) != len(codes) or len(good) > MAX_COMPARE:
        notify("regions", value)
    return good[:MAX_COMPARE] or default


def clean_name(name: str) -> str:
    """A composed region's name as plain short text: letters, digits, spaces and -'.,()&/ only
    (so no markup, markdown or control characters can reach the page)."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(ch for ch in text if ch.isalnum() or ch in " -'.,()&/")
    return re.sub(r"\s+", " ", text).strip()[:MAX_NAME_LEN]


def parse_custom(value: str) -> tuple[tuple[str, ...], list[str]]:
    """Gemeente codes from 'GM0363,GM0362'; returns (valid unique codes, refused entries)."""
    gemeenten = set(queries.members("NL01"))
    codes, refused = [], []
    for entry in value.split(","):
        code = entry.strip().upper()
        if not code:
            continue
        (codes if code in gemeenten else refused).append(code)
    return tuple(dict.fromkeys(codes))[:MAX_CUSTOM_MEMBERS], refused


def read_custom() -> tuple[str, tuple[str, ...]]:
    """The composed region in the URL: (name, member codes); empty when there is none."""
    value = raw_param("custom")
    if not value:
        return "", ()
    codes, refused = parse_custom(value)
    if refused:
        notify("custom", ",".join(refused))
    given = raw_param("custom_name") or ""
    name = clean_name(given)
    if name != given.strip():
        notify("custom_name", given)
    name = name or t("level_custom")
    return name, codes


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
