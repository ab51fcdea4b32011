-- Every indicator of docs/methodology.md §2 for every ranked unit and data year, in long form.
-- A missing input or a zero denominator gives null.
with

statistics as (
    select * from {{ ref('stg_raw__county_statistics') }}
    where universe in ('county', 'district') and {{ in_data_years() }}  -- each year is computed alone
),

carriers as (
    select
        *,
        engineering_centres_national + key_labs_national as national_carriers,
        engineering_centres_provincial + key_labs_provincial as provincial_carriers
    from statistics
),

wide as (
    select
        data_year,
        universe,
        adcode,
        synthetic,
        source_file,
        gdp / nullif(population_resident, 0) as gdp_per_capita,
        va_industry / nullif(population_resident, 0) as industry_va_per_capita,
        100 * va_industry / nullif(gdp, 0) as industry_share_of_gdp,
        100 * above_scale_profit / nullif(above_scale_revenue, 0) as profit_margin,
        above_scale_revenue / nullif(above_scale_enterprises, 0) as revenue_per_enterprise,
        industry_va_growth,
        fiscal_revenue / nullif(population_resident, 0) as fiscal_revenue_per_capita,
        100 * rd_expenditure / nullif(gdp, 0) as rd_intensity,
        rd_expenditure,
        invention_patents / nullif(population_resident, 0) as invention_patents_per_10k,
        patent_grants,
        high_tech_enterprises,
        little_giants,
        little_giants + smart_factories_national + green_factories_national as national_certifications,
        national_carriers,
        provincial_carriers,
        incubators,
        national_carriers + provincial_carriers + incubators as innovation_carriers,
        urbanisation_rate,
        urban_income_per_capita / nullif(rural_income_per_capita, 0) as urban_rural_income_ratio,
        100 * fiscal_revenue / nullif(fiscal_expenditure, 0) as fiscal_self_sufficiency,
        industrial_fai_growth,
        100 * loans_outstanding / nullif(gdp, 0) as loans_to_gdp,
        10000 * energy_consumption / nullif(gdp, 0) as energy_intensity,
        green_factories_national as green_factories,
        100 * exports / nullif(gdp, 0) as export_share_of_gdp,
        foreign_capital_used / nullif(population_resident, 0) as foreign_capital_per_capita,
        (urban_income_per_capita * urbanisation_rate + rural_income_per_capita * (100 - urbanisation_rate))
            / 100 as disposable_income_per_capita,
        retail_sales / nullif(population_resident, 0) as retail_sales_per_capita,
        household_savings / nullif(population_resident, 0) as savings_per_capita
    from carriers
),

long as (
    select * from wide
    unpivot include nulls (raw_value for indicator in (columns(* exclude (data_year, universe, adcode, synthetic, source_file))))
),

catalogue as (
    select * from {{ ref('stg_engine__indicator_catalogue') }}
),

final as (
    select
        long.data_year,
        long.universe,
        long.adcode,
        long.indicator,
        long.raw_value::double as raw_value,
        catalogue.direction,
        long.synthetic,
        long.source_file
    from long
    -- a formula missing from the catalogue keeps a null direction, which a test refuses
    left join catalogue on long.indicator = catalogue.indicator
    where catalogue.indicator is null or list_contains(catalogue.universes, long.universe)
)

select * from final
