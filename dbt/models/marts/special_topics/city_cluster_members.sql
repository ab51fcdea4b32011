-- Every county-level unit in each city cluster and metropolitan area: a whole-prefecture member brings
-- all its county-level units, a named county only itself.
with

members as (
    select * from {{ ref('stg_reference__city_cluster_members') }}
),

units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

final as (
    select
        members.area_type,
        members.area,
        units.adcode,
        units.name,
        units.prefecture,
        units.province,
        units.universe,
        members.certainty,
        members.planning_document,
        members.source_file,
        members.source_sha256,
        list_sort(list_distinct(list_append(units.source_files, members.source_file))) as source_files
    from members
    inner join units
        on units.adcode = members.adcode
        or (members.adcode is null and units.prefecture_code = members.prefecture_code)
)

select * from final
order by area_type, area, adcode
