-- 表5 of the 2022 edition with each county placed: representative 千亿级 clusters of counties.
with

clusters as (
    select * from {{ ref('stg_reference__100bn_clusters') }}
),

units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

final as (
    select
        clusters.edition_year,
        clusters.seq,
        clusters.adcode,
        clusters.county_printed as name,
        units.prefecture,
        units.province,
        units.region,
        clusters.cluster_name,
        clusters.scale,
        clusters.scale_floor_100m_yuan,
        clusters.source_file,
        clusters.source_sha256,
        clusters.source_row,
        list_sort(list_distinct(list_append(units.source_files, clusters.source_file))) as source_files
    from clusters
    inner join units on clusters.adcode = units.adcode
)

select * from final
order by edition_year, seq
