-- Province x rank band (1-20, 21-40, ..., 81-100), as in the 2024 edition's 图20; every band appears
-- for every province that has a unit in the list, with 0 where it has none.
with

rankings as (
    select * from {{ ref('int_published_rankings__resolved') }}
),

bands as (
    select
        band_index,
        (band_index - 1) * 20 + 1 as rank_from,
        band_index * 20 as rank_to,
        ((band_index - 1) * 20 + 1)::varchar || '-' || (band_index * 20)::varchar as rank_band
    from range(1, 6) as t(band_index)
),

provinces as (
    select edition_year, list, province, region, list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from rankings
    group by all
),

counts as (
    select
        edition_year,
        list,
        province,
        (rank - 1) // 20 + 1 as band_index,
        count(*) as unit_count
    from rankings
    group by all
),

final as (
    select
        provinces.edition_year,
        provinces.list,
        provinces.province,
        provinces.region,
        bands.rank_band,
        bands.rank_from,
        bands.rank_to,
        coalesce(counts.unit_count, 0) as unit_count,
        provinces.source_files
    from provinces
    cross join bands
    left join counts
        on provinces.edition_year = counts.edition_year
        and provinces.list = counts.list
        and provinces.province = counts.province
        and bands.band_index = counts.band_index
)

select * from final
order by edition_year, list, province, rank_from
