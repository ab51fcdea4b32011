"""The dbt project as Dagster assets: staging views, intermediate views and mart tables.

Three sets of models, by what they are computed from (tags in dbt_project.yml):
- reference: everything not derived from the raw statistics, unpartitioned;
- per_year: derived from the raw statistics, partitioned by data year; a run builds its years only;
- cross_year: unpartitioned tables rebuilt from every year at each run: the year-over-year models (a
  refresh of year Y changes the comparisons Y-1 to Y and Y to Y+1; they are small) and the lineage
  register source_files (every file loaded, of every year);
- lineage: the column-lineage mart, built last from the column lineage of every other model, which is
  parsed after each dbt call (dbt_metadata.py).
dbt data tests become asset checks on the models they test; each model's row count, columns and their
lineage (parsed from its compiled SQL) show in the UI.
"""

import importlib.metadata
import io
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stdout
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    Failure,
    MetadataValue,
    PartitionsDefinition,
)
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dagster_dbt.errors import DagsterDbtCliRuntimeError
from packaging import version

from dagster_project import dbt_in_process
from dagster_project.dbt_in_process import dbt_environment
from dagster_project.dbt_metadata import with_table_metadata
from dagster_project.partitions import DATA_YEARS, SINGLE_RUN
from dagster_project.resources import DBT_PROJECT_DIR, DataDirectory, dbt_env

PER_YEAR = "per_year"
CROSS_YEAR = "cross_year"
LINEAGE = "lineage"
# dbt's words when an incremental model's columns no longer match its table (on_schema_change: fail)
SCHEMAS_OUT_OF_SYNC = "schemas on this incremental model are out of sync"
# dbt unit tests check the SQL on fixed rows: they run in the test suite (tests/test_dbt_unit_tests.py),
# not in every refresh, whose data they never see.
REFRESH_EXCLUDES = ["--exclude-resource-type", "unit_test"]


@cache
def dbt_project() -> DbtProject:
    """The manifest is built at set-up (`make setup` runs `dbt parse`), not here."""
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class DbtCli(DbtCliResource):
    """dagster-dbt's resource without two costs of every dbt call: the dbt adapter it opens in this process
    (2 s of macro parsing, before dbt even starts), which serves only to count rows and read columns
    (dbt_metadata.py reads them from the warehouse itself); and a `dbt --version` process (1 s) to learn
    the version of the dbt beside this interpreter, which is the dbt-core installed with it."""

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # private; pinned dagster-dbt
        return None

    @cached_property
    def _cli_version(self) -> version.Version:  # private; pinned dagster-dbt
        return version.parse(importlib.metadata.version("dbt-core"))


def dbt_resource() -> DbtCliResource:
    # The dbt beside this interpreter: the venv's bin/ need not be on PATH.
    return DbtCli(project_dir=dbt_project(), dbt_executable=str(Path(sys.executable).parent / "dbt"))


@cache
def dbt_models() -> list[AssetsDefinition]:
    """Built once per process from the manifest: the dbt assets, and the marts the publication and the dbt
    docs follow, are read from it at every load of the definitions (dagster_project/defs/)."""
    return [
        _dbt_models("dbt_reference_models", exclude=f"tag:{PER_YEAR} tag:{CROSS_YEAR} tag:{LINEAGE}"),
        _dbt_models(
            "dbt_per_year_models", select=f"tag:{PER_YEAR}", exclude=f"tag:{CROSS_YEAR}", years=DATA_YEARS
        ),
        _dbt_models("dbt_cross_year_models", select=f"tag:{CROSS_YEAR}"),
        _dbt_models("dbt_column_lineage", select=f"tag:{LINEAGE}"),
    ]


class Translator(DagsterDbtTranslator):
    """dagster-dbt's asset specs, the column-lineage mart's with every other model upstream instead of the
    warehouse table it reads: its rows are theirs, stored once each of them is built (that table, written
    by no asset, would stand in the graph as an input)."""

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if LINEAGE not in manifest["nodes"].get(unique_id, {}).get("tags", []):
            return spec
        models = sorted(
            node_id
            for node_id, node in manifest["nodes"].items()
            if node["resource_type"] == "model" and LINEAGE not in node["tags"]
        )
        return spec.replace_attributes(
            deps=[
                super(Translator, self).get_asset_spec(manifest, node_id, project).key for node_id in models
            ]
        )


def _dbt_models(
    name: str,
    select: str = "fqn:*",
    exclude: str | None = None,
    years: PartitionsDefinition | None = None,
) -> AssetsDefinition:
    project = dbt_project()

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        name=name,
        select=select,
        exclude=exclude,
        partitions_def=years,
        backfill_policy=SINGLE_RUN if years else None,
        dagster_dbt_translator=Translator(),
    )
    def _models(
        context: AssetExecutionContext, dbt: DbtCliResource, data_dir: DataDirectory
    ) -> Iterator[Any]:
        data_years = [int(key) for key in context.partition_keys] if years else None
        if years:
            require_reference_relations(data_dir.warehouse)
        events: list[Any] = []
        failure = None
        with dbt_log_in_run_log(context.log.debug):
            with dbt_environment(dbt_env(data_dir.warehouse, data_years, context.run.run_id)):
                invocation = dbt_in_process.invoke(dbt, ["build", *REFRESH_EXCLUDES], context)
            try:
                events.extend(invocation.stream())  # the events before a failure are kept
            except DagsterDbtCliRuntimeError as error:
                failure = error
        yield from with_table_metadata(events, invocation, data_dir.warehouse, data_years)
        if failure is not None and SCHEMAS_OUT_OF_SYNC in str(failure):
            raise Failure(
                description=(
                    f"A per-year mart's columns have changed since {data_dir.warehouse} was built; its "
                    "tables keep the old columns. Rebuild the warehouse from the inputs: "
                    f"`rm -r {data_dir.warehouse.parent} && make run` (docs/runbook.md). The published "
                    "files stay as they are until that run succeeds."
                ),
                metadata={"dbt": MetadataValue.text(str(failure))},
            ) from failure
        if failure is not None:
            raise failure
        keep_parse(invocation.target_path)
        # Each call compiles into its own folder under dbt/target/ (10 MB); a failed call's is kept to debug.
        shutil.rmtree(invocation.target_path)

    return _models


def require_reference_relations(warehouse: Path) -> None:
    """A refresh of some data years builds on what only a full refresh builds (seeds, reference models,
    reference inputs). A warehouse from an older version of the project may lack some of them: say which,
    and what to run, before dbt fails on the first one it reads."""
    missing = sorted(reference_relations() - relations_in(warehouse))
    if missing:
        raise Failure(
            description=(
                f"{warehouse} lacks {', '.join(missing)}, which the per-year models read and only a full "
                "refresh builds (new since this warehouse was built?). Run `county-industry run` once, "
                "without --year (docs/runbook.md); the published files stay as they are until then."
            )
        )


@cache
def reference_relations() -> frozenset[str]:
    """schema.name of every source, seed and model outside the per-year and cross-year sets that a
    per-year model reads."""
    manifest = json.loads(dbt_project().manifest_path.read_text())
    nodes = {**manifest["nodes"], **manifest["sources"]}
    sets = {PER_YEAR, CROSS_YEAR}
    per_year = [node for node in manifest["nodes"].values() if sets & set(node["tags"]) == {PER_YEAR}]
    return frozenset(
        f"{parent['schema']}.{parent.get('identifier') or parent.get('alias') or parent['name']}"
        for node in per_year
        for parent in map(nodes.get, node["depends_on"]["nodes"])
        if parent is not None and not sets & set(parent.get("tags", []))
    )


def relations_in(warehouse: Path) -> set[str]:
    if not warehouse.exists():
        return set()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
    return {f"{schema}.{name}" for schema, name in rows}


class _Lines(io.TextIOBase):
    """A text stream that hands its complete lines to a log call, a batch at a time: each call is an event
    stored in the run history (about 12 ms each), and dbt writes some four hundred lines a refresh."""

    def __init__(self, log: Callable[[str], Any], every: float) -> None:
        self._log, self._every = log, every
        self._partial, self._lines, self._since = "", [], time.monotonic()

    def write(self, text: str) -> int:
        *lines, self._partial = (self._partial + text).split("\n")
        self._lines.extend(filter(str.strip, lines))
        if time.monotonic() - self._since >= self._every:
            self.emit()
        return len(text)

    def emit(self) -> None:
        """Not `flush`: dagster-dbt flushes stdout after every line it prints."""
        if self._lines:
            self._log("\n".join(self._lines))
        self._lines, self._since = [], time.monotonic()


@contextmanager
def dbt_log_in_run_log(log: Callable[[str], Any], every: float = 5.0) -> Iterator[None]:
    """dagster-dbt writes every line of dbt's log to stdout, which the console of a command-line run then
    prints (some four hundred lines a refresh, "Unable to do partial parsing" among them): here they go
    into the run's log at DEBUG instead, the lines of `every` seconds in one message (the UI shows them
    under their step, as dbt goes). A failed dbt call still fails its step with dbt's errors, and a failed
    dbt test is a failed check."""
    lines = _Lines(log, every)
    try:
        with redirect_stdout(lines):
            yield
    finally:
        lines.write("\n")  # a last line without its end
        lines.emit()


def keep_parse(target_path: Path) -> None:
    """A call's partial-parse file, put where the next process takes its parse from (it copies, never
    updates it): the next parse re-reads only what changed (dbt_in_process parses for one profile, whatever
    the data directory). Replaced in one rename; a file from another profile only costs dbt a full parse,
    never a wrong result."""
    parsed = target_path / "partial_parse.msgpack"
    if not parsed.is_file():
        return
    kept = dbt_project().project_dir / dbt_project().target_path / parsed.name
    staging = kept.with_name(f".{parsed.name}.{os.getpid()}.tmp")
    shutil.copyfile(parsed, staging)
    os.replace(staging, kept)


def mart_keys(dbt_models: list[AssetsDefinition]) -> list[AssetKey]:
    """The asset keys of the models in dbt/models/marts: what gets published."""
    return sorted(
        (spec.key for models in dbt_models for spec in models.specs if spec.group_name == "marts"),
        key=lambda key: key.to_user_string(),
    )
