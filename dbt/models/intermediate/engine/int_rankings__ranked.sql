-- Every scored unit ranked within its list: index score descending, ties broken by adcode ascending.
-- A list ranks one universe by one index and is named by both (industrial_county: the county universe by
-- the industrial index), the rule of the registry seed ranking_lists (tests/test_registry.py);
-- int_rankings__top100 keeps the lists the registry holds.
with

scores as (
    select * from {{ ref('int_scores__index') }}
),

final as (
    select
        scores.data_year + 1 as edition_year,
        scores.data_year,
        scores.index_id || '_' || scores.universe as list,
        row_number() over (
            partition by scores.data_year, scores.index_id, scores.universe
            order by scores.index_score desc, scores.adcode
        ) as rank,
        scores.adcode,
        scores.index_score,
        scores.synthetic,
        scores.source_files
    from scores
)

select * from final
