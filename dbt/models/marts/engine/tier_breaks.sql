-- The natural breaks of each list's tiers: each tier's score range and size.
select
    edition_year,
    data_year,
    list,
    tier,
    min(index_score) as lower_score,
    max(index_score) as upper_score,
    min(rank) as first_rank,
    max(rank) as last_rank,
    count(*) as unit_count,
    bool_or(synthetic) as synthetic,
    list_sort(list_distinct(flatten(list(source_files)))) as source_files
from {{ ref('computed_rankings') }}
where {{ in_data_years() }}
group by all
order by data_year, list, tier
