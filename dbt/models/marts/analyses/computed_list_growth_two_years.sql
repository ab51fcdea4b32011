-- 近两年工业增速 (2022 edition 图28): how many members of a computed list grew on a two-year average, faster
-- than the nation's two-year average, 10% or more, and in both years. The two-year average of the rates of
-- the year before and of the data year is geometric (macro two_year_average_growth).
-- A member without a growth rate in either year counts in units, in none of the growth counts.
-- Cross-year: a table rebuilt at every run from every data year (a refresh of year Y changes Y and Y + 1).
with

members as (
    select edition_year, data_year, list, adcode, synthetic, source_files from {{ ref('computed_rankings') }}
),

statistics as (
    select data_year, adcode, industry_va_growth as growth, synthetic, source_file
    from {{ ref('stg_raw__county_statistics') }}
),

national as (
    select data_year, industry_va_growth as growth, source_file from {{ ref('stg_raw__national_totals') }}
),

two_years as (
    select
        members.*,
        current_year.growth as growth,
        previous_year.growth as previous_growth,
        {{ two_year_average_growth('previous_year.growth', 'current_year.growth') }} as average_growth,
        coalesce(previous_year.synthetic, false) as previous_synthetic,
        [current_year.source_file, previous_year.source_file] as statistics_files
    from members
    left join statistics as current_year using (data_year, adcode)
    left join statistics as previous_year
        on previous_year.adcode = members.adcode and previous_year.data_year = members.data_year - 1
),

national_two_years as (
    select
        current_year.data_year,
        {{ two_year_average_growth('previous_year.growth', 'current_year.growth') }} as national_growth,
        [current_year.source_file, previous_year.source_file] as national_files
    from national as current_year
    left join national as previous_year on previous_year.data_year = current_year.data_year - 1
),

final as (
    select
        two_years.edition_year,
        two_years.data_year,
        two_years.list,
        count(*) as units,
        count(two_years.average_growth) as units_with_two_years,
        count(*) filter (where two_years.average_growth > 0) as units_growing,
        case when any_value(national_two_years.national_growth) is not null
            then count(*) filter (where two_years.average_growth > national_two_years.national_growth)
        end as units_above_national,
        count(*) filter (where two_years.average_growth >= 10) as units_growing_10_percent,
        count(*) filter (where two_years.previous_growth > 0 and two_years.growth > 0) as units_growing_both_years,
        any_value(national_two_years.national_growth) as national_growth,
        median(two_years.average_growth) as median_growth,
        bool_or(two_years.synthetic or two_years.previous_synthetic) as synthetic,
        list_sort(list_distinct(list_concat(
            flatten(list(two_years.source_files)),
            flatten(list(two_years.statistics_files)),
            flatten(list(coalesce(national_two_years.national_files, [])))
        ))) as source_files
    from two_years
    left join national_two_years using (data_year)
    group by two_years.edition_year, two_years.data_year, two_years.list
)

select * from final
order by data_year, list
