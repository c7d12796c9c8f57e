"""Shareable page state in st.query_params: validated against allow-lists, never trusted."""

from __future__ import annotations

import csv
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
CODE_RE = re.compile(
    r"(NL01|PV[0-9]{2}|CR[0-9]{2}|AM[0-9]{2}|GM[0-9]{4}|PR_[a-z0-9_]{1,60}|CUSTOM)",
    re.ASCII)
# A number in a link: ASCII digits only. str.isdigit() and a Unicode-aware \d accept '²',
# '①' or Arabic-Indic digits, which int() then rejects or reads as another number.
DIGITS_RE = re.compile(r"[0-9]{1,4}", re.ASCII)


def parse_number(value: str | None) -> int | None:
    """A URL value as a whole number of at most four ASCII digits, else None."""
    if value is None or not DIGITS_RE.fullmatch(value):
        return None
    return int(value)


def notify(name: str, value: object) -> None:
    """Remember a notice about a refused URL parameter (shown once on the page). The value is
    shown as a code span without backticks or line breaks: st.warning renders markdown, and
    a crafted link or markup in a URL must come out as plain text."""
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
    if parse_number(value) in years:
        return parse_number(value)
    if value not in (None, ""):
        notify("year", value)
    return years[-1]


def valid_region(code: str, custom: tuple[str, ...]) -> bool:
    """A stored region code, or CUSTOM when a composed region is defined."""
    if not CODE_RE.fullmatch(code):
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


# --- composed regions ------------------------------------------------------------------------
TAG_RE = re.compile(r"<[^>]*>")
WWW_RE = re.compile(r"www\.", re.IGNORECASE)
# 342 codes of 6 characters and their commas: longer than the general parameter limit.
MAX_CUSTOM_PARAM_LEN = MAX_CUSTOM_MEMBERS * 7 + 100
MAX_UPLOAD_BYTES = 100 * 1024
HEADER_WORDS = frozenset({"code", "codes", "gemeente", "gemeenten", "gemeentecode",
                          "gemeentenaam", "naam", "name", "municipality", "municipalities",
                          "regio", "region", "regiocode", "gm_code", "gmcode", "statcode"})


def clean_name(name: str) -> str:
    """A composed region's name as plain short text: letters, digits, spaces and -'.,()&/ only
    (so no markup, markdown or control characters can reach the page)."""
    text = unicodedata.normalize("NFC", TAG_RE.sub(" ", name or ""))
    text = "".join(ch for ch in text if ch.isalnum() or ch in " -'.,()&/")
    text = WWW_RE.sub("www ", text)  # no 'www.x.nl' autolinks in markdown
    return re.sub(r"\s+", " ", text).strip()[:MAX_NAME_LEN]


def shown(entry: str, limit: int = 24) -> str:
    """A refused entry (from a link or a file) made safe to quote in a message."""
    text = "".join(ch for ch in entry if ch.isalnum() or ch in " -'.,()&/")
    return re.sub(r"\s+", " ", WWW_RE.sub("www ", text)).strip()[:limit] or "?"


def check_custom(value: str, known: frozenset[str] | set[str]) -> dict:
    """Split a 'GM0363,GM0362' list into valid unique codes, unknown entries and duplicates."""
    codes, unknown, duplicates = [], [], []
    for entry in (value or "").split(","):
        code = entry.strip().upper()
        if not code:
            continue
        if code not in known:
            unknown.append(shown(entry))
        elif code in codes:
            duplicates.append(code)
        else:
            codes.append(code)
    return {"codes": tuple(codes[:MAX_CUSTOM_MEMBERS]), "unknown": list(dict.fromkeys(unknown)),
            "duplicates": list(dict.fromkeys(duplicates))}


def parse_custom(value: str) -> tuple[tuple[str, ...], list[str]]:
    """Gemeente codes from 'GM0363,GM0362'; returns (valid unique codes, refused entries)."""
    result = check_custom(value, frozenset(queries.members("NL01")))
    return result["codes"], result["unknown"]


def notify_once(name: str, value: object) -> None:
    """notify(), unless the same notice is already waiting (read_custom runs several times)."""
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


def read_custom() -> tuple[str, tuple[str, ...]]:
    """The composed region in the URL: (name, member codes); empty when there is none."""
    value = raw_custom()
    if not value:
        return "", ()
    codes, refused = parse_custom(value)
    if refused:
        notify_once("custom", ",".join(refused))
    if not codes:
        return "", ()
    given = raw_param("custom_name") or ""
    name = clean_name(given)
    if name != given.strip():  # say what the page shows instead, not just that it refused
        notify_text(t("compose_name_cleaned", name=name) if name
                    else t("param_notice", name="custom_name", value=f"`{shown(given)}`"))
    name = name or t("level_custom")
    return name, codes


def match_key(text: str) -> str:
    """A gemeente name folded for matching: case, accents, apostrophes and spaces ignored."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("`", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip().casefold()


def bare_name(name: str) -> str:
    """A CBS gemeente name without its province suffix: 'Bergen (NH.)' -> 'Bergen'."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", name)


def name_index(gemeenten: dict[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Look-ups for names: full CBS name -> code, and bare name -> codes."""
    full = {match_key(name): code for code, name in gemeenten.items()}
    bare: dict[str, list[str]] = {}
    for code, name in gemeenten.items():
        bare.setdefault(match_key(bare_name(name)), []).append(code)
    return full, bare


def resolve_entry(entry: str, gemeenten: dict[str, str], index) -> list[str]:
    """Gemeente codes an entry (code, number or name) can mean: none, one, or several."""
    text = entry.strip().strip('"').strip()
    upper = text.upper().replace(" ", "")
    if re.fullmatch(r"(GM)?[0-9]{1,4}", upper):
        code = "GM" + upper.removeprefix("GM").zfill(4)
        return [code] if code in gemeenten else []
    full, bare = index
    key = match_key(text)
    if key in full:
        return [full[key]]
    return sorted(bare.get(key, []))


def decode_upload(data: bytes) -> tuple[str | None, str | None]:
    """Text of an uploaded file and the encoding used, or (None, None) when it is not text."""
    if b"\x00" in data:
        return None, None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None, None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\r\n\t" for ch in text):
        return None, None
    return text, "cp1252"


def split_fields(lines: list[str]) -> list[list[str]]:
    """CSV fields per line (delimiter ; , or tab, whichever the lines use most)."""
    counts = {d: sum(line.count(d) for line in lines) for d in (";", "\t", ",")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ";"
    rows = csv.reader(lines, delimiter=delimiter, skipinitialspace=True)
    return [[f.strip() for f in row if f.strip()] for row in rows]


def upload_entries(lines: list[str], gemeenten: dict[str, str], index
                   ) -> tuple[list[str], tuple[int, int] | None]:
    """The one-column entries of the file's lines, or the first line with more columns."""
    # A line that is a whole gemeente name stays whole ('Nuenen, Gerwen en Nederwetten').
    whole = [len(resolve_entry(line, gemeenten, index)) == 1 for line in lines]
    fields = iter(split_fields([line for line, ok in zip(lines, whole, strict=True) if not ok]))
    entries = []
    for number, (line, ok) in enumerate(zip(lines, whole, strict=True), start=1):
        row = [line.strip()] if ok else next(fields)
        if len(row) > 1:
            return [], (number, len(row))
        entries.extend(row)
    if entries and not whole[0] and match_key(entries[0]) in HEADER_WORDS:
        entries = entries[1:]
    return entries, None


def classify_entries(entries: list[str], gemeenten: dict[str, str], index) -> dict:
    """Resolve entries to unique codes; collect unknown, ambiguous and repeated ones."""
    codes, unknown, ambiguous, duplicates = [], [], {}, []
    for entry in entries:
        found = resolve_entry(entry, gemeenten, index)
        if not found:
            unknown.append(shown(entry, 40))
        elif len(found) > 1:
            ambiguous[shown(entry, 40)] = found
        elif found[0] in codes:
            duplicates.append(shown(entry, 40))
        else:
            codes.append(found[0])
    return {"codes": tuple(codes), "unknown": unknown, "ambiguous": ambiguous,
            "duplicates": duplicates}


def parse_region_csv(data: bytes, gemeenten: dict[str, str]) -> dict:
    """Parse an uploaded one-column list of gemeente codes or names (pure function).

    Returns {codes, unknown, ambiguous: {entry: [codes]}, duplicates, encoding, error,
    columns_line}; error is None or one of 'too_large', 'empty', 'encoding', 'columns' (then
    columns_line = (line number, number of columns)).
    """
    result = {"codes": (), "unknown": [], "ambiguous": {}, "duplicates": [], "encoding": None,
              "error": None, "columns_line": None}
    if len(data) > MAX_UPLOAD_BYTES:
        return {**result, "error": "too_large"}
    text, encoding = decode_upload(data)
    if text is None:
        return {**result, "error": "encoding"}
    lines = [line for line in text.splitlines() if line.strip()]
    index = name_index(gemeenten)
    entries, bad_line = upload_entries(lines, gemeenten, index)
    if bad_line:
        return {**result, "error": "columns", "columns_line": bad_line}
    if not entries:
        return {**result, "error": "empty"}
    return {**result, **classify_entries(entries, gemeenten, index), "encoding": encoding}


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
