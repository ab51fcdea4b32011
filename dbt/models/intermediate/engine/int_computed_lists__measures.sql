-- Each member of a computed top-100 list with every measure the threshold lists compare (seed
-- analysis_thresholds), one row per member and measure: the raw statistics as ingested (a missing value is
-- null: never above a threshold), then the derived indicators that are no raw column (R&D intensity,
-- invention patents per 10k people), before any treatment of outliers; an imputed value is null.
{%- set member_columns = "edition_year, data_year, list, rank, adcode, name, synthetic, source_files" %}
with

members as (
    select * from {{ ref('int_computed_lists__members') }}
),

units as (
    select adcode, province, region from {{ ref('stg_reference__admin_units') }}
),

-- a missing value is held as NaN through the unpivot (which drops nulls), so that every raw column stays
-- a measure of its own and no indicator of the same name stands in for it
member_values as (
    select {{ member_columns }}, coalesce(columns(* exclude ({{ member_columns }}))::double, 'nan'::double)
    from members
),

raw_long as (
    unpivot member_values
    on columns(* exclude ({{ member_columns }}))
    into name measure value value
),

raw_statistics as (
    select * replace (nullif(value, 'nan'::double) as value) from raw_long
),

indicators as (
    select
        members.edition_year, members.data_year, members.list, members.rank, members.adcode, members.name,
        members.synthetic, members.source_files, raw.indicator as measure,
        case when not raw.is_imputed then raw.raw_value end as value
    from members
    inner join {{ ref('int_indicators__raw') }} as raw using (data_year, adcode)
    where raw.indicator not in (select distinct measure from raw_statistics)
),

final as (
    select measures.*, units.province, units.region
    from (
        select * from raw_statistics
        union all by name
        select * from indicators
    ) as measures
    inner join units using (adcode)
)

select * from final
