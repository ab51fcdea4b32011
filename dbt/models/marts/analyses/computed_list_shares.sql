-- 占全国比重 (the reports' 图5 / 图22): what a computed top-100 list holds of the national totals.
-- Shares are null where a national total is not transcribed (see national_totals).
with

members as (
    select * from {{ ref('int_computed_lists__members') }}
),

national as (
    select * from {{ ref('stg_raw__national_totals') }}
),

all_units as (
    select count(*) as units, list_sort(list_distinct(flatten(list(source_files)))) as units_files
    from {{ ref('stg_reference__admin_units') }}
),

list_totals as (
    select
        edition_year,
        data_year,
        list,
        count(*)::double as units,
        sum(population_resident order by adcode) as population_resident,
        sum(gdp order by adcode) as gdp,
        sum(va_industry order by adcode) as va_industry,
        sum(above_scale_enterprises order by adcode) as above_scale_enterprises,
        sum(above_scale_revenue order by adcode) as above_scale_revenue,
        sum(above_scale_profit order by adcode) as above_scale_profit,
        sum(exports order by adcode) as exports,
        sum(retail_sales order by adcode) as retail_sales,
        sum(rd_expenditure order by adcode) as rd_expenditure,
        bool_or(synthetic) as synthetic,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from members
    group by all
),

national_totals as (
    select
        national.data_year,
        all_units.units::double as units,
        national.population_resident,
        national.gdp,
        national.va_industry,
        national.above_scale_enterprises,
        national.above_scale_revenue,
        national.above_scale_profit,
        national.exports,
        national.retail_sales,
        national.rd_expenditure
    from national
    cross join all_units
),

list_long as (
    unpivot list_totals
    on units, population_resident, gdp, va_industry, above_scale_enterprises, above_scale_revenue,
        above_scale_profit, exports, retail_sales, rd_expenditure
    into name measure value list_total
),

national_long as (
    unpivot national_totals
    on units, population_resident, gdp, va_industry, above_scale_enterprises, above_scale_revenue,
        above_scale_profit, exports, retail_sales, rd_expenditure
    into name measure value national_total
),

final as (
    select
        list_long.edition_year,
        list_long.data_year,
        list_long.list,
        list_long.measure,
        list_long.list_total,
        national_long.national_total,
        list_long.list_total / national_long.national_total as share,
        -- synthetic if either side is: the list's panel or the year's national totals
        list_long.synthetic or coalesce(national.synthetic and list_long.measure != 'units', false) as synthetic,
        -- the list's files; the code table counts all units, the year's communiqué gives every other total
        -- (a total it does not give included: the share is null because of that file)
        list_sort(list_distinct(list_concat(
            list_long.source_files,
            case when list_long.measure = 'units' then all_units.units_files else [national.source_file] end
        ))) as source_files
    from list_long
    left join national_long using (data_year, measure)
    left join national on list_long.data_year = national.data_year
    cross join all_units
)

select * from final
where {{ in_data_years() }}
order by data_year, list, measure
