-- The threshold lists the reports quote (seed analysis_thresholds): members of a computed list above a
-- threshold (超过: >, 以上: >=), counted and named (in rank order).
with

measures as (
    select * from {{ ref('int_computed_lists__measures') }}
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
        count(measures.name) filter (where {{ passes_threshold() }}) as unit_count,
        string_agg(measures.name, '、' order by measures.rank) filter (where {{ passes_threshold() }})
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
