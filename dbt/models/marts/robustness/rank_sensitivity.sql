-- Which choice of the method moves the ranks most (§10): first- and total-order indices of the mean
-- absolute rank shift of the central top N, per list and data year.
with

indices as (
    select * from {{ ref('int_robustness__sensitivity') }}
),

list_files as (
    select * from {{ ref('int_rankings__list_files') }}
),

final as (
    select
        (indices.data_year + 1)::integer as edition_year,
        indices.data_year::integer as data_year,
        indices.list,
        indices.factor,
        indices.first_order,
        indices.total_order,
        indices.output_variance,
        indices.mean_rank_shift,
        indices.draws,
        list_files.synthetic,
        list_files.source_files
    from indices
    inner join list_files using (data_year, list)
)

select * from final
where {{ in_data_years() }}
order by data_year, list, factor
