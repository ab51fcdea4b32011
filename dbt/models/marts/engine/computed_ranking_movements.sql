-- Year-over-year movement of the computed lists: each unit on either the list of data year Y or of Y-1,
-- entered, exited or stayed, with both ranks (the vocabulary of published_ranking_movements).
-- Cross-year: a table rebuilt at every run from every data year of computed_rankings.
with

rankings as (
    select * from {{ ref('computed_rankings') }}
),

-- a movement (an entry or exit too) derives from both years' lists
list_files as (
    select list, data_year, list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from rankings
    group by list, data_year
),

current_ranks as (
    select list, data_year, data_year - 1 as previous_data_year, adcode, rank, synthetic
    from rankings
    where data_year - 1 in (select data_year from rankings)
),

previous_ranks as (
    select list, data_year + 1 as data_year, data_year as previous_data_year, adcode, rank, synthetic
    from rankings
    where data_year + 1 in (select data_year from rankings)
),

paired as (
    select
        list,
        data_year,
        previous_data_year,
        adcode,
        current_ranks.rank,
        previous_ranks.rank as previous_rank,
        coalesce(current_ranks.synthetic, false) or coalesce(previous_ranks.synthetic, false) as synthetic
    from current_ranks
    full outer join previous_ranks using (list, data_year, previous_data_year, adcode)
),

final as (
    select
        paired.data_year,
        paired.previous_data_year,
        paired.list,
        paired.adcode,
        units.name,
        units.prefecture,
        units.province,
        units.region,
        paired.rank,
        paired.previous_rank,
        {{ rank_movement('paired.rank', 'paired.previous_rank') }},
        paired.synthetic,
        list_sort(list_distinct(flatten(
            [current_files.source_files, previous_files.source_files, units.source_files]
        ))) as source_files
    from paired
    inner join {{ ref('stg_reference__admin_units') }} as units on paired.adcode = units.adcode
    left join list_files as current_files
        on paired.list = current_files.list and paired.data_year = current_files.data_year
    left join list_files as previous_files
        on paired.list = previous_files.list and paired.previous_data_year = previous_files.data_year
)

select * from final
order by data_year, list, rank nulls last, previous_rank, adcode
