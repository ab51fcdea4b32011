-- Every scored unit ranked within its list: index score descending, ties broken by adcode ascending.
with

scores as (
    select * from {{ ref('int_scores__index') }}
),

lists as (
    select * from (values
        ('industrial', 'county', 'industrial_county'),
        ('industrial', 'district', 'industrial_district'),
        ('innovation', 'county', 'innovation_county')
    ) as t(index_id, universe, list)
),

final as (
    select
        scores.data_year + 1 as edition_year,
        scores.data_year,
        lists.list,
        row_number() over (
            partition by scores.data_year, lists.list order by scores.index_score desc, scores.adcode
        ) as rank,
        scores.adcode,
        scores.index_score,
        scores.synthetic,
        scores.source_files
    from scores
    inner join lists using (index_id, universe)
)

select * from final
