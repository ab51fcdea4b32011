-- The JRC outlier rule (docs/methodology.md §3), decided per indicator, universe and data year:
-- none, winsorised (p = 1..5 points on the side of the skew) or log; none where the indicator system
-- declares no outlier treatment for the indicator (`outlier: none`).
with

catalogue as (
    select indicator, outlier_treatment from {{ ref('stg_engine__indicator_catalogue') }}
),

values_ as (
    select * from {{ ref('int_indicators__raw') }}
    where raw_value is not null
),

groups as (
    select
        data_year,
        universe,
        indicator,
        count(*) as n_values,
        -- float aggregates take their rows in a fixed order (adcode): a table's physical order depends on
        -- which runs wrote it, and the last bits of a sum on the order of its terms
        skewness(raw_value order by adcode) as skewness_before,
        kurtosis(raw_value order by adcode) as kurtosis_before,
        min(raw_value) as min_value,
        max(raw_value) as max_value
    from values_
    group by all
),

ranked as (
    select
        values_.*,
        row_number() over (partition by data_year, universe, indicator order by raw_value desc) as from_top,
        row_number() over (partition by data_year, universe, indicator order by raw_value) as from_bottom
    from values_
),

levels as (
    select p from range(1, 6) as t(p)
),

cutoffs as (
    -- winsorising p points replaces them by the (p+1)-th value from the skewed end
    select
        ranked.data_year,
        ranked.universe,
        ranked.indicator,
        levels.p,
        max(ranked.raw_value) filter (where ranked.from_top = levels.p + 1) as top_cut,
        max(ranked.raw_value) filter (where ranked.from_bottom = levels.p + 1) as bottom_cut
    from ranked
    cross join levels
    group by all
),

winsorised as (
    select
        values_.data_year,
        values_.universe,
        values_.indicator,
        cutoffs.p,
        skewness(
            case when groups.skewness_before > 0 then least(values_.raw_value, cutoffs.top_cut)
                else greatest(values_.raw_value, cutoffs.bottom_cut) end
            order by values_.adcode
        ) as skewness_after,
        kurtosis(
            case when groups.skewness_before > 0 then least(values_.raw_value, cutoffs.top_cut)
                else greatest(values_.raw_value, cutoffs.bottom_cut) end
            order by values_.adcode
        ) as kurtosis_after
    from values_
    inner join groups using (data_year, universe, indicator)
    inner join cutoffs using (data_year, universe, indicator)
    group by all
),

first_passing as (
    select data_year, universe, indicator, min(p) as points
    from winsorised
    where not (abs(skewness_after) > 2 and kurtosis_after > 3.5)
    group by all
),

final as (
    select
        groups.data_year,
        groups.universe,
        groups.indicator,
        groups.n_values,
        case
            when catalogue.outlier_treatment = 'none' then 'none'
            when groups.n_values < 4 or groups.min_value = groups.max_value then 'none'
            when not (abs(groups.skewness_before) > 2 and groups.kurtosis_before > 3.5) then 'none'
            when first_passing.points is not null then 'winsorised'
            else 'log'
        end as treatment,
        case when treatment = 'winsorised' then first_passing.points else 0 end as points_winsorised,
        case when treatment = 'winsorised' and groups.skewness_before > 0 then cutoffs.top_cut end as top_cut,
        case when treatment = 'winsorised' and groups.skewness_before < 0 then cutoffs.bottom_cut end
            as bottom_cut,
        groups.skewness_before,
        groups.kurtosis_before,
        groups.min_value,
        groups.max_value
    from groups
    inner join catalogue using (indicator)
    left join first_passing using (data_year, universe, indicator)
    left join cutoffs
        on groups.data_year = cutoffs.data_year
        and groups.universe = cutoffs.universe
        and groups.indicator = cutoffs.indicator
        and first_passing.points = cutoffs.p
)

select * from final
