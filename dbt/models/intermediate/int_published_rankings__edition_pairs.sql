-- Each edition of a list beside the edition present before it: the pairs that year-over-year movement
-- compares. Editions are those whose tables are here, so a pair may skip editions (2022 and 2024).
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

select *, edition_year - previous_edition_year = 1 as editions_consecutive
from final
where previous_edition_year is not null
