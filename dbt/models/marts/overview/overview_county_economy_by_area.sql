-- 县（市）经济 by region and by province, data year after data year (2022 edition 图1-图6): GDP and each
-- area's share of the county total, the second industry's share of GDP, GDP per resident, fiscal revenue
-- and expenditure, savings, loans. 产业结构指数 (2022 edition 图3): the report draws it without defining it;
-- here it is the second industry's value added over GDP, the measure its text discusses.
with

counties as (
    select * from {{ ref('int_overview__counties') }}
),

regions as (
    select * from {{ ref('regions') }}
),

by_area as (
    select
        data_year,
        area_type,
        area,
        any_value(region) as region,
        count(*) as units,
        sum(gdp order by adcode) as gdp,
        sum(va_secondary order by adcode) as va_secondary,
        sum(population_resident order by adcode) as population_resident,
        sum(fiscal_revenue order by adcode) as fiscal_revenue,
        sum(fiscal_expenditure order by adcode) as fiscal_expenditure,
        sum(household_savings order by adcode) as household_savings,
        sum(loans_outstanding order by adcode) as loans_outstanding,
        bool_or(synthetic) as synthetic,
        list_sort(list_distinct(list_concat(list(source_file), flatten(list(unit_files))))) as source_files
    from (
        select *, 'region' as area_type, region as area from counties
        union all by name
        select *, 'province' as area_type, province as area from counties
    )
    group by data_year, area_type, area
),

final as (
    select
        by_area.data_year,
        by_area.area_type,
        by_area.area,
        by_area.region,
        regions.region_order,
        by_area.units,
        by_area.gdp,
        by_area.gdp / sum(by_area.gdp) over (partition by by_area.data_year, by_area.area_type) as gdp_share,
        by_area.va_secondary,
        by_area.va_secondary / by_area.gdp as secondary_share,
        by_area.population_resident,
        by_area.gdp / by_area.population_resident as gdp_per_capita,
        by_area.fiscal_revenue,
        by_area.fiscal_expenditure,
        by_area.household_savings,
        by_area.loans_outstanding,
        by_area.synthetic,
        by_area.source_files
    from by_area
    inner join regions using (region)
)

select * from final
where {{ in_data_years() }}
order by data_year, area_type desc, region_order, area
