-- Each province's best-ranked unit in each list: the unit the report marks with ★.
with

rankings as (
    select * from {{ ref('int_published_rankings__resolved') }}
),

final as (
    select
        edition_year,
        list,
        province,
        region,
        rank,
        adcode,
        name,
        prefecture,
        star,
        source_files
    from rankings
    qualify row_number() over (partition by edition_year, list, province order by rank) = 1
)

select * from final
order by edition_year, list, rank
