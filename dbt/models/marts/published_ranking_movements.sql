-- One row per unit on either edition of a pair (int_published_rankings__movements), in the reports' order.
select * from {{ ref('int_published_rankings__movements') }}
order by list, edition_year, coalesce(rank, 1000), previous_rank
