-- What the JRC rule did to each indicator, universe and data year, with the moments before and after.
with

treatments as (
    select * from {{ ref('int_indicators__treatments') }}
),

after as (
    select
        data_year,
        universe,
        indicator,
        skewness(treated_value order by adcode) as skewness_after,  -- a fixed order: see int_indicators__treatments
        kurtosis(treated_value order by adcode) as kurtosis_after,
        bool_or(synthetic) as synthetic,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from {{ ref('int_indicators__normalized') }}
    group by all
),

final as (
    select
        treatments.data_year,
        treatments.universe,
        treatments.indicator,
        treatments.treatment,
        treatments.points_winsorised,
        treatments.n_values,
        treatments.skewness_before,
        treatments.kurtosis_before,
        after.skewness_after,
        after.kurtosis_after,
        after.synthetic,
        after.source_files
    from treatments
    inner join after using (data_year, universe, indicator)
)

select * from final
where {{ in_data_years() }}
order by data_year, universe, indicator
