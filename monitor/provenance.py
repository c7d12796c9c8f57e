"""Where the figures come from, in words for the reader: never a filesystem path.

The warehouse stores the kind of source (`bundle`: the data shipped with the code;
`snapshot`: an offline copy; `live`: fetched from CBS) and the date the data was taken from
CBS; this module turns them into "CBS StatLine, tabel 86088NED, opgehaald op 2026-11-26
(meegeleverde gegevens)" in the reader's language.
"""

from __future__ import annotations

from monitor.i18n import tr

KINDS = ("bundle", "snapshot", "live")


def day(value: object) -> str:
    """The date part of a timestamp, '' when there is none."""
    text = "" if value is None else str(value)
    return text[:10] if text[:4].isdigit() else ""


def build_source(meta: dict, lang: str) -> str:
    """The source of the whole build: 'CBS StatLine, opgehaald op <date> (meegeleverde
    gegevens)'; plain 'CBS StatLine' for a warehouse that predates these fields."""
    kind, taken = meta.get("source_kind"), day(meta.get("taken_at"))
    if kind not in KINDS or not taken:
        return tr("prov_cbs", lang)
    return tr(f"prov_build_{kind}", lang, date=taken)


def table_source(table_id: str, kind: object, taken_at: object, lang: str) -> str:
    """One CBS table: 'CBS StatLine, tabel 86088NED, opgehaald op <date> (...)'."""
    taken = day(taken_at)
    if kind not in KINDS or not taken:
        return tr("prov_table", lang, table=table_id)
    return tr(f"prov_table_{kind}", lang, table=table_id, date=taken)
