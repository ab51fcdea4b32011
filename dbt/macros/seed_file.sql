{#
    A dbt seed as the lineage register names it: its file relative to the project (as config/weights/ are),
    and its sha256, read by DuckDB from the file itself when the model runs (dbt's own seed checksum is
    not the file's sha256). Both come from dbt's record of the seed, which models see when they run; a dbt
    unit test sees no such record, and gets null.
#}
{% macro seed_file(seed) -%}
    {%- if execute and graph.get('nodes') -%}
        '{{ ("dbt/" ~ _seed_node(seed).original_file_path) | replace("'", "''") }}'
    {%- else -%}
        null
    {%- endif -%}
{%- endmacro %}

{% macro seed_sha256(seed) -%}
    {%- if execute and graph.get('nodes') -%}
        {%- set node = _seed_node(seed) -%}
        (select sha256(content) from read_blob('{{ (node.root_path ~ "/" ~ node.original_file_path) | replace("'", "''") }}'))
    {%- else -%}
        null
    {%- endif -%}
{%- endmacro %}

{% macro _seed_node(seed) -%}
    {{ return(graph.nodes['seed.' ~ project_name ~ '.' ~ seed]) }}
{%- endmacro %}
