-- Entrants, exits and stayers of each unit, by list and edition pair, ready to roll up by area.
select
    list,
    edition_year,
    previous_edition_year,
    editions_consecutive,
    province,
    region,
    count(*) filter (where rank is not null) as unit_count,
    count(*) filter (where previous_rank is not null) as previous_unit_count,
    count(*) filter (where movement = 'entered') as entrants,
    count(*) filter (where movement = 'exited') as exits,
    list_sort(list_distinct(flatten(list(source_files)))) as source_files
from {{ ref('int_published_rankings__movements') }}
group by all
