"""The Dagster entry point: assembles assets, checks, the refresh job and resources. Nothing else."""

from __future__ import annotations

import os
from pathlib import Path

from dagster import AssetSelection, Definitions, define_asset_job, definitions, in_process_executor

from dagster_project.claims import claims_ledger
from dagster_project.engine.weights import indicator_weights
from dagster_project.figures import FIGURES
from dagster_project.publish import (
    build_figure_asset,
    build_publish_asset,
    published_list_exports,
    published_parquet,
)
from dagster_project.raw.county_statistics import county_statistics, county_statistics_check
from dagster_project.raw.national_totals import national_totals, national_totals_check
from dagster_project.reference.admin_units import admin_units, admin_units_check
from dagster_project.reference.catalogue import reference_inputs
from dagster_project.reference.inputs import build_input_asset, build_input_check
from dagster_project.resources import DEFAULT_DATA_DIR, resources_for
from dagster_project.transform import build_dbt_assets, dbt_resource, mart_keys

# In-process: per-step subprocesses cost seconds each on a 2-core machine.
refresh_job = define_asset_job(
    "refresh",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description="Materialise every asset and run every check; publish only if all succeed.",
)


def build_definitions(data_dir: Path) -> Definitions:
    inputs = reference_inputs()
    dbt_models = build_dbt_assets()
    return Definitions(
        assets=[
            admin_units,
            *(build_input_asset(spec) for spec in inputs),
            county_statistics,
            national_totals,
            indicator_weights,
            dbt_models,
            build_publish_asset(mart_keys(dbt_models)),
            published_parquet,
            published_list_exports,
            *(build_figure_asset(f.name, f.title_zh, f.marts) for f in FIGURES),
        ],
        asset_checks=[
            admin_units_check,
            *(build_input_check(spec) for spec in inputs),
            county_statistics_check,
            national_totals_check,
            claims_ledger,
        ],
        jobs=[refresh_job],
        resources={**resources_for(data_dir), "dbt": dbt_resource()},
    )


@definitions
def defs() -> Definitions:
    return build_definitions(Path(os.environ.get("COUNTY_INDUSTRY_DATA_DIR", DEFAULT_DATA_DIR)))
