with

rankings as (
    select * from {{ ref('int_published_rankings__resolved') }}
),

final as (
    select
        edition_year,
        list,
        unit_type,
        count(*) as unit_count,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from rankings
    group by edition_year, list, unit_type
)

select * from final
order by edition_year, list, unit_count desc, unit_type
