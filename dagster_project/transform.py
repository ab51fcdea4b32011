"""The dbt project as Dagster assets: staging views, intermediate views and mart tables.

dbt tests become asset checks on the models they test.
"""

import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from dagster_project.resources import DBT_PROJECT_DIR, DataDirectory, dbt_vars


@cache
def dbt_project() -> DbtProject:
    """The manifest is built at set-up (`make setup` runs `dbt parse`), not here."""
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_resource() -> DbtCliResource:
    # The dbt beside this interpreter: the venv's bin/ need not be on PATH.
    return DbtCliResource(project_dir=dbt_project(), dbt_executable=str(Path(sys.executable).parent / "dbt"))


def build_dbt_assets() -> AssetsDefinition:
    project = dbt_project()

    @dbt_assets(manifest=project.manifest_path, project=project, name="dbt_models")
    def dbt_models(
        context: AssetExecutionContext, dbt: DbtCliResource, data_dir: DataDirectory
    ) -> Iterator[Any]:
        yield from dbt.cli(["build", "--vars", dbt_vars(data_dir.warehouse)], context=context).stream()

    return dbt_models


def mart_keys(dbt_models: AssetsDefinition) -> list[AssetKey]:
    """The asset keys of the models in dbt/models/marts: what gets published."""
    return sorted(
        (spec.key for spec in dbt_models.specs if spec.group_name == "marts"),
        key=lambda key: key.to_user_string(),
    )
