"""The one place that decides where data lives: the data directory and the warehouse inside it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from dagster_duckdb import DuckDBResource

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_DIR / "dbt"
DBT_PROJECT_FILE = DBT_PROJECT_DIR / "dbt_project.yml"
DBT_TARGET_DIR = DBT_PROJECT_DIR / "target"  # dbt's default target-path: `make setup` parses into it
DBT_MANIFEST = DBT_TARGET_DIR / "manifest.json"
# The registry (dagster_project/lib/registry.py): dbt seeds, so that the SQL reads them too, with ref().
RANKING_LISTS_SEED = DBT_PROJECT_DIR / "seeds" / "ranking_lists.csv"
REGIONS_SEED = DBT_PROJECT_DIR / "seeds" / "regions.csv"
CLAIM_MEASURES_SEED = DBT_PROJECT_DIR / "seeds" / "claim_measures.csv"
RANKINGS_FOLDER = "rankings"  # under data/reference/: <edition>_<list>.csv, one file per list and edition
EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
CONFIG_DIR = PROJECT_DIR / "config"
RAW_STATISTICS_CONTRACT = CONFIG_DIR / "raw_statistics.yaml"  # the indicator system too
NATIONAL_TOTALS_CONTRACT = CONFIG_DIR / "national_totals.yaml"
WEIGHTS_DIR = CONFIG_DIR / "weights"  # one AHP file per index
DEFAULT_DATA_DIR = PROJECT_DIR / "data"
DATA_DIR_ENV = "COUNTY_INDUSTRY_DATA_DIR"  # another data directory, for the command line and the code servers
# Under a data directory: the real reference tables; the raw statistics, a folder per input and data year;
# the files waiting to be validated, mirroring raw/ (no run reads them).
REFERENCE_FOLDER = "reference"
RAW_FOLDER = "raw"
INCOMING_FOLDER = "incoming"
WAREHOUSE_FILE = "warehouse/county_industry.duckdb"
PUBLISHED_FILE = "published/county_industry.duckdb"
# Beside the published file: the snapshots it links into, and the dbt docs site.
SNAPSHOTS_FOLDER = "snapshots"
DOCS_FOLDER = "docs"
# The run history of `make` and the command line (DAGSTER_HOME overrides it).
DAGSTER_HOME_DIR = PROJECT_DIR / ".dagster_home"
INSTANCE_SETTINGS = PROJECT_DIR / "dagster_instance.yaml"
# How long a run waits for another run's writer lock before it fails (the command line refuses at once).
WRITER_WAIT_SECONDS = 6 * 3600


@contextmanager
def writer_lock_for_run(context: InitResourceContext, data_dir: Path) -> Iterator[None]:
    """Hold the data directory's writer lock for the whole run (lib/writer_lock.py), after marking failed
    the runs whose process is gone and recording this run's own process (run_health.py). Outside a run
    (a sensor, a test building a resource) there is nothing to hold."""
    from dagster_project.lib import writer_lock
    from dagster_project.run_health import process_tags, reap_dead_runs

    run, instance = context.run, context.instance
    if run is None or instance is None:
        yield
        return
    reap_dead_runs(instance)
    instance.add_run_tags(run.run_id, process_tags())

    def waiting(holder: writer_lock.Holder | None) -> None:
        who = holder.describe() if holder else "another process"
        context.log.warning(f"{data_dir} is being written by {who}: this run waits its turn")

    with writer_lock.hold(data_dir, run.run_id, WRITER_WAIT_SECONDS, waiting):
        yield


class DataDirectory(ConfigurableResource):
    """Inputs under reference/ (and raw/); outputs under warehouse/ and published/. A run that uses it
    holds the directory's writer lock from start to end."""

    path: str

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[DataDirectory]:
        with writer_lock_for_run(context, self.root):
            yield self

    @property
    def root(self) -> Path:
        return Path(self.path)

    @property
    def reference(self) -> Path:
        return self.root / REFERENCE_FOLDER

    @property
    def warehouse(self) -> Path:
        return self.root / WAREHOUSE_FILE

    @property
    def published(self) -> Path:
        return self.root / PUBLISHED_FILE


class EngineConfig(ConfigurableResource):
    """Reviewable configuration of the engine: the AHP matrices (config/weights/*.yaml)."""

    weights_dir: str = str(WEIGHTS_DIR)


class Warehouse(DuckDBResource):
    """The pipeline's own DuckDB file; analysts read the published copy, never this one. A run that uses it
    holds the data directory's writer lock (the same lock as DataDirectory's: it belongs to the process)."""

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[Warehouse]:
        warehouse = Path(self.database)
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        with writer_lock_for_run(context, warehouse.parent.parent):
            yield self


def environment_data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV, DEFAULT_DATA_DIR))


# The data directory of the definitions being loaded: the defs folder's modules read it, as Dagster calls
# them with no argument of ours (dagster_project/defs/).
_LOADING_FOR: ContextVar[Path | None] = ContextVar("definitions_data_dir", default=None)


@contextmanager
def loading_definitions_for(data_dir: Path) -> Iterator[None]:
    token = _LOADING_FOR.set(data_dir)
    try:
        yield
    finally:
        _LOADING_FOR.reset(token)


def definitions_data_dir() -> Path:
    """build_definitions' data directory (loading_definitions_for); the environment's when the defs folder
    is loaded on its own (`dg`'s defs-folder loading)."""
    return _LOADING_FOR.get() or environment_data_dir()


def resources_for(data_dir: Path) -> dict[str, ConfigurableResource]:
    return {
        "data_dir": DataDirectory(path=str(data_dir)),
        "warehouse": Warehouse(database=str(data_dir / WAREHOUSE_FILE)),
        "engine_config": EngineConfig(),
    }


# What varies per dbt call reaches dbt as environment variables, not --vars: dbt re-parses the whole
# project when its vars differ from the last parse, but only the files that read a changed variable.
DBT_WAREHOUSE_ENV = "COUNTY_INDUSTRY_WAREHOUSE"  # dbt/profiles.yml
DBT_DATA_YEARS_ENV = "COUNTY_INDUSTRY_DATA_YEARS"  # dbt/macros/in_data_years.sql
DBT_RUN_ID_ENV = "COUNTY_INDUSTRY_RUN_ID"  # dbt/models/marts/source_files.sql
# Not per call but per deployment: the Monte Carlo draws of the robustness models when not dbt_project.yml's
# robustness_draws (docs/methodology.md §9; dbt/models/intermediate/robustness/_int_robustness.yml).
DBT_ROBUSTNESS_DRAWS_ENV = "COUNTY_INDUSTRY_ROBUSTNESS_DRAWS"


def dbt_env(warehouse_path: Path, data_years: list[int] | None = None, run_id: str | None = None) -> dict:
    """The environment of a dbt call: dbt writes into the same warehouse as the Python assets; a
    partitioned run also names its data years, and a build its Dagster run, which the lineage register
    records for the seeds it loads. Empty means unset (every year; dbt's own invocation id)."""
    return {
        DBT_WAREHOUSE_ENV: str(warehouse_path),
        DBT_DATA_YEARS_ENV: json.dumps(data_years) if data_years is not None else "",
        DBT_RUN_ID_ENV: run_id or "",
    }
