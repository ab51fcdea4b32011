-- The three lists computed from the raw statistics, per data year (edition = data year + 1).
with

top100 as (
    select * from {{ ref('int_rankings__top100') }}
),

tiers as (
    select * from {{ ref('int_rankings__tiers') }}
),

final as (
    select
        top100.edition_year,
        top100.data_year,
        top100.list,
        top100.rank,
        top100.adcode,
        top100.name,
        top100.prefecture,
        top100.province,
        top100.region,
        top100.index_score,
        tiers.tier,
        top100.star,
        top100.synthetic,
        top100.source_files
    from top100
    inner join tiers using (data_year, list, adcode)
)

select * from final
where {{ in_data_years() }}
order by data_year, list, rank
