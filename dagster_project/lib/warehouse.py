"""Tables in the warehouse: written from and read into pandas by the ingest assets and their checks.

Imported inside asset bodies (pandas loads when an asset runs, not when the definitions load).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dagster_project.lib.expectations import FILE_COLUMN, ROW_COLUMN


def write_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pd.DataFrame) -> None:
    con.execute(f'create schema if not exists "{schema}"')
    con.register("ingested_frame", frame)
    con.execute(f'create or replace table "{schema}"."{table}" as select * from ingested_frame')
    con.unregister("ingested_frame")


def read_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> pd.DataFrame:
    return con.execute(f'select * from "{schema}"."{table}" order by {FILE_COLUMN}, {ROW_COLUMN}').df()
