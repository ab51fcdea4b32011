"""The dbt project as Dagster assets: staging views, intermediate views and mart tables.

Three sets of models, by what they are computed from (tags in dbt_project.yml):
- reference: everything not derived from the raw statistics, unpartitioned;
- per_year: derived from the raw statistics, partitioned by data year; a run builds its years only;
- cross_year: unpartitioned tables rebuilt from every year at each run: the year-over-year models (a
  refresh of year Y changes the comparisons Y-1 to Y and Y to Y+1; they are small) and the lineage
  register source_files (every file loaded, of every year);
- lineage: the column-lineage mart, built last from the column lineage of every other model, which is
  parsed after each dbt call (dbt_metadata.py).
dbt data tests become asset checks on the models they test (both built from the manifest, dbt_specs.py);
dbt runs in the step's process (dbt_in_process.py); each model's row count, columns and their
lineage (parsed from its compiled SQL) show in the UI.
"""

import io
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    MetadataValue,
    PartitionsDefinition,
    multi_asset,
)

from dagster_project import dbt_in_process
from dagster_project.dbt_in_process import EXCLUDE_TAG, SELECT_TAG, Dbt, dbt_environment
from dagster_project.dbt_metadata import with_table_metadata
from dagster_project.dbt_specs import LINEAGE, build_specs, manifest
from dagster_project.partitions import DATA_YEARS, SINGLE_RUN
from dagster_project.resources import DBT_PROJECT_DIR, DBT_TARGET_DIR, DataDirectory, dbt_env

PER_YEAR = "per_year"
CROSS_YEAR = "cross_year"
# dbt's words when an incremental model's columns no longer match its table (on_schema_change: fail)
SCHEMAS_OUT_OF_SYNC = "schemas on this incremental model are out of sync"
# dbt unit tests check the SQL on fixed rows: they run in the test suite (tests/test_dbt_unit_tests.py),
# not in every refresh, whose data they never see.
REFRESH_EXCLUDES = ["--exclude-resource-type", "unit_test"]


@dataclass(frozen=True)
class DbtSet:
    """One multi-asset of dbt models: the dbt selection it builds, and its partitions."""

    name: str
    select: str
    exclude: str | None = None
    years: PartitionsDefinition | None = None


DBT_SETS = (
    DbtSet("dbt_reference_models", "fqn:*", exclude=f"tag:{PER_YEAR} tag:{CROSS_YEAR} tag:{LINEAGE}"),
    DbtSet("dbt_per_year_models", f"tag:{PER_YEAR}", exclude=f"tag:{CROSS_YEAR}", years=DATA_YEARS),
    DbtSet("dbt_cross_year_models", f"tag:{CROSS_YEAR}"),
    DbtSet("dbt_column_lineage", f"tag:{LINEAGE}"),
)


def dbt_resource() -> Dbt:
    return Dbt(project_dir=str(DBT_PROJECT_DIR), profiles_dir=str(DBT_PROJECT_DIR))


@cache
def dbt_models() -> list[AssetsDefinition]:
    """Built once per process from the manifest: the dbt assets, and the marts the publication and the dbt
    docs follow, are read from it at every load of the definitions (dagster_project/defs/)."""
    return [_dbt_models(dbt_set) for dbt_set in DBT_SETS]


def _dbt_models(dbt_set: DbtSet) -> AssetsDefinition:
    specs, checks = build_specs(manifest(), dbt_set.select, dbt_set.exclude)
    years = dbt_set.years

    @multi_asset(
        name=dbt_set.name,
        specs=specs,
        check_specs=checks,
        can_subset=True,
        partitions_def=years,
        backfill_policy=SINGLE_RUN if years else None,
        op_tags={SELECT_TAG: dbt_set.select, **({EXCLUDE_TAG: dbt_set.exclude} if dbt_set.exclude else {})},
        allow_arbitrary_check_specs=True,
    )
    def _models(context: AssetExecutionContext, dbt: Dbt, data_dir: DataDirectory) -> Iterator[Any]:
        from dagster_dbt.errors import DagsterDbtCliRuntimeError

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
    nodes = {**manifest()["nodes"], **manifest()["sources"]}
    sets = {PER_YEAR, CROSS_YEAR}
    per_year = [node for node in manifest()["nodes"].values() if sets & set(node["tags"]) == {PER_YEAR}]
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
    kept = DBT_TARGET_DIR / parsed.name
    staging = kept.with_name(f".{parsed.name}.{os.getpid()}.tmp")
    shutil.copyfile(parsed, staging)
    os.replace(staging, kept)


def mart_keys(dbt_models: list[AssetsDefinition]) -> list[AssetKey]:
    """The asset keys of the models in dbt/models/marts: what gets published."""
    return sorted(
        (spec.key for models in dbt_models for spec in models.specs if spec.group_name == "marts"),
        key=lambda key: key.to_user_string(),
    )
