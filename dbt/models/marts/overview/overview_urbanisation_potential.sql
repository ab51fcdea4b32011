-- 城镇化潜力较大的重点潜力县（市） (2024 edition 图3): per province and data year, the 县（市） with more residents
-- than the criterion's floor and an urbanisation rate below its ceiling (seed urbanisation_potential_criteria,
-- both bounds excluded, as the report's footnote words them).
with

counties as (
    select * from {{ ref('int_overview__counties') }}
),

criteria as (
    select * from {{ ref('urbanisation_potential_criteria') }}
),

regions as (
    select * from {{ ref('regions') }}
),

final as (
    select
        counties.data_year,
        counties.region,
        regions.region_order,
        counties.province,
        count(*) as units,
        count(*) filter (
            where counties.population_resident > criteria.min_population
            and counties.urbanisation_rate < criteria.max_urbanisation_rate
        ) as potential_units,
        bool_or(counties.synthetic) as synthetic,
        list_sort(list_distinct(list_append(
            list_concat(list(counties.source_file), flatten(list(counties.unit_files))),
            {{ seed_file('urbanisation_potential_criteria') }}
        ))) as source_files
    from counties
    cross join criteria
    inner join regions using (region)
    group by all
)

select * from final
where {{ in_data_years() }}
order by data_year, region_order, province
