-- 板块-省-市分布 (the treemaps, 图8 of the 2024 edition, 图10 of the 2022): units of each list and edition by
-- prefecture, with its province and region, and the prefecture's units in the list's universe (a prefecture
-- whose every unit is listed is "全覆盖" in the reports' words). The denominator is today's count (codes
-- as of 2025-12-31).
with

rankings as (
    select * from {{ ref('int_published_rankings__resolved') }}
),

lists as (
    select list, universe from {{ ref('ranking_lists') }}
),

universe as (
    select province, prefecture, universe, count(*) as universe_units,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from {{ ref('stg_reference__admin_units') }}
    group by all
),

counts as (
    select
        edition_year,
        list,
        region,
        province,
        prefecture,
        count(*) as unit_count,
        min(rank) as best_rank,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from rankings
    group by all
),

final as (
    select
        counts.edition_year,
        counts.list,
        counts.region,
        counts.province,
        counts.prefecture,
        counts.unit_count,
        universe.universe_units,
        counts.best_rank,
        list_sort(list_distinct(list_concat(counts.source_files, universe.source_files))) as source_files
    from counts
    inner join lists on counts.list = lists.list
    inner join universe
        on counts.province = universe.province
        and counts.prefecture = universe.prefecture
        and universe.universe = lists.universe
)

select * from final
order by edition_year, list, {{ region_order('region') }}, province, unit_count desc, best_rank
