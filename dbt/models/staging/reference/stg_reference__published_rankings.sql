{#- One row per unit, list and edition: the ranking tables of every edition, stacked. -#}
{%- set tables = [] -%}
{%- for edition in var('ranking_editions') -%}
    {%- for list in var('ranking_lists') -%}
        {%- do tables.append('rankings_' ~ edition ~ '_' ~ list) -%}
    {%- endfor -%}
{%- endfor -%}

with
{% for table in tables %}
{{ table }} as (
    select
        edition_year::integer as edition_year,
        list,
        rank::integer as rank,
        adcode,
        province_printed,
        prefecture_printed,
        name_printed,
        unit_type_printed,
        star::integer as star,
        source_row::integer as source_row,
        source_file,
        source_sha256
    from {{ source('reference', table) }}
){{ ',' if not loop.last }}
{% endfor %}

{% for table in tables %}
select * from {{ table }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
