-- ★ on a computed list marks exactly the best-ranked unit of each province in that list and data year,
-- as methodology §6 states it (the published lists' ★ is checked when their files are loaded; this is
-- the same rule on what the engine computes). A row returned is a unit whose ★ is wrong.
{{ config(meta={'dagster': {'ref': {'name': 'computed_rankings'}}}) }}
select data_year, list, rank, adcode, province, star
from {{ ref('computed_rankings') }}
qualify star != (rank = min(rank) over (partition by data_year, list, province))::integer
