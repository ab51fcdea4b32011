-- Treated values (§3) and their normalised scores (§4) within each universe and data year.
with

indicators as (
    select * from {{ ref('int_indicators__raw') }}
),

treatments as (
    select * from {{ ref('int_indicators__treatments') }}
),

treated as (
    select
        indicators.*,
        -- least/greatest skip nulls in DuckDB: a missing value must stay missing
        case
            when indicators.raw_value is null then null
            when treatments.treatment = 'winsorised' and treatments.top_cut is not null
                then least(indicators.raw_value, treatments.top_cut)
            when treatments.treatment = 'winsorised'
                then greatest(indicators.raw_value, treatments.bottom_cut)
            when treatments.treatment = 'log' then
                case when treatments.skewness_before > 0 then ln(1 + indicators.raw_value - treatments.min_value)
                    else -ln(1 + treatments.max_value - indicators.raw_value) end
            else indicators.raw_value
        end as treated_value
    from indicators
    left join treatments using (data_year, universe, indicator)
),

spread as (
    select
        data_year,
        universe,
        indicator,
        min(treated_value) as min_treated,
        max(treated_value) as max_treated,
        avg(treated_value order by adcode) as mean_treated,  -- a fixed order: see int_indicators__treatments
        stddev_samp(treated_value order by adcode) as sd_treated,
        -- a normalised score depends on every value of its universe and year, on all their files, and
        -- on the indicator system (its formula, treatments and direction)
        list_sort(list_append(list(distinct source_file), any_value(catalogue_file))) as source_files
    from treated
    group by all
),

final as (
    select
        treated.data_year,
        treated.universe,
        treated.adcode,
        treated.indicator,
        treated.raw_value,
        treated.treated_value,
        -- no value (left out: its dimension re-weights, §6) has no score
        case when treated.treated_value is not null then coalesce(
            {% if var('normalisation') == 'zscore' %}
            treated.direction * (treated.treated_value - spread.mean_treated) / nullif(spread.sd_treated, 0),
            {% else %}
            case
                when spread.max_treated = spread.min_treated then 0
                when treated.direction = 1
                    then 100 * (treated.treated_value - spread.min_treated) / (spread.max_treated - spread.min_treated)
                else 100 * (spread.max_treated - treated.treated_value) / (spread.max_treated - spread.min_treated)
            end,
            {% endif %}
            0
        ) end as normalized_value,
        treated.is_imputed,
        treated.missing_treatment,
        treated.synthetic,
        spread.source_files
    from treated
    inner join spread using (data_year, universe, indicator)
)

select * from final
