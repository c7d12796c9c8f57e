"""The aggregation and scoring rules, defined ONCE, as DuckDB macros stored in the warehouse.

Every reader calls these macros instead of carrying its own copy of the rule: the ETL (for
provincies, COROP, arbeidsmarktregio's, Nederland and the pilot regions), the app (for a
region a user composes), the notebook and the tests. A region, stored or composed, is a list
of members: structs {region_code, gemeente_code}.

    members_of(codes)                     the members of stored regions (list of codes)
    composed_members(gemeenten, code)     a composed region named `code`
    aggregate_members(members[, ids, yr]) indicator values of those regions from gm_value
    score_rows(values)                    0-10 scores of {indicator_id, region_code, year,
                                          value} rows (scored factors, non-neutral indicators)
    factor_rows(scores)                   weighted factor scores of {indicator_id,
                                          region_code, year, score} rows, per year
    factor_rows_latest(scores)            the same over each indicator's latest year
    factor_scenarios(scores, weights)     the same rule under other weights (sensitivity)

Example (a composed region, in SQL):

    select * from aggregate_members(composed_members(['GM0344', 'GM0355'], 'MIJN'))
"""

from __future__ import annotations

import duckdb

MIN_COVERAGE = 0.95  # a ratio or weighted mean needs members holding 95% of the population
# A sum (inhabitants, jobs, dwellings) over fewer than all members is not the region's total:
# a sum needs every member.

AGGREGATION_MACROS = [
    f"create or replace macro min_coverage() as {MIN_COVERAGE}",
    # -- regions as member lists --------------------------------------------------------------
    """create or replace macro members_of(codes) as (
        select coalesce(list({region_code: m.region_code, gemeente_code: m.gemeente_code}
                             order by m.region_code, m.gemeente_code), [])
        from region_membership m join region r using (region_code)
        where r.region_level <> 'gemeente' and list_contains(codes, m.region_code))""",
    """create or replace macro all_members() as (
        select coalesce(list({region_code: m.region_code, gemeente_code: m.gemeente_code}
                             order by m.region_code, m.gemeente_code), [])
        from region_membership m join region r using (region_code)
        where r.region_level <> 'gemeente')""",
    """create or replace macro composed_members(gemeenten, code) as
        list_transform(list_distinct(gemeenten),
                       lambda g: {region_code: code, gemeente_code: g})""",
    # -- the aggregation rule -----------------------------------------------------------------
    # A member counts for an indicator and year when it has a numerator (and, for a ratio or
    # weighted mean, a denominator). Coverage = population share of the members that count.
    """create or replace macro member_counts(aggregation, numerator, denominator) as
        numerator is not null and (aggregation = 'sum' or denominator is not null)""",
    """create or replace macro aggregate_value(aggregation, scale, numerator, denominator,
                                               coverage) as
        case when coverage < min_coverage() then null
             when aggregation = 'sum' and coverage < 1 then null
             when aggregation = 'sum' then numerator * scale
             else numerator / nullif(denominator, 0) * scale end""",
    """create or replace macro aggregate_status(aggregation, coverage) as
        case when coverage < min_coverage() then 'low_coverage'
             when aggregation = 'sum' and coverage < 1 then 'incomplete_sum'
             else 'ok' end""",
    """create or replace macro aggregate_members(members, ids := null, yr := null) as table
        with mb as (
            select unnest(members, recursive := true)
        ),
        mp as (
            select mb.region_code, mb.gemeente_code, g.population
            from mb join region g on g.region_code = mb.gemeente_code
                                 and g.region_level = 'gemeente'
        ),
        total as (select region_code, sum(population) as population from mp group by 1),
        joined as (
            select v.indicator_id, i.aggregation, i.scale, mp.region_code, v.year,
                   mp.population, v.numerator, v.denominator, v.is_estimated, v.is_converted,
                   member_counts(i.aggregation, v.numerator, v.denominator) as counts
            from gm_value v
            join indicator i using (indicator_id)
            join mp on mp.gemeente_code = v.gemeente_code
            where i.aggregation <> 'none'
              and (ids is null or list_contains(ids, v.indicator_id))
              and (yr is null or v.year = yr)
        ),
        summed as (
            select indicator_id, region_code, year,
                   any_value(aggregation) as aggregation, any_value(scale) as scale,
                   sum(numerator) filter (where counts) as numerator,
                   sum(denominator) filter (where counts) as denominator,
                   coalesce(sum(population) filter (where counts), 0) as covered,
                   bool_or(is_estimated) filter (where counts) as any_estimated,
                   bool_or(is_converted) filter (where counts) as any_converted
            from joined group by indicator_id, region_code, year
        ),
        cov as (
            select s.*, s.covered / t.population as coverage, t.population as total
            from summed s join total t using (region_code)
        )
        select indicator_id, region_code, year,
               aggregate_value(aggregation, scale, numerator, denominator, coverage) as value,
               numerator, denominator, coverage,
               coalesce(any_estimated, false) as is_estimated,
               coalesce(any_converted, false) as is_converted,
               false as is_published,
               aggregate_status(aggregation, coverage) as status,
               'aggregated' as source
        from cov""",
]

# -- the scoring rule -------------------------------------------------------------------------
SCORING_MACROS = [
    # 0-10 between the 5th and 95th percentile of the gemeenten (indicator_scale), clipped,
    # turned round where lower is better; only indicators of scored factors.
    """create or replace macro score_of(value, p05, p95, direction) as
        case when direction = 'lower_is_better'
             then 10 - (least(greatest(value, p05), p95) - p05) / nullif(p95 - p05, 0) * 10
             else (least(greatest(value, p05), p95) - p05) / nullif(p95 - p05, 0) * 10 end""",
    """create or replace macro score_rows(vals) as table
        with v as (select unnest(vals, recursive := true))
        select v.indicator_id, v.region_code, v.year,
               score_of(v.value, s.p05, s.p95, i.direction) as score
        from v
        join indicator_scale s using (indicator_id, year)
        join indicator i using (indicator_id)
        join factor_weight w using (indicator_id)
        where v.value is not null
          and score_of(v.value, s.p05, s.p95, i.direction) is not null""",
    # The factor-score rule: the weighted mean of the indicator scores a region has.
    """create or replace macro weighted_score(score, weight) as
        sum(score * weight) / sum(weight)""",
    # A factor score is the weighted mean of the scores a region has. n_expected counts the
    # weighted indicators of the factor with a scale that year; fewer scores than that make
    # the score partial (is_partial): shown, and said, never silently ranked as complete.
    """create or replace macro factor_rows(scores) as table
        with s as (select unnest(scores, recursive := true)),
        expected as (
            select w.factor_id, c.year, count(*) as n_expected
            from factor_weight w join indicator_scale c using (indicator_id) group by all
        )
        select w.factor_id, s.region_code, s.year,
               weighted_score(s.score, w.weight) as score, count(*) as n_indicators,
               any_value(e.n_expected) as n_expected,
               count(*) < any_value(e.n_expected) as is_partial
        from s join factor_weight w using (indicator_id)
        join expected e on e.factor_id = w.factor_id and e.year = s.year
        group by w.factor_id, s.region_code, s.year""",
    """create or replace macro factor_rows_latest(scores) as table
        with s as (select unnest(scores, recursive := true)),
        latest as (select indicator_id, max(year) as year from indicator_scale group by 1),
        expected as (select factor_id, count(*) as n_expected from factor_weight group by 1)
        select w.factor_id, s.region_code,
               weighted_score(s.score, w.weight) as score, count(*) as n_indicators,
               any_value(e.n_expected) as n_expected,
               count(*) < any_value(e.n_expected) as is_partial,
               min(s.year) as first_year, max(s.year) as last_year
        from s join latest using (indicator_id, year)
        join factor_weight w using (indicator_id)
        join expected e on e.factor_id = w.factor_id
        group by w.factor_id, s.region_code""",
    # Sensitivity: the same rule under other weights. weights: {scenario, indicator_id,
    # weight} rows; an indicator left out has weight 0 (or no row).
    """create or replace macro factor_scenarios(scores, weights) as table
        with s as (select unnest(scores, recursive := true)),
        w as (select unnest(weights, recursive := true))
        select w.scenario, s.region_code, weighted_score(s.score, w.weight) as score,
               count(*) as n_indicators
        from s join w using (indicator_id)
        where w.weight > 0
        group by w.scenario, s.region_code""",
]


def create_macros(con: duckdb.DuckDBPyConnection, scoring: bool = False) -> None:
    """Store the rule macros in the database `con` writes to. DuckDB binds a macro's tables
    when it is created: the aggregation macros need region, region_membership, indicator and
    gm_value; the scoring macros (scoring=True) also indicator_scale, factor and
    factor_weight."""
    for sql in SCORING_MACROS if scoring else AGGREGATION_MACROS:
        con.execute(sql)
