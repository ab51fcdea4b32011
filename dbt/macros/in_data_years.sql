{#
    The rows of the data years a partitioned run builds (var data_years, set by Dagster from the run's
    partition keys); every year when no such var is given (dbt docs, a manual dbt build).
    Per-year marts are incremental (delete+insert on data_year): a run replaces exactly its years.
#}
{% macro in_data_years(column='data_year') -%}
    {%- set years = var('data_years', none) -%}
    {%- if years is none -%}
        true
    {%- else -%}
        {{ column }} in ({% for year in years %}{{ year | int }}{% if not loop.last %}, {% endif %}{% endfor %})
    {%- endif -%}
{%- endmacro %}
