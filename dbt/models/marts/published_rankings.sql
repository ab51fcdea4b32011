-- The published lists, one row per unit, with its 梯队 where its edition states the list's tier bounds
-- (data/reference/published_tier_bounds.csv: the industrial counties'; null for the other lists), so that a
-- list with its tiers is one query.
with

rankings as (
    select * from {{ ref('int_published_rankings__resolved') }}
),

bounds as (
    select * from {{ ref('stg_reference__published_tier_bounds') }}
)

select
    rankings.edition_year,
    rankings.list,
    rankings.rank,
    rankings.adcode,
    rankings.name,
    rankings.prefecture,
    rankings.province,
    rankings.region,
    rankings.unit_type,
    rankings.star,
    bounds.tier,
    rankings.current_name,
    rankings.province_printed,
    rankings.prefecture_printed,
    rankings.source_file,
    rankings.source_sha256,
    rankings.source_row,
    -- the tier bounds' file too, where a tier was read from it
    case
        when bounds.source_file is null then rankings.source_files
        else list_sort(list_distinct(list_append(rankings.source_files, bounds.source_file)))
    end as source_files
from rankings
left join bounds
    on rankings.edition_year = bounds.edition_year
    and rankings.list = bounds.list
    and rankings.rank between bounds.first_rank and bounds.last_rank
order by rankings.edition_year, rankings.list, rankings.rank
