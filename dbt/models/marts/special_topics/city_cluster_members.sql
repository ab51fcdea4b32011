-- Every county-level unit in each city cluster and metropolitan area: a whole-prefecture member brings
-- all its county-level units, a named county only itself. area_aliases: the short names the reports also
-- use for the area (seed city_cluster_aliases), so that 长三角 finds 长江三角洲城市群.
with

members as (
    select * from {{ ref('stg_reference__city_cluster_members') }}
),

units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

aliases as (
    select area, list(alias order by alias) as area_aliases
    from {{ ref('city_cluster_aliases') }}
    group by area
),

final as (
    select
        members.area_type,
        members.area,
        coalesce(aliases.area_aliases, []::varchar[]) as area_aliases,
        units.adcode,
        units.name,
        units.prefecture,
        units.province,
        units.universe,
        members.certainty,
        members.planning_document,
        members.source_file,
        members.source_sha256,
        list_sort(list_distinct(list_concat(
            units.source_files,
            [members.source_file],
            case when aliases.area is not null then [{{ seed_file('city_cluster_aliases') }}] else [] end
        ))) as source_files
    from members
    inner join units
        on units.adcode = members.adcode
        or (members.adcode is null and units.prefecture_code = members.prefecture_code)
    left join aliases on members.area = aliases.area
)

select * from final
order by area_type, area, adcode
