select
    edition_year::integer as edition_year,
    seq::integer as seq,
    cluster_type,
    cluster_name,
    county_printed,
    adcode,
    n_counties::integer as n_counties,
    source_file,
    source_sha256,
    source_row::integer as source_row
from {{ source('reference', 'clusters_2022_national') }}
