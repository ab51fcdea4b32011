{#- The geometric two-year average of two yearly growth rates in % (docs/methodology.md §14):
    100 · (√((1 + g₁/100)(1 + g₂/100)) − 1); null where either is. -#}
{% macro two_year_average_growth(first, second) -%}
    100 * (sqrt((1 + {{ first }} / 100) * (1 + {{ second }} / 100)) - 1)
{%- endmacro %}
