"""A data year's page in the UI (its partition's materialisation): its own files and rows, though one run
loaded every year (the session's run covers 2021 to 2023 in one step)."""

from pathlib import Path

import openpyxl
import pytest
from dagster import AssetRecordsFilter, DagsterInstance

from dagster_project.partitions import data_years
from dagster_project.raw.ingest import RAW_SOURCES
from tests.conftest import PipelineRun

pytestmark = pytest.mark.independent  # the files on disk, their rows counted here by hand


def data_rows(path: Path) -> int:
    """The rows under the header, counted without the project's readers."""
    if path.suffix == ".xlsx":
        return openpyxl.load_workbook(path, read_only=True).active.max_row - 1
    return len([line for line in path.read_bytes().splitlines()[1:] if line.strip()])


@pytest.mark.parametrize("source", RAW_SOURCES, ids=lambda source: source.name)
def test_each_year_shows_its_own_files_and_rows(pipeline_run: PipelineRun, source) -> None:
    years = data_years(pipeline_run.data_dir)
    assert len(years) > 1, "a run of several years"
    with DagsterInstance.from_config(str(pipeline_run.data_dir.parent / "dagster_home")) as instance:
        for year in years:
            [record] = instance.fetch_materializations(
                AssetRecordsFilter(asset_key=source.key, asset_partitions=[year]), limit=1
            ).records
            metadata = record.asset_materialization.metadata
            folder = pipeline_run.data_dir / "raw" / source.name / year
            files = sorted(folder.iterdir())
            assert sorted(metadata["source_files"].value) == [
                p.relative_to(pipeline_run.data_dir).as_posix() for p in files
            ], year
            assert metadata["rows"].value == sum(map(data_rows, files)), year
