"""One real run of the whole pipeline per test session, into a temporary data directory.

The input files are copied there, so tests that corrupt inputs never touch the repository.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, ExecuteInProcessResult

from dagster_project.definitions import build_definitions
from dagster_project.partitions import data_years, range_tags
from dagster_project.resources import DEFAULT_DATA_DIR, PUBLISHED_FILE

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


@dataclass
class PipelineRun:
    data_dir: Path
    result: ExecuteInProcessResult

    @property
    def published(self) -> Path:
        return self.data_dir / PUBLISHED_FILE


def copy_inputs(data_dir: Path) -> Path:
    """The committed inputs (reference data and the raw demo panel) into a scratch data directory."""
    for inputs in ("reference", "raw"):
        shutil.copytree(DEFAULT_DATA_DIR / inputs, data_dir / inputs)
    return data_dir


def run_pipeline(data_dir: Path, dagster_home: Path, year: str | None = None) -> PipelineRun:
    """Every data year in one run, as `county-industry run` does; or one year, as the sensor does."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    job = build_definitions(data_dir).resolve_job_def("refresh")
    years = {"partition_key": year} if year else {"tags": range_tags(data_years(data_dir))}
    with DagsterInstance.local_temp(str(dagster_home)) as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=QUIET, **years)
    return PipelineRun(data_dir, result)


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    root = tmp_path_factory.mktemp("good_run")
    run = run_pipeline(copy_inputs(root / "data"), root / "dagster_home")
    assert run.result.success, "the pipeline failed on the bundled reference data"
    return run


@pytest.fixture(scope="session")
def published(pipeline_run: PipelineRun) -> duckdb.DuckDBPyConnection:
    """The analysts' file, opened the way an analyst opens it: read-only."""
    con = duckdb.connect(str(pipeline_run.published), read_only=True)
    yield con
    con.close()
