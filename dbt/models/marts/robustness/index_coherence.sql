-- The JRC's statistical audit of each index (§11), per list and data year: correlations of indicators
-- with each other (pairs above 0.9 and negative pairs within a dimension flagged), with their dimension
-- and the index; Cronbach's alpha per dimension; each dimension's share of the index's variance beside
-- its nominal weight.
with

coherence as (
    select * from {{ ref('int_robustness__coherence') }}
),

list_files as (
    select * from {{ ref('int_rankings__list_files') }}
),

final as (
    select
        (coherence.data_year + 1)::integer as edition_year,
        coherence.data_year::integer as data_year,
        coherence.list,
        coherence.measure,
        coherence.dimension,
        coherence.element,
        coherence.other_element,
        coherence.value,
        coherence.nominal_weight,
        coherence.flag,
        list_files.synthetic,
        list_files.source_files
    from coherence
    inner join list_files using (data_year, list)
)

select * from final
where {{ in_data_years() }}
order by data_year, list, measure, dimension, element, other_element
