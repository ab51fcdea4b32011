{#
    A dbt seed as the lineage register names it: its file relative to the project (as config/weights/ are),
    and its sha256, read by DuckDB from the file itself when the model runs (dbt's own seed checksum is
    not the file's sha256).
#}
{% macro seed_file(seed) -%}
    'dbt/seeds/{{ seed }}.csv'
{%- endmacro %}

{% macro seed_sha256(seed) -%}
    {%- if execute -%}
        {%- set node = graph.nodes['seed.' ~ project_name ~ '.' ~ seed] -%}
        {%- set path = node.root_path ~ '/' ~ node.original_file_path -%}
        (select sha256(content) from read_blob('{{ path | replace("'", "''") }}'))
    {%- else -%}
        null
    {%- endif -%}
{%- endmacro %}
