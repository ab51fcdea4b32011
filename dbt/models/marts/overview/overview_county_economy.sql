-- 县（市）经济总体, data year after data year (2024 edition 图1 and 图4; 2022 edition 图1, 图4-图6): every
-- 县（市） of the universe county, beside the year's national totals, and the members of that year's computed
-- 工业百强县（市）. A share is null where the national total is not transcribed (see national_totals).
with

counties as (
    select * from {{ ref('int_overview__counties') }}
),

national as (
    select * from {{ ref('stg_raw__national_totals') }}
),

industrial_list as (
    select * from {{ ref('int_computed_lists__members') }}
    where list = 'industrial_county'
),

county_totals as (
    select
        data_year,
        count(*) as units,
        sum(gdp order by adcode) as gdp,
        sum(va_secondary order by adcode) as va_secondary,
        sum(population_resident order by adcode) as population_resident,
        sum(above_scale_enterprises order by adcode)::double as above_scale_enterprises,
        sum(fiscal_revenue order by adcode) as fiscal_revenue,
        sum(fiscal_expenditure order by adcode) as fiscal_expenditure,
        sum(household_savings order by adcode) as household_savings,
        sum(loans_outstanding order by adcode) as loans_outstanding,
        bool_or(synthetic) as synthetic,
        list_sort(list_distinct(list(source_file))) as source_files
    from counties
    group by data_year
),

list_totals as (
    select
        data_year,
        count(*) as units,
        sum(gdp order by adcode) as gdp,
        sum(population_resident order by adcode) as population_resident,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from industrial_list
    group by data_year
),

final as (
    select
        county_totals.data_year,
        county_totals.units,
        county_totals.gdp,
        national.gdp as national_gdp,
        county_totals.gdp / national.gdp as gdp_share,
        county_totals.va_secondary,
        county_totals.va_secondary / county_totals.gdp as secondary_share,
        county_totals.population_resident,
        -- 万元 / 万人 = 元 per resident
        county_totals.gdp / county_totals.population_resident as gdp_per_capita,
        list_totals.units as industrial_list_units,
        list_totals.gdp / list_totals.population_resident as industrial_list_gdp_per_capita,
        county_totals.above_scale_enterprises,
        national.above_scale_enterprises::double as national_above_scale_enterprises,
        county_totals.above_scale_enterprises / national.above_scale_enterprises as enterprise_share,
        county_totals.fiscal_revenue,
        county_totals.fiscal_expenditure,
        county_totals.household_savings,
        county_totals.loans_outstanding,
        county_totals.synthetic or coalesce(national.synthetic, false) as synthetic,
        list_sort(list_distinct(list_concat(
            county_totals.source_files,
            coalesce(list_totals.source_files, []),
            case when national.source_file is null then [] else [national.source_file] end
        ))) as source_files
    from county_totals
    left join national using (data_year)
    left join list_totals using (data_year)
)

select * from final
where {{ in_data_years() }}
order by data_year
