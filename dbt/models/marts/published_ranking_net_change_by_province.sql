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
        province,
        region,
        unit_count,
        previous_unit_count,
        entrants,
        exits,
        unit_count - previous_unit_count as net_change,
        source_files
    from counts
)

select * from final
order by list, edition_year, net_change desc, province
