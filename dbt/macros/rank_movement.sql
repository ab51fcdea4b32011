{#- How a unit moved between two lists (published editions, or computed data years): rank_change is
    positive when it climbed; movement is entered (新进), exited (退出) or stayed (保持). -#}
{% macro rank_movement(rank, previous_rank) -%}
    {{ previous_rank }} - {{ rank }} as rank_change,
        case
            when {{ previous_rank }} is null then 'entered'
            when {{ rank }} is null then 'exited'
            else 'stayed'
        end as movement
{%- endmacro %}
