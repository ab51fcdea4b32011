-- 分地区规上工业企业利润 (2022 edition 图29 and §三(二)): per computed list, for the whole list and each
-- region, the mean of the members' two-year mean profit (利润总额均值: the mean of the data year's and the
-- year before's above-scale industrial profit), its sum, the members whose two-year mean is above the dbt
-- var profit_threshold (超过, strictly), and the mean of the members' profit margins (利润率均值: the mean
-- of each member's indicator profit_margin of the data year, not the margin of the summed profit; an
-- imputed margin is left out). A member without the profit of either year counts in units only.
-- Means and sums over the members in adcode order (the same inputs give the same bytes).
-- Cross-year: a table rebuilt at every run from every data year (a refresh of year Y changes Y and Y + 1).
with

members as (
    select edition_year, data_year, list, adcode, region, synthetic, source_files
    from {{ ref('computed_rankings') }}
),

statistics as (
    select data_year, adcode, above_scale_profit as profit, synthetic, source_file
    from {{ ref('stg_raw__county_statistics') }}
),

margins as (
    select data_year, adcode, raw_value as profit_margin, source_files
    from {{ ref('indicator_values') }}
    where indicator = 'profit_margin' and not is_imputed
),

units as (
    select
        members.edition_year,
        members.data_year,
        members.list,
        members.region,
        members.adcode,
        (current_year.profit + previous_year.profit) / 2 as two_year_profit,
        margins.profit_margin,
        members.synthetic or coalesce(previous_year.synthetic, false) as synthetic,
        list_concat(
            members.source_files,
            [current_year.source_file, previous_year.source_file],
            coalesce(margins.source_files, [])
        ) as source_files
    from members
    left join statistics as current_year using (data_year, adcode)
    left join statistics as previous_year
        on previous_year.adcode = members.adcode and previous_year.data_year = members.data_year - 1
    left join margins using (data_year, adcode)
),

placed as (
    select *, 'all' as area_type, '全部' as area from units
    union all by name
    select *, 'region' as area_type, region as area from units
),

final as (
    select
        edition_year,
        data_year,
        list,
        area_type,
        area,
        coalesce({{ region_order('area') }}, 0) as area_order,
        count(*) as units,
        count(two_year_profit) as units_with_two_years,
        avg(two_year_profit order by adcode) as mean_two_year_profit,
        sum(two_year_profit order by adcode) as total_two_year_profit,
        {{ var('profit_threshold') }}::double as profit_threshold,
        count(*) filter (where two_year_profit > {{ var('profit_threshold') }}) as units_above_profit_threshold,
        count(profit_margin) as units_with_margin,
        avg(profit_margin order by adcode) as mean_profit_margin,
        bool_or(synthetic) as synthetic,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from placed
    group by edition_year, data_year, list, area_type, area
)

select * from final
order by data_year, list, area_order
