-- 覆盖率: a province's units in a list over its units in the list's universe (图12 of the 2024 edition,
-- 图14 of the 2022). The denominator is today's count (codes as of 2025-12-31).
with

counts as (
    select * from {{ ref('published_ranking_province_counts') }}
),

lists as (
    select list, universe from {{ ref('ranking_lists') }}
),

universe as (
    select province, universe, count(*) as universe_units,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from {{ ref('stg_reference__admin_units') }}
    group by all
),

final as (
    select
        counts.edition_year,
        counts.list,
        counts.province,
        counts.region,
        counts.unit_count,
        universe.universe_units,
        counts.unit_count / universe.universe_units as coverage,
        list_sort(list_distinct(list_concat(counts.source_files, universe.source_files))) as source_files
    from counts
    inner join lists on counts.list = lists.list
    inner join universe
        on counts.province = universe.province
        and universe.universe = lists.universe
)

select * from final
order by edition_year, list, coverage desc, province
