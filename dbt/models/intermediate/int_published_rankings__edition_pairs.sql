-- Each edition of a list beside the edition before it: the pairs that year-over-year movement compares.
with

editions as (
    select distinct edition_year, list from {{ ref('stg_reference__published_rankings') }}
),

final as (
    select
        list,
        edition_year,
        lag(edition_year) over (partition by list order by edition_year) as previous_edition_year
    from editions
)

select * from final
where previous_edition_year is not null
