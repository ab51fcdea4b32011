-- 梯队 of the published lists by the rank boundaries each edition states
-- (data/reference/published_tier_bounds.csv), counted by province and region per tier; area_type 'all'
-- holds each tier's size. Every region appears in every tier, with 0 where the tier has no unit there (a
-- province only where it has one).
{%- set files = "list_sort(list_distinct(list_concat(flatten(list(source_files)), list(bounds_file))))" %}
with

rankings as (
    select * from {{ ref('int_published_rankings__resolved') }}
),

bounds as (
    select * from {{ ref('stg_reference__published_tier_bounds') }}
),

tiered as (
    select rankings.*, bounds.tier, bounds.first_rank, bounds.last_rank, bounds.source_file as bounds_file
    from rankings
    inner join bounds
        on rankings.edition_year = bounds.edition_year
        and rankings.list = bounds.list
        and rankings.rank between bounds.first_rank and bounds.last_rank
),

tiers as (
    select edition_year, list, tier, first_rank, last_rank, count(*) as unit_count, {{ files }} as source_files
    from tiered group by all
),

regions as (
    select region from {{ ref('regions') }}
),

by_region as (
    select edition_year, list, tier, region, count(*) as unit_count, {{ files }} as source_files
    from tiered group by all
),

final as (
    select edition_year, list, tier, first_rank, last_rank, 'all' as area_type, '全部' as area, unit_count,
        source_files
    from tiers
    union all
    -- the tier's files where a region has none of its units
    select tiers.edition_year, tiers.list, tiers.tier, tiers.first_rank, tiers.last_rank, 'region',
        regions.region, coalesce(by_region.unit_count, 0), coalesce(by_region.source_files, tiers.source_files)
    from tiers
    cross join regions
    left join by_region
        on tiers.edition_year = by_region.edition_year and tiers.list = by_region.list
        and tiers.tier = by_region.tier and regions.region = by_region.region
    union all
    select edition_year, list, tier, first_rank, last_rank, 'province', province, count(*), {{ files }}
    from tiered group by all
)

select * from final
order by edition_year, list, tier, area_type, unit_count desc, area
