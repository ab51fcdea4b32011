-- Which units of the published 工业百强县（市） host which clusters of the 2022 edition's 表4 and 表5.
with

rankings as (
    select * from {{ ref('published_rankings') }}
    where list = 'industrial_county'
),

clusters as (
    select edition_year as cluster_edition_year, 'national' as table_name, adcode, cluster_name,
        cluster_type as category, source_files
    from {{ ref('published_national_clusters') }}
    union all
    select edition_year, '100bn', adcode, cluster_name, scale, source_files
    from {{ ref('published_100bn_clusters') }}
),

final as (
    select
        rankings.edition_year,
        rankings.rank,
        rankings.adcode,
        rankings.name,
        rankings.province,
        clusters.cluster_edition_year,
        clusters.table_name,
        clusters.cluster_name,
        clusters.category,
        list_sort(list_distinct(list_concat(rankings.source_files, clusters.source_files))) as source_files
    from rankings
    inner join clusters using (adcode)
)

select * from final
order by edition_year, rank, table_name, cluster_name
