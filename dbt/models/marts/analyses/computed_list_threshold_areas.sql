-- 门槛以上单位的地区分布 (2024 edition 图21: districts over 500 亿 by province; 2022 edition 图25: by city
-- cluster; 图32: urbanisation of 90% or more by province): the members above each threshold counted by
-- region, province, city cluster and metropolitan area. A member in no city cluster (or metropolitan area)
-- of data/reference/city_clusters/ counts under 其他; one in two counts in both.
with

units as (
    select * from {{ ref('computed_list_threshold_units') }}
),

clusters as (
    select area_type, area, adcode, source_files from {{ ref('city_cluster_members') }}
),

cluster_types as (
    select distinct area_type from clusters
),

placed as (
    select units.*, 'region' as area_type, units.region as area, []::varchar[] as area_files from units
    union all by name
    select units.*, 'province' as area_type, units.province as area, []::varchar[] as area_files from units
    union all by name
    select units.*, cluster_types.area_type, coalesce(clusters.area, '其他') as area,
        coalesce(clusters.source_files, []::varchar[]) as area_files
    from units
    cross join cluster_types
    left join clusters
        on clusters.adcode = units.adcode and clusters.area_type = cluster_types.area_type
),

final as (
    select
        edition_year,
        data_year,
        list,
        threshold_id,
        any_value(label_zh) as label_zh,
        area_type,
        area,
        count(*) as unit_count,
        string_agg(name, '、' order by value desc, rank) as units,
        bool_or(synthetic) as synthetic,
        list_sort(list_distinct(list_concat(flatten(list(source_files)), flatten(list(area_files)))))
            as source_files
    from placed
    group by edition_year, data_year, list, threshold_id, area_type, area
)

select * from final
where {{ in_data_years() }}
order by data_year, list, threshold_id, area_type, unit_count desc, area
