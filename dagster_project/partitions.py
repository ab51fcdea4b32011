"""Data years as Dagster partitions: one per folder data/raw/county_statistics/<year>/.

The partitions are dynamic: the run history holds them, and whatever starts a run adds the years whose
folders exist (`county-industry run`, the sensor `raw_files_changed`), so a new year needs no reload of the
code location. A run covers one year (the sensor, the schedule, `county-industry run --year Y`) or a range
of years in a single run (`county-industry run`, a backfill): every partitioned asset handles
`context.partition_keys`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from dagster import (
    AddDynamicPartitionsRequest,
    BackfillPolicy,
    DagsterInstance,
    DeleteDynamicPartitionsRequest,
    DynamicPartitionsDefinition,
)

from dagster_project.resources import RAW_FOLDER

# The raw source whose folders define the data years; every other raw source must have the same years.
PANEL_SOURCE = "county_statistics"
YEAR_FOLDER = re.compile(r"^[12]\d{3}$")
DATA_YEARS = DynamicPartitionsDefinition(name="data_year")
# One run for a range of years: DuckDB has one writer, and dbt then builds every year in one call.
SINGLE_RUN = BackfillPolicy.single_run()


def data_years(data_dir: Path) -> list[str]:
    folder = data_dir / RAW_FOLDER / PANEL_SOURCE
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and YEAR_FOLDER.match(p.name))


def copy_latest_years(source: Path, target: Path, count: int) -> Path:
    """A copy of raw inputs (data/raw, or one source of it) with only the latest `count` year folders of each
    source: a smaller deployment of the same files (the tests' and the benchmark's three years)."""

    def older(folder: str, names: list[str]) -> list[str]:
        years = [n for n in names if YEAR_FOLDER.match(n) and (Path(folder) / n).is_dir()]
        return sorted(years, reverse=True)[count:]

    return Path(shutil.copytree(source, target, ignore=older))


def partition_requests(
    known: list[str], on_disk: list[str]
) -> list[AddDynamicPartitionsRequest | DeleteDynamicPartitionsRequest]:
    """What makes the partitions the years on disk, in year order. Dynamic partitions keep the order they
    were added in, and a range run (first..last) follows that order: a year older than the newest known
    one is put in place by removing the known ones and adding all again, sorted. Years whose folder went
    stay partitions (their history stays readable) unless the order has to be rebuilt anyway."""
    missing = [year for year in on_disk if year not in known]
    if not missing:
        return []
    if not known or min(missing) > max(known):
        return [AddDynamicPartitionsRequest(DATA_YEARS.name, missing)]
    return [
        DeleteDynamicPartitionsRequest(DATA_YEARS.name, known),
        AddDynamicPartitionsRequest(DATA_YEARS.name, sorted(set(known) | set(on_disk))),
    ]


def register_data_years(instance: DagsterInstance, data_dir: Path) -> list[str]:
    """Add the years on disk to the run history's partitions (see partition_requests); returns them."""
    on_disk = data_years(data_dir)
    for request in partition_requests(instance.get_dynamic_partitions(DATA_YEARS.name), on_disk):
        if isinstance(request, DeleteDynamicPartitionsRequest):
            for year in request.partition_keys:
                instance.delete_dynamic_partition(DATA_YEARS.name, year)
        else:
            instance.add_dynamic_partitions(DATA_YEARS.name, list(request.partition_keys))
    return on_disk


def range_tags(years: list[str]) -> dict[str, str]:
    """The run tags that make one run cover the years first..last."""
    return {
        "dagster/asset_partition_range_start": years[0],
        "dagster/asset_partition_range_end": years[-1],
    }
