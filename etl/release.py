"""Releases: every build that replaces the warehouse is one, with an id people can quote.

A release id is the build's date and a short hash of what it holds (`2026-12-05.3f9c`). The
build records, inside the warehouse it swaps in: the release (`release`), the releases it
descends from (`release_history`), its sources per CBS table and period with CBS's
Voorlopig/Definitief status (`release_source`), the status per indicator and year
(`indicator_status`), and what changed since the release it replaces (`release_change`, a log
carried forward over the last releases).

The last releases stay on disk read-only beside the current one, in `<warehouse>.releases/`
(`data/warehouse.releases/<id>.duckdb`): the current warehouse is a hard link to its own
release file (no extra space), an older one costs its file (~25-35 MB). How many are kept and
the disk they may take are settings (KEEP_ENV, BUDGET_ENV); every replica behind serve.sh
reads the same folder, so all see the same set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import stat
from pathlib import Path

import duckdb
import pandas as pd

from etl.raw import stripped

KEEP_ENV = "REM_KEEP_RELEASES"
BUDGET_ENV = "REM_RELEASES_MAX_MB"
# Defaults: the current release and 4 before it (~4 x 30 MB on disk), within 300 MB.
DEFAULT_KEEP = 4
DEFAULT_BUDGET_MB = 300
# How many releases' change lists a warehouse carries forward (for links to releases no
# longer kept); each list is small (cells that changed beyond rounding).
CHANGE_LOG_RELEASES = 24
HISTORY_MAX = 200
ID_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\.[0-9a-f]{4,16}", re.ASCII)
SUFFIX = ".releases"
STATUSES = ("voorlopig", "definitief", "unknown")
# The indicator columns that say how its figures are made: a change in one is a method change.
METHOD_COLUMNS = ("aggregation", "source_table", "source_slice", "numerator_key",
                  "denominator_table", "denominator_slice", "denominator_key",
                  "numerator_factor", "denominator_factor", "scale", "min_denominator")
CHANGE_KINDS = ("revised", "appeared", "disappeared", "restated", "year_added",
                "year_dropped", "status", "method", "indicator_added", "indicator_removed",
                "composition", "territory", "region_added", "region_removed")


def settings() -> tuple[int, int]:
    """(releases kept beside the current one, disk budget in MB) from the environment."""
    def number(name: str, default: int) -> int:
        value = os.environ.get(name, "")
        return int(value) if value.strip().isdigit() else default

    return number(KEEP_ENV, DEFAULT_KEEP), number(BUDGET_ENV, DEFAULT_BUDGET_MB)


def releases_dir(target: Path) -> Path:
    """The folder of kept releases beside a warehouse file."""
    target = Path(target)
    return target.with_name(target.stem + SUFFIX)


def release_file(target: Path, release_id: str) -> Path:
    """Where a kept release lives (whether or not it is still there)."""
    return releases_dir(target) / f"{release_id}.duckdb"


def has_table(con, name: str, catalog: str | None = None) -> bool:
    """Whether a table exists (in an attached catalog, if given)."""
    sql = "select count(*) from duckdb_tables() where table_name = ?"
    params = [name]
    if catalog:
        sql += " and database_name = ?"
        params.append(catalog)
    return con.execute(sql, params).fetchall()[0][0] > 0


# --- what a release holds ----------------------------------------------------------------------

def period_rows(report_periods: list[dict]) -> pd.DataFrame:
    """The build's periods per table as release_source rows (status: CBS's, or unknown)."""
    frame = pd.DataFrame(report_periods, columns=["table_id", "title", "cbs_modified",
                                                  "period_code", "period_status"])
    frame["period_status"] = frame["period_status"].fillna("unknown")
    return frame


def periods_of(raw) -> list[dict]:
    """A raw table's periods with CBS's Perioden status ('Voorlopig', 'Definitief'; unknown
    where the source does not say, as in the offline snapshot)."""
    info = {"table_id": raw.table_id, "title": raw.info.get("Title"),
            "cbs_modified": None if raw.modified is None else str(raw.modified)}
    if "Perioden" not in raw.data:
        return [{**info, "period_code": None, "period_status": None}]
    codes = sorted(stripped(raw.data["Perioden"]).unique())
    status = {}
    dim = raw.dimensions.get("Perioden")
    if dim is not None and "Status" in dim:
        for key, value in zip(dim["Key"].astype(str).str.strip(), dim["Status"], strict=True):
            text = str(value or "").strip().lower()
            if text in ("voorlopig", "definitief"):
                status[key] = text
    return [{**info, "period_code": c, "period_status": status.get(c)} for c in codes]


INDICATOR_STATUS_SQL = """
with src as (
    select indicator_id, source_table as table_id, source_slice as slice from indicator
    union all
    select indicator_id, denominator_table, denominator_slice from indicator
    where denominator_table is not null
),
years as (select distinct indicator_id, year from gm_value where value is not null),
per_table as (
    select y.indicator_id, y.year,
           case when s.slice like '%StatusCijfer=Voorlopig%' then 'voorlopig'
                when p.period_status in ('voorlopig', 'definitief') then p.period_status
                when s.slice like '%StatusCijfer=Definitief%' then 'definitief'
                else 'unknown' end as status,
           case when s.slice like '%StatusCijfer=%' then 'StatusCijfer'
                when p.period_status in ('voorlopig', 'definitief') then 'Perioden'
                else 'unknown' end as basis
    from years y join src s using (indicator_id)
    left join release_source p
      on p.table_id = s.table_id and left(p.period_code, 4) = cast(y.year as varchar)
         and p.period_code like '%JJ%'
)
select indicator_id, year,
       case when bool_or(status = 'voorlopig') then 'voorlopig'
            when bool_and(status = 'definitief') then 'definitief'
            else 'unknown' end as status,
       string_agg(distinct basis, ',' order by basis) as basis
from per_table group by indicator_id, year
"""


def content_hash(con) -> str:
    """A hash of what the release shows: figures (rounded past float noise), memberships,
    methods and statuses; the order of rows does not matter."""
    parts = [
        "select bit_xor(hash(indicator_id, region_code, year, round(value, 9), status, "
        "is_converted, is_estimated)) from indicator_value",
        "select bit_xor(hash(region_code, gemeente_code)) from region_membership",
        "select bit_xor(hash(indicator_id, " + ", ".join(METHOD_COLUMNS) + ", decimals)) "
        "from indicator",
        "select bit_xor(hash(indicator_id, year, status)) from indicator_status",
    ]
    text = "|".join(str(con.execute(sql).fetchall()[0][0]) for sql in parts)
    return hashlib.sha256(text.encode()).hexdigest()


def new_release_id(day: dt.date, digest: str, taken: set[str]) -> str:
    """`YYYY-MM-DD.xxxx`; longer when another release of that day has the same short hash."""
    for length in range(4, 17):
        candidate = f"{day:%Y-%m-%d}.{digest[:length]}"
        if candidate not in taken:
            return candidate
    return f"{day:%Y-%m-%d}.{digest[:16]}"


# --- what changed between two releases -------------------------------------------------------

def change_sql(old: str, new: str, have_status: bool) -> str:
    """Every change from catalog `old` to catalog `new` (both warehouses attached), one row per
    change: kind, indicator, region, year, old and new value or status, detail (English,
    for the log; the app words it per language)."""
    method_diff = " or ".join(f"o.{c} is distinct from n.{c}" for c in METHOD_COLUMNS)
    method_detail = ", ".join(
        f"case when o.{c} is distinct from n.{c} then '{c}' end" for c in METHOD_COLUMNS)
    status_part = f"""
    union all
    select 'status', n.indicator_id, null, n.year, null, null, o.status, n.status,
           o.status || ' -> ' || n.status
    from {old}.indicator_status o join {new}.indicator_status n using (indicator_id, year)
    where o.status <> n.status""" if have_status else ""
    return f"""
with o as (select v.*, i.decimals from {old}.indicator_value v
           join {old}.indicator i using (indicator_id)),
     n as (select v.*, i.decimals from {new}.indicator_value v
           join {new}.indicator i using (indicator_id)),
     oy as (select distinct indicator_id, year from {old}.indicator_value
            where value is not null),
     ny as (select distinct indicator_id, year from {new}.indicator_value
            where value is not null),
     both_years as (select * from oy intersect select * from ny),
     cells as (
        select coalesce(n.indicator_id, o.indicator_id) as indicator_id,
               coalesce(n.region_code, o.region_code) as region_code,
               coalesce(n.year, o.year) as year,
               o.value as old_value, n.value as new_value,
               coalesce(n.decimals, o.decimals) as decimals,
               (o.is_converted is distinct from n.is_converted
                or o.is_estimated is distinct from n.is_estimated) as flags_changed,
               n.is_converted as now_converted
        from o full join n using (indicator_id, region_code, year)
        semi join both_years b
          on b.indicator_id = coalesce(n.indicator_id, o.indicator_id)
         and b.year = coalesce(n.year, o.year)
     )
select case when old_value is null then 'appeared'
            when new_value is null then 'disappeared'
            when flags_changed then 'restated'
            else 'revised' end as kind,
       indicator_id, region_code, year, old_value, new_value,
       null as old_status, null as new_status,
       case when flags_changed and old_value is not null and new_value is not null then
            case when now_converted then 'now converted from predecessors'
                 else 'now published on the current territory' end end as detail
from cells
where (old_value is null) <> (new_value is null)
   or (old_value is not null and round(old_value, cast(decimals as integer))
                               <> round(new_value, cast(decimals as integer)))
   or (flags_changed and old_value is not null and new_value is not null)
union all
select 'year_added', indicator_id, null, year, null, null, null, null, null
from (select * from ny except select * from oy)
where indicator_id in (select indicator_id from {old}.indicator)
union all
select 'year_dropped', indicator_id, null, year, null, null, null, null, null
from (select * from oy except select * from ny)
where indicator_id in (select indicator_id from {new}.indicator)
union all
select 'indicator_added', indicator_id, null, null, null, null, null, null, null
from (select indicator_id from {new}.indicator except select indicator_id from {old}.indicator)
union all
select 'indicator_removed', indicator_id, null, null, null, null, null, null, null
from (select indicator_id from {old}.indicator except select indicator_id from {new}.indicator)
union all
select 'method', n.indicator_id, null, null, null, null, null, null,
       concat_ws(', ', {method_detail})
from {old}.indicator o join {new}.indicator n using (indicator_id)
where {method_diff}
union all
select 'composition', region_code, null, null, null, null, null, null, detail from (
    select coalesce(n.region_code, o.region_code) as region_code,
           string_agg(case when o.gemeente_code is null then '+' || n.gemeente_code
                           else '-' || o.gemeente_code end, ' '
                      order by coalesce(n.gemeente_code, o.gemeente_code)) as detail
    from {old}.region_membership o full join {new}.region_membership n
      using (region_code, gemeente_code)
    where (o.gemeente_code is null or n.gemeente_code is null)
      and coalesce(n.region_code, o.region_code) in (
          select region_code from {old}.region intersect select region_code from {new}.region)
    group by all)
union all
select 'region_added', region_code, null, null, null, null, null, null, null
from (select region_code from {new}.region except select region_code from {old}.region)
union all
select 'region_removed', region_code, null, null, null, null, null, null, null
from (select region_code from {old}.region except select region_code from {new}.region)
union all
select 'territory', region_code, null, year, null, null, null, null,
       case when n.same_territory then 'now the same territory as 2024'
            else 'no longer the same territory as 2024' end
from {old}.region_territory o join {new}.region_territory n using (region_code, year)
where o.same_territory is distinct from n.same_territory
{status_part}
"""


def _fix_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """composition/region rows carry the region in the indicator column of the union above:
    put it where it belongs."""
    regional = frame["kind"].isin(["composition", "region_added", "region_removed",
                                   "territory"])
    frame.loc[regional, "region_code"] = frame.loc[regional, "indicator_id"]
    frame.loc[regional, "indicator_id"] = None
    return frame


CHANGE_COLUMNS = ["kind", "indicator_id", "region_code", "year", "old_value", "new_value",
                  "old_status", "new_status", "detail"]


def compare(con, old: str, new: str) -> pd.DataFrame:
    """The changes from the warehouse attached as `old` to the one attached as `new`."""
    have_status = has_table(con, "indicator_status", old) and \
        has_table(con, "indicator_status", new)
    frame = con.execute(change_sql(old, new, have_status)).df()
    frame.columns = CHANGE_COLUMNS
    frame = _fix_columns(frame)
    order = {k: i for i, k in enumerate(CHANGE_KINDS)}
    frame["_order"] = frame["kind"].map(order)
    frame = frame.sort_values(["_order", "indicator_id", "region_code", "year"],
                              na_position="first").drop(columns="_order")
    return frame.reset_index(drop=True)


def compare_files(old: Path, new: Path) -> pd.DataFrame:
    """The changes between two warehouse files (both opened read-only)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as old (read_only)", [str(old)])
        con.execute("attach ? as new (read_only)", [str(new)])
        return compare(con, "old", "new")
    finally:
        con.close()


def compose(steps: pd.DataFrame) -> pd.DataFrame:
    """Chain the logged changes of several consecutive releases (column `step`: 0, 1, ...)
    into one list, from the first step's old value to the last step's new value; a figure
    revised and revised back drops out."""
    if steps.empty:
        return steps.reindex(columns=CHANGE_COLUMNS)
    cell = steps["kind"].isin(["revised", "appeared", "disappeared", "restated"])
    steps = steps.assign(_group=steps["kind"].where(~cell, "cell"),
                         _ind=steps["indicator_id"].fillna(""),
                         _reg=steps["region_code"].fillna(""),
                         _year=steps["year"].fillna(-1)).sort_values("step", kind="stable")
    key = ["_group", "_ind", "_reg", "_year"]
    first = steps.drop_duplicates(key, keep="first").set_index(key)
    out = steps.drop_duplicates(key, keep="last").set_index(key)
    out["old_value"] = first["old_value"]
    out["old_status"] = first["old_status"]
    several = steps.groupby(key).size() > 1
    back = several.reindex(out.index, fill_value=False) & (out["kind"] == "revised") & (
        out["old_value"] == out["new_value"])
    status_back = (out["kind"] == "status") & (out["old_status"] == out["new_status"])
    return out[~back & ~status_back].reset_index(drop=True)[CHANGE_COLUMNS]


# --- recording a release in a new warehouse, keeping the last ones --------------------------

def record(new_db: Path, previous: Path | None, periods: list[dict]) -> str:
    """Write the release tables into the new warehouse (before it is swapped in); compare it
    with the previous warehouse, if there is one, and log the changes. Returns the id."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as new", [str(new_db)])
        con.execute("use new")
        built_at = con.execute("select built_at from build_meta").fetchall()[0][0]
        sources = period_rows(periods)
        con.register("_sources", sources)
        con.execute("create or replace table release_source as select table_id, title, "
                    "cast(cbs_modified as varchar) as cbs_modified, period_code, period_status "
                    "from _sources")
        con.unregister("_sources")
        con.execute(f"create or replace table indicator_status as {INDICATOR_STATUS_SQL}")
        old_ok = False
        if previous is not None and previous.is_file():
            try:
                con.execute("attach ? as old (read_only)", [str(previous)])
                old_ok = has_table(con, "release", "old")
            except duckdb.Error:
                old_ok = False  # damaged or foreign file: no predecessor
        history = pd.DataFrame(columns=["release_id", "built_at"])
        prev_id = None
        if old_ok:
            prev_id = con.execute("select release_id from old.release").fetchall()[0][0]
            history = con.execute("select release_id, built_at from old.release_history "
                                  "order by built_at").df()
        digest = content_hash(con)
        release_id = new_release_id(built_at.date(), digest, set(history["release_id"]))
        if prev_id is not None:
            prev_hash = con.execute("select content_hash from old.release").fetchall()[0][0]
            if prev_hash == digest and prev_id[:10] == release_id[:10]:
                release_id = prev_id  # rebuilt the same day with the same figures
        history = pd.concat([history[history["release_id"] != release_id],
                             pd.DataFrame([{"release_id": release_id,
                                            "built_at": built_at}])])
        history = history.tail(HISTORY_MAX)
        con.register("_history", history)
        con.execute("create or replace table release_history as select cast(release_id as "
                    "varchar) as release_id, cast(built_at as timestamp) as built_at "
                    "from _history")
        con.unregister("_history")
        con.execute("create or replace table release (release_id varchar, built_at timestamp,"
                    " content_hash varchar, previous_release_id varchar)")
        con.execute("insert into release values (?, ?, ?, ?)",
                    [release_id, built_at, digest, prev_id])
        log = pd.DataFrame(columns=["from_release", "to_release", *CHANGE_COLUMNS])
        if old_ok and prev_id != release_id:
            changes = compare(con, "old", "new")
            changes.insert(0, "to_release", release_id)
            changes.insert(0, "from_release", prev_id)
            carried = con.execute("select * from old.release_change").df() \
                if has_table(con, "release_change", "old") else log
            keep = set(history["release_id"].tail(CHANGE_LOG_RELEASES))
            carried = carried[carried["to_release"].isin(keep)]
            log = pd.concat([carried, changes], ignore_index=True) if len(carried) else changes
        elif old_ok:  # the same release again: its log stays as it was
            log = con.execute("select * from old.release_change").df() \
                if has_table(con, "release_change", "old") else log
        log = log.astype({"year": "Int64", "old_value": "float64", "new_value": "float64"})
        for column in ("from_release", "to_release", "kind", "indicator_id", "region_code",
                       "old_status", "new_status", "detail"):
            log[column] = log[column].astype(object).where(log[column].notna(), None)
        con.register("_log", log)
        con.execute("""create or replace table release_change as select
            cast(from_release as varchar) as from_release, cast(to_release as varchar)
            as to_release, cast(kind as varchar) as kind, cast(indicator_id as varchar)
            as indicator_id, cast(region_code as varchar) as region_code,
            cast(year as integer) as year, cast(old_value as double) as old_value,
            cast(new_value as double) as new_value, cast(old_status as varchar)
            as old_status, cast(new_status as varchar) as new_status,
            cast(detail as varchar) as detail from _log""")
        con.unregister("_log")
        con.execute("checkpoint new")
        return release_id
    finally:
        con.close()


def read_only(path: Path) -> None:
    """Make a kept file read-only (r--r--r--)."""
    try:
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    except OSError:
        pass


def keep(target: Path, release_id: str, keep_n: int | None = None,
         budget_mb: int | None = None) -> list[str]:
    """After the swap: the new warehouse kept as its release file (a hard link; a copy where
    the file system has none), older ones made read-only, and the oldest removed beyond the
    count or the disk budget. Returns the ids removed."""
    default_n, default_budget = settings()
    keep_n = default_n if keep_n is None else keep_n
    budget = (default_budget if budget_mb is None else budget_mb) * 1_000_000
    folder = releases_dir(target)
    folder.mkdir(parents=True, exist_ok=True)
    current = release_file(target, release_id)
    if not (current.exists() and os.path.samefile(current, target)):
        tmp = folder / f".{release_id}.tmp"
        tmp.unlink(missing_ok=True)
        try:
            os.link(target, tmp)
        except OSError:
            shutil.copyfile(target, tmp)
        os.replace(tmp, current)
    older = sorted((p for p in folder.glob("*.duckdb") if p != current
                    and ID_RE.fullmatch(p.stem)),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    removed, used = [], 0
    for i, path in enumerate(older):
        size = path.stat().st_size
        if i < keep_n and used + size <= budget:
            used += size
            read_only(path)
        else:
            path.unlink(missing_ok=True)
            removed.append(path.stem)
    for leftover in folder.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
    return removed


def kept(target: Path) -> list[str]:
    """Ids of the releases on disk beside the warehouse."""
    folder = releases_dir(target)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.duckdb") if ID_RE.fullmatch(p.stem))


def disk_use(target: Path) -> int:
    """Bytes the kept releases take beyond the current warehouse (hard links not counted)."""
    total = 0
    target_ino = target.stat().st_ino if target.exists() else None
    for path in releases_dir(target).glob("*.duckdb"):
        st_ = path.stat()
        if st_.st_ino != target_ino:
            total += st_.st_size
    return total
