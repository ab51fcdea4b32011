-- 前 N 名的板块与省份分布 ("十强中占据 8 席", "包揽前十强"): units of each region and province among the
-- first N of each list and edition, N in the dbt var top_n_cutoffs. Every region appears (0 where none), and
-- every province the list holds.
with

rankings as (
    select * from {{ ref('int_published_rankings__resolved') }}
),

cutoffs as (
    select unnest({{ var('top_n_cutoffs') }})::integer as rank_cutoff
),

lists as (
    select edition_year, list, list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from rankings
    group by edition_year, list
),

regions as (
    select region from {{ ref('regions') }}
),

areas as (
    select lists.edition_year, lists.list, 'region' as area_type, regions.region as area, regions.region
    from lists
    cross join regions
    union all
    select distinct edition_year, list, 'province', province, region
    from rankings
),

heads as (
    select areas.edition_year, areas.list, cutoffs.rank_cutoff, areas.area_type, areas.area, areas.region,
        count(rankings.rank) as unit_count
    from areas
    cross join cutoffs
    left join rankings
        on rankings.edition_year = areas.edition_year
        and rankings.list = areas.list
        and rankings.rank <= cutoffs.rank_cutoff
        and areas.area = case areas.area_type when 'region' then rankings.region else rankings.province end
    group by all
),

final as (
    select
        heads.edition_year,
        heads.list,
        heads.rank_cutoff,
        heads.area_type,
        heads.area,
        heads.region,
        heads.unit_count,
        heads.unit_count / heads.rank_cutoff as share,
        lists.source_files
    from heads
    inner join lists using (edition_year, list)
)

select * from final
order by edition_year, list, rank_cutoff, area_type desc, {{ region_order('region') }}, unit_count desc, area
