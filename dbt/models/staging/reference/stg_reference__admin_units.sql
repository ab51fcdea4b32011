select
    adcode,
    name,
    unit_type,
    prefecture_code,
    prefecture,
    province_code,
    province,
    region,
    universe,
    longitude,
    latitude,
    source_file,
    source_sha256
from {{ source('reference', 'admin_units') }}
