-- 产业集群专题 (2022 edition, 表4 and 表5): national clusters located in counties by region and type,
-- and 千亿级 clusters by region and scale band. A cluster spanning several counties counts once per region.
-- 表5 names its lowest band 千亿级, as the whole table is 千亿级 (all 26 clusters, 1000 亿元 and more): the
-- band is called by its range here (the text's 1000-2000 亿元级别), and 千亿级 is the whole table.
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
    select edition_year, '100bn', 'scale',
        case when scale = '千亿级' then '千亿级（1000-2000亿元）' else scale end,
        count(*), count(distinct adcode), {{ files }}
    from hundred_billion group by all
    union all
    select edition_year, '100bn', 'all', '千亿级', count(*), count(distinct adcode), {{ files }}
    from hundred_billion group by all
)

select * from final
order by edition_year, table_name, dimension, cluster_count desc, category
