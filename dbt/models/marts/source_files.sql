-- 血缘登记 (lineage register): one row per input file loaded in the warehouse now, with its sha256, the
-- table it went into, and when and by which Dagster run it was loaded. Every mart's source_files column
-- lists paths of this register. It reads the ingested tables themselves (dbt sources), so it sees every
-- data year of the raw statistics, not only the years of the latest run.
{#- Each ingested table: its dbt source and whether it is partitioned by data year (a folder per year). -#}
{%- set inputs = [
    ('raw', 'county_statistics', true),
    ('raw', 'national_totals', true),
    ('reference', 'admin_units', false),
    ('reference', 'published_rankings', false),
    ('reference', 'published_tier_bounds', false),
] -%}
{%- for table in ['clusters_2022_national', 'clusters_2022_100bn', 'city_cluster_members',
    'smart_factories_2024', 'report_figures', 'stated_region_counts'] -%}
    {%- do inputs.append(('reference', table, false)) -%}
{%- endfor -%}
{%- do inputs.append(('engine', 'indicator_weights', false)) %}
with

loaded as (
{%- for schema, table, per_year in inputs %}
    select
        source_file,
        source_sha256,
        '{{ schema }}.{{ table }}' as loaded_into,
        {{ 'folder_year::integer' if per_year else 'null::integer' }} as data_year,
        loaded_at,
        run_id
    from {{ source(schema, table) }}
    union all
{%- endfor %}
    -- provinces.csv, read with the adcodes into reference.admin_units (names and regions of provinces)
    select provinces_file, provinces_sha256, 'reference.admin_units', null::integer, loaded_at, run_id
    from {{ source('reference', 'admin_units') }}
    union all
    -- the indicator system, read from config/raw_statistics.yaml by the catalogue model of this dbt call (the
    -- measure catalogue reads the same file: one row for the file)
    select
        source_file,
        source_sha256,
        'staging.stg_engine__indicator_catalogue',
        null::integer,
        '{{ run_started_at.strftime("%Y-%m-%dT%H:%M:%S+00:00") }}',
        '{{ env_var("COUNTY_INDUSTRY_RUN_ID", "") or invocation_id }}'
    from {{ ref('stg_engine__indicator_catalogue') }}
{%- for seed in ['analysis_thresholds', 'city_cluster_aliases', 'claim_measures', 'national_comparisons', 'population_size_classes', 'ranking_lists', 'regions', 'urbanisation_potential_criteria'] %}
    union all
    -- a dbt seed (kept with the code), loaded by the dbt call of this Dagster run
    select
        {{ seed_file(seed) }},
        {{ seed_sha256(seed) }},
        'seeds.{{ seed }}',
        null::integer,
        '{{ run_started_at.strftime("%Y-%m-%dT%H:%M:%S+00:00") }}',
        '{{ env_var("COUNTY_INDUSTRY_RUN_ID", "") or invocation_id }}'
    from {{ ref(seed) }}
{%- endfor %}
),

final as (
    select
        source_file,
        source_sha256,
        loaded_into,
        data_year,
        count(*) as row_count,
        loaded_at,
        run_id
    from loaded
    group by source_file, source_sha256, loaded_into, data_year, loaded_at, run_id
)

select * from final
order by source_file
