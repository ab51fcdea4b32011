"""Reading input files strictly and writing ingested tables into the warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
from dagster import Failure

from dagster_project.lib.expectations import ROW_COLUMN

SCHEMA = "reference"


def read_csv_strictly(path: Path, required_columns: list[str]) -> pd.DataFrame:
    """All cells as text, each row numbered by its line in the file (the header is line 1)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in required_columns if c not in frame.columns]
    if missing:
        raise Failure(f"{path}: missing columns {missing}; the file has {list(frame.columns)}")
    frame.insert(0, ROW_COLUMN, range(2, len(frame) + 2))
    return frame


def write_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.execute(f"create schema if not exists {SCHEMA}")
    con.register("ingested_frame", frame)
    con.execute(f'create or replace table {SCHEMA}."{table}" as select * from ingested_frame')
    con.unregister("ingested_frame")


def read_table(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    return con.execute(f'select * from {SCHEMA}."{table}" order by {ROW_COLUMN}').df()
