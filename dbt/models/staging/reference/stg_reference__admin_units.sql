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
    source_sha256,
    -- a unit derives from its adcodes row and from provinces.csv (its province's name and region)
    list_sort([source_file, provinces_file]) as source_files
from {{ source('reference', 'admin_units') }}
