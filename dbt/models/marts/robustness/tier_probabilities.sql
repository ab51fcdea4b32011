-- The probability of each tier (梯队, §7) over the Monte Carlo draws (§9), for every unit that reached its
-- list's top N in the centre or in at least one draw. Summed over the tiers it is the top-N probability.
with

lists as (
    select * from {{ ref('ranking_lists') }}
),

draws as (
    select uncertainty.*
    from {{ ref('int_robustness__uncertainty') }} as uncertainty
    inner join lists using (list)
    where uncertainty.top_probability > 0 or uncertainty.central_rank <= lists.top_n
),

central_tiers as (
    select * from {{ ref('int_rankings__tiers') }}
),

ranked as (
    select * from {{ ref('int_rankings__ranked') }}
),

tiers as (
    select
        draws.data_year,
        draws.list,
        draws.adcode,
        draws.central_rank,
        unnest(generate_series(1, len(draws.tier_probabilities))) as tier,
        unnest(draws.tier_probabilities) as probability,
        draws.draws
    from draws
),

final as (
    select
        ranked.edition_year,
        tiers.data_year::integer as data_year,
        tiers.list,
        tiers.adcode,
        tiers.central_rank,
        central_tiers.tier as central_tier,
        tiers.tier,
        tiers.probability,
        tiers.draws,
        ranked.synthetic,
        ranked.source_files
    from tiers
    inner join ranked using (data_year, list, adcode)
    left join central_tiers using (data_year, list, adcode)
)

select * from final
where {{ in_data_years() }}
order by data_year, list, central_rank, tier
