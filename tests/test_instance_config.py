"""The Dagster instance settings (dagster_instance.yaml, which `make` copies to $DAGSTER_HOME/dagster.yaml):
runs wait in a queue, one at a time, because the warehouse is a DuckDB file with one writer.

The queue is exercised with the daemon's own dequeue step on an instance in a scratch DAGSTER_HOME, with
no daemon process, webserver or code location: with one run in progress a queued run stays queued.
"""

import shutil
from collections.abc import Iterator

import pytest
from dagster import DagsterInstance, DagsterRunStatus, job
from dagster._core.remote_origin import RegisteredCodeLocationOrigin, RemoteJobOrigin, RemoteRepositoryOrigin
from dagster._core.run_coordinator import QueuedRunCoordinator
from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import QueuedRunCoordinatorDaemon

from dagster_project.resources import INSTANCE_SETTINGS

pytestmark = pytest.mark.independent  # the stated queue behaviour, on the daemon's own dequeue step


@job
def waiting():
    pass


# A queued run names the code location it was submitted from (the UI's, the sensor's); this one is never
# loaded: the daemon stops before it would be.
ORIGIN = RemoteJobOrigin(
    RemoteRepositoryOrigin(RegisteredCodeLocationOrigin("county_industry"), "__repository__"), "waiting"
)


class WouldLaunch(Exception):
    """The daemon went on to launch a queued run."""


class NoCodeLocation:
    """The daemon's view of the workspace: the instance; a run it decides to launch asks for the code
    location, which is where this test stops it."""

    def __init__(self, instance: DagsterInstance) -> None:
        self.instance = instance

    def create_request_context(self, source=None):
        raise WouldLaunch


@pytest.fixture
def instance(tmp_path) -> Iterator[DagsterInstance]:
    shutil.copy(INSTANCE_SETTINGS, tmp_path / "dagster.yaml")
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        yield instance


def dequeue(instance: DagsterInstance) -> None:
    with QueuedRunCoordinatorDaemon(interval_seconds=1) as daemon:
        list(daemon.run_iteration(NoCodeLocation(instance)))


def test_runs_are_queued_one_at_a_time(instance):
    assert isinstance(instance.run_coordinator, QueuedRunCoordinator)
    assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1


def test_a_queued_run_waits_while_another_is_in_progress(instance):
    writing = instance.create_run_for_job(waiting, status=DagsterRunStatus.STARTED, remote_job_origin=ORIGIN)
    queued = instance.create_run_for_job(waiting, status=DagsterRunStatus.QUEUED, remote_job_origin=ORIGIN)
    dequeue(instance)
    assert instance.get_run_by_id(queued.run_id).status == DagsterRunStatus.QUEUED
    # and once the run in progress has ended, the daemon goes on to launch it
    instance.report_run_failed(writing)
    with pytest.raises(WouldLaunch):
        dequeue(instance)


def test_the_run_history_commits_without_waiting_for_the_disk(tmp_path) -> None:
    """lib/run_history.py: every SQLite connection of the run history (the runs, the event log and its
    index) is set to synchronous=OFF (SQLite's default, FULL, is 2); run in a fresh interpreter that
    imports the package, as every process of the pipeline does."""
    import subprocess
    import sys

    probe = f"""
import dagster_project
from dagster import DagsterInstance
with DagsterInstance.local_temp({str(tmp_path)!r}) as instance:
    seen = []
    for connection in (
        instance.event_log_storage.index_connection,
        lambda: instance.event_log_storage.run_connection("r"),
        instance.run_storage.connect,
    ):
        with connection() as open_connection:
            seen.append(open_connection.exec_driver_sql("PRAGMA synchronous").scalar())
    print(seen)
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "[0, 0, 0]", done.stderr[-2000:]
