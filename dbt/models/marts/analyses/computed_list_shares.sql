-- 占全国比重 (the reports' 图5 / 图22, 2022 edition 图7 / 图27): what a computed top-100 list holds of the
-- national totals. The measures are those of the national totals (config/national_totals.yaml, through
-- stg_raw__national_totals) that the county panel has under the same name, and the count of units; a rate
-- (the growth of industrial value added) is no amount and has no share. A share is null where the year's
-- national total is not transcribed (see national_totals).
{%- set national_columns = "data_year, source, synthetic, source_file, source_sha256" %}
{%- set rates = "'industry_va_growth'" %}
with

national as (
    select * from {{ ref('stg_raw__national_totals') }}
),

all_units as (
    select count(*) as units, list_sort(list_distinct(flatten(list(source_files)))) as units_files
    from {{ ref('stg_reference__admin_units') }}
),

-- a missing total is held as NaN through the unpivot (which drops nulls), so that every measure of the
-- contract keeps its row, and its share is null
national_values as (
    select data_year, coalesce(columns(* exclude ({{ national_columns }})), 'nan'::double)
    from national
),

national_long as (
    select data_year, measure, nullif(value, 'nan'::double) as national_total
    from (
        unpivot national_values
        on columns(* exclude (data_year))
        into name measure value value
    )
    where measure not in ({{ rates }})

    union all
    select national.data_year, 'units', all_units.units::double
    from national
    cross join all_units
),

list_long as (
    select
        edition_year,
        data_year,
        list,
        measure,
        sum(value order by adcode) as list_total,
        bool_or(synthetic) as synthetic,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from {{ ref('int_computed_lists__measures') }}
    where measure in (select measure from national_long)
    group by all

    union all
    select
        edition_year,
        data_year,
        list,
        'units',
        count(*)::double,
        bool_or(synthetic),
        list_sort(list_distinct(flatten(list(source_files))))
    from {{ ref('int_computed_lists__members') }}
    group by all
),

final as (
    select
        list_long.edition_year,
        list_long.data_year,
        list_long.list,
        list_long.measure,
        -- both totals are in the measure's canonical unit (its contract's); units are counted
        case when list_long.measure = 'units' then '个' else measures.unit end as unit,
        list_long.list_total,
        national_long.national_total,
        list_long.list_total / national_long.national_total as share,
        -- synthetic if either side is: the list's panel or the year's national totals
        list_long.synthetic or coalesce(national.synthetic and list_long.measure != 'units', false) as synthetic,
        -- the list's files; the code table counts all units, the year's communiqué gives every other total
        -- (a total it does not give included: the share is null because of that file)
        list_sort(list_distinct(list_concat(
            list_long.source_files,
            case
                when list_long.measure = 'units' then all_units.units_files
                else [national.source_file, measures.source_file]
            end
        ))) as source_files
    from list_long
    left join national_long using (data_year, measure)
    left join {{ ref('stg_engine__measure_catalogue') }} as measures on list_long.measure = measures.measure
    left join national on list_long.data_year = national.data_year
    cross join all_units
)

select * from final
where {{ in_data_years() }}
order by data_year, list, measure
