-- 产业集群专题 (2022 edition, 表4 and 表5): national clusters located in counties by region and type,
-- and 千亿级 clusters by region and scale band. A cluster spanning several counties counts once per region.
{%- set files = 'list_sort(list_distinct(flatten(list(source_files))))' %}
with

national as (
    select * from {{ ref('published_national_clusters') }}
),

hundred_billion as (
    select * from {{ ref('published_100bn_clusters') }}
),

final as (
    select edition_year, 'national' as table_name, 'region' as dimension, region as category,
        count(distinct seq) as cluster_count, count(distinct adcode) as county_count, {{ files }} as source_files
    from national group by all
    union all
    select edition_year, 'national', 'cluster_type', cluster_type, count(distinct seq), count(distinct adcode),
        {{ files }}
    from national group by all
    union all
    select edition_year, '100bn', 'region', region, count(*), count(distinct adcode), {{ files }}
    from hundred_billion group by all
    union all
    select edition_year, '100bn', 'scale', scale, count(*), count(distinct adcode), {{ files }}
    from hundred_billion group by all
)

select * from final
order by edition_year, table_name, dimension, cluster_count desc, category
