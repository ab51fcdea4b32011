-- How sure is a rank (§9): each unit's central rank beside the median and 5-95% band of its rank over
-- the Monte Carlo draws of the method's choices, and its probability of being in the list's top N.
with

draws as (
    select * from {{ ref('int_robustness__uncertainty') }}
),

ranked as (
    select * from {{ ref('int_rankings__ranked') }}
),

units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

final as (
    select
        ranked.edition_year,
        draws.data_year::integer as data_year,
        draws.list,
        draws.adcode,
        units.name,
        units.province,
        draws.central_rank,
        draws.median_rank,
        draws.rank_p05,
        draws.rank_p95,
        draws.rank_p95 - draws.rank_p05 as rank_interval_width,
        draws.top_probability,
        draws.draws,
        ranked.synthetic,
        -- a unit's ranks over the draws depend on every value of its universe and year (which the
        -- engine's normalised scores already list), the weights and the catalogue; and the code table,
        -- which names it
        list_sort(list_distinct(list_concat(ranked.source_files, units.source_files))) as source_files
    from draws
    inner join ranked using (data_year, list, adcode)
    inner join units using (adcode)
)

select * from final
where {{ in_data_years() }}
order by data_year, list, central_rank
