"""`county-industry`: the data engineers' command.

county-industry run [--year Y] [--wait]  materialise every asset (every data year, or year Y), check, publish
county-industry validate FILE... run the matching input's expectation suite on files (inside the data
                                 directory, e.g. incoming/county_statistics/2024/*), before dropping them in
county-industry status           the latest run, its checks, the published snapshot and those kept
county-industry rollback [--to S | --list]  put the previous published snapshot (or snapshot S) back

The run history is the project's .dagster_home/ (the one `make` uses), or --dagster-home, or DAGSTER_HOME.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from dagster import AssetCheckEvaluation, DagsterInstance, ExecuteInProcessResult

from dagster_project.resources import (
    DAGSTER_HOME_DIR,
    DEFAULT_DATA_DIR,
    INSTANCE_SETTINGS,
    PUBLISHED_FILE,
    WAREHOUSE_FILE,
)

# The console shows warnings only; every event is in the run's log in the UI.
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
# Exit codes besides 0 (success) and 1 (a run or a check failed): 2 a usage or set-up error, 3 another
# run holds the data directory.
EXIT_USAGE, EXIT_BUSY = 2, 3
REPAIR = "county-industry rollback (the newest intact snapshot before it)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="county-industry", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("run", "materialise every asset and publish"),
        ("validate", "check a file against its input's expectation suite"),
        ("status", "the latest run, its checks, the published snapshot and those kept"),
        ("rollback", "put the previous published snapshot back in place"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument(
            "--data-dir",
            type=Path,
            default=Path(os.environ.get("COUNTY_INDUSTRY_DATA_DIR", DEFAULT_DATA_DIR)),
            help="inputs under reference/ and raw/, outputs under warehouse/ and published/ (default: data/)",
        )
        if name in ("run", "status"):
            command.add_argument(
                "--dagster-home",
                type=Path,
                default=Path(os.environ.get("DAGSTER_HOME", DAGSTER_HOME_DIR)),
                help="the run history (default: DAGSTER_HOME, else the project's .dagster_home/)",
            )
        if name == "validate":
            command.add_argument("files", type=Path, nargs="+", metavar="FILE")
            command.add_argument("--input", help="which input the file is (default: from where it sits)")
            command.add_argument("--year", type=int, help="the data year of a raw file (default: its folder)")
        if name == "run":
            command.add_argument("--year", help="refresh this data year only (default: every year)")
            command.add_argument(
                "--wait", action="store_true", help="if another run is writing, wait for it (default: refuse)"
            )
        if name == "rollback":
            choice = command.add_mutually_exclusive_group()
            choice.add_argument("--to", help="the snapshot's name (see --list)")
            choice.add_argument("--list", action="store_true", help="list the snapshots kept, newest last")
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    if args.command == "validate":
        from dagster_project.validate import validate_command  # pandas and GX: loaded when validating

        return validate_command(args.files, data_dir, args.input, args.year)
    if args.command == "rollback":
        return rollback_command(data_dir, args.to, args.list)
    use_dagster_home(args.dagster_home.resolve())
    if args.command == "status":
        return status(data_dir)
    return run(data_dir, args.year, args.wait)


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
    print(f"{published}, its Parquet, list exports and figures are now snapshot {restored.describe()}")
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


def status(data_dir: Path) -> int:
    from dagster import DagsterEventType, RunsFilter

    from dagster_project.lib.writer_lock import current_holder
    from dagster_project.publish import current_snapshot
    from dagster_project.run_health import reap_dead_runs

    print(f"run history: {os.environ['DAGSTER_HOME']}")
    with DagsterInstance.get() as instance:
        for dead in reap_dead_runs(instance):
            print(f"run {dead.run_id} was {dead.status.value}, but its process is gone: marked FAILURE")
        runs = instance.get_runs(filters=RunsFilter(job_name="refresh"), limit=1)
        if not runs:
            print("no refresh has run yet: county-industry run")
            return 1
        latest = runs[0]
        records = instance.all_logs(latest.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
        evaluations = [r.get_dagster_event().event_specific_data for r in records]
    holder = current_holder(data_dir)
    print(f"latest run {latest.run_id}: {latest.status.value}")
    if holder is not None:
        print(f"writing now: {holder.describe()}")
    failed = [e for e in evaluations if not e.passed]
    print(f"checks: {len(evaluations) - len(failed)} passed, {len(failed)} failed")
    for evaluation in failed:
        print(failed_check(evaluation))
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
    healthy = published.exists() and current is not None and damage is None
    return 0 if latest.status.value == "SUCCESS" and healthy else 1


def run(data_dir: Path, year: str | None = None, wait: bool = False) -> int:
    from dagster_project.definitions import YEAR_REFRESH, build_definitions
    from dagster_project.lib.writer_lock import current_holder
    from dagster_project.partitions import PANEL_SOURCE, range_tags, register_data_years

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
        defs = build_definitions(data_dir)
        job = defs.resolve_job_def("refresh")
        # a year: its raw statistics and what derives from them (definitions.YEAR_REFRESH); else all
        asked = (
            {"partition_key": year, "asset_selection": list(YEAR_REFRESH.resolve(defs.resolve_asset_graph()))}
            if year
            else {"tags": range_tags(years)}
        )
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config=QUIET_CONSOLE, **asked
        )
    print_summary(result, data_dir, time.perf_counter() - started)
    return 0 if result.success else 1


def print_summary(result: ExecuteInProcessResult, data_dir: Path, seconds: float) -> None:
    print(f"\nrun {result.run_id}: {'SUCCESS' if result.success else 'FAILURE'} in {seconds:.1f} s")
    materialised: dict[str, list] = {}
    for event in result.get_asset_materialization_events():
        materialised.setdefault(event.materialization.asset_key.to_user_string(), []).append(
            event.materialization
        )
    print(f"\n{len(materialised)} assets materialised")
    for key, materializations in materialised.items():
        partitions = sorted(m.partition for m in materializations if m.partition)
        label = f"{key} [{', '.join(partitions)}]" if partitions else key
        rows = materializations[-1].metadata.get("rows")
        if rows is not None and isinstance(rows.value, int):
            print(f"  {label:60} {rows.value:>8} rows")
        elif rows is not None:  # the published file: rows per mart
            print(f"  {label}:")
            for table, count in rows.value.items():
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


def failed_check(evaluation: AssetCheckEvaluation) -> str:
    severity = evaluation.severity.value  # WARN does not block what comes downstream
    return f"  FAILED ({severity}) {evaluation.asset_key.to_user_string()} {evaluation.check_name}"
