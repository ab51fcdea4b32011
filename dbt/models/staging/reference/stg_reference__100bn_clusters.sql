select
    edition_year::integer as edition_year,
    seq::integer as seq,
    county_printed,
    cluster_name,
    scale,
    scale_floor_100m_yuan::integer as scale_floor_100m_yuan,
    adcode,
    source_file,
    source_sha256,
    source_row::integer as source_row
from {{ source('reference', 'clusters_2022_100bn') }}
