-- What moved a unit between data years Y-1 and Y (§12), for every unit on a computed top 100 in either
-- year: its index change split into its own indicators' changes and the normalisation bounds' movement,
-- its rank change into what its own changes alone would give and the rest, and the indicators that moved
-- it most. Cross-year: rebuilt whole at every run.
with

attribution as (
    select * from {{ ref('int_robustness__attribution') }}
),

units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

synthetic as (
    select list, data_year, bool_or(synthetic) as synthetic
    from {{ ref('computed_rankings') }}
    group by all
),

final as (
    select
        attribution.data_year + 1 as edition_year,
        attribution.data_year,
        attribution.previous_data_year,
        attribution.list,
        attribution.adcode,
        units.name,
        units.province,
        attribution.movement,
        attribution.rank,
        attribution.previous_rank,
        attribution.rank_change,
        attribution.rank_change_own,
        attribution.rank_change_others,
        attribution.index_score,
        attribution.previous_index_score,
        attribution.index_change,
        attribution.own_indicators_change,
        attribution.bounds_change,
        attribution.top_indicators,
        synthetic.synthetic
    from attribution
    inner join units using (adcode)
    inner join synthetic using (list, data_year)
)

select * from final
order by data_year, list, movement, rank, previous_rank
