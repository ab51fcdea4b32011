-- 创新指数 (county universe): one row per county and data year, one column per dimension score.
with

dimensions as (
    select * from {{ ref('int_scores__dimensions') }}
    where index_id = 'innovation'
),

index_scores as (
    select * from {{ ref('int_scores__index') }}
    where index_id = 'innovation'
),

pivoted as (
    select
        data_year,
        adcode,
        max(dimension_score) filter (where dimension = 'input') as input_score,
        max(dimension_score) filter (where dimension = 'output') as output_score,
        max(dimension_score) filter (where dimension = 'actors') as actors_score,
        max(dimension_score) filter (where dimension = 'carriers') as carriers_score
    from dimensions
    group by all
),

final as (
    select pivoted.*, index_scores.index_score, index_scores.synthetic, index_scores.source_files
    from pivoted
    inner join index_scores using (data_year, adcode)
)

select * from final
where {{ in_data_years() }}
order by data_year, adcode
