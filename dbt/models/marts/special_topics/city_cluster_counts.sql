-- 城市群和都市圈分布 (图10 / 图12): units of each published list per city cluster and metropolitan area,
-- with how many of them rest on a membership marked uncertain.
with

rankings as (
    select * from {{ ref('published_rankings') }}
),

members as (
    select * from {{ ref('city_cluster_members') }}
),

final as (
    select
        rankings.edition_year,
        rankings.list,
        members.area_type,
        members.area,
        members.area_aliases,
        count(*) as unit_count,
        count(*) filter (where members.certainty <> 'official') as not_official_count,
        string_agg(rankings.name, '、' order by rankings.rank) as units,
        list_sort(list_distinct(flatten(list(list_concat(rankings.source_files, members.source_files)))))
            as source_files
    from rankings
    inner join members using (adcode)
    group by all
)

select * from final
order by edition_year, list, area_type, unit_count desc, area
