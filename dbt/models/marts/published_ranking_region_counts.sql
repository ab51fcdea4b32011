-- Every region appears for every list and edition, with 0 where the list has no unit there.
with

rankings as (
    select * from {{ ref('int_published_rankings__resolved') }}
),

lists as (
    select edition_year, list, list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from rankings
    group by edition_year, list
),

regions as (
    select distinct region from {{ ref('stg_reference__admin_units') }}
),

counts as (
    select edition_year, list, region, count(*) as unit_count
    from rankings
    group by edition_year, list, region
),

final as (
    select
        lists.edition_year,
        lists.list,
        regions.region,
        coalesce(counts.unit_count, 0) as unit_count,
        lists.source_files
    from lists
    cross join regions
    left join counts using (edition_year, list, region)
)

select * from final
order by edition_year, list, {{ region_order('region') }}
