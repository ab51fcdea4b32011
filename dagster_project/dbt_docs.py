"""The dbt documentation site, generated from the warehouse after every refresh beside it (data/warehouse/
docs/), and published with the snapshot that holds the marts it describes (data/published/docs/, publish.py).

static_index.html is self-contained (open it from disk); index.html with manifest.json and catalog.json
is the same site for a web server. Every model, column description, test and the lineage graph.

The site depends only on the dbt manifest and the warehouse's schema (relations, columns, types and
comments; no row counts), so it is generated again only when their fingerprint changed: seconds saved on
every refresh that changes data only.
"""

import hashlib
import os
import shutil
from pathlib import Path

import duckdb
from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from dagster_project.dbt_in_process import Dbt, dbt_environment, run_command
from dagster_project.lib.paths import swap_directory
from dagster_project.resources import DBT_MANIFEST, DOCS_FOLDER, DataDirectory, dbt_env

SITE_FILES = ("static_index.html", "index.html", "manifest.json", "catalog.json")
FINGERPRINT = ".fingerprint"  # in the site's folder: what the site was generated from
DBT_DOCS = AssetKey(["published", "dbt_docs"])


def fingerprint(manifest: Path, warehouse: Path) -> str:
    """sha256 of the manifest file and of every relation's columns, types and comments."""
    digest = hashlib.sha256(manifest.read_bytes())
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for query in (
            "select schema_name, table_name, comment from duckdb_tables() order by all",
            "select schema_name, view_name, comment from duckdb_views() where not internal order by all",
            "select schema_name, table_name, column_index, column_name, data_type, comment "
            "from duckdb_columns() where not internal order by all",
        ):
            digest.update(repr(con.execute(query).fetchall()).encode())
    return digest.hexdigest()


def build_dbt_docs_asset(dbt_model_keys: list[AssetKey]) -> AssetsDefinition:
    @asset(
        key=DBT_DOCS,
        deps=dbt_model_keys,
        group_name="published",
        kinds={"dbt"},
        description=(
            "The dbt docs site of the models as built, beside the warehouse (data/warehouse/docs/): the "
            "publish step puts it in the snapshot, data/published/docs/static_index.html."
        ),
    )
    def dbt_docs(context: AssetExecutionContext, dbt: Dbt, data_dir: DataDirectory) -> MaterializeResult:
        target = data_dir.warehouse.parent / DOCS_FOLDER
        site_of = fingerprint(DBT_MANIFEST, data_dir.warehouse)
        kept = target / FINGERPRINT
        if kept.is_file() and kept.read_text(encoding="utf-8") == site_of:
            return _site(target, site_of, regenerated=False)
        staging = target.with_name(f".docs.{os.getpid()}.tmp")
        shutil.rmtree(staging, ignore_errors=True)
        build = staging / "build"
        with dbt_environment(dbt_env(data_dir.warehouse)):
            for line in run_command(dbt, ["docs", "generate", "--static"], build):
                context.log.debug(line)
        site = staging / "site"
        site.mkdir()
        for name in SITE_FILES:
            shutil.copy(build / name, site / name)
        (site / FINGERPRINT).write_text(site_of, encoding="utf-8")
        shutil.rmtree(build)
        swap_directory(site, target)
        staging.rmdir()
        return _site(target, site_of, regenerated=True)

    return dbt_docs


def _site(target: Path, site_of: str, regenerated: bool) -> MaterializeResult:
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(target / "static_index.html")),
            "files": MetadataValue.json(list(SITE_FILES)),
            "regenerated": regenerated,
            "fingerprint": site_of,
        }
    )
