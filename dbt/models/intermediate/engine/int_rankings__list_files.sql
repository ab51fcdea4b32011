-- Per list and data year, what an analysis of the whole list depends on: every ranked unit of its universe
-- and year, so their files (with the weights and the catalogue) and whether any is synthetic.
select
    data_year,
    list,
    bool_or(synthetic) as synthetic,
    list_sort(list_distinct(flatten(list(source_files)))) as source_files
from {{ ref('int_rankings__ranked') }}
group by data_year, list
