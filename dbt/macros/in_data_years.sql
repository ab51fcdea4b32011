{#
    The rows of the data years a partitioned run builds (COUNTY_INDUSTRY_DATA_YEARS, a JSON list set by
    Dagster from the run's partition keys); every year when it is unset or empty (dbt docs, a manual dbt
    build).
    Per-year marts are incremental (delete+insert on data_year): a run replaces exactly its years.
#}
{% macro in_data_years(column='data_year') -%}
    {%- set given = env_var('COUNTY_INDUSTRY_DATA_YEARS', '') -%}
    {%- set years = fromjson(given) if given else none -%}
    {%- if years is none -%}
        true
    {%- else -%}
        {{ column }} in ({% for year in years %}{{ year | int }}{% if not loop.last %}, {% endif %}{% endfor %})
    {%- endif -%}
{%- endmacro %}
