"""Row counts, column types and column lineage of the models one dbt call built, read in one pass.

dagster-dbt's fetch_row_counts() and fetch_column_metadata() ask the dbt adapter once per model and once
per parent, through dbt's macros: 15 s of every refresh. One read-only DuckDB connection answers the same
questions in a few queries, once dbt has exited (DuckDB has one writer). The column lineage is still
derived by dagster-dbt, from the compiled SQL and these column types, with sqlglot: seconds per refresh.
It depends on nothing else, so it is kept beside the warehouse, keyed by the sha256 of those inputs, and
parsed again only for a model whose SQL or parents' columns changed.
"""

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
from dagster import (
    AssetMaterialization,
    MetadataValue,
    Output,
    TableColumn,
    TableSchema,
    deserialize_value,
    get_dagster_logger,
    serialize_value,
)

# Private to dagster-dbt (pinned in requirements.lock): re-check on upgrade. tests/test_pipeline.py
# (test_dbt_models_carry_row_counts_columns_and_column_lineage) fails if it changes behaviour.
from dagster_dbt.core.dbt_cli_event import EventHistoryMetadata, _build_column_lineage_metadata
from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation

# A model without column lineage is no fault of the run: said in the run's log (the UI), not the console.
logger = get_dagster_logger(__name__)
# sqlglot warns once per UNPIVOT it cannot trace (its lineage then stops at that relation); nothing for
# whoever runs the pipeline to act on, and repeated for every model that reads one.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

Columns = dict[str, dict[str, str]]  # column name -> {"data_type": ...}, in table order
LINEAGE_CACHE = ".column_lineage_cache.json"  # beside the warehouse file, and deleted with it


def with_table_metadata(
    events: Iterable[Any], invocation: DbtCliInvocation, warehouse: Path, data_years: list[int] | None
) -> Iterator[Any]:
    """The events, each built model's materialisation with its row count, column schema and lineage.

    A partitioned run's row count is that of its data years, and the rows of each year are listed beside.
    """
    manifest = invocation.manifest
    cache_file = warehouse.with_name(LINEAGE_CACHE)
    cache = json.loads(cache_file.read_text(encoding="utf-8")) if cache_file.exists() else {}
    used: dict[str, str] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = _columns_by_relation(con)
        tables = {
            (schema, name)
            for schema, name in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
        }
        for event in events:
            if not isinstance(event, Output | AssetMaterialization) or "unique_id" not in event.metadata:
                yield event
                continue
            node = manifest["nodes"][event.metadata["unique_id"].value]
            relation = (node["schema"], node["alias"])
            own = columns.get(relation, {})
            metadata: dict[str, Any] = {
                "dagster/column_schema": TableSchema(
                    columns=[
                        TableColumn(name, meta["data_type"], node["columns"].get(name, {}).get("description"))
                        for name, meta in own.items()
                    ]
                )
            }
            if relation in tables:  # not views: counting them would run their queries
                metadata.update(_row_counts(con, relation, data_years))
            metadata.update(_lineage(invocation, node, own, columns, cache, used))
            yield event.with_metadata({**event.metadata, **metadata})
    # Only the entries of this call's models are rewritten; the others' stay for the next call.
    cache_file.write_text(json.dumps({**cache, **used}, sort_keys=True), encoding="utf-8")


def _columns_by_relation(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], Columns]:
    columns: dict[tuple[str, str], Columns] = {}
    for schema, table, column, data_type in con.execute(
        "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns"
        " ORDER BY table_schema, table_name, ordinal_position"
    ).fetchall():
        columns.setdefault((schema, table), {})[column] = {"data_type": data_type}
    return columns


def _row_counts(
    con: duckdb.DuckDBPyConnection, relation: tuple[str, str], data_years: list[int] | None
) -> dict:
    schema, table = (part.replace('"', '""') for part in relation)
    if data_years is None:
        return {"dagster/row_count": con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()[0]}
    by_year = dict(
        con.execute(
            f'SELECT data_year, count(*) FROM "{schema}"."{table}"'
            " WHERE list_contains(?, data_year) GROUP BY ALL ORDER BY ALL",
            [data_years],
        ).fetchall()
    )
    return {
        "dagster/row_count": sum(by_year.values()),
        "rows_by_data_year": MetadataValue.json({str(year): by_year.get(year, 0) for year in data_years}),
    }


def _lineage(
    invocation: DbtCliInvocation,
    node: dict[str, Any],
    own: Columns,
    columns: dict[tuple[str, str], Columns],
    cache: dict[str, str],
    used: dict[str, str],
) -> dict[str, Any]:
    """Which parent columns each column is computed from, parsed from the compiled SQL by sqlglot, or
    taken from the cache when the SQL and every column schema it reads are the same."""
    manifest = invocation.manifest
    parents = {}
    for parent_id in manifest["parent_map"].get(node["unique_id"], []):
        parent = manifest["nodes"].get(parent_id) or manifest["sources"][parent_id]
        name = parent["identifier"] if parent_id.startswith("source.") else parent["alias"]
        parents[parent["relation_name"]] = columns.get((parent["schema"], name), {})
    compiled = invocation.target_path / "compiled" / node["package_name"] / node["original_file_path"]
    key = hashlib.sha256(
        json.dumps([node["unique_id"], node["relation_name"], own, parents], sort_keys=True).encode()
        + (compiled.read_bytes() if compiled.is_file() else b"")
    ).hexdigest()
    if key in cache:
        used[key] = cache[key]
        return deserialize_value(cache[key], dict)
    lineage = _parse_lineage(invocation, node, own, parents)
    used[key] = serialize_value(lineage)
    return lineage


def _parse_lineage(
    invocation: DbtCliInvocation, node: dict[str, Any], own: Columns, parents: dict[str, Columns]
) -> dict[str, Any]:
    if node.get("language") == "python":  # sqlglot has no SQL to read
        return {}
    try:
        return _build_column_lineage_metadata(
            event_history_metadata=EventHistoryMetadata(columns=own, parents=parents),
            dbt_resource_props=node,
            manifest=invocation.manifest,
            dagster_dbt_translator=invocation.dagster_dbt_translator,
            target_path=invocation.target_path,
            project=invocation.project,
        )
    except Exception as error:  # noqa: BLE001 - sqlglot cannot resolve every model's columns
        logger.info("no column lineage for %s: %s", node["unique_id"], error)
        return {}
