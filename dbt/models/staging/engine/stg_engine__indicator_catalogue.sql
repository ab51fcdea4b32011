select
    indicator,
    name_zh,
    name_en,
    formula,
    unit,
    direction,
    string_split(universes, ';') as universes
from {{ ref('indicator_catalogue') }}
