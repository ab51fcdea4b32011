select
    "index" as index_id,
    level,
    parent,
    element,
    local_weight,
    global_weight,
    consistency_ratio,
    string_split(universes, ';') as universes,
    source_file,
    source_sha256
from {{ source('engine', 'indicator_weights') }}
