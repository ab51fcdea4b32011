-- The threshold lists the reports quote (seed analysis_thresholds): members of a computed list above a
-- threshold, counted and named (in rank order).
with

members as (
    select * from {{ ref('int_computed_lists__members') }}
),

indicators as (
    select data_year, adcode, indicator as measure, raw_value as value
    from {{ ref('indicator_values') }}
),

measures as (
    select members.edition_year, members.data_year, members.list, members.rank, members.name,
        indicators.measure, indicators.value, members.synthetic, members.source_files
    from members
    inner join indicators using (data_year, adcode)
    union all
    select edition_year, data_year, list, rank, name, 'exports', exports, synthetic, source_files from members
    union all
    select edition_year, data_year, list, rank, name, 'retail_sales', retail_sales, synthetic, source_files
    from members
),

thresholds as (
    select * from {{ ref('analysis_thresholds') }}
),

final as (
    select
        measures.edition_year,
        measures.data_year,
        measures.list,
        thresholds.threshold_id,
        thresholds.label_zh,
        thresholds.measure,
        thresholds.threshold,
        thresholds.unit,
        count(measures.name) filter (where measures.value > thresholds.threshold) as unit_count,
        string_agg(measures.name, '、' order by measures.rank) filter (where measures.value > thresholds.threshold)
            as units,
        bool_or(measures.synthetic) as synthetic,
        list_sort(list_distinct(list_append(
            flatten(list(measures.source_files)), {{ seed_file('analysis_thresholds') }}
        ))) as source_files
    from measures
    inner join thresholds on measures.measure = thresholds.measure
    group by all
)

select * from final
where {{ in_data_years() }}
order by data_year, list, threshold_id
