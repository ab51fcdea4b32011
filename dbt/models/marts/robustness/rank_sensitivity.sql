-- Which choice of the method moves the ranks most (§10): first- and total-order indices of the mean
-- absolute rank shift of the central top N, per list and data year.
with

indices as (
    select * from {{ ref('int_robustness__sensitivity') }}
),

-- a list's analysis depends on every unit of its universe and year: their files, the weights, the catalogue
list_files as (
    select
        data_year,
        list,
        bool_or(synthetic) as synthetic,
        list_sort(list_distinct(flatten(list(source_files)))) as source_files
    from {{ ref('int_rankings__ranked') }}
    group by all
),

final as (
    select
        indices.data_year + 1 as edition_year,
        indices.data_year,
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
