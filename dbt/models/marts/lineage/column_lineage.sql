-- Every column of every model, with the upstream columns it is computed from and the SQL that computes
-- it: the rows parsed from each model's compiled SQL after it is built (dagster_project/column_lineage.py).
-- Built after every other model (its dbt tag, dagster_project/transform.py). Its own columns are left out:
-- parsed after it is built, they would appear one run late.
with

parsed as (
    select * from {{ source('lineage', 'column_lineage') }}
),

final as (
    select
        model_schema,
        model,
        column_position,
        column_name,
        upstream_type,
        upstream_schema,
        upstream_model,
        upstream_column,
        expression,
        parsed
    from parsed
    where unique_id != '{{ model.unique_id }}'
)

select * from final
order by all
