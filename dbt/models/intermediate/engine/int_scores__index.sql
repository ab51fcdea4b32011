-- Index scores (§6): Σ dimension weight × dimension score.
with

dimensions as (
    select * from {{ ref('int_scores__dimensions') }}
),

weights as (
    select * from {{ ref('stg_engine__indicator_weights') }}
    where level = 'dimension'
),

final as (
    select
        dimensions.data_year,
        dimensions.universe,
        dimensions.adcode,
        dimensions.index_id,
        sum(weights.local_weight * dimensions.dimension_score order by dimensions.dimension) as index_score,
        bool_or(dimensions.synthetic) as synthetic,
        list_sort(list_distinct(list_concat(flatten(list(dimensions.source_files)), list(weights.source_file))))
            as source_files
    from dimensions
    inner join weights
        on dimensions.index_id = weights.parent
        and dimensions.dimension = weights.element
    group by all
)

select * from final
