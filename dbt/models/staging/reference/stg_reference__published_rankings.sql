{#- One row per unit, list and edition: the ranking tables of every edition present, stacked at ingest. -#}
select
    edition_year::integer as edition_year,
    list,
    rank::integer as rank,
    adcode,
    province_printed,
    prefecture_printed,
    name_printed,
    unit_type_printed,
    star::integer as star,
    source_row::integer as source_row,
    source_file,
    source_sha256
from {{ source('reference', 'published_rankings') }}
