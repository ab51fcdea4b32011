select
    edition_year,
    list,
    rank,
    adcode,
    name,
    prefecture,
    province,
    region,
    unit_type,
    star,
    current_name,
    province_printed,
    prefecture_printed,
    source_file,
    source_sha256,
    source_row,
    source_files
from {{ ref('int_published_rankings__resolved') }}
order by edition_year, list, rank
