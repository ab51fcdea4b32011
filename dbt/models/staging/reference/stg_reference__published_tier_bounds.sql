{#- One row per edition, list and tier: the rank bounds the edition states, with the figure that states them. -#}
select
    edition_year::integer as edition_year,
    list,
    tier::integer as tier,
    first_rank::integer as first_rank,
    last_rank::integer as last_rank,
    source,
    source_row::integer as source_row,
    source_file,
    source_sha256
from {{ source('reference', 'published_tier_bounds') }}
