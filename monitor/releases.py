"""Releases for the reader: which are kept, what a pinned link shows, what changed between two.

No Streamlit here: the app edge (app.py, pages/veranderd.py) draws what this returns. The
build records the releases (etl/release.py); this module reads them: the current warehouse's
`release_history` and `release_change`, and the kept files in `<warehouse>.releases/`.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from etl import release as etl_release
from monitor import db, queries
from monitor.i18n import tr
from monitor.memo import memo
from monitor.numbers import format_value

ID_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\.[0-9a-f]{4,16}", re.ASCII)
CELL_KINDS = ("revised", "appeared", "disappeared", "restated")


def valid_id(value: str | None) -> bool:
    """Whether text has the form of a release id."""
    return bool(value) and ID_RE.fullmatch(value) is not None


def current_id() -> str | None:
    """The newest release (the current warehouse file)."""
    return db.current().release_id


def file_of(release_id: str) -> Path | None:
    """The file holding a kept release (the current warehouse for the newest), else None."""
    if release_id == current_id():
        return db.warehouse_path()
    if not valid_id(release_id):
        return None
    path = db.releases_dir() / f"{release_id}.duckdb"
    return path if path.is_file() else None


def history() -> pd.DataFrame:
    """Every release the current warehouse descends from, newest first, with whether it is
    still kept: release_id, built_at, kept."""
    cursor = db.current().con.cursor()
    try:
        cursor.execute("use wh")
        found = cursor.execute("select count(*) from duckdb_tables() where database_name = 'wh'"
                               " and table_name = 'release_history'").fetchall()[0][0]
        frame = cursor.execute("select release_id, built_at from release_history order by "
                               "built_at desc").df() if found else \
            pd.DataFrame(columns=["release_id", "built_at"])
    finally:
        cursor.close()
    frame["kept"] = [file_of(r) is not None for r in frame["release_id"]]
    return frame


def built_day(release_id: str | None) -> str:
    """The date a release was built (from its id)."""
    return (release_id or "")[:10]


def link(page_path: str, params: dict[str, str], release_id: str | None,
         base_url: str | None = None) -> str:
    """A link to a page with its view (the URL parameters) and, pinned, its release."""
    query = {k: v for k, v in params.items() if k != "release"}
    if release_id:
        query["release"] = release_id
    base = (base_url or "").rstrip("/")
    path = f"{base}/{page_path.strip('/')}" if page_path else f"{base}/"
    return f"{path}?{urlencode(query)}" if query else path


# --- what changed ------------------------------------------------------------------------------

def logged_changes(from_id: str, to_id: str) -> pd.DataFrame | None:
    """The changes from one release to the current one, chained from the current warehouse's
    log; None when the log does not reach back to from_id."""
    cursor = db.current().con.cursor()
    try:
        cursor.execute("use wh")
        log = cursor.execute("select * from release_change").df()
        history_ = cursor.execute("select release_id from release_history order by built_at"
                                  ).df()["release_id"].tolist()
    finally:
        cursor.close()
    if from_id not in history_ or to_id not in history_:
        return None
    chain = history_[history_.index(from_id):history_.index(to_id) + 1]
    steps = []
    for i, (a, b) in enumerate(zip(chain, chain[1:], strict=False)):
        step = log[(log["from_release"] == a) & (log["to_release"] == b)]
        if step.empty and not ((log["to_release"] == b).any()):
            return None  # that step's list is no longer in the log
        steps.append(step.assign(step=i))
    if not steps:
        return pd.DataFrame(columns=etl_release.CHANGE_COLUMNS)
    return etl_release.compose(pd.concat(steps, ignore_index=True))


@memo
def changes(from_id: str, to_id: str) -> pd.DataFrame | None:
    """What changed from one release to another: compared file to file when both are kept,
    else from the current warehouse's log (to_id must then be the current release); None
    when neither can say."""
    old, new = file_of(from_id), file_of(to_id)
    if from_id == to_id:
        return pd.DataFrame(columns=etl_release.CHANGE_COLUMNS)
    if old is not None and new is not None:
        return etl_release.compare_files(old, new)
    if to_id == current_id():
        return logged_changes(from_id, to_id)
    return None


def describe(changes_: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The changes as a table for people: what, region, indicator, year, was, now, in words."""
    indicators = queries.indicators().set_index("indicator_id")
    names = queries.regions().set_index("region_code")["region_name"]

    def title(ind):
        if ind is None or pd.isna(ind):
            return ""
        return str(indicators.at[ind, f"title_{lang}"]) if ind in indicators.index else ind

    def value(ind, v):
        if v is None or pd.isna(v):
            return ""
        decimals = int(indicators.at[ind, "decimals"]) if ind in indicators.index else 2
        return format_value(v, decimals, lang=lang)

    def status_word(s):
        return tr(f"status_word_{s}", lang) if isinstance(s, str) and s else ""

    rows = []
    for row in changes_.itertuples(index=False):
        kind = row.kind
        was, now = value(row.indicator_id, row.old_value), value(row.indicator_id, row.new_value)
        if kind == "status":
            was, now = status_word(row.old_status), status_word(row.new_status)
        detail = "" if row.detail is None or pd.isna(row.detail) else str(row.detail)
        rows.append({
            "what": tr(f"change_{kind}", lang),
            "region": "" if row.region_code is None or pd.isna(row.region_code)
            else str(names.get(row.region_code, row.region_code)),
            "indicator": title(row.indicator_id),
            "year": None if row.year is None or pd.isna(row.year) else int(row.year),
            "was": was, "now": now,
            "detail": tr(f"change_detail_{kind}", lang, detail=detail) if detail else "",
            "kind": kind, "region_code": row.region_code, "indicator_id": row.indicator_id,
        })
    return pd.DataFrame(rows, columns=["what", "region", "indicator", "year", "was", "now",
                                       "detail", "kind", "region_code", "indicator_id"])


def summary(changes_: pd.DataFrame | None, lang: str) -> str:
    """One sentence: nothing changed, or how many of each kind."""
    if changes_ is None:
        return tr("changes_unknown", lang)
    if changes_.empty:
        return tr("changes_none", lang)
    counts = changes_["kind"].value_counts()
    parts = [tr(f"changes_one_{k}", lang) if counts[k] == 1 else
             tr(f"changes_count_{k}", lang, n=int(counts[k]))
             for k in etl_release.CHANGE_KINDS if k in counts]
    return tr("changes_some", lang, parts="; ".join(parts))


# --- Voorlopig / Definitief --------------------------------------------------------------------

@memo
def indicator_status() -> pd.DataFrame:
    """Per indicator and year CBS's status (voorlopig, definitief, unknown); an empty frame for
    a warehouse from before statuses were recorded."""
    found = db.query("select count(*) as n from duckdb_tables() where database_name = 'wh' "
                     "and table_name = 'indicator_status'")["n"].iloc[0]
    if not found:
        return pd.DataFrame(columns=["indicator_id", "year", "status", "basis"])
    return db.query("select * from indicator_status")


@memo
def statuses() -> dict[tuple[str, int], str]:
    """(indicator, year) -> CBS's status, for lookups per cell (a few hundred pairs)."""
    frame = indicator_status()
    return dict(zip(zip(frame["indicator_id"].astype(str), frame["year"].astype(int),
                        strict=True), frame["status"].astype(str), strict=True))


def status_of(indicator_id: str, year) -> str:
    """'voorlopig', 'definitief' or 'unknown' for one indicator and year (no year: unknown)."""
    if year is None or pd.isna(year) or str(year).strip() == "":
        return "unknown"
    return statuses().get((str(indicator_id), int(year)), "unknown")


def status_column(frame: pd.DataFrame, indicator_col: str = "indicator_id",
                  year_col: str = "year") -> pd.Series:
    """CBS's status per row of a frame with indicator and year columns."""
    status = indicator_status()[["indicator_id", "year", "status"]].astype(
        {"indicator_id": object, "year": "int64"})
    keys = pd.DataFrame({"indicator_id": frame[indicator_col].astype(object).to_numpy(),
                         "year": frame[year_col].astype("int64").to_numpy()})
    found = keys.merge(status, how="left", on=["indicator_id", "year"])["status"]
    return pd.Series(found.fillna("unknown").to_numpy(dtype=object), index=frame.index)


def provisional(indicator_id: str, year) -> bool:
    """Whether CBS marks an indicator's figure of a year Voorlopig."""
    return status_of(indicator_id, year) == "voorlopig"


def mark(lang: str) -> str:
    """The mark beside a provisional figure's year or value: '(v)' in Dutch, '(p)' in
    English (as CBS's '*' and ONS's '[p]': one letter, explained by legend())."""
    return f"({tr('voorlopig_mark', lang)})"


def marked(text: str, indicator_id: str, year, lang: str) -> str:
    """A year or value as shown, with the provisional mark where CBS says Voorlopig (joined
    by a no-break space: '2025 (v)' is never cut over two lines of a narrow column)."""
    return f"{text}\u00a0{mark(lang)}" if provisional(indicator_id, year) else str(text)


def year_word(indicator_id: str, year, lang: str) -> str:
    """A year in a picture's title: '2025 (voorlopig)' where CBS says Voorlopig (a picture
    travels alone: the word, not a mark with a legend elsewhere)."""
    return tr("voorlopig_year", lang, year=year) if provisional(indicator_id, year) \
        else str(year)


def legend(lang: str) -> str:
    """The line under a table that explains the provisional mark."""
    return tr("voorlopig_legend", lang, mark=mark(lang))
