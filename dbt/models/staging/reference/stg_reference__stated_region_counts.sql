{#- One row per edition, list and region: a count a later edition states for an edition with no table here. -#}
select
    edition_year::integer as edition_year,
    list,
    region,
    unit_count::integer as unit_count,
    stated_in::integer as stated_in,
    figure,
    source as cited_from,
    source_file,
    source_sha256,
    source_row::integer as source_row
from {{ source('reference', 'stated_region_counts') }}
