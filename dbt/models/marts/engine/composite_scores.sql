-- 工业竞争力指数: one row per unit and data year, one column per dimension score.
with

dimensions as (
    select * from {{ ref('int_scores__dimensions') }}
    where index_id = 'industrial'
),

index_scores as (
    select * from {{ ref('int_scores__index') }}
    where index_id = 'industrial'
),

pivoted as (
    select
        data_year,
        universe,
        adcode,
        max(dimension_score) filter (where dimension = 'quality') as quality_score,
        max(dimension_score) filter (where dimension = 'innovation') as innovation_score,
        max(dimension_score) filter (where dimension = 'coordination') as coordination_score,
        max(dimension_score) filter (where dimension = 'green') as green_score,
        max(dimension_score) filter (where dimension = 'openness') as openness_score,
        max(dimension_score) filter (where dimension = 'sharing') as sharing_score
    from dimensions
    group by all
),

final as (
    select pivoted.*, index_scores.index_score, index_scores.synthetic, index_scores.source_files
    from pivoted
    inner join index_scores using (data_year, universe, adcode)
)

select * from final
where {{ in_data_years() }}
order by data_year, universe, adcode
