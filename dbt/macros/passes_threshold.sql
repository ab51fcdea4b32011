{#- A measure's value against a threshold of the seed analysis_thresholds, as the report words it: 超过 (>) or
    以上 (>=); a missing value passes none. -#}
{% macro passes_threshold(value='measures.value', thresholds='thresholds') -%}
    case {{ thresholds }}.comparison
        when '>=' then {{ value }} >= {{ thresholds }}.threshold
        else {{ value }} > {{ thresholds }}.threshold
    end
{%- endmacro %}
