"""Lists of gemeenten a person gives: the composed region of a link, an uploaded file.

Pure functions (no Streamlit, no warehouse): the names and codes to check against are passed
in. Everything refused is quoted back made safe (`shown`), never as given.
"""

from __future__ import annotations

import csv
import re
import unicodedata

MAX_CUSTOM_MEMBERS = 342
MAX_NAME_LEN = 60
MAX_UPLOAD_BYTES = 100 * 1024
HEADER_WORDS = frozenset({"code", "codes", "gemeente", "gemeenten", "gemeentecode",
                          "gemeentenaam", "naam", "name", "municipality", "municipalities",
                          "regio", "region", "regiocode", "gm_code", "gmcode", "statcode"})
TAG_RE = re.compile(r"<[^>]*>")
WWW_RE = re.compile(r"www\.", re.IGNORECASE)


def visible(text: str) -> str:
    """Text without invisible format characters (category Cf: right-to-left override
    U+202E, zero-width space U+200B, byte order mark, ...): 'Utr\u200becht' is Utrecht."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


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
        code = visible(entry).strip().upper()
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


def match_key(text: str) -> str:
    """A gemeente name folded for matching: case, accents, apostrophes and spaces ignored."""
    text = unicodedata.normalize("NFKD", visible(text).replace("\u2019", "'").replace("`", "'"))
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
    text = visible(entry).strip().strip('"').strip()
    upper = unicodedata.normalize("NFKC", text).upper().replace(" ", "")
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
