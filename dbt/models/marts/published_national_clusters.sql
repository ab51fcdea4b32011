-- 表4 of the 2022 edition with each county placed: one row per national cluster and county.
with

clusters as (
    select * from {{ ref('stg_reference__national_clusters') }}
),

units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

final as (
    select
        clusters.edition_year,
        clusters.seq,
        clusters.cluster_type,
        clusters.cluster_name,
        clusters.n_counties,
        clusters.adcode,
        clusters.county_printed as name,
        units.prefecture,
        units.province,
        units.region,
        clusters.source_file,
        clusters.source_sha256,
        clusters.source_row,
        list_sort(list_distinct(list_append(units.source_files, clusters.source_file))) as source_files
    from clusters
    inner join units on clusters.adcode = units.adcode
)

select * from final
order by edition_year, seq, adcode
