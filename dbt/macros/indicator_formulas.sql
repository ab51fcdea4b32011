{#
    The indicators of the indicator system (config/raw_statistics.yaml), as (id, formula) pairs in the
    catalogue's order, read from the catalogue model when a model runs (dbt knows no file when it parses).
    The formulas were checked when the catalogue was read: arithmetic over the measures, nothing else.
#}
{% macro indicator_formulas() -%}
    {%- if execute -%}
        {%- set rows = run_query("select indicator, formula from " ~ ref('stg_engine__indicator_catalogue')) -%}
        {{ return(rows.rows | list) }}
    {%- else -%}
        {{ return([]) }}
    {%- endif -%}
{%- endmacro %}

{#- A formula's value, or null where it has none: DuckDB divides by zero to ±inf (or nan for 0 / 0). -#}
{% macro finite_or_null(formula) -%}
    case when isfinite(({{ formula }})::double) then ({{ formula }})::double end
{%- endmacro %}
