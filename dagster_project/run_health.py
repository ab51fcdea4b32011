"""Runs whose process is gone: found by the process each run records, and marked failed.

A run killed with SIGKILL never reports its end, so the run history would show it STARTED for ever and the
daemon's queue (one run at a time) would wait for it. Each run records its process (pid, host, and the
process's start time, against a reused pid) as run tags when it takes the writer lock; whatever looks at
the history (a new run, the sensor's tick, `county-industry status`) marks the runs whose process is gone.
`county-industry status` also names the runs still stuck: queued with no daemon to start them, or in
progress with no process known here.
"""

from __future__ import annotations

import os
import socket

from dagster import DagsterInstance, DagsterRun, DagsterRunStatus, RunsFilter

PID_TAG = "county_industry/pid"
HOST_TAG = "county_industry/host"
STARTED_TAG = "county_industry/process_started"  # clock ticks after boot, from /proc/<pid>/stat
IN_PROGRESS = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first), or None if no such process."""
    try:
        text = open(f"/proc/{pid}/stat", encoding="ascii", errors="replace").read()  # noqa: SIM115
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def process_tags(pid: int | None = None) -> dict[str, str]:
    pid = pid or os.getpid()
    stat = _proc_stat(pid)
    return {PID_TAG: str(pid), HOST_TAG: socket.gethostname(), STARTED_TAG: stat[19] if stat else ""}


def process_gone(run: DagsterRun) -> bool:
    """True if the run recorded its process on this host and that process no longer runs (a zombie, a
    reused pid or no process at all). A run that recorded nothing, or ran elsewhere, is not judged."""
    tags = run.tags
    if PID_TAG not in tags or tags.get(HOST_TAG) != socket.gethostname():
        return False
    stat = _proc_stat(int(tags[PID_TAG]))
    return stat is None or stat[0] == "Z" or stat[19] != tags.get(STARTED_TAG)


def reap_dead_runs(instance: DagsterInstance) -> list[DagsterRun]:
    """Mark failed every in-progress run whose process is gone; returns them."""
    dead = [run for run in instance.get_runs(RunsFilter(statuses=IN_PROGRESS)) if process_gone(run)]
    for run in dead:
        instance.report_run_failed(
            run,
            message=(
                f"The run's process (pid {run.tags[PID_TAG]} on {run.tags[HOST_TAG]}) is gone: killed or "
                "crashed. Marked failed; nothing it was writing was published, and the next run starts "
                "from what the last good run left."
            ),
        )
    return dead


def queue_has_no_daemon(instance: DagsterInstance) -> bool:
    """Queued runs wait for the daemon (`make ui` starts it): without its recent heartbeat, for ever."""
    from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import QueuedRunCoordinatorDaemon

    daemon = QueuedRunCoordinatorDaemon.daemon_type()
    status = instance.get_daemon_statuses([daemon]).get(daemon)
    return status is not None and status.required and not status.healthy


def unfinished_runs(instance: DagsterInstance) -> list[tuple[DagsterRun, str, bool]]:
    """Every run queued or in progress (after reap_dead_runs), with what is known of it and whether it is
    stuck: queued with no daemon to start it, or in progress with no process known to run it here."""
    found = []
    no_daemon = None
    for run in instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.QUEUED, *IN_PROGRESS])):
        if run.status == DagsterRunStatus.QUEUED:
            no_daemon = queue_has_no_daemon(instance) if no_daemon is None else no_daemon
            why = "waits for the daemon, which is not running (make ui starts it)" if no_daemon else "queued"
            found.append((run, why, no_daemon))
        elif PID_TAG in run.tags and run.tags.get(HOST_TAG) == socket.gethostname():
            found.append((run, f"its process runs (pid {run.tags[PID_TAG]})", False))
        else:
            where = f"on {run.tags[HOST_TAG]}" if HOST_TAG in run.tags else "nowhere"
            why = f"its process is recorded {where}, not here: if nothing runs it, terminate it in the UI"
            found.append((run, why, True))
    return found


def run_data_years(instance: DagsterInstance, run: DagsterRun) -> list[str]:
    """The data years a run covered: its partition, or its range of partitions (partitions.range_tags)."""
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
        PARTITION_NAME_TAG,
    )

    from dagster_project.partitions import DATA_YEARS

    tags = run.tags
    if PARTITION_NAME_TAG in tags:
        return [tags[PARTITION_NAME_TAG]]
    first, last = tags.get(ASSET_PARTITION_RANGE_START_TAG), tags.get(ASSET_PARTITION_RANGE_END_TAG)
    years = instance.get_dynamic_partitions(DATA_YEARS.name)
    if first not in years or last not in years:  # no range, or one no longer registered
        return [f"{first} to {last}"] if first and last else []
    return years[years.index(first) : years.index(last) + 1]
