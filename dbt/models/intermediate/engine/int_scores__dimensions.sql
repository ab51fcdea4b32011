-- Dimension scores (§6): Σ local weight × normalised score over each dimension's indicators, per index;
-- an indicator left out for a missing value (§2a) gives its weight to the others of its dimension.
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
        case
            when count(normalized.normalized_value) = count(*)
                then sum(weights.local_weight * normalized.normalized_value order by normalized.indicator)
            when count(normalized.normalized_value) = 0 then 0
            else sum(weights.local_weight * normalized.normalized_value order by normalized.indicator)
                / sum(weights.local_weight order by normalized.indicator) filter (where normalized.normalized_value is not null)
        end as dimension_score,
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
