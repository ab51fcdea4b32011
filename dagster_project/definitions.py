"""The Dagster entry point: assembles assets, checks, the refresh job, its sensor and schedule, and
resources. Nothing else."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from dagster import (
    AssetSelection,
    BetaWarning,
    Definitions,
    PreviewWarning,
    define_asset_job,
    definitions,
    in_process_executor,
)

from dagster_project.automation import build_raw_files_sensor, build_yearly_schedule
from dagster_project.claims import claims_ledger
from dagster_project.dbt_docs import build_dbt_docs_asset
from dagster_project.engine.weights import indicator_weights
from dagster_project.partitions import DATA_YEARS
from dagster_project.publish import build_publish_asset
from dagster_project.raw.ingest import RAW_SOURCES, build_raw_asset
from dagster_project.reference.admin_units import admin_units, admin_units_check
from dagster_project.reference.catalogue import reference_inputs
from dagster_project.reference.inputs import build_input_asset, build_input_check
from dagster_project.reference.rankings import build_published_rankings, ranking_inputs
from dagster_project.resources import DEFAULT_DATA_DIR, REFERENCE_FOLDER, resources_for
from dagster_project.transform import build_dbt_assets, dbt_resource, mart_keys

# In-process: per-step subprocesses cost seconds each on a 2-core machine.
refresh_job = define_asset_job(
    "refresh",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description=(
        "Materialise every asset and run every check; publish only if all succeed. Run it for one data "
        "year (a partition) or for a range of years in one run."
    ),
)


# What a refresh of some data years runs (the sensor, the schedule, `county-industry run --year`): the raw
# statistics and everything derived from them. The reference inputs, and what derives from them alone, do
# not change with a data year: the full refresh (`county-industry run`, `make run`) rebuilds them.
YEAR_REFRESH = AssetSelection.assets(*(source.key for source in RAW_SOURCES)).downstream()


def build_definitions(data_dir: Path) -> Definitions:
    with warnings.catch_warnings():
        # Chosen knowingly (README, data years): one run per range of years, and checks per year. Not
        # repeated at every load of the definitions, in the CLI, the webserver, the daemon and the tests.
        warnings.filterwarnings("ignore", "Parameter `backfill_policy`", BetaWarning)
        warnings.filterwarnings("ignore", "Specifying a partitions_def on an AssetCheckSpec", PreviewWarning)
        return _definitions(data_dir)


def _definitions(data_dir: Path) -> Definitions:
    inputs = reference_inputs(data_dir / REFERENCE_FOLDER)
    years = DATA_YEARS
    dbt_models = build_dbt_assets(years)
    assets = [
        admin_units,
        *(build_input_asset(spec) for spec in inputs),
        build_published_rankings(ranking_inputs(data_dir / REFERENCE_FOLDER)),
        *(build_raw_asset(source, years) for source in RAW_SOURCES),
        indicator_weights,
        *dbt_models,
        build_publish_asset(mart_keys(dbt_models)),
        build_dbt_docs_asset(mart_keys(dbt_models)),
    ]
    year_keys = sorted(YEAR_REFRESH.resolve(assets), key=lambda key: key.to_user_string())
    return Definitions(
        assets=assets,
        asset_checks=[
            admin_units_check,
            *(build_input_check(spec) for spec in inputs),
            claims_ledger,
        ],
        jobs=[refresh_job],
        sensors=[build_raw_files_sensor(refresh_job.name, data_dir, year_keys)],
        schedules=[build_yearly_schedule(refresh_job.name, year_keys)],
        resources={**resources_for(data_dir), "dbt": dbt_resource()},
    )


@definitions
def defs() -> Definitions:
    return build_definitions(Path(os.environ.get("COUNTY_INDUSTRY_DATA_DIR", DEFAULT_DATA_DIR)))
