select
    *,
    [source_file] as source_files
from {{ ref('stg_reference__admin_units') }}
order by adcode
