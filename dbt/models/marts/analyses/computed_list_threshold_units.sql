-- The members above each threshold the reports quote (图14-18 of the 2024 edition, 图16-20 of the 2022): one
-- row per member, with its value, province and region, for the figures that show them by value.
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
        measures.rank,
        measures.adcode,
        measures.name,
        measures.province,
        measures.region,
        measures.value,
        thresholds.unit,
        measures.synthetic,
        list_sort(list_distinct(list_append(measures.source_files, {{ seed_file('analysis_thresholds') }})))
            as source_files
    from measures
    inner join thresholds on measures.measure = thresholds.measure
    where {{ passes_threshold() }}
)

select * from final
where {{ in_data_years() }}
order by data_year, list, threshold_id, value desc, rank
