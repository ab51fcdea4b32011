-- The 县（市） of the universe county, data year after data year, each with its region and province: the
-- base of every overview mart.
with

statistics as (
    select * from {{ ref('stg_raw__county_statistics') }}
    where universe = 'county'
),

units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

final as (
    select
        statistics.*,
        units.region,
        units.province,
        units.source_files as unit_files
    from statistics
    inner join units using (adcode)
)

select * from final
