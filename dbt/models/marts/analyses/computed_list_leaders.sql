-- 前 N 名 by a measure (2022 edition 图30: patents, 图31: invention patents per 10k people, of the 工业百强区):
-- each computed list's members ordered by a measure of the dbt var leader_measures, the first
-- leader_count of them; ties by the list's rank.
with

measures as (
    select * from {{ ref('int_computed_lists__measures') }}
    where measure in ({% for m in var('leader_measures') %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %})
        and value is not null
),

ordered as (
    select
        *,
        row_number() over (partition by data_year, list, measure order by value desc, rank) as position
    from measures
),

final as (
    select
        edition_year,
        data_year,
        list,
        measure,
        position,
        rank,
        adcode,
        name,
        province,
        region,
        value,
        synthetic,
        source_files
    from ordered
    where position <= {{ var('leader_count') }}
)

select * from final
where {{ in_data_years() }}
order by data_year, list, measure, position
