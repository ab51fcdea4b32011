-- 县（市）人口规模分组 (2024 edition 图2): the 县（市） of each population class (seed population_size_classes:
-- lower bound included, upper excluded), data year after data year; class 1 is the 人口小县.
with

counties as (
    select * from {{ ref('int_overview__counties') }}
),

classes as (
    select * from {{ ref('population_size_classes') }}
),

years as (
    select distinct data_year from counties
),

counted as (
    select
        years.data_year,
        classes.class_order,
        count(counties.adcode) as units,
        coalesce(sum(counties.population_resident order by counties.adcode), 0) as population_resident,
        coalesce(bool_or(counties.synthetic), false) as synthetic,
        list(counties.source_file) filter (where counties.source_file is not null) as files
    from years
    cross join classes
    left join counties
        on counties.data_year = years.data_year
        and counties.population_resident >= classes.lower_bound
        and (classes.upper_bound is null or counties.population_resident < classes.upper_bound)
    group by years.data_year, classes.class_order
),

final as (
    select
        counted.data_year,
        classes.class_order,
        classes.class_label,
        classes.lower_bound,
        classes.upper_bound,
        counted.units,
        counted.units / sum(counted.units) over (partition by counted.data_year) as unit_share,
        counted.population_resident,
        counted.synthetic,
        list_sort(list_distinct(list_append(counted.files, {{ seed_file('population_size_classes') }})))
            as source_files
    from counted
    inner join classes using (class_order)
)

select * from final
where {{ in_data_years() }}
order by data_year, class_order
