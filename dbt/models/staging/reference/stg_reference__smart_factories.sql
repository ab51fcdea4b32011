select
    edition_year::integer as edition_year,
    scope,
    level,
    nullif(area, '') as area,
    factory_count::integer as factory_count,
    share_in_counties::double as share_in_counties,
    province_total::integer as province_total,
    source as cited_from,
    source_file,
    source_sha256,
    source_row::integer as source_row
from {{ source('reference', 'smart_factories_2024') }}
