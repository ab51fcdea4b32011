"""Tables in the warehouse: written from and read into pandas by the ingest assets and their checks.

Imported inside asset bodies (pandas loads when an asset runs, not when the definitions load).
Partitioned tables carry `folder_year`, the data year whose folder their rows came from.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dagster_project.lib.expectations import FILE_COLUMN, ROW_COLUMN

YEAR_COLUMN = "folder_year"


def write_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pd.DataFrame) -> None:
    con.execute(f'create schema if not exists "{schema}"')
    con.register("ingested_frame", frame)
    con.execute(f'create or replace table "{schema}"."{table}" as select * from ingested_frame')
    con.unregister("ingested_frame")


def replace_years(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pd.DataFrame, years: list[int]
) -> None:
    """Those years' rows, and only those, replaced in one transaction: a reader never sees half a year.
    A column the table lacks (a new optional measure, a new flag) is added, null for the years kept, so
    that an existing warehouse takes it without a rebuild."""
    con.execute(f'create schema if not exists "{schema}"')
    con.register("ingested_frame", frame)
    con.execute("begin transaction")
    try:
        con.execute(f'create table if not exists "{schema}"."{table}" as from ingested_frame limit 0')
        existing = {
            name
            for (name,) in con.execute(
                "select column_name from duckdb_columns() where schema_name = ? and table_name = ?",
                [schema, table],
            ).fetchall()
        }
        for name, type_ in con.execute(
            "select column_name, column_type from (describe ingested_frame)"
        ).fetchall():
            if name not in existing:
                con.execute(f'alter table "{schema}"."{table}" add column "{name}" {type_}')
        con.execute(f'delete from "{schema}"."{table}" where list_contains(?, {YEAR_COLUMN})', [years])
        con.execute(f'insert into "{schema}"."{table}" by name from ingested_frame')
        con.execute("commit")
    except duckdb.Error:
        con.execute("rollback")
        raise
    finally:
        con.unregister("ingested_frame")


def read_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> pd.DataFrame:
    return con.execute(f'select * from "{schema}"."{table}" order by {FILE_COLUMN}, {ROW_COLUMN}').df()


def read_years(con: duckdb.DuckDBPyConnection, schema: str, table: str, years: list[int]) -> pd.DataFrame:
    """The rows of those data years; none if the table does not exist yet."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?", [schema, table]
    ).fetchone()[0]
    if not exists:
        return pd.DataFrame()
    return con.execute(
        f'select * from "{schema}"."{table}" where list_contains(?, {YEAR_COLUMN}) '
        f"order by {FILE_COLUMN}, {ROW_COLUMN}",
        [years],
    ).df()
