"""Every query the pages run: SQL lives here, values are bound, identifiers allow-listed."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from monitor import db

CUSTOM = "CUSTOM"
MIN_COVERAGE = 0.95

# The same rule the ETL applies to every region, over a member list given at run time.
CUSTOM_AGGREGATE_SQL = """
with members as (
    select r.region_code as gemeente_code, r.population
    from region r
    where r.region_level = 'gemeente' and list_contains(?, r.region_code)
),
total as (select sum(population) as population from members),
joined as (
    select v.indicator_id, v.year, m.population, v.numerator, v.denominator, v.is_estimated,
           i.aggregation, i.scale,
           (v.numerator is not null and (i.aggregation = 'sum' or v.denominator is not null))
               as has_value
    from gm_value v
    join members m using (gemeente_code)
    join indicator i using (indicator_id)
    where i.aggregation <> 'none' and (? is null or list_contains(?, v.indicator_id))
),
summed as (
    select indicator_id, year, any_value(aggregation) as aggregation, any_value(scale) as scale,
           sum(numerator) filter (where has_value) as numerator,
           sum(denominator) filter (where has_value) as denominator,
           sum(population) filter (where has_value) as covered,
           bool_or(is_estimated) filter (where has_value) as any_estimated
    from joined group by indicator_id, year
),
final as (
    select s.indicator_id, s.year,
           case when s.covered / t.population < ? then null
                when s.aggregation = 'sum' then s.numerator * s.scale
                else s.numerator / nullif(s.denominator, 0) * s.scale end as value,
           s.numerator, s.denominator, s.covered / t.population as coverage,
           coalesce(s.any_estimated, false) or s.covered < t.population as is_estimated,
           case when s.covered / t.population < ? then 'low_coverage' else 'ok' end as status
    from summed s, total t
)
select * from final
"""


cached = st.cache_data(show_spinner=False, max_entries=512)
_seen_version: dict[str, str] = {}


def refresh_if_rebuilt() -> None:
    """Drop cached query results once the warehouse file has been replaced by a rebuild."""
    version = db.data_version()
    if _seen_version.get("v") not in (None, version):
        st.cache_data.clear()
    _seen_version["v"] = version


@cached
def regions(level: str | None = None) -> pd.DataFrame:
    """All regions, or those of one level (pilot regions: every variant)."""
    sql = "select * from region where (? is null or region_level = ?) order by region_name"
    return db.query(sql, [level, level])


@cached
def region_codes() -> frozenset[str]:
    """Allow-list of region codes."""
    return frozenset(regions()["region_code"])


@cached
def members(region_code: str) -> tuple[str, ...]:
    """The 2024 gemeenten of a region."""
    frame = db.query("select gemeente_code from region_membership where region_code = ? "
                     "order by gemeente_code", [region_code])
    return tuple(frame["gemeente_code"])


@cached
def indicators() -> pd.DataFrame:
    """The indicator registry with factor titles, in factor order."""
    return db.query("""
        select i.*, f.title_nl as factor_title_nl, f.title_en as factor_title_en,
               f.scored as factor_scored, f.sort_order as factor_order
        from indicator i join factor f using (factor_id)
        order by f.sort_order, i.indicator_id
    """)


@cached
def indicator_ids() -> tuple[str, ...]:
    """Allow-list of indicator ids (with data)."""
    frame = indicators()
    return tuple(frame.loc[frame["data_gap"].isna(), "indicator_id"])


@cached
def factors() -> pd.DataFrame:
    """The ecosystem factors in display order."""
    return db.query("select * from factor order by sort_order")


@cached
def indicator_years(indicator_id: str) -> tuple[int, ...]:
    """Years in which the indicator has gemeente values (ascending)."""
    frame = db.query("select distinct year from gm_value where indicator_id = ? and value is "
                     "not null order by year", [indicator_id])
    return tuple(int(y) for y in frame["year"])


@cached
def values_by_level(indicator_id: str, year: int, level: str) -> pd.DataFrame:
    """One indicator and year for every region of a level, with rank (1 = best)."""
    frame = db.query("""
        select r.region_code, r.region_name, r.region_level, r.population, v.value, v.coverage,
               v.status, v.is_estimated, v.is_published
        from region r
        left join indicator_value v
          on v.region_code = r.region_code and v.indicator_id = ? and v.year = ?
        where r.region_level = ? and (r.region_level <> 'proeftuin' or r.is_default_variant)
        order by r.region_name
    """, [indicator_id, year, level])
    return add_rank(frame, indicator_id)


def add_rank(frame: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """Rank regions: 1 is best (highest, or lowest where lower is better)."""
    direction = indicator_row(indicator_id)["direction"]
    ascending = direction == "lower_is_better"
    frame = frame.copy()
    frame["rank"] = frame["value"].rank(ascending=ascending, method="min").astype("Int64")
    frame["n_ranked"] = int(frame["value"].notna().sum())
    return frame


def indicator_row(indicator_id: str) -> pd.Series:
    """The registry row of one indicator."""
    frame = indicators()
    return frame.loc[frame["indicator_id"] == indicator_id].iloc[0]


@cached
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


@cached
def custom_values(gemeente_codes: tuple[str, ...], indicator_id: str | None = None,
                  year: int | None = None) -> pd.DataFrame:
    """A composed region's values, aggregated at run time by the same rule as every region."""
    ids = None if indicator_id is None else [indicator_id]
    frame = db.query(CUSTOM_AGGREGATE_SQL, [list(gemeente_codes), ids, ids,
                                            MIN_COVERAGE, MIN_COVERAGE])
    if year is not None:
        frame = frame[frame["year"] == year]
    return frame.assign(region_code=CUSTOM).sort_values(["indicator_id", "year"])


@cached
def indicator_scale() -> pd.DataFrame:
    """The score scale per indicator and year (5th and 95th percentile over gemeenten)."""
    return db.query("select s.*, i.direction, i.factor_id from indicator_scale s "
                    "join indicator i using (indicator_id)")


def score_values(values: pd.DataFrame) -> pd.DataFrame:
    """0-10 scores for values on the gemeente scale (used for composed regions)."""
    scale = indicator_scale()
    merged = values.merge(scale, on=["indicator_id", "year"], how="inner")
    merged = merged[merged["direction"] != "neutral"]
    span = (merged["p95"] - merged["p05"]).where(lambda s: s != 0)
    raw = (merged["value"].clip(merged["p05"], merged["p95"]) - merged["p05"]) / span * 10
    merged["score"] = raw.where(merged["direction"] == "higher_is_better", 10 - raw)
    return merged.dropna(subset=["score"])


@cached
def latest_years() -> dict[str, int]:
    """The latest year with gemeente values, per indicator."""
    frame = db.query("select indicator_id, max(year) as year from indicator_scale group by 1")
    return dict(zip(frame["indicator_id"], frame["year"].astype(int), strict=True))


@cached
def factor_profile(codes: tuple[str, ...]) -> pd.DataFrame:
    """Factor scores (latest year of each indicator) for stored regions."""
    return db.query("""
        select s.*, f.title_nl, f.title_en, f.sort_order from factor_score_latest s
        join factor f using (factor_id)
        where list_contains(?, s.region_code) order by f.sort_order
    """, [list(codes)])


def custom_factor_profile(gemeente_codes: tuple[str, ...]) -> pd.DataFrame:
    """Factor scores of a composed region, from its run-time values."""
    values = custom_values(gemeente_codes)
    latest = latest_years()
    values = values[values["year"] == values["indicator_id"].map(latest)]
    scored = score_values(values.dropna(subset=["value"]))
    if scored.empty:
        return pd.DataFrame(columns=["factor_id", "region_code", "score", "n_indicators"])
    frame = scored.groupby("factor_id", as_index=False).agg(score=("score", "mean"),
                                                            n_indicators=("score", "size"))
    frame = frame.merge(factors()[["factor_id", "title_nl", "title_en", "sort_order"]],
                        on="factor_id")
    return frame.assign(region_code=CUSTOM).sort_values("sort_order")


@cached
def trend(indicator_id: str, codes: tuple[str, ...]) -> pd.DataFrame:
    """Values over all years for the given regions."""
    return values_for_regions(codes, indicator_id)


@cached
def geometry(codes: tuple[str, ...]) -> dict:
    """A GeoJSON FeatureCollection of the given regions (feature id = region code)."""
    frame = db.query("select region_code, geojson from geometry where list_contains(?, "
                     "region_code)", [list(codes)])
    features = [{"type": "Feature", "id": code, "properties": {}, "geometry": json.loads(geo)}
                for code, geo in zip(frame["region_code"], frame["geojson"], strict=True)]
    return {"type": "FeatureCollection", "features": features}


@cached
def level_geometry(level: str) -> dict:
    """GeoJSON of every region of a level (pilot regions: default variants)."""
    return geometry(tuple(values_by_level_codes(level)))


def values_by_level_codes(level: str) -> list[str]:
    """Region codes shown for a level."""
    frame = regions(level)
    if level == "proeftuin":
        frame = frame[frame["is_default_variant"]]
    return frame["region_code"].tolist()


@cached
def build_meta() -> dict:
    """When and from what the data was built."""
    frame = db.query("select * from build_meta")
    return frame.iloc[0].to_dict() if len(frame) else {}


@cached
def build_info() -> pd.DataFrame:
    """Per CBS table: rows, retrieval time, CBS modification date."""
    return db.query("select * from build_info order by table_id")
