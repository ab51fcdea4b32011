"""The one place that decides where data lives: the data directory and the warehouse inside it."""

from __future__ import annotations

import json
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from dagster_duckdb import DuckDBResource

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_DIR / "dbt"
EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
DEFAULT_DATA_DIR = PROJECT_DIR / "data"
WAREHOUSE_FILE = "warehouse/county_industry.duckdb"
PUBLISHED_FILE = "published/county_industry.duckdb"


class DataDirectory(ConfigurableResource):
    """Inputs under reference/ (and raw/); outputs under warehouse/ and published/."""

    path: str

    @property
    def root(self) -> Path:
        return Path(self.path)

    @property
    def reference(self) -> Path:
        return self.root / "reference"

    @property
    def warehouse(self) -> Path:
        return self.root / WAREHOUSE_FILE

    @property
    def published(self) -> Path:
        return self.root / PUBLISHED_FILE


class EngineConfig(ConfigurableResource):
    """Reviewable configuration of the engine: the AHP matrices (config/weights/*.yaml)."""

    weights_dir: str = str(PROJECT_DIR / "config" / "weights")


class Warehouse(DuckDBResource):
    """The pipeline's own DuckDB file; analysts read the published copy, never this one."""

    def setup_for_execution(self, context: InitResourceContext) -> None:
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)


def resources_for(data_dir: Path) -> dict[str, ConfigurableResource]:
    return {
        "data_dir": DataDirectory(path=str(data_dir)),
        "warehouse": Warehouse(database=str(data_dir / WAREHOUSE_FILE)),
        "engine_config": EngineConfig(),
    }


def dbt_vars(warehouse_path: Path, data_years: list[int] | None = None, run_id: str | None = None) -> str:
    """The --vars of every dbt call: dbt writes into the same warehouse as the Python assets; a
    partitioned run also names its data years (see dbt/macros/in_data_years.sql), and a build its Dagster
    run, which the lineage register records for the seeds it loads."""
    variables: dict[str, object] = {"warehouse_path": str(warehouse_path)}
    if data_years is not None:
        variables["data_years"] = data_years
    if run_id is not None:
        variables["dagster_run_id"] = run_id
    return json.dumps(variables)
