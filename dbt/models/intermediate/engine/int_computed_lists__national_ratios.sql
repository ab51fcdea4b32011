-- Each member of a computed list with the ratios of the seed national_comparisons (its own numerator over
-- its own denominator) beside the nation's same ratio of the national totals. A member missing either
-- value has no row for that ratio.
with

measures as (
    select * from {{ ref('int_computed_lists__measures') }}
),

comparisons as (
    select * from {{ ref('national_comparisons') }}
),

national_totals as (
    select * from {{ ref('stg_raw__national_totals') }}
),

national_long as (
    unpivot national_totals
    on columns(* exclude (data_year, source, synthetic, source_file, source_sha256))
    into name measure value value
),

national as (
    select
        comparisons.comparison_id,
        numerators.data_year,
        comparisons.scale * numerators.value / denominators.value as national_value
    from comparisons
    inner join national_long as numerators on numerators.measure = comparisons.numerator
    inner join national_long as denominators
        on denominators.measure = comparisons.denominator and denominators.data_year = numerators.data_year
),

final as (
    select
        numerators.edition_year,
        numerators.data_year,
        numerators.list,
        numerators.rank,
        numerators.adcode,
        numerators.name,
        numerators.province,
        numerators.region,
        comparisons.comparison_id,
        comparisons.label_zh,
        comparisons.unit,
        comparisons.scale,
        numerators.value as numerator,
        denominators.value as denominator,
        comparisons.scale * numerators.value / denominators.value as ratio,
        national.national_value,
        numerators.synthetic or coalesce(national_totals.synthetic, false) as synthetic,
        list_sort(list_distinct(list_concat(
            numerators.source_files, [national_totals.source_file, {{ seed_file('national_comparisons') }}]
        ))) as source_files
    from comparisons
    inner join measures as numerators on numerators.measure = comparisons.numerator
    inner join measures as denominators
        on denominators.measure = comparisons.denominator
        and denominators.data_year = numerators.data_year
        and denominators.list = numerators.list
        and denominators.adcode = numerators.adcode
    left join national
        on national.comparison_id = comparisons.comparison_id and national.data_year = numerators.data_year
    left join national_totals on national_totals.data_year = numerators.data_year
    where numerators.value is not null and denominators.value is not null
)

select * from final
