-- The top 100 of each list (its top_n in the registry seed ranking_lists), with ★ on each province's
-- best-ranked unit.
with

ranked as (
    select ranked.*
    from {{ ref('int_rankings__ranked') }} as ranked
    inner join {{ ref('ranking_lists') }} as lists on ranked.list = lists.list
    where ranked.rank <= lists.top_n
),

units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

final as (
    select
        ranked.edition_year,
        ranked.data_year,
        ranked.list,
        ranked.rank,
        ranked.adcode,
        units.name,
        units.prefecture,
        units.province,
        units.region,
        ranked.index_score,
        (row_number() over (
            partition by ranked.data_year, ranked.list, units.province order by ranked.rank
        ) = 1)::integer as star,
        ranked.synthetic,
        -- and the code table, which names and places the unit
        list_sort(list_distinct(list_concat(ranked.source_files, units.source_files))) as source_files
    from ranked
    inner join units using (adcode)
)

select * from final
