-- Each published ranking row with the administrative unit it resolved to. The unit type is the one the
-- report printed (a 县 upgraded to 县级市 since then still counts as 县 in its edition).
with

rankings as (
    select * from {{ ref('stg_reference__published_rankings') }}
),

units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

final as (
    select
        rankings.edition_year,
        rankings.list,
        rankings.rank,
        rankings.adcode,
        rankings.name_printed as name,
        units.name as current_name,
        units.prefecture,
        units.province,
        units.region,
        rankings.unit_type_printed as unit_type,
        rankings.star,
        rankings.province_printed,
        rankings.prefecture_printed,
        rankings.source_file,
        rankings.source_sha256,
        rankings.source_row,
        -- the ranking table, and the code table that places the unit
        list_sort(list_distinct(list_append(units.source_files, rankings.source_file))) as source_files
    from rankings
    inner join units on rankings.adcode = units.adcode
)

select * from final
