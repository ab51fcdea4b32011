"""When a refresh runs by itself: a sensor on data/raw/ and a yearly schedule, both on under the daemon.

`make run` and `county-industry run` execute in process and never start them; `make ui` (dagster dev)
runs the daemon, and with it both. The sensor also keeps the data-year partitions in step with the
folders, and marks failed the runs whose process is gone, so that a killed run never blocks the queue.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dagster import (
    AssetKey,
    AssetRecordsFilter,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    schedule,
    sensor,
)

from dagster_project.lib.paths import OutsideDataDirectory, confined, raw_file
from dagster_project.lib.provenance import sha256_of
from dagster_project.partitions import DATA_YEARS, YEAR_FOLDER, partition_requests, range_tags
from dagster_project.raw.ingest import RAW_SOURCES
from dagster_project.resources import RAW_FOLDER, WAREHOUSE_FILE
from dagster_project.run_health import reap_dead_runs

# Yearbooks and the NBS communiqués of year Y are out by the autumn of Y+1: refresh the latest year then.
YEARLY_CRON = "0 3 1 10 *"  # 1 October, 03:00
TIMEZONE = "Asia/Shanghai"


def files_on_disk(data_dir: Path) -> dict[str, dict[str, str]]:
    """{year: {path relative to the data directory: sha256}} of every raw file; a symlink that leads out
    of the data directory is ignored."""
    found: dict[str, dict[str, str]] = {}
    for source in RAW_SOURCES:
        for path in sorted((data_dir / RAW_FOLDER / source.name).glob("*/*")):
            if not (YEAR_FOLDER.match(path.parent.name) and raw_file(path)):
                continue
            try:
                resolved = confined(path, data_dir)
            except OutsideDataDirectory:
                continue
            relative = path.relative_to(data_dir).as_posix()
            found.setdefault(path.parent.name, {})[relative] = sha256_of(resolved)
    return found


def files_loaded(context: SensorEvaluationContext, year: str) -> dict[str, str]:
    """The files (and hashes) the last materialisation of each raw source for this year loaded."""
    loaded: dict[str, str] = {}
    for source in RAW_SOURCES:
        records = context.instance.fetch_materializations(
            AssetRecordsFilter(asset_key=source.key, asset_partitions=[year]), limit=1
        ).records
        if records:
            files = records[0].asset_materialization.metadata["source_files"].value
            folder = f"raw/{source.name}/{year}/"
            loaded.update({path: sha for path, sha in files.items() if path.startswith(folder)})
    return loaded


def build_raw_files_sensor(job_name: str, data_dir: Path, year_keys: list[AssetKey]) -> SensorDefinition:
    """data_dir is a plain path, not the DataDirectory resource: a run's resource holds the writer lock,
    and a sensor's tick must never take it. A run it requests covers year_keys (definitions.YEAR_REFRESH),
    or every asset while the warehouse has not been built (a new deployment's first run)."""

    @sensor(
        name="raw_files_changed",
        job_name=job_name,
        minimum_interval_seconds=60,
        default_status=DefaultSensorStatus.RUNNING,
        description=(
            "Refreshes the data years whose files under data/raw/ are new or changed, judged by sha256 "
            "against what the last run of each year loaded (not by modification time). A new year's "
            "folder becomes a partition here: no reload is needed."
        ),
    )
    def _sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
        for run in reap_dead_runs(context.instance):
            context.log.warning(f"run {run.run_id}: its process is gone; marked failed")
        on_disk = files_on_disk(data_dir)
        known = context.instance.get_dynamic_partitions(DATA_YEARS.name)
        new_partitions = partition_requests(known, sorted(on_disk))
        changed = sorted(y for y in on_disk if y not in known or on_disk[y] != files_loaded(context, y))
        if not changed:
            return SkipReason("no raw file is new or changed")
        digest = hashlib.sha256(json.dumps({y: on_disk[y] for y in changed}, sort_keys=True).encode())
        # One run for every changed year (DuckDB has one writer); the key makes a failed run not retry
        # until the files change again.
        years_asked = {"partition_key": changed[0]} if len(changed) == 1 else {"tags": range_tags(changed)}
        assets = year_keys if (data_dir / WAREHOUSE_FILE).exists() else None
        request = RunRequest(
            run_key=f"{'-'.join(changed)}:{digest.hexdigest()[:16]}", asset_selection=assets, **years_asked
        )
        return SensorResult(run_requests=[request], dynamic_partitions_requests=new_partitions)

    return _sensor


def build_yearly_schedule(job_name: str, year_keys: list[AssetKey]) -> ScheduleDefinition:
    @schedule(
        name="yearly_refresh",
        job_name=job_name,
        cron_schedule=YEARLY_CRON,
        execution_timezone=TIMEZONE,
        default_status=DefaultScheduleStatus.RUNNING,
        description="Once a year, refreshes the latest data year and republishes.",
    )
    def _schedule(context: ScheduleEvaluationContext) -> RunRequest | SkipReason:
        keys = context.instance.get_dynamic_partitions(DATA_YEARS.name)
        if not keys:
            return SkipReason("no data year is a partition yet (the sensor adds them from data/raw/)")
        return RunRequest(partition_key=max(keys), asset_selection=year_keys)

    return _schedule
