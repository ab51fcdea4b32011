with

counts as (
    select * from {{ ref('int_published_rankings__movement_counts') }}
),

final as (
    select
        list,
        edition_year,
        previous_edition_year,
        editions_consecutive,
        region,
        sum(unit_count)::integer as unit_count,
        sum(previous_unit_count)::integer as previous_unit_count,
        sum(entrants)::integer as entrants,
        sum(exits)::integer as exits,
        sum(unit_count - previous_unit_count)::integer as net_change,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from counts
    group by all
)

select * from final
order by list, edition_year, {{ region_order('region') }}
