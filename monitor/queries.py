"""Every query the pages run: SQL lives here, values are bound, identifiers allow-listed."""

from __future__ import annotations

import json

import pandas as pd

from monitor import db
from monitor.memo import memo

CUSTOM = "CUSTOM"


@memo
def regions(level: str | None = None) -> pd.DataFrame:
    """All regions, or those of one level (pilot regions: every variant)."""
    sql = "select * from region where (? is null or region_level = ?) order by region_name"
    return db.query(sql, [level, level])


@memo
def region_codes() -> frozenset[str]:
    """Allow-list of region codes."""
    return frozenset(regions()["region_code"])


@memo
def members(region_code: str) -> tuple[str, ...]:
    """The 2024 gemeenten of a region."""
    frame = db.query("select gemeente_code from region_membership where region_code = ? "
                     "order by gemeente_code", [region_code])
    return tuple(frame["gemeente_code"])


@memo
def indicators() -> pd.DataFrame:
    """The indicator registry with factor titles, in factor order."""
    return db.query("""
        select i.*, f.title_nl as factor_title_nl, f.title_en as factor_title_en,
               f.scored as factor_scored, f.sort_order as factor_order
        from indicator i join factor f using (factor_id)
        order by f.sort_order, i.indicator_id
    """)


@memo
def indicator_ids() -> tuple[str, ...]:
    """Allow-list of indicator ids (with data)."""
    frame = indicators()
    return tuple(frame.loc[frame["data_gap"].isna(), "indicator_id"])


@memo
def factors() -> pd.DataFrame:
    """The ecosystem factors in display order."""
    return db.query("select * from factor order by sort_order")


@memo
def indicator_years(indicator_id: str) -> tuple[int, ...]:
    """Years in which the indicator has gemeente values (ascending)."""
    frame = db.query("select distinct year from gm_value where indicator_id = ? and value is "
                     "not null order by year", [indicator_id])
    return tuple(int(y) for y in frame["year"])


@memo
def values_by_level(indicator_id: str, year: int, level: str) -> pd.DataFrame:
    """One indicator and year for every region of a level, with rank (1 = best) and the
    names of its member gemeenten without a figure (largest first), to say why coverage is low."""
    frame = db.query(f"""
        with missing as ({MISSING_MEMBERS}), filled as ({FILLED_MEMBERS})
        select r.region_code, r.region_name, r.region_level, r.population, v.value, v.coverage,
               v.status, v.is_estimated, v.is_published, coalesce(mi.missing, []) as missing,
               coalesce(fi.filled, []) as filled
        from region r
        left join indicator_value v
          on v.region_code = r.region_code and v.indicator_id = ? and v.year = ?
        left join missing mi on mi.region_code = r.region_code
        left join filled fi on fi.region_code = r.region_code
        where r.region_level = ? and (r.region_level <> 'proeftuin' or r.is_default_variant)
        order by r.region_name
    """, [indicator_id, year, indicator_id, year, indicator_id, year, level])
    return add_rank(frame, indicator_id)


# Per region: its member gemeenten without a value for one indicator (?) and year (?).
MISSING_MEMBERS = """
    select m.region_code, list(g.region_name order by g.population desc) as missing
    from region_membership m
    join region g on g.region_code = m.gemeente_code
    left join gm_value x on x.gemeente_code = m.gemeente_code and x.indicator_id = ?
                        and x.year = ? and x.value is not null
    where m.region_code <> m.gemeente_code and x.gemeente_code is null
    group by m.region_code"""


# Per region: its member gemeenten whose figure for one indicator (?) and year (?) another CBS
# table gave (value_fill), as 'name: table' (a gemeente is its own member too).
FILLED_MEMBERS = """
    select m.region_code,
           list(g.region_name || ': ' || f.from_table order by g.population desc) as filled
    from value_fill f
    join indicator i on i.source_table = f.table_id and i.numerator_key = f.measure
    join region_membership m on m.gemeente_code = f.region_code
    join region g on g.region_code = f.region_code
    where i.indicator_id = ? and f.year = ?
    group by m.region_code"""


@memo
def missing_members(region_code: str, indicator_id: str, year: int) -> tuple[str, ...]:
    """Names of a region's gemeenten without a figure for the indicator and year."""
    frame = db.query(f"select missing from ({MISSING_MEMBERS}) where region_code = ?",
                     [indicator_id, year, region_code])
    return tuple(frame["missing"].iloc[0]) if len(frame) else ()


def add_rank(frame: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """Rank regions: 1 is best (highest, or lowest where lower is better)."""
    direction = indicator_row(indicator_id)["direction"]
    ascending = direction == "lower_is_better"
    frame = frame.copy()
    frame["rank"] = frame["value"].rank(ascending=ascending, method="min").astype("Int64")
    frame["n_ranked"] = int(frame["value"].notna().sum())
    return frame


@memo
def indicator_row(indicator_id: str) -> pd.Series:
    """The registry row of one indicator (cached apart: a page asks for a few rows several
    times a run, and a cache hit of the whole registry is a copy of all of it)."""
    frame = indicators()
    return frame.loc[frame["indicator_id"] == indicator_id].iloc[0]


@memo
def values_for_regions(codes: tuple[str, ...], indicator_id: str | None = None,
                       year: int | None = None) -> pd.DataFrame:
    """indicator_value rows for the given regions (all indicators/years unless narrowed)."""
    return db.query("""
        select v.*, r.region_name, r.region_level from indicator_value v
        join region r using (region_code)
        where list_contains(?, v.region_code) and (? is null or v.indicator_id = ?)
          and (? is null or v.year = ?)
        order by v.indicator_id, v.region_code, v.year
    """, [list(codes), indicator_id, indicator_id, year, year])


@memo
def custom_values(gemeente_codes: tuple[str, ...], indicator_id: str | None = None,
                  year: int | None = None) -> pd.DataFrame:
    """A composed region's values, by the warehouse's own aggregation macro (etl/rules.py)."""
    ids = None if indicator_id is None else [indicator_id]
    frame = db.query("select * from aggregate_members(composed_members(?, ?), ids := ?, "
                     "yr := ?)", [list(gemeente_codes), CUSTOM, ids, year])
    return frame.sort_values(["indicator_id", "year"]).reset_index(drop=True)


COMPOSED_VALUES = """(select list({indicator_id: indicator_id, region_code: region_code,
    year: year, value: value}) from aggregate_members(composed_members(?, ?)))"""


@memo
def custom_scores(gemeente_codes: tuple[str, ...]) -> pd.DataFrame:
    """A composed region's 0-10 scores, by the warehouse's scoring macro (every year)."""
    return db.query(f"select * from score_rows({COMPOSED_VALUES})",
                    [list(gemeente_codes), CUSTOM])


@memo
def latest_years() -> dict[str, int]:
    """The latest year with gemeente values, per indicator."""
    frame = db.query("select indicator_id, max(year) as year from indicator_scale group by 1")
    return dict(zip(frame["indicator_id"], frame["year"].astype(int), strict=True))


@memo
def factor_profile(codes: tuple[str, ...]) -> pd.DataFrame:
    """Factor scores (latest year of each indicator) for stored regions."""
    return db.query("""
        select s.*, f.title_nl, f.title_en, f.sort_order from factor_score_latest s
        join factor f using (factor_id)
        where list_contains(?, s.region_code) order by f.sort_order
    """, [list(codes)])


@memo
def custom_factor_profile(gemeente_codes: tuple[str, ...]) -> pd.DataFrame:
    """Factor scores of a composed region (latest year of each indicator), by the same
    scoring and weighting macros as every stored region."""
    return db.query(f"""
        select s.*, f.title_nl, f.title_en, f.sort_order
        from factor_rows_latest((select list({{indicator_id: indicator_id,
            region_code: region_code, year: year, score: score}})
            from score_rows({COMPOSED_VALUES}))) s
        join factor f using (factor_id) order by f.sort_order
    """, [list(gemeente_codes), CUSTOM])


@memo
def geometry(codes: tuple[str, ...]) -> dict:
    """A GeoJSON FeatureCollection of the given regions (feature id = region code)."""
    frame = db.query("select region_code, geojson from geometry where list_contains(?, "
                     "region_code)", [list(codes)])
    features = [{"type": "Feature", "id": code, "properties": {}, "geometry": json.loads(geo)}
                for code, geo in zip(frame["region_code"], frame["geojson"], strict=True)]
    return {"type": "FeatureCollection", "features": features}


@memo
def level_geometry(level: str) -> dict:
    """GeoJSON of every region of a level (pilot regions: default variants)."""
    return geometry(tuple(values_by_level_codes(level)))


def default_pilots() -> pd.DataFrame:
    """The pilot regions in their default variant (PR_<id>), by name: the ten that maps,
    comparisons and reports put side by side."""
    frame = regions("proeftuin")
    return frame[frame["is_default_variant"].fillna(False).astype(bool)]


def values_by_level_codes(level: str) -> list[str]:
    """Region codes shown for a level."""
    frame = default_pilots() if level == "proeftuin" else regions(level)
    return frame["region_code"].tolist()


@memo
def build_meta() -> dict:
    """When and from what the data was built."""
    frame = db.query("select * from build_meta")
    return frame.iloc[0].to_dict() if len(frame) else {}


@memo
def build_info() -> pd.DataFrame:
    """Per CBS table: rows, retrieval time, CBS modification date."""
    return db.query("select * from build_info order by table_id")


# --- regioprofiel ---------------------------------------------------------------------------

@memo
def geometry_bbox(codes: tuple[str, ...]) -> dict[str, float] | None:
    """The bounding box (min_lon, min_lat, max_lon, max_lat) around the given regions."""
    frame = db.query("select min(min_lon) as min_lon, min(min_lat) as min_lat, "
                     "max(max_lon) as max_lon, max(max_lat) as max_lat from geometry "
                     "where list_contains(?, region_code)", [list(codes)])
    row = frame.iloc[0]
    return None if pd.isna(row["min_lon"]) else {k: float(v) for k, v in row.items()}


@memo
def level_ranks(region_code: str) -> pd.DataFrame:
    """Rank (1 = best) of a region per indicator and year among the regions of its level;
    a pilot region (any variant) is ranked among the default variants of the other pilots."""
    return db.query("""
        with me as (select region_level, pilot_id from region where region_code = ?),
        peers as (
            select r.region_code from region r, me
            where r.region_level = me.region_level
              and (r.region_level <> 'proeftuin' or r.region_code = ?
                   or (r.is_default_variant and r.pilot_id <> me.pilot_id))
        ),
        ranked as (
            select v.indicator_id, v.year, v.region_code,
                   rank() over (partition by v.indicator_id, v.year order by
                       case when i.direction = 'lower_is_better' then v.value
                            else -v.value end) as rank,
                   count(*) over (partition by v.indicator_id, v.year) as n_ranked
            from indicator_value v
            join peers using (region_code)
            join indicator i using (indicator_id)
            where v.value is not null
        ),
        final as (
            select indicator_id, year, rank, n_ranked from ranked where region_code = ?
        )
        select * from final order by indicator_id, year
    """, [region_code, region_code, region_code])


# --- vergelijken / trends ---------------------------------------------------------------------

@memo
def latest_values(codes: tuple[str, ...]) -> pd.DataFrame:
    """Every indicator in its latest year for stored regions, with the 0-10 score."""
    return db.query("""
        with latest as (
            select indicator_id, max(year) as year from indicator_scale group by indicator_id
        ),
        final as (
            select v.indicator_id, v.region_code, v.year, v.value, v.status, v.coverage,
                   s.score
            from indicator_value v
            join latest l using (indicator_id, year)
            left join indicator_score s using (indicator_id, region_code, year)
            where list_contains(?, v.region_code)
        )
        select * from final order by indicator_id, region_code
    """, [list(codes)])


def custom_latest_values(gemeente_codes: tuple[str, ...]) -> pd.DataFrame:
    """A composed region's values in each indicator's latest year, with the 0-10 score."""
    values = custom_values(gemeente_codes)
    values = values[values["year"] == values["indicator_id"].map(latest_years())]
    scores = custom_scores(gemeente_codes)[["indicator_id", "year", "score"]]
    return values.merge(scores, on=["indicator_id", "year"], how="left")


def base_years(frame: pd.DataFrame) -> list[int]:
    """Years in which every region of a series frame has a value (else those in which any has)."""
    have = frame.dropna(subset=["value"])
    counts = have.groupby("year")["region_code"].nunique()
    common = [int(y) for y, n in counts.items() if n == frame["region_code"].nunique()]
    return sorted(common) or sorted(int(y) for y in counts.index)


@memo
def series_breaks(indicator_id: str) -> pd.DataFrame:
    """Declared breaks in an indicator's series (year = the first year on the new basis)."""
    return db.query("select year, reason_nl, reason_en, source from series_break where "
                    "indicator_id = ? order by year", [indicator_id])


@memo
def all_series_breaks() -> pd.DataFrame:
    """Every declared break: indicator_id, year."""
    return db.query("select indicator_id, year from series_break order by 1, 2")


def segment(years: pd.Series, breaks: tuple[int, ...]) -> pd.Series:
    """Which stretch between breaks each year lies in (0 before the first break)."""
    return sum((years >= b).astype(int) for b in breaks) if breaks else years * 0


def index_to_base(frame: pd.DataFrame, base_year: int,
                  breaks: tuple[int, ...] = ()) -> pd.DataFrame:
    """Values as an index per region: the base year's value = 100 (no base value: NaN). A
    year on the other side of a break in the series from the base year gets no index: a
    break is not change."""
    base = frame.loc[frame["year"] == base_year].set_index("region_code")["value"]
    base = base[~base.index.duplicated()].where(lambda s: s != 0)
    out = frame.copy()
    out["value"] = out["value"] / out["region_code"].map(base).astype(float) * 100
    across = segment(out["year"], breaks) != int(segment(pd.Series([base_year]), breaks)[0])
    out.loc[across, "value"] = float("nan")
    return out


# --- over de data ---------------------------------------------------------------------------
@memo
def indicator_coverage() -> pd.DataFrame:
    """Per indicator: years with gemeente values and how many gemeenten the latest year has."""
    return db.query("""
        with years as (
            select indicator_id, year, count(value) as n from gm_value
            where value is not null group by all
        )
        select indicator_id, min(year) as first_year, max(year) as last_year,
               arg_max(n, year) as n_gemeenten_latest
        from years group by 1
    """)


def level_pairs(level: str, x_indicator: str, x_year: int, y_indicator: str,
                y_year: int) -> pd.DataFrame:
    """Two indicators for every region of a level (region_code, region_name, x, y,
    population)."""
    xs = values_by_level(x_indicator, x_year, level)
    ys = values_by_level(y_indicator, y_year, level)
    return (xs[["region_code", "region_name", "population", "value"]]
            .rename(columns={"value": "x"})
            .merge(ys[["region_code", "value"]].rename(columns={"value": "y"}), on="region_code"))


# --- export -------------------------------------------------------------------------------------
EXPORT_FILTER = """
    from indicator_value v
    join region r using (region_code)
    where list_contains(?, v.region_code) and list_contains(?, v.indicator_id)
      and v.year between ? and ?
"""


@memo
def export_years() -> tuple[int, ...]:
    """Every year with a value in the warehouse (ascending)."""
    frame = db.query("select distinct year from indicator_value where value is not null "
                     "order by year")
    return tuple(int(y) for y in frame["year"])


@memo
def export_count(codes: tuple[str, ...], indicator_ids: tuple[str, ...], first_year: int,
                 last_year: int) -> int:
    """How many indicator_value rows an export of stored regions would hold."""
    frame = db.query("select count(*) as n" + EXPORT_FILTER,
                     [list(codes), list(indicator_ids), first_year, last_year])
    return int(frame["n"].iloc[0])


@memo
def export_values(codes: tuple[str, ...], indicator_ids: tuple[str, ...], first_year: int,
                  last_year: int) -> pd.DataFrame:
    """indicator_value rows of stored regions, indicators and a year range (long format)."""
    return db.query("""
        select v.region_code, r.region_name, r.region_level, v.indicator_id, v.year, v.value,
               v.coverage, v.is_estimated, v.is_converted, v.status, v.source
    """ + EXPORT_FILTER + """
        order by r.region_level, r.region_name, v.region_code, v.indicator_id, v.year
    """, [list(codes), list(indicator_ids), first_year, last_year])


# --- why a region's figure is what it is: members without one, figures from another table ---

@memo
def member_gaps(gemeente_codes: tuple[str, ...], indicator_id: str, year: int
                ) -> tuple[str, ...]:
    """Names of those gemeenten without a figure for the indicator and year, largest first
    (any region, stored or composed: its members)."""
    frame = db.query("""
        select g.region_name from region g
        left join gm_value x on x.gemeente_code = g.region_code and x.indicator_id = ?
                            and x.year = ? and x.value is not null
        where g.region_level = 'gemeente' and list_contains(?, g.region_code)
          and x.gemeente_code is null
        order by g.population desc
    """, [indicator_id, year, list(gemeente_codes)])
    return tuple(frame["region_name"])


@memo
def value_fills() -> pd.DataFrame:
    """Every gemeente figure taken from another CBS table (value_fill), per indicator:
    indicator_id, gemeente_code, gemeente name, year, from_table."""
    return db.query("""
        select i.indicator_id, f.region_code as gemeente_code, g.region_name, f.year,
               f.from_table
        from value_fill f
        join indicator i on i.source_table = f.table_id and i.numerator_key = f.measure
        join region g on g.region_code = f.region_code
        order by i.indicator_id, f.year, g.population desc
    """)


def member_fills(gemeente_codes: tuple[str, ...], indicator_id: str, year: int
                 ) -> tuple[tuple[str, str], ...]:
    """(gemeente name, CBS table) of those gemeenten whose figure for the indicator and year
    was taken from another CBS table than the indicator's own."""
    fills = value_fills()
    rows = fills[(fills["indicator_id"] == indicator_id) & (fills["year"] == year)
                 & fills["gemeente_code"].isin(gemeente_codes)]
    return tuple(zip(rows["region_name"], rows["from_table"], strict=True))


# --- wijken and buurten (CBS's own figures per wijk and buurt, never added up) ----------------

@memo
def wijken_of(gemeente_codes: tuple[str, ...]) -> pd.DataFrame:
    """Every wijk code of 2024 or 2023 in those gemeenten: names, status, gemeente name."""
    return db.query("""
        select w.wijk_code, w.gemeente_code, coalesce(g.region_name, w.gemeente_code)
               as gemeente_name, w.name_2024, w.name_2023, w.status, w.has_2023, w.has_2024
        from wijk w left join region g on g.region_code = w.gemeente_code
        where list_contains(?, w.gemeente_code)
        order by gemeente_name, w.wijk_code
    """, [list(gemeente_codes)])


@memo
def sub_values(gemeente_codes: tuple[str, ...], region_type: str) -> pd.DataFrame:
    """CBS's wijk ('WK') or buurt ('BU') figures in those gemeenten, long: region_code,
    wijk_code, table_id, year, measure, value."""
    return db.query("""
        select region_code, wijk_code, gemeente_code, table_id, year, measure, value
        from wijk_value where region_type = ? and list_contains(?, gemeente_code)
        order by region_code, table_id, measure
    """, [region_type, list(gemeente_codes)])


@memo
def wijk_geometry(gemeente_codes: tuple[str, ...]) -> dict:
    """A GeoJSON FeatureCollection of the 2024 wijken of those gemeenten (id = wijk code)."""
    frame = db.query("""
        select g.wijk_code, g.geojson from wijk_geometry g join wijk w using (wijk_code)
        where list_contains(?, w.gemeente_code) order by g.wijk_code
    """, [list(gemeente_codes)])
    features = [{"type": "Feature", "id": code, "properties": {}, "geometry": json.loads(geo)}
                for code, geo in zip(frame["wijk_code"], frame["geojson"], strict=True)]
    return {"type": "FeatureCollection", "features": features}
