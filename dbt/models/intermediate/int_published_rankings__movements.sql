-- One row per unit on either edition of a pair: entered (new in the later edition), exited (dropped
-- from it) or stayed; rank_change is positive when the unit climbed.
with

rankings as (
    select * from {{ ref('int_published_rankings__resolved') }}
),

pairs as (
    select * from {{ ref('int_published_rankings__edition_pairs') }}
),

-- a movement (an entry or exit too) derives from both editions' tables of the list
edition_files as (
    select edition_year, list, list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from rankings
    group by edition_year, list
),

current_ranks as (
    select pairs.list, pairs.edition_year, pairs.previous_edition_year, rankings.adcode, rankings.rank
    from pairs
    inner join rankings on pairs.list = rankings.list and pairs.edition_year = rankings.edition_year
),

previous_ranks as (
    select pairs.list, pairs.edition_year, pairs.previous_edition_year, rankings.adcode, rankings.rank
    from pairs
    inner join rankings
        on pairs.list = rankings.list and pairs.previous_edition_year = rankings.edition_year
),

paired as (
    select
        list,
        edition_year,
        previous_edition_year,
        adcode,
        current_ranks.rank,
        previous_ranks.rank as previous_rank
    from current_ranks
    full outer join previous_ranks using (list, edition_year, previous_edition_year, adcode)
),

final as (
    select
        paired.list,
        paired.edition_year,
        paired.previous_edition_year,
        pairs.editions_consecutive,
        paired.adcode,
        units.name,
        units.prefecture,
        units.province,
        units.region,
        paired.rank,
        paired.previous_rank,
        {{ rank_movement('paired.rank', 'paired.previous_rank') }},
        list_sort(list_distinct(flatten(
            [current_files.source_files, previous_files.source_files, units.source_files]
        ))) as source_files
    from paired
    inner join pairs on paired.list = pairs.list and paired.edition_year = pairs.edition_year
    inner join {{ ref('stg_reference__admin_units') }} as units on paired.adcode = units.adcode
    left join edition_files as current_files
        on paired.list = current_files.list and paired.edition_year = current_files.edition_year
    left join edition_files as previous_files
        on paired.list = previous_files.list and paired.previous_edition_year = previous_files.edition_year
)

select * from final
