"""`county-industry`: the data engineers' command, on the data directory and the run history.

The run history is the project's .dagster_home/ (the one `make` uses), or --dagster-home, or DAGSTER_HOME.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Annotated

import typer
from dagster import AssetCheckEvaluation, DagsterInstance, ExecuteInProcessResult
from rich.console import Console

from dagster_project.raw.ingest import RAW_SOURCES
from dagster_project.reference.catalogue import reference_inputs
from dagster_project.resources import (
    DAGSTER_HOME_DIR,
    DATA_DIR_ENV,
    DEFAULT_DATA_DIR,
    INSTANCE_SETTINGS,
    PUBLISHED_FILE,
    REFERENCE_FOLDER,
    WAREHOUSE_FILE,
    environment_data_dir,
)
from dagster_project.run_progress import PHASE_OF_KEY_PREFIX, contents

# The console shows the run's progress, the warnings its code logs (both run_progress.py) and its summary;
# every event, with the stack traces of errors, is in the run's log in the UI.
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
# besides 0 (success) and 1 (a run, a check or a file failed); EXIT_DAMAGED from status only, so that a
# monitor tells a published file to repair from a refresh that failed (which leaves the published one whole)
EXIT_USAGE, EXIT_BUSY, EXIT_DAMAGED = 2, 3, 4
LISTED = 8  # a group of assets is named in the summary up to this many names, else counted
REPAIR = "county-industry rollback (the newest intact snapshot before it)"
# Each command: what it does, in one line, and an example (the overall --help lists both).
COMMANDS = {
    "run": ("Materialise every asset, check it and publish.", "county-industry run --year 2024"),
    "validate": (
        "Judge input files by their expectation suite before they go in.",
        "county-industry validate data/incoming/county_statistics/2024/*",
    ),
    "status": (
        "The last run (when, how long, which years), stuck runs, snapshot.",
        "county-industry status",
    ),
    "rollback": (
        "Put the previous published snapshot (or a named one) back.",
        "county-industry rollback --list",
    ),
}
# The inputs --input names: each raw source (data/raw/<name>/) and each reference table, its rankings those
# of the data directory (validate says which it takes for another, and refuses any other name).
DATA_DIR = environment_data_dir()
INPUT_NAMES = [
    *(source.name for source in RAW_SOURCES),
    *(spec.table for spec in reference_inputs(DATA_DIR / REFERENCE_FOLDER)),
]

app = typer.Typer(
    name="county-industry",
    help="The data engineers' command: refresh the pipeline, judge input files, see its state and roll back "
    "what it published.",
    epilog="county-industry COMMAND --help: its options. What to do when: docs/runbook.md. Exit codes: 0 "
    "success; 1 a run, a check or a file failed; 2 a usage or set-up error; 3 another run holds the data "
    "directory; 4 (status) the published file is damaged: county-industry rollback repairs it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def command(name: str, details: str):
    """A subcommand with its one-line description (COMMANDS), details and example."""
    summary, example = COMMANDS[name]
    return app.command(
        name,
        help=f"{summary}\n\n{details}",
        short_help=f"{summary}\n[cyan]{example}[/cyan]",
        epilog=f"Example: [cyan]{example}[/cyan]",
    )


DataDir = Annotated[
    Path,
    typer.Option(
        envvar=DATA_DIR_ENV,
        help="Inputs under reference/ and raw/, outputs under warehouse/ and published/.",
        show_default="data/ of the project",
    ),
]
DagsterHome = Annotated[
    Path,
    typer.Option(envvar="DAGSTER_HOME", help="The run history.", show_default="the project's .dagster_home/"),
]


def main(argv: list[str] | None = None) -> None:
    app(args=argv, prog_name="county-industry")


def script() -> None:
    """The installed `county-industry`: main(), then the process ends without tearing the interpreter down.

    Once a command has returned, everything it wrote is closed and committed; what is left is freeing
    Dagster's, dbt's and pandas' objects one by one, 2 s after every run and 0.4 s after every `status`.
    The exit functions still run (logging's flush among them), then the process ends with main's code.
    An error main did not handle ends the process as usual, with its traceback."""
    code = 0
    try:
        main()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 0 if done.code is None else 1
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
    atexit._run_exitfuncs()  # what the interpreter runs at exit, before the teardown skipped here
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


@command(
    "run",
    "Every data year in one run (or year Y, with what derives from it): the inputs into the warehouse, "
    "their checks, the dbt models and tests, then the published file, Parquet, exports and figures, all or "
    "nothing. Shows each step as it runs, then what was materialised and published.",
)
def run_cli(
    year: Annotated[
        str | None, typer.Option(help="Refresh this data year only.", show_default="every")
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="If another run is writing, wait for it (else refuse).")
    ] = False,
    data_dir: DataDir = DEFAULT_DATA_DIR,
    dagster_home: DagsterHome = DAGSTER_HOME_DIR,
) -> None:
    use_dagster_home(dagster_home.resolve())
    raise typer.Exit(run(data_dir.resolve(), year, wait))


@command(
    "validate",
    "Put the files inside the data directory (data/incoming/<input>/<year>/ mirrors data/raw/; no run reads "
    "it). Every problem is printed with its file, row, column and rule; exit 1 if any blocks.",
)
def validate_cli(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="The files, of one input.")],
    input_name: Annotated[
        str | None,
        typer.Option(
            "--input",
            metavar="INPUT",
            help=f"Which input the files are, one of: {', '.join(INPUT_NAMES)}.",
            show_default="from where the file sits",
        ),
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="The data year of a raw file.", show_default="its folder's name")
    ] = None,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    from dagster_project.validate import validate_command  # pandas and GX: loaded when validating

    raise typer.Exit(validate_command(files, data_dir.resolve(), input_name, year))


@command(
    "status",
    "When the last refresh started and how long it took, the data years it covered, the runs in progress "
    "and those stuck (a run whose process is gone is marked failed), the checks that failed, the published "
    "snapshot and those kept. Exit 1 unless the last run succeeded, nothing is stuck and the published file "
    "is intact.",
)
def status_cli(data_dir: DataDir = DEFAULT_DATA_DIR, dagster_home: DagsterHome = DAGSTER_HOME_DIR) -> None:
    use_dagster_home(dagster_home.resolve())
    raise typer.Exit(status(data_dir.resolve()))


@command(
    "rollback",
    "Points the published file, its Parquet, exports and figures at the snapshot before the current one (or "
    "at --to); newer snapshots are kept, to roll forward with --to.",
)
def rollback_cli(
    to: Annotated[str | None, typer.Option(help="The snapshot's name (see --list).")] = None,
    list_only: Annotated[bool, typer.Option("--list", help="List the snapshots kept, newest last.")] = False,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    if to is not None and list_only:
        raise typer.BadParameter("give --to or --list, not both", param_hint="--to / --list")
    raise typer.Exit(rollback_command(data_dir.resolve(), to, list_only))


def use_dagster_home(home: Path) -> None:
    """Point Dagster at the run history, creating it with the project's settings the first time."""
    os.environ["DAGSTER_HOME"] = str(home)
    if not (home / "dagster.yaml").exists():
        home.mkdir(parents=True, exist_ok=True)
        shutil.copy(INSTANCE_SETTINGS, home / "dagster.yaml")


def rollback_command(data_dir: Path, to: str | None, list_only: bool) -> int:
    from dagster_project.publish import complete_snapshots, current_snapshot, rollback

    published = data_dir / PUBLISHED_FILE
    if list_only:
        print_snapshots(published)
        return 0
    from dagster_project.lib import writer_lock

    try:
        with writer_lock.hold(data_dir, "rollback"):  # never while a run publishes
            restored = rollback(published, to)
    except writer_lock.WriterBusy as error:
        print(f"{error}: nothing rolled back; try again when it ends", file=sys.stderr)
        return EXIT_BUSY
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{published}, its Parquet, workbooks, figures and report are now snapshot {restored.describe()}")
    newer = [s.name for s in complete_snapshots(published) if s.name > restored.name]
    if newer and current_snapshot(published) is not None:
        print(f"newer snapshots kept (roll forward with --to): {', '.join(newer)}")
    return 0


def print_snapshots(published: Path) -> None:
    """Every complete snapshot, newest last, marked current / damaged; then what killed runs left."""
    from dagster_project.publish import complete_snapshots, current_snapshot, leftovers

    current = current_snapshot(published)
    kept = complete_snapshots(published)
    print(f"snapshots kept for rollback ({len(kept)}, newest last):")
    for snapshot in kept:
        damage = snapshot.damage(published.name)
        mark = "DAMAGED" if damage else "current" if current and current.path == snapshot.path else "       "
        print(f"  {mark} {snapshot.describe()}" + (f"\n          {damage}" if damage else ""))
    for path in leftovers(published):
        print(f"  left by an interrupted run, not a snapshot (the next run removes it): {path}")


def ago(timestamp: float) -> str:
    hours = (time.time() - timestamp) / 3600
    when = f"{datetime.fromtimestamp(timestamp, UTC):%Y-%m-%d %H:%M:%S} UTC"
    return f"{when}, {hours * 60:.0f} min ago" if hours < 1 else f"{when}, {hours:.1f} hours ago"


def status(data_dir: Path) -> int:
    from dagster import DagsterEventType, RunsFilter

    from dagster_project.lib.writer_lock import current_holder
    from dagster_project.run_health import run_data_years
    from dagster_project.run_progress import elapsed

    print(f"run history: {os.environ['DAGSTER_HOME']}")
    with DagsterInstance.get() as instance:
        stuck = print_stuck_runs(instance)
        records = instance.get_run_records(filters=RunsFilter(job_name="refresh"), limit=1)
        if not records:
            print("no refresh has run yet in this run history: county-industry run")
            return EXIT_DAMAGED if print_published(data_dir) == DAMAGED else 1
        latest = records[0]
        years = run_data_years(instance, latest.dagster_run)
        check_records = instance.all_logs(
            latest.dagster_run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
        )
        evaluations = [r.get_dagster_event().event_specific_data for r in check_records]
    run = latest.dagster_run
    print(f"latest run {run.run_id}: {run.status.value}")
    if latest.start_time is not None:
        end = latest.end_time or time.time()
        took = "took" if latest.end_time else "running for"
        print(f"  started {ago(latest.start_time)}; {took} {elapsed(end - latest.start_time)}")
    print(f"  data years: {', '.join(years) or 'none (the reference inputs only)'}")
    holder = current_holder(data_dir)
    if holder is not None:
        print(f"writing now: {holder.describe()}")
    failed = [e for e in evaluations if not e.passed]
    print(f"checks: {len(evaluations) - len(failed)} passed, {len(failed)} failed")
    for evaluation in failed:
        print(failed_check(evaluation))
    published = print_published(data_dir)
    if published == DAMAGED:
        return EXIT_DAMAGED
    return 0 if run.status.value == "SUCCESS" and published == WHOLE and not stuck else 1


WHOLE, NONE, DAMAGED = "whole", "none", "damaged"  # what print_published found


def print_published(data_dir: Path) -> str:
    """What is published and the snapshots kept (whatever the run history holds): the published file
    WHOLE, NONE published yet, or DAMAGED (changed since its snapshot, or no complete snapshot's)."""
    from dagster_project.publish import current_snapshot

    published = data_dir / PUBLISHED_FILE
    current = current_snapshot(published)
    damage = current.damage(published.name) if current else None
    if not published.exists():
        print(f"nothing published yet at {published}")
    elif current is None:
        print(
            f"PUBLISHED FILE UNKNOWN: {published} is no complete snapshot; repair: county-industry rollback"
        )
    else:
        age = time.time() - published.stat().st_mtime
        print(f"published ({published}, {age / 3600:.1f} hours old): {current.describe()}")
        if damage:
            print(f"PUBLISHED FILE DAMAGED: {damage}; repair: {REPAIR}")
    print_snapshots(published)
    if not published.exists():
        return NONE
    return WHOLE if current is not None and damage is None else DAMAGED


def print_stuck_runs(instance: DagsterInstance) -> int:
    """Marks failed the runs whose process is gone; names the runs in progress and those stuck. Returns
    how many are stuck still (queued with no daemon, or in progress with no process known here)."""
    from dagster_project.run_health import reap_dead_runs, unfinished_runs

    reaped = reap_dead_runs(instance)
    for dead in reaped:
        print(f"stuck run {dead.run_id}: {dead.status.value}, but its process is gone: marked FAILURE")
    unfinished = unfinished_runs(instance)
    for run, why, stuck in unfinished:
        print(f"{'stuck run' if stuck else 'in progress: run'} {run.run_id}: {run.status.value}; {why}")
    stuck = sum(stuck for _, _, stuck in unfinished)
    print(f"stuck runs: {stuck + len(reaped) or 'none'}")
    return stuck


def run(data_dir: Path, year: str | None = None, wait: bool = False) -> int:
    from dagster_project.definitions import YEAR_REFRESH, build_definitions
    from dagster_project.lib.writer_lock import current_holder
    from dagster_project.partitions import PANEL_SOURCE, range_tags, register_data_years
    from dagster_project.run_progress import RunProgress

    holder = current_holder(data_dir)
    if holder is not None and not wait:
        print(
            f"{data_dir} is being written by {holder.describe()}: nothing done; run again when it ends, "
            "or pass --wait",
            file=sys.stderr,
        )
        return EXIT_BUSY
    started = time.perf_counter()
    with DagsterInstance.get() as instance:
        years = register_data_years(instance, data_dir)
        if not years or (year is not None and year not in years):
            wanted = f"data year {year}" if year else "any data year"
            print(
                f"{data_dir / 'raw' / PANEL_SOURCE}: no folder for {wanted} (found: {years})", file=sys.stderr
            )
            return EXIT_USAGE
        if year is not None and not (data_dir / WAREHOUSE_FILE).exists():
            print(
                f"{data_dir / WAREHOUSE_FILE}: no warehouse yet; run every year first (county-industry run)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        if holder is not None:
            print(f"{data_dir} is being written by {holder.describe()}: waiting for it to end", flush=True)
        run_id = str(uuid.uuid4())
        with progress_console() as console, RunProgress(console) as progress:
            instance.add_event_listener(run_id, progress)
            defs = build_definitions(data_dir)
            job = defs.resolve_job_def("refresh")
            # a year: its raw statistics and what derives from them (definitions.YEAR_REFRESH); else all
            asked = (
                {
                    "partition_key": year,
                    "asset_selection": list(YEAR_REFRESH.resolve(defs.resolve_asset_graph())),
                }
                if year
                else {"tags": range_tags(years)}
            )
            result = job.execute_in_process(
                instance=instance, raise_on_error=False, run_config=QUIET_CONSOLE, run_id=run_id, **asked
            )
    print_summary(result, data_dir, time.perf_counter() - started)
    return 0 if result.success else 1


@contextmanager
def progress_console() -> Iterator[Console]:
    """A console on this process's stderr as it is before the run: the run sends its own stdout and stderr
    to its captured logs (and echoes them), so the progress display writes past them, to the terminal."""
    sys.stderr.flush()
    with os.fdopen(os.dup(sys.stderr.fileno()), "w", encoding="utf-8", buffering=1) as stream:
        yield Console(file=stream, highlight=False, soft_wrap=True)


def print_summary(result: ExecuteInProcessResult, data_dir: Path, seconds: float) -> None:
    """The run's outcome; every asset it materialised, counted by the first part of its key; the rows of
    those that report them; the checks; where the results are."""
    print(f"\nrun {result.run_id}: {'SUCCESS' if result.success else 'FAILURE'} in {seconds:.1f} s")
    materialised: dict[str, list] = {}
    for event in result.get_asset_materialization_events():
        materialised.setdefault(event.materialization.asset_key.to_user_string(), []).append(
            event.materialization
        )
    print(f"\n{len(materialised)} asset{'' if len(materialised) == 1 else 's'} materialised:")
    for group, keys in by_group(materialised).items():
        rows = {key: [m.metadata.get("rows") for m in materialised[key]] for key in keys}
        if all(r is not None and isinstance(r.value, int) for r in chain(*rows.values())):  # each listed
            print(f"  {group:14} {len(keys):>3}")
            for key in keys:  # the rows of every partition loaded (each partition's are on its page)
                partitions = sorted(m.partition for m in materialised[key] if m.partition)
                label = f"{key} [{', '.join(partitions)}]" if partitions else key
                print(f"    {label:58} {sum(r.value for r in rows[key]):>8} rows")
        else:
            names = contents([tuple(key.split("/")) for key in keys])
            print(f"  {group:14} {len(keys):>3}" + (f"  {names}" if names.count(",") < LISTED else ""))
    for key, materializations in materialised.items():
        tables = materializations[-1].metadata.get("rows")
        if tables is not None and isinstance(tables.value, dict):  # the published file: rows per mart
            print(f"{key} holds {len(tables.value)} marts:")
            for table, count in tables.value.items():
                print(f"    marts.{table:56} {count:>8} rows")
    evaluations = result.get_asset_check_evaluations()
    failed = [e for e in evaluations if not e.passed]
    print(f"\nchecks: {len(evaluations) - len(failed)} passed, {len(failed)} failed")
    for evaluation in failed:
        print(failed_check(evaluation))
        for kind in ("failures", "warnings"):
            listed = evaluation.metadata.get(kind)
            if listed is not None and listed.value != "none":
                print(f"    {kind}:\n    " + str(listed.value).replace("\n", "\n    "))
    for event in result.all_events:
        if event.is_step_failure:
            print(f"  step {event.step_key} failed: {event.step_failure_data.error.message.strip()}")
        elif event.is_run_failure and not any(e.is_step_failure for e in result.all_events):
            print(f"  {event.message}")
    if result.success:
        print(f"\nwarehouse (pipeline only): {data_dir / WAREHOUSE_FILE}")
        print(f"published (for analysts):  {data_dir / PUBLISHED_FILE}")
        for folder in ("parquet", "exports", "figures"):
            print(f"  its {folder + ':':22}{data_dir / 'published' / folder}/")
        print(f"  dbt docs:                 {data_dir / 'published' / 'docs' / 'static_index.html'}")
        print(f"run history:               {os.environ['DAGSTER_HOME']} (make ui)")
    else:
        published = data_dir / PUBLISHED_FILE
        kept = f"; {published} still holds the last good run" if published.exists() else ""
        print(f"\nnothing was published{kept}")


def by_group(materialised: dict[str, list]) -> dict[str, list[str]]:
    """The asset keys by the first part of their key, in the order a run makes them (run_progress)."""
    groups: dict[str, list[str]] = {}
    for key in sorted(materialised):
        groups.setdefault(key.split("/")[0], []).append(key)
    order = [*PHASE_OF_KEY_PREFIX, *sorted(set(groups) - set(PHASE_OF_KEY_PREFIX))]
    return {group: groups[group] for group in order if group in groups}


def failed_check(evaluation: AssetCheckEvaluation) -> str:
    severity = evaluation.severity.value  # WARN does not block what comes downstream
    return f"  FAILED ({severity}) {evaluation.asset_key.to_user_string()} {evaluation.check_name}"
