-- 工业增速概览 (图6 / 图8): how many members of a computed list grew, grew faster than the nation, grew 10%+.
with

members as (
    select * from {{ ref('int_computed_lists__members') }}
),

national as (
    select data_year, industry_va_growth as national_growth, source_file as national_file
    from {{ ref('stg_raw__national_totals') }}
),

final as (
    select
        members.edition_year,
        members.data_year,
        members.list,
        count(*) as units,
        count(*) filter (where members.industry_va_growth > 0) as units_growing,
        count(*) filter (where members.industry_va_growth > national.national_growth) as units_above_national,
        count(*) filter (where members.industry_va_growth >= 10) as units_growing_10_percent,
        any_value(national.national_growth) as national_growth,
        median(members.industry_va_growth) as median_growth,
        bool_or(members.synthetic) as synthetic,
        list_sort(list_distinct(list_concat(flatten(list(members.source_files)), list(national.national_file))))
            as source_files
    from members
    left join national using (data_year)
    group by all
)

select * from final
where {{ in_data_years() }}
order by data_year, list
