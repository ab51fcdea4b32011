"""The Dagster entry point (`dg dev`, `dg check defs`, the webserver's code location): the domains'
definitions, loaded from the defs folder (dagster_project/defs/), and what spans every domain: the refresh
job, its sensor and its schedule. Nothing else."""

from __future__ import annotations

import warnings
from pathlib import Path

from dagster import (
    AssetKey,
    AssetSelection,
    BetaWarning,
    ComponentTree,
    Definitions,
    PreviewWarning,
    SupersessionWarning,
    define_asset_job,
    definitions,
    in_process_executor,
)

from dagster_project.automation import build_raw_files_sensor, build_yearly_schedule
from dagster_project.raw.ingest import RAW_SOURCES
from dagster_project.resources import PROJECT_DIR, environment_data_dir, loading_definitions_for

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
    """The defs folder's definitions, built as `load_from_defs_folder` builds them (its warnings silenced
    as there: the preview and beta features are chosen knowingly, README, data years), without the
    catalogue of component types it adds for the UI: to list them it imports every installed dg plugin,
    dagster-dbt and through it dbt (1.1 s of every load, in the command line, the webserver, the daemon
    and the tests), when this project defines no component and only the dbt steps need dbt."""
    tree = ComponentTree.for_project(PROJECT_DIR)
    with warnings.catch_warnings(), loading_definitions_for(data_dir):
        for category in (BetaWarning, PreviewWarning, SupersessionWarning, DeprecationWarning):
            warnings.simplefilter("ignore", category)
        domains = tree.build_defs(tree.defs_module_path)
    return Definitions.merge(domains, Definitions(component_tree=tree), refreshes(domains, data_dir))


def refreshes(domains: Definitions, data_dir: Path) -> Definitions:
    """The refresh job, over every asset, and the sensor and the schedule that request it for data years,
    over YEAR_REFRESH among the assets loaded."""
    year_keys = sorted(YEAR_REFRESH.resolve(domains.assets or []), key=AssetKey.to_user_string)
    return Definitions(
        jobs=[refresh_job],
        sensors=[build_raw_files_sensor(refresh_job.name, data_dir, year_keys)],
        schedules=[build_yearly_schedule(refresh_job.name, year_keys)],
    )


@definitions
def defs() -> Definitions:
    return build_definitions(environment_data_dir())
