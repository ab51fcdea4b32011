select
    index_id as "index",
    level,
    parent,
    element,
    local_weight,
    global_weight,
    consistency_ratio,
    source_file,
    source_sha256,
    [source_file] as source_files
from {{ ref('stg_engine__indicator_weights') }}
order by "index", level, parent, global_weight desc, element
