"""The sensor on data/raw/ (content hashes, not modification times) and the yearly schedule."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from dagster import (
    AssetKey,
    DagsterInstance,
    DagsterRun,
    DagsterRunStatus,
    RunRequest,
    SensorResult,
    SkipReason,
    build_schedule_context,
    build_sensor_context,
    materialize,
)

from dagster_project.definitions import build_definitions
from dagster_project.partitions import DATA_YEARS, data_years, range_tags, register_data_years
from dagster_project.reference.admin_units import admin_units
from dagster_project.resources import resources_for
from dagster_project.run_health import process_tags
from tests.conftest import QUIET, copy_inputs

pytestmark = pytest.mark.independent  # the sensor's and the schedule's stated behaviour, on real files

PANEL = "raw/county_statistics"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DagsterInstance]:
    """The raw files of every year loaded once, as a run would: what the sensor compares against."""
    root = tmp_path_factory.mktemp("sensor")
    data_dir = copy_inputs(root / "data")
    defs = build_definitions(data_dir)
    raw = [defs.get_assets_def(key) for key in (["raw", "county_statistics"], ["raw", "national_totals"])]
    (root / "home").mkdir()
    with DagsterInstance.local_temp(str(root / "home")) as instance:
        register_data_years(instance, data_dir)
        result = materialize(
            [admin_units, *raw],
            instance=instance,
            resources=resources_for(data_dir),
            tags=range_tags(data_years(data_dir)),
            run_config=QUIET,
        )
        assert result.success
        yield data_dir, instance


def evaluate(data_dir: Path, instance: DagsterInstance) -> SensorResult | SkipReason:
    sensor = build_definitions(data_dir).resolve_sensor_def("raw_files_changed")
    return sensor(build_sensor_context(instance=instance))


def requested(outcome: SensorResult | SkipReason) -> list[RunRequest]:
    return list(outcome.run_requests or []) if isinstance(outcome, SensorResult) else []


@pytest.fixture
def panel_file(loaded: tuple[Path, DagsterInstance]) -> Path:
    """The 2022 panel file, put back as it was after the test."""
    path = next((loaded[0] / PANEL / "2022").glob("*.csv"))
    original = path.read_bytes()
    yield path
    path.write_bytes(original)


def test_nothing_is_requested_while_the_files_are_those_loaded(loaded: tuple[Path, DagsterInstance]) -> None:
    outcome = evaluate(*loaded)
    assert isinstance(outcome, SkipReason), outcome
    assert "no raw file is new or changed" in outcome.skip_message


def test_a_new_modification_time_alone_requests_nothing(
    loaded: tuple[Path, DagsterInstance], panel_file: Path
) -> None:
    os.utime(panel_file, (0, 0))
    assert requested(evaluate(*loaded)) == []


def test_changed_content_requests_a_run_of_that_year_once(
    loaded: tuple[Path, DagsterInstance], panel_file: Path
) -> None:
    panel_file.write_bytes(panel_file.read_bytes() + b"\n")
    first, again = requested(evaluate(*loaded)), requested(evaluate(*loaded))
    assert [r.partition_key for r in first] == ["2022"], first
    assert first[0].run_key.startswith("2022:")
    assert [r.run_key for r in again] == [first[0].run_key], "the same content gives the same run key"


def test_a_new_year_folder_becomes_a_partition_and_is_requested_without_a_reload(
    loaded: tuple[Path, DagsterInstance],
) -> None:
    data_dir, instance = loaded
    running = build_definitions(data_dir)  # a code location loaded before the folder appeared
    new_year = data_dir / PANEL / "2024"
    new_year.mkdir()
    try:
        shutil.copy(next((data_dir / PANEL / "2022").glob("*.csv")), new_year / "county_statistics_2024.csv")
        outcome = running.resolve_sensor_def("raw_files_changed")(build_sensor_context(instance=instance))
        assert [r.partition_key for r in requested(outcome)] == ["2024"]
        [added] = outcome.dynamic_partitions_requests
        assert (added.partitions_def_name, list(added.partition_keys)) == (DATA_YEARS.name, ["2024"])
    finally:
        shutil.rmtree(new_year)


def test_a_symlink_leading_out_of_the_data_directory_is_ignored(
    loaded: tuple[Path, DagsterInstance], tmp_path: Path
) -> None:
    data_dir, instance = loaded
    outside = tmp_path / "outside.csv"
    outside.write_text("adcode,data_year\n", encoding="utf-8")
    link = data_dir / PANEL / "2022" / "linked.csv"
    link.symlink_to(outside)
    try:
        assert requested(evaluate(data_dir, instance)) == []
    finally:
        link.unlink()


def test_the_yearly_schedule_refreshes_the_latest_year(loaded: tuple[Path, DagsterInstance]) -> None:
    data_dir, instance = loaded
    schedule = build_definitions(data_dir).resolve_schedule_def("yearly_refresh")
    request = schedule(build_schedule_context(instance=instance))
    assert request.partition_key == data_years(data_dir)[-1] == "2023"
    assert schedule.cron_schedule == "0 3 1 10 *"


def test_the_sensor_marks_failed_a_run_whose_process_is_gone_and_keeps_a_live_one(
    loaded: tuple[Path, DagsterInstance],
) -> None:
    """A run killed with SIGKILL never reports its end; the sensor's tick (under the daemon) marks it
    failed from the process it recorded, so the run queue (one at a time) is not blocked for ever. A run
    whose process still runs (this test's own) stays as it is."""
    data_dir, instance = loaded
    gone = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    tags = process_tags(gone.pid)  # recorded while it runs, as a run records its own process
    gone.stdin.close()
    gone.wait()
    dead, live = (
        DagsterRun(job_name="refresh", run_id=str(uuid.uuid4()), status=DagsterRunStatus.STARTED, tags=t)
        for t in (tags, process_tags())
    )
    instance.add_run(dead)
    instance.add_run(live)
    evaluate(data_dir, instance)
    assert instance.get_run_by_id(dead.run_id).status == DagsterRunStatus.FAILURE
    assert instance.get_run_by_id(live.run_id).status == DagsterRunStatus.STARTED
    instance.report_run_failed(instance.get_run_by_id(live.run_id))  # the other tests see no run in progress


def test_office_lock_files_beside_a_years_files_are_neither_read_nor_a_change(
    loaded: tuple[Path, DagsterInstance],
) -> None:
    """Excel's ~$name.xlsx (while the workbook is open) and macOS's ._name.csv are named like raw files but
    are none: the sensor requests nothing, and the year's ingest reads its files only (it refused the lock
    file as a workbook no reader opens)."""
    data_dir, instance = loaded
    year = data_dir / PANEL / "2022"
    before = sorted(path.name for path in year.iterdir())
    lock, apple = year / "~$county_statistics_2022.xlsx", year / "._county_statistics_2022.csv"
    lock.write_bytes(b"\x07owner\x00")
    apple.write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    try:
        assert requested(evaluate(data_dir, instance)) == []
        defs = build_definitions(data_dir)
        result = materialize(
            [admin_units, defs.get_assets_def(["raw", "county_statistics"])],
            selection=[AssetKey(["raw", "county_statistics"])],
            partition_key="2022",
            instance=instance,
            resources=resources_for(data_dir),
            run_config=QUIET,
        )
        assert result.success
        files = result.asset_materializations_for_node("raw__county_statistics")[0].metadata["source_files"]
        assert sorted(Path(path).name for path in files.value) == before
    finally:
        lock.unlink()
        apple.unlink()
