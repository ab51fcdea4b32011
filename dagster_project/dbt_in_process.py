"""dbt run in the run's own process: imported once and its project parsed once, for the dbt calls of a
refresh (its builds, and the docs site's `docs generate`).

dagster-dbt starts a dbt process for each call: 2-3 s to import dbt and its adapter, then 1-2 s to read its
saved parse, before the first model, four times a refresh. Here dbt runs through its programmatic entry
point (dbtRunner): the first call of a process parses the project (from dbt's saved parse, as a dbt process
would), later calls reuse that parse while no file of the project has changed. The events are the ones a
dbt process prints as JSON, handed to dagster-dbt's own invocation object, so that the materialisations,
checks and errors are dagster-dbt's, as before.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dagster import AssetExecutionContext, ConfigurableResource

from dagster_project.dbt_specs import manifest
from dagster_project.resources import (
    DBT_DATA_YEARS_ENV,
    DBT_ROBUSTNESS_DRAWS_ENV,
    DBT_RUN_ID_ENV,
    DBT_TARGET_DIR,
    DBT_WAREHOUSE_ENV,
    WAREHOUSE_FILE,
)

if TYPE_CHECKING:
    from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation

# What a dbt process prints at its default log level, which is what dagster-dbt reads.
PRINTED_LEVELS = {"info", "warn", "error"}
PARTIAL_PARSE_FILE = "partial_parse.msgpack"
# dbt folders that are its output, not its project (installed packages, dbt_packages/, are its input)
OUTPUT_FOLDERS = {"target", "logs"}
# What dagster-dbt names an asset's dbt selection by, in its op's tags (transform.py sets them).
SELECT_TAG, EXCLUDE_TAG = "dagster_dbt/select", "dagster_dbt/exclude"
# A call's data years and Dagster run, parsed as no call's: dbt renders them into the SQL when it runs a
# model, and parses again every file that read a variable whose value changed since its saved parse (the
# 25 models filtered by in_data_years, at every run that builds other years than the last: 0.6 s).
PARSED_UNSET = {DBT_DATA_YEARS_ENV: "", DBT_RUN_ID_ENV: ""}
_parsed: dict[tuple[str, tuple], Any] = {}  # (project dir, its files' fingerprint) -> dbt's parsed manifest


class Dbt(ConfigurableResource):
    """The dbt project a refresh builds, and where dbt finds its profile. dbt runs in the run's process;
    dagster-dbt, which imports dbt, only in the steps that call it."""

    project_dir: str
    profiles_dir: str

    def target_path(self, context: AssetExecutionContext) -> Path:
        """A folder of its own for each call, under the project's target folder (as dagster-dbt names it)."""
        name = f"{context.op_execution_context.op.name}-{context.run.run_id[:7]}-{str(uuid.uuid4())[:7]}"
        return Path(self.project_dir) / DBT_TARGET_DIR.name / name


@dataclass
class _Ended:
    """What dagster-dbt's invocation asks of the dbt process it would have started."""

    args: list[str]
    returncode: int
    stdout: None = None

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode


def invoke(dbt: Dbt, args: list[str], context: AssetExecutionContext) -> DbtCliInvocation:
    """What `DbtCliResource.cli(args, context=context)` returns, with dbt run in this process: the nodes of
    the step's assets and checks selected as dagster-dbt selects them, its events read by dagster-dbt's own
    invocation, so that the materialisations, checks and errors are dagster-dbt's."""
    from dagster_dbt import DagsterDbtTranslator
    from dagster_dbt.asset_utils import get_subset_selection_for_context
    from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation
    from packaging import version

    translator = DagsterDbtTranslator()  # its keys are dbt_specs.py's
    selection, indirect_selection = get_subset_selection_for_context(
        context=context,
        manifest=manifest(),
        select=context.op.tags.get(SELECT_TAG),
        exclude=context.op.tags.get(EXCLUDE_TAG),
        selector=None,
        dagster_dbt_translator=translator,
        current_dbt_indirect_selection_env=os.environ.get("DBT_INDIRECT_SELECTION"),
    )
    project_dir = Path(dbt.project_dir).resolve()
    target_path = dbt.target_path(context)
    # no manifest.json or run_results.json in the call's folder, which is removed after it: a second each
    # for the 10 MB the calls of a refresh wrote; its events carry the results
    command = [*args, *_flags(dbt, target_path), "--no-write-json", *selection]
    with dbt_environment({"DBT_INDIRECT_SELECTION": indirect_selection} if indirect_selection else {}):
        events, succeeded = _run(project_dir, target_path, command)
    invocation = DbtCliInvocation(
        process=_Ended(["dbt", *command], 0 if succeeded else 1),
        manifest=manifest(),
        dagster_dbt_translator=translator,
        project_dir=project_dir,
        target_path=target_path,
        raise_on_error=True,
        context=context,
        adapter=None,
        cli_version=version.parse(importlib.metadata.version("dbt-core")),
    )
    invocation._stdout = events  # private; pinned dagster-dbt: read by stream() instead of a process's
    invocation._error_messages = [e["info"]["msg"] for e in events if e["info"]["level"] == "error"]
    return invocation


def run_command(dbt: Dbt, args: list[str], target_path: Path) -> list[str]:
    """A dbt command whose nodes are no assets (`docs generate`), in this process, on the parse the
    process holds; the lines dbt would have printed. Raises naming dbt's errors if it failed."""
    events, succeeded = call(dbt, args, target_path)
    if not succeeded:
        errors = [e["info"]["msg"] for e in events if e["info"]["level"] == "error"]
        raise RuntimeError(f"dbt {' '.join(args)} failed: " + "\n".join(errors))
    return [e["info"]["msg"] for e in events]


def call(dbt: Dbt, args: list[str], target_path: Path) -> tuple[list[dict[str, Any]], bool]:
    """A dbt command in this process, on the parse the process holds, writing into target_path (its
    run_results.json too): the events dbt would have printed, and whether it succeeded. A command's
    `--vars` are not part of that parse: a call with them is a dbt process's."""
    return _run(Path(dbt.project_dir).resolve(), target_path, [*args, *_flags(dbt, target_path)])


def _flags(dbt: Dbt, target_path: Path) -> list[str]:
    project_dir = Path(dbt.project_dir).resolve()
    return [
        "--project-dir", str(project_dir),
        "--profiles-dir", str(Path(dbt.profiles_dir).resolve()),
        "--target-path", str(target_path),
        "--log-path", str(target_path),
        "--log-level", "none",  # nothing printed: the events go to dagster-dbt, or to the run's log
        "--no-use-colors",
    ]  # fmt: skip


def _run(project_dir: Path, target_path: Path, command: list[str]) -> tuple[list[dict[str, Any]], bool]:
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    events: list[dict[str, Any]] = []

    def printed(message: Any) -> None:
        if message.info.level in PRINTED_LEVELS:  # before the conversion: most events are debug ones
            events.append(msg_to_dict(message))

    manifest = _manifest(project_dir, target_path, command)
    try:
        result = dbtRunner(manifest=manifest, callbacks=[printed]).invoke(command)
    finally:
        _close_warehouse()
    if result.exception is not None and not isinstance(result.exception, Exception):
        raise result.exception  # an interrupt, which dbt hands back rather than raises
    return events, result.success


def _manifest(project_dir: Path, target_path: Path, command: list[str]) -> Any:
    """The project parsed once per process and state of its files (and of the deployment's setting that its
    parse reads), starting from dbt's saved parse."""
    from dbt.cli.main import dbtRunner

    key = (str(project_dir), _fingerprint(project_dir), os.environ.get(DBT_ROBUSTNESS_DRAWS_ENV))
    if key not in _parsed:
        saved = project_dir / "target" / PARTIAL_PARSE_FILE
        if saved.is_file():
            target_path.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(saved, target_path / PARTIAL_PARSE_FILE)
        with dbt_environment({DBT_WAREHOUSE_ENV: _parsed_warehouse(), **PARSED_UNSET}):
            parse = dbtRunner().invoke(["parse", *_parse_flags(command)])
        if not parse.success:
            raise RuntimeError(f"dbt could not parse {project_dir}: {parse.exception}") from parse.exception
        _parsed.clear()  # one state of one project kept: the run's
        _parsed[key] = parse.result
    return _parsed[key]


def _parsed_warehouse() -> str | None:
    """The warehouse a parse is made for: profiles.yml's default (unset) for any data directory's warehouse,
    whichever the call writes. dbt's check of a saved parse compares the profile's path, so a parse for one
    data directory would be a full parse (4 s) for the next; the call then runs on this parse with its own
    profile. The file's name is the database name the parsed nodes carry: another name is parsed as it is."""
    warehouse = os.environ.get(DBT_WAREHOUSE_ENV)
    return None if warehouse is None or Path(warehouse).name == Path(WAREHOUSE_FILE).name else warehouse


def _parse_flags(command: list[str]) -> list[str]:
    """The flags of a call that a parse of its project takes too."""
    taken = ("--project-dir", "--profiles-dir", "--target-path", "--log-path", "--log-level")
    flags = [
        flag
        for position, arg in enumerate(command)
        if arg in taken
        for flag in command[position : position + 2]
    ]
    return [*flags, "--no-use-colors", "--no-write-json"]  # the parse is kept in memory: no manifest.json


def _fingerprint(project_dir: Path) -> tuple:
    """Every file of the dbt project, with its size and time of change: a parse is reused while it holds."""
    found = []
    for folder, subfolders, files in os.walk(project_dir):
        if Path(folder) == project_dir:
            subfolders[:] = [name for name in subfolders if name not in OUTPUT_FOLDERS]
        for name in files:
            status = (Path(folder) / name).stat()
            found.append(
                (os.path.relpath(Path(folder) / name, project_dir), status.st_size, status.st_mtime_ns)
            )
    return tuple(sorted(found))


def _close_warehouse() -> None:
    """dbt-duckdb keeps its DuckDB database open in the process after a call (until the process exits):
    closed here, so that this process and others open the warehouse afterwards as after a dbt process."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:  # private; pinned dbt-duckdb
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


@contextmanager
def dbt_environment(values: dict[str, str | None]) -> Iterator[None]:
    """Variables set (None: unset) for the time of a dbt call (the in-process executor runs one step at a
    time)."""
    saved = {name: os.environ.get(name) for name in values}
    _set_environment(values)
    try:
        yield
    finally:
        _set_environment(saved)


def _set_environment(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
