{#- The order the reports list the NBS regions in: 东部, 中部, 西部, 东北. -#}
{% macro region_order(column) -%}
    case {{ column }} when '东部' then 1 when '中部' then 2 when '西部' then 3 when '东北' then 4 end
{%- endmacro %}
