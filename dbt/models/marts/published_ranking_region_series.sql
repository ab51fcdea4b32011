-- 四大板块数量分布变化 (2022 edition 图9, 2024 edition 图7): each list's region counts edition after edition.
-- An edition with a ranking table here is counted from it (computed); an edition without one takes the
-- counts a later edition states (stated, with where). Where both exist the table wins, and the statement
-- stays a claim of marts.claims.
with

computed as (
    select * from {{ ref('published_ranking_region_counts') }}
),

stated as (
    select * from {{ ref('stg_reference__stated_region_counts') }}
),

final as (
    select
        edition_year,
        list,
        region,
        unit_count,
        'computed' as basis,
        null::integer as stated_in,
        null::varchar as stated_figure,
        null::varchar as cited_from,
        source_files
    from computed
    union all
    select
        stated.edition_year,
        stated.list,
        stated.region,
        stated.unit_count,
        'stated',
        stated.stated_in,
        stated.figure,
        stated.cited_from,
        [stated.source_file]
    from stated
    anti join (select distinct edition_year, list from computed) as tables using (edition_year, list)
)

select * from final
order by list, edition_year, {{ region_order('region') }}
