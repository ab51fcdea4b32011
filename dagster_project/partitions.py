"""Data years as Dagster partitions: one per folder data/raw/county_statistics/<year>/.

Adding a year is adding its folder of files; the partitions follow when the definitions (re)load. A run
covers one year (the sensor, the schedule, `county-industry run --year Y`) or a range of years in a
single run (`county-industry run`, a backfill): every partitioned asset handles `context.partition_keys`.
"""

from __future__ import annotations

import re
from pathlib import Path

from dagster import BackfillPolicy, StaticPartitionMapping, StaticPartitionsDefinition

# The raw source whose folders define the data years; every other raw source must have the same years.
PANEL_SOURCE = "county_statistics"
YEAR_FOLDER = re.compile(r"^[12]\d{3}$")
# One run for a range of years: DuckDB has one writer, and dbt then builds every year in one call.
SINGLE_RUN = BackfillPolicy.single_run()


def data_years(data_dir: Path) -> list[str]:
    folder = data_dir / "raw" / PANEL_SOURCE
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and YEAR_FOLDER.match(p.name))


def data_year_partitions(data_dir: Path) -> StaticPartitionsDefinition:
    return StaticPartitionsDefinition(data_years(data_dir))


def this_and_next_year(partitions: StaticPartitionsDefinition) -> StaticPartitionMapping:
    """For year-over-year models: year Y reads years Y and Y-1 of what it compares."""
    years = partitions.get_partition_keys()
    return StaticPartitionMapping(
        {year: [y for y in (year, str(int(year) + 1)) if y in years] for year in years}
    )


def range_tags(years: list[str]) -> dict[str, str]:
    """The run tags that make one run cover the years first..last."""
    return {
        "dagster/asset_partition_range_start": years[0],
        "dagster/asset_partition_range_end": years[-1],
    }
