-- How many county-level units each ranking universe holds, by unit type; compare with the 2,844
-- county-level units the 2024 edition cites.
with

units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

final as (
    select
        universe,
        unit_type,
        count(*) as unit_count,
        list(distinct source_file order by source_file) as source_files
    from units
    group by universe, unit_type
)

select * from final
order by universe, unit_type
