-- Every indicator of the indicator system (config/raw_statistics.yaml, docs/methodology.md §2) for every
-- ranked unit and data year, in long form; a missing value treated as its indicator declares (§2a).
{%- set formulas = indicator_formulas() %}
with

statistics as (
    select * from {{ ref('stg_raw__county_statistics') }}
    where universe in ('county', 'district') and {{ in_data_years() }}  -- each year is computed alone
),

catalogue as (
    select * from {{ ref('stg_engine__indicator_catalogue') }}
),

wide as (
    -- a missing input or a zero denominator gives null
    select
        data_year,
        universe,
        adcode,
        synthetic,
        source_file
        {%- for indicator, formula in formulas %},
        {{ finite_or_null(formula) }} as "{{ indicator }}"
        {%- endfor %}
    from statistics
),

long as (
    select * from wide
    unpivot include nulls (computed_value for indicator in (columns(* exclude (data_year, universe, adcode, synthetic, source_file))))
),

applicable as (
    select
        long.*,
        left(long.adcode, 2) as province_code,  -- a unit's province: the first two digits of its adcode
        catalogue.direction,
        catalogue.missing_treatment as declared,
        catalogue.source_file as catalogue_file
    from long
    inner join catalogue on long.indicator = catalogue.indicator
    where list_contains(catalogue.universes, long.universe)
),

province_medians as (
    select data_year, universe, province_code, indicator, median(computed_value) as median_value
    from applicable
    where computed_value is not null
    group by all
),

universe_medians as (
    select data_year, universe, indicator, median(computed_value) as median_value
    from applicable
    where computed_value is not null
    group by all
),

treated as (
    select
        applicable.*,
        case
            when applicable.computed_value is not null then null
            when applicable.declared = 'zero' then 'zero'
            when applicable.declared = 'median' and province_medians.median_value is not null then 'median_province'
            when applicable.declared = 'median' and universe_medians.median_value is not null then 'median_universe'
            else 'reweight'  -- declared so, or a median with no reported value to take it from
        end as missing_treatment,
        case missing_treatment
            when 'zero' then 0
            when 'median_province' then province_medians.median_value
            when 'median_universe' then universe_medians.median_value
        end as imputed_value
    from applicable
    left join province_medians using (data_year, universe, province_code, indicator)
    left join universe_medians using (data_year, universe, indicator)
),

final as (
    select
        data_year,
        universe,
        adcode,
        indicator,
        coalesce(computed_value, imputed_value)::double as raw_value,
        imputed_value is not null as is_imputed,
        missing_treatment,
        direction,
        synthetic,
        source_file,
        catalogue_file
    from treated
)

select * from final
