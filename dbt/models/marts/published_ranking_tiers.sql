-- 梯队 of the published lists by the rank boundaries each edition states
-- (data/reference/published_tier_bounds.csv), counted by province and region per tier; area_type 'all'
-- holds each tier's size.
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

final as (
    select edition_year, list, tier, first_rank, last_rank, 'all' as area_type, '全部' as area, count(*) as unit_count,
        {{ files }} as source_files
    from tiered group by all
    union all
    select edition_year, list, tier, first_rank, last_rank, 'region', region, count(*), {{ files }}
    from tiered group by all
    union all
    select edition_year, list, tier, first_rank, last_rank, 'province', province, count(*), {{ files }}
    from tiered group by all
)

select * from final
order by edition_year, list, tier, area_type, unit_count desc, area
