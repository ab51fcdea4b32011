-- Dimension scores (§6): Σ local weight × normalised score over each dimension's indicators, per index.
with

normalized as (
    select * from {{ ref('int_indicators__normalized') }}
),

weights as (
    select * from {{ ref('stg_engine__indicator_weights') }}
    where level = 'indicator'
),

final as (
    select
        normalized.data_year,
        normalized.universe,
        normalized.adcode,
        weights.index_id,
        weights.parent as dimension,
        sum(weights.local_weight * normalized.normalized_value order by normalized.indicator) as dimension_score,
        bool_or(normalized.synthetic) as synthetic,
        list_sort(list_distinct(list_concat(flatten(list(normalized.source_files)), list(weights.source_file))))
            as source_files
    from normalized
    inner join weights
        on normalized.indicator = weights.element
        and list_contains(weights.universes, normalized.universe)
    group by all
)

select * from final
