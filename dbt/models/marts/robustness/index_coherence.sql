-- The JRC's statistical audit of each index (§11), per list and data year: correlations of indicators
-- with each other (pairs above 0.9 and negative pairs within a dimension flagged), with their dimension
-- and the index; Cronbach's alpha per dimension; each dimension's share of the index's variance beside
-- its nominal weight.
with

coherence as (
    select * from {{ ref('int_robustness__coherence') }}
),

synthetic as (
    select data_year, list, bool_or(synthetic) as synthetic
    from {{ ref('int_rankings__ranked') }}
    group by all
),

final as (
    select
        coherence.data_year + 1 as edition_year,
        coherence.data_year,
        coherence.list,
        coherence.measure,
        coherence.dimension,
        coherence.element,
        coherence.other_element,
        coherence.value,
        coherence.nominal_weight,
        coherence.flag,
        synthetic.synthetic
    from coherence
    inner join synthetic using (data_year, list)
)

select * from final
where {{ in_data_years() }}
order by data_year, list, measure, dimension, element, other_element
