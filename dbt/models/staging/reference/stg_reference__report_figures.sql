select
    claim_id,
    edition_year::integer as edition_year,
    list,
    measure,
    key,
    published_value,
    nullif(table_value, '') as table_value,
    coalesce(try_cast(nullif(tolerance, '') as double), 0) as tolerance,
    coalesce(nullif(comparison, ''), '=') as comparison,
    nullif(against, '') as against,
    source as cited_from,
    source_file,
    source_sha256,
    source_row::integer as source_row
from {{ source('reference', 'report_figures') }}
