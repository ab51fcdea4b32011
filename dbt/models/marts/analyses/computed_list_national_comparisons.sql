-- 与全国平均水平对比 (2022 edition 图33: per-capita indicators; 图34: retail sales over GDP above the
-- national level; 第二篇 三(二): industrial value added per head): each computed list's ratio (the sum of
-- its members' numerators over the sum of their denominators) beside the nation's, and the members whose
-- own ratio is above the nation's. A member missing either value is left out of both.
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
        any_value(label_zh) as label_zh,
        any_value(unit) as unit,
        any_value(scale) * sum(numerator order by rank) / sum(denominator order by rank) as list_value,
        any_value(national_value) as national_value,
        count(*) filter (where ratio > national_value) as units_above_national,
        string_agg(name, '、' order by ratio desc, rank) filter (where ratio > national_value) as units,
        bool_or(synthetic) as synthetic,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from ratios
    group by edition_year, data_year, list, comparison_id
)

select * from final
where {{ in_data_years() }}
order by data_year, list, comparison_id
