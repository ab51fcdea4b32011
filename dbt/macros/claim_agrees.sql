{#- Whether a computed value agrees with the published one under the claim's comparison: "=" within the
    tolerance (or the same text, as a rank range or "absent"), ">" "超/过", ">=" "以上", "<" "不足/低于",
    "<=" "以内", "near" "近/接近" (at most the published value, by no more than the tolerance). -#}
{% macro claim_agrees(computed, published, comparison, tolerance) -%}
    {%- set c = "try_cast(" ~ computed ~ " as double)" -%}
    {%- set p = "try_cast(" ~ published ~ " as double)" -%}
    coalesce(case {{ comparison }}
        when '=' then {{ computed }} = {{ published }} or abs({{ c }} - {{ p }}) <= {{ tolerance }}
        when '>' then {{ c }} > {{ p }}
        when '>=' then {{ c }} >= {{ p }}
        when '<' then {{ c }} < {{ p }}
        when '<=' then {{ c }} <= {{ p }}
        when 'near' then {{ c }} between {{ p }} - {{ tolerance }} and {{ p }}
    end, false)
{%- endmacro %}
