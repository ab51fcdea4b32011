"""Row counts, column types and column lineage of the models one dbt call built, read in one pass.

dagster-dbt's fetch_row_counts() and fetch_column_metadata() ask the dbt adapter once per model and once
per parent, through dbt's macros: 15 s of every refresh. One DuckDB connection answers the same questions
in a few queries, once dbt has exited (DuckDB has one writer). The column lineage is parsed from the
compiled SQL and these column types with sqlglot (column_lineage.py): seconds per refresh. It depends on
nothing else, so it is kept in the warehouse (the table lineage.column_lineage, which the mart
marts.column_lineage publishes), keyed by the sha256 of those inputs, and parsed again only for a model
whose SQL or parents' columns changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
from dagster import (
    AssetKey,
    AssetMaterialization,
    MetadataValue,
    Output,
    TableColumn,
    TableColumnDep,
    TableColumnLineage,
    TableSchema,
)

from dagster_project.column_lineage import Columns, Edge, edge_order, edges

if TYPE_CHECKING:
    from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation

# Every model's column lineage, kept between runs (a model a run does not build keeps its rows). Read by
# dbt/models/marts/lineage/column_lineage.sql, which is built after every other model (transform.py).
STORE_SCHEMA, STORE_TABLE = "lineage", "column_lineage"
STORE_COLUMNS = {
    "unique_id": "varchar",  # the model's dbt unique_id
    "inputs_sha256": "varchar",  # of its compiled SQL and the columns of it and its parents
    "model_schema": "varchar",
    "model": "varchar",
    "column_position": "integer",
    "column_name": "varchar",
    "upstream_id": "varchar",  # the dbt unique_id of the model, seed or source read
    "upstream_type": "varchar",
    "upstream_schema": "varchar",
    "upstream_model": "varchar",
    "upstream_column": "varchar",
    "expression": "varchar",
    "parsed": "boolean",
}
STORE = f"{STORE_SCHEMA}.{STORE_TABLE}"


def with_table_metadata(
    events: Iterable[Any], invocation: DbtCliInvocation, warehouse: Path, data_years: list[int] | None
) -> Iterator[Any]:
    """The events, each built model's materialisation with its row count, column schema and lineage; the
    lineage of those models stored in the warehouse.

    A partitioned run's row count is that of its data years, and the rows of each year are listed beside.
    """
    manifest = invocation.manifest
    with duckdb.connect(str(warehouse)) as con:
        columns = _columns_by_relation(con)
        tables = {
            (schema, name)
            for schema, name in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
        }
        stored = _stored_lineage(con)
        built: dict[str, tuple[str, list[Edge]]] = {}
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
            if node["resource_type"] == "model":
                key, parents, compiled = _lineage_inputs(invocation, node, own, columns)
                found = stored.get(node["unique_id"])
                lineage = (
                    found[1]
                    if found and found[0] == key
                    else edges(
                        compiled, own, node["relation_name"], parents, manifest["metadata"]["adapter_type"]
                    )
                )
                built[node["unique_id"]] = (key, lineage)
                metadata.update(_lineage_metadata(invocation, lineage))
            yield event.with_metadata({**event.metadata, **metadata})
        _store_lineage(con, manifest, columns, built)


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


def _lineage_inputs(
    invocation: DbtCliInvocation, node: dict[str, Any], own: Columns, columns: dict[tuple[str, str], Columns]
) -> tuple[str, dict[str, tuple[str, Columns]], str]:
    """The sha256 of what a model's lineage depends on; its parents (relation name -> unique_id and
    columns); its compiled SQL (empty for a Python model)."""
    manifest = invocation.manifest
    parents = {}
    for parent_id in manifest["parent_map"].get(node["unique_id"], []):
        parent = manifest["nodes"].get(parent_id) or manifest["sources"][parent_id]
        parents[parent["relation_name"]] = (parent_id, columns.get(_relation(parent), {}))
    path = invocation.target_path / "compiled" / node["package_name"] / node["original_file_path"]
    compiled = path.read_text(encoding="utf-8") if path.suffix == ".sql" and path.is_file() else ""
    key = hashlib.sha256(
        json.dumps(
            [node["unique_id"], node["relation_name"], own, parents, compiled], sort_keys=True
        ).encode()
    ).hexdigest()
    return key, parents, compiled


def _relation(node: dict[str, Any]) -> tuple[str, str]:
    return node["schema"], node["identifier"] if node["resource_type"] == "source" else node["alias"]


def _lineage_metadata(invocation: DbtCliInvocation, lineage: list[Edge]) -> dict[str, Any]:
    """Dagster's column lineage: each column's upstream columns, as the assets of their models."""
    if not any(edge.parsed for edge in lineage):
        return {}
    keys: dict[str, AssetKey] = {}
    deps: dict[str, list[TableColumnDep]] = {}
    for edge in lineage:
        column_deps = deps.setdefault(edge.column_name, [])
        if edge.upstream_id is None:
            continue
        if edge.upstream_id not in keys:
            keys[edge.upstream_id] = invocation.dagster_dbt_translator.get_asset_spec(
                invocation.manifest, edge.upstream_id, invocation.project
            ).key
        dep = TableColumnDep(asset_key=keys[edge.upstream_id], column_name=edge.upstream_column)
        if dep not in column_deps:
            column_deps.append(dep)
    return {"dagster/column_lineage": TableColumnLineage(deps_by_column=deps)}


def _stored_lineage(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, list[Edge]]]:
    """unique_id -> (inputs_sha256, edges) of every model stored."""
    if not con.execute(
        "SELECT 1 FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [STORE_SCHEMA, STORE_TABLE]
    ).fetchall():
        return {}
    stored: dict[str, tuple[str, list[Edge]]] = {}
    for unique_id, key, *fields in con.execute(
        "SELECT unique_id, inputs_sha256, column_name, upstream_id, upstream_column, expression, parsed "
        f"FROM {STORE}"
    ).fetchall():
        stored.setdefault(unique_id, (key, []))[1].append(Edge(*fields))
    return {unique_id: (key, sorted(lineage, key=edge_order)) for unique_id, (key, lineage) in stored.items()}


def _store_lineage(
    con: duckdb.DuckDBPyConnection,
    manifest: dict[str, Any],
    columns: dict[tuple[str, str], Columns],
    built: dict[str, tuple[str, list[Edge]]],
) -> None:
    """The rows of the models built replaced, and those of models no longer in the project removed."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {STORE_SCHEMA}")
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {STORE} ({', '.join(f'{c} {t}' for c, t in STORE_COLUMNS.items())})"
    )
    models = sorted(
        unique_id for unique_id, node in manifest["nodes"].items() if node["resource_type"] == "model"
    )
    con.execute(
        f"DELETE FROM {STORE} WHERE NOT list_contains(?, unique_id) OR list_contains(?, unique_id)",
        [models, sorted(built)],
    )
    rows = []
    for unique_id, (key, lineage) in sorted(built.items()):
        node = manifest["nodes"][unique_id]
        positions = {
            name: position for position, name in enumerate(columns.get(_relation(node), {}), start=1)
        }
        for edge in lineage:
            upstream = edge.upstream_id and (
                manifest["nodes"].get(edge.upstream_id) or manifest["sources"][edge.upstream_id]
            )
            upstream_schema, upstream_model = _relation(upstream) if upstream else (None, None)
            rows.append(
                (
                    unique_id,
                    key,
                    node["schema"],
                    node["alias"],
                    positions[edge.column_name],
                    edge.column_name,
                    edge.upstream_id,
                    upstream and upstream["resource_type"],
                    upstream_schema,
                    upstream_model,
                    edge.upstream_column,
                    edge.expression,
                    edge.parsed,
                )
            )
    if rows:  # from a data frame in one statement: executemany takes seconds for a thousand rows
        import pandas as pd

        con.from_df(pd.DataFrame(rows, columns=list(STORE_COLUMNS), dtype=object)).insert_into(STORE)
