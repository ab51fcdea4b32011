select
    area_type,
    area,
    province,
    nullif(prefecture, '') as prefecture,
    nullif(county, '') as county,
    adcode,
    prefecture_code,
    certainty,
    source as planning_document,
    source_file,
    source_sha256,
    source_row::integer as source_row
from {{ source('reference', 'city_cluster_members') }}
