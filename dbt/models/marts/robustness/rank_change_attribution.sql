-- What moved a unit between data years Y-1 and Y (§12), for every unit on a computed top 100 in either
-- year: its index change split into its own indicators' changes and the normalisation bounds' movement,
-- its rank change into what its own changes alone would give and the rest, and the indicators that moved
-- it most. Cross-year: rebuilt whole at every run.
with

attribution as (
    select * from {{ ref('int_robustness__attribution') }}
),

units as (
    select * from {{ ref('stg_reference__admin_units') }}
),

-- a movement derives from both years' lists, as in computed_ranking_movements
list_files as (
    select
        list,
        data_year,
        bool_or(synthetic) as synthetic,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from {{ ref('computed_rankings') }}
    group by all
),

final as (
    select
        attribution.data_year + 1 as edition_year,
        attribution.data_year,
        attribution.previous_data_year,
        attribution.list,
        attribution.adcode,
        units.name,
        units.province,
        attribution.movement,
        attribution.rank,
        attribution.previous_rank,
        attribution.rank_change,
        attribution.rank_change_own,
        attribution.rank_change_others,
        attribution.index_score,
        attribution.previous_index_score,
        attribution.index_change,
        attribution.own_indicators_change,
        attribution.bounds_change,
        attribution.top_indicators,
        current_files.synthetic or previous_files.synthetic as synthetic,
        list_sort(list_distinct(flatten(
            [current_files.source_files, previous_files.source_files, units.source_files]
        ))) as source_files
    from attribution
    inner join units using (adcode)
    inner join list_files as current_files
        on attribution.list = current_files.list and attribution.data_year = current_files.data_year
    inner join list_files as previous_files
        on attribution.list = previous_files.list and attribution.previous_data_year = previous_files.data_year
)

select * from final
order by data_year, list, movement, rank, previous_rank
