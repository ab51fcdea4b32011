{#- A region's place in the order the reports list the NBS regions in (东部, 中部, 西部, 东北): the
    registry seed regions. Its columns are renamed so that the caller's column, qualified or not, is the
    caller's. -#}
{% macro region_order(column) -%}
    (select registry.registry_place from {{ ref('regions') }} as registry(registry_region, registry_place)
        where registry.registry_region = {{ column }})
{%- endmacro %}
