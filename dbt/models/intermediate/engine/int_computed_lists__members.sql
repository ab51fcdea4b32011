-- Each member of a computed top-100 list with the raw statistics of its data year.
with

rankings as (
    select * from {{ ref('int_rankings__top100') }}
),

statistics as (
    select * from {{ ref('stg_raw__county_statistics') }}
),

final as (
    select
        rankings.edition_year,
        rankings.data_year,
        rankings.list,
        rankings.rank,
        rankings.adcode,
        rankings.name,
        statistics.* exclude (data_year, adcode, universe, synthetic, source_file, source_sha256, source_row),
        rankings.synthetic,
        list_sort(list_distinct(list_append(rankings.source_files, statistics.source_file))) as source_files
    from rankings
    inner join statistics using (data_year, adcode)
)

select * from final
