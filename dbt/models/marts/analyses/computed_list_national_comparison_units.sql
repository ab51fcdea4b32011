-- The members whose own ratio is above the nation's (2022 edition 图34: districts whose retail sales over
-- GDP are above the national level), one row per member, with the ratio, province and region.
with

ratios as (
    select * from {{ ref('int_computed_lists__national_ratios') }}
),

final as (
    select
        edition_year,
        data_year,
        list,
        comparison_id,
        label_zh,
        rank,
        adcode,
        name,
        province,
        region,
        ratio,
        national_value,
        unit,
        synthetic,
        source_files
    from ratios
    where ratio > national_value
)

select * from final
where {{ in_data_years() }}
order by data_year, list, comparison_id, ratio desc, rank
