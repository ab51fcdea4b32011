"""When a refresh runs by itself: a sensor on data/raw/ and a yearly schedule, both on under the daemon.

`make run` and `county-industry run` execute in process and never start them; `make ui` (dagster dev)
runs the daemon, and with it both.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dagster import (
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
    StaticPartitionsDefinition,
    schedule,
    sensor,
)

from dagster_project.lib.paths import OutsideDataDirectory, confined
from dagster_project.lib.provenance import sha256_of
from dagster_project.partitions import YEAR_FOLDER, range_tags
from dagster_project.raw.ingest import RAW_SOURCES
from dagster_project.resources import DataDirectory

RAW_SUFFIXES = (".csv", ".xlsx")
# Yearbooks and the NBS communiqués of year Y are out by the autumn of Y+1: refresh the latest year then.
YEARLY_CRON = "0 3 1 10 *"  # 1 October, 03:00
TIMEZONE = "Asia/Shanghai"


def files_on_disk(data_dir: Path) -> dict[str, dict[str, str]]:
    """{year: {path relative to the data directory: sha256}} of every raw file; a symlink that leads out
    of the data directory is ignored."""
    found: dict[str, dict[str, str]] = {}
    for source in RAW_SOURCES:
        for path in sorted((data_dir / "raw" / source.name).glob("*/*")):
            if not (YEAR_FOLDER.match(path.parent.name) and path.suffix.lower() in RAW_SUFFIXES):
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


def build_raw_files_sensor(job_name: str, years: StaticPartitionsDefinition) -> SensorDefinition:
    @sensor(
        name="raw_files_changed",
        job_name=job_name,
        minimum_interval_seconds=60,
        default_status=DefaultSensorStatus.RUNNING,
        description=(
            "Refreshes the data years whose files under data/raw/ are new or changed, judged by sha256 "
            "against what the last run of each year loaded (not by modification time)."
        ),
    )
    def _sensor(context: SensorEvaluationContext, data_dir: DataDirectory) -> SensorResult | SkipReason:
        known = set(years.get_partition_keys())
        on_disk = files_on_disk(data_dir.root)
        unknown = sorted(set(on_disk) - known)
        changed = sorted(y for y in set(on_disk) & known if on_disk[y] != files_loaded(context, y))
        note = (
            f"data years {', '.join(unknown)} have files but are not partitions yet: reload the code "
            "location (Deployment > Reload) to add them"
            if unknown
            else ""
        )
        if not changed:
            return SkipReason(note or "no raw file is new or changed")
        digest = hashlib.sha256(json.dumps({y: on_disk[y] for y in changed}, sort_keys=True).encode())
        # One run for every changed year (DuckDB has one writer); the key makes a failed run not retry
        # until the files change again.
        years_asked = {"partition_key": changed[0]} if len(changed) == 1 else {"tags": range_tags(changed)}
        request = RunRequest(run_key=f"{'-'.join(changed)}:{digest.hexdigest()[:16]}", **years_asked)
        if note:
            context.log.warning(note)
        return SensorResult(run_requests=[request])

    return _sensor


def build_yearly_schedule(job_name: str, years: StaticPartitionsDefinition) -> ScheduleDefinition:
    @schedule(
        name="yearly_refresh",
        job_name=job_name,
        cron_schedule=YEARLY_CRON,
        execution_timezone=TIMEZONE,
        default_status=DefaultScheduleStatus.RUNNING,
        description="Once a year, refreshes the latest data year and republishes.",
    )
    def _schedule(context: ScheduleEvaluationContext) -> RunRequest | SkipReason:
        keys = years.get_partition_keys()
        if not keys:
            return SkipReason("no data year under data/raw/county_statistics/")
        return RunRequest(partition_key=keys[-1])

    return _schedule
