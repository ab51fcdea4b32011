-- 智能工厂专题 (2024 edition, 专题篇; real): the counts as the edition states them, beside the same
-- counts computed from the raw county statistics (synthetic with the demo panel).
{%- set files = 'list_sort(list_distinct(flatten(list(source_files))))' %}
with

published as (
    select * from {{ ref('stg_reference__smart_factories') }}
),

statistics as (
    select statistics.data_year, statistics.smart_factories_national, statistics.synthetic,
        units.region, units.province, list_append(units.source_files, statistics.source_file) as source_files
    from {{ ref('stg_raw__county_statistics') }} as statistics
    inner join {{ ref('stg_reference__admin_units') }} as units using (adcode)
    where statistics.universe = 'county'
),

computed as (
    select data_year + 1 as edition_year, 'region' as level, region as area,
        sum(smart_factories_national)::integer as factory_count, bool_or(synthetic) as synthetic,
        {{ files }} as source_files
    from statistics group by all
    union all
    select data_year + 1, 'province', province, sum(smart_factories_national)::integer, bool_or(synthetic),
        {{ files }}
    from statistics group by all
    union all
    select data_year + 1, 'county_total', null, sum(smart_factories_national)::integer, bool_or(synthetic),
        {{ files }}
    from statistics group by all
),

final as (
    select
        published.edition_year,
        published.edition_year - 1 as data_year,
        published.scope,
        published.level,
        published.area,
        published.factory_count as published_count,
        published.share_in_counties,
        published.province_total,
        computed.factory_count as computed_count,
        computed.synthetic as computed_synthetic,
        published.cited_from,
        -- the edition's figures; the raw statistics and the code table where a count is computed
        list_sort(list_distinct(list_prepend(published.source_file, computed.source_files))) as source_files
    from published
    left join computed
        on published.scope = 'national_demonstration'
        and published.edition_year = computed.edition_year
        and published.level = computed.level
        and published.area is not distinct from computed.area
)

select * from final
where {{ in_data_years() }}
order by edition_year, scope, level, published_count desc, area
