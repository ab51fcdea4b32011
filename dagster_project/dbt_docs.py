"""The dbt documentation site, generated from the warehouse after every refresh: data/published/docs/.

static_index.html is self-contained (open it from disk); index.html with manifest.json and catalog.json
is the same site for a web server. Every model, column description, test and the lineage graph.
"""

import os
import shutil

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset
from dagster_dbt import DbtCliResource

from dagster_project.lib.paths import swap_directory
from dagster_project.resources import DataDirectory, dbt_vars
from dagster_project.transform import dbt_project

SITE_FILES = ("static_index.html", "index.html", "manifest.json", "catalog.json")


def build_dbt_docs_asset(dbt_model_keys: list[AssetKey]) -> AssetsDefinition:
    @asset(
        key=AssetKey(["published", "dbt_docs"]),
        deps=dbt_model_keys,
        group_name="published",
        kinds={"dbt"},
        description="The dbt docs site of the models as built: data/published/docs/static_index.html.",
    )
    def dbt_docs(
        context: AssetExecutionContext, dbt: DbtCliResource, data_dir: DataDirectory
    ) -> MaterializeResult:
        target = data_dir.published.parent / "docs"
        staging = target.with_name(f".docs.{os.getpid()}.tmp")
        shutil.rmtree(staging, ignore_errors=True)
        build = staging / "build"
        dbt.cli(
            ["docs", "generate", "--static", "--vars", dbt_vars(data_dir.warehouse)],
            manifest=dbt_project().manifest_path,
            target_path=build,
        ).wait()
        site = staging / "site"
        site.mkdir()
        for name in SITE_FILES:
            shutil.copy(build / name, site / name)
        shutil.rmtree(build)
        swap_directory(site, target)
        staging.rmdir()
        return MaterializeResult(
            metadata={
                "path": MetadataValue.path(str(target / "static_index.html")),
                "files": MetadataValue.json(list(SITE_FILES)),
            }
        )

    return dbt_docs
