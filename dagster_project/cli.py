"""`county-industry`: the data engineers' command.

county-industry run [--year Y]   materialise every asset (every data year, or year Y), check, publish
county-industry validate FILE    run the matching input's expectation suite on a file (inside the data
                                 directory, e.g. incoming/county_statistics/2024/), before dropping it in
county-industry status           the latest run, its check results and the age of the published snapshot
county-industry rollback [--to S] put the previous published snapshot (or snapshot S) back in place
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from dagster import AssetCheckEvaluation, DagsterInstance, ExecuteInProcessResult

from dagster_project.resources import DEFAULT_DATA_DIR, PUBLISHED_FILE, WAREHOUSE_FILE

# The console shows warnings only; every event is in the run's log in the UI.
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="county-industry", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("run", "materialise every asset and publish"),
        ("validate", "check a file against its input's expectation suite"),
        ("status", "the latest run, its checks and the published snapshot's age"),
        ("rollback", "put the previous published snapshot back in place"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument(
            "--data-dir",
            type=Path,
            default=Path(os.environ.get("COUNTY_INDUSTRY_DATA_DIR", DEFAULT_DATA_DIR)),
            help="inputs under reference/ and raw/, outputs under warehouse/ and published/ (default: data/)",
        )
        if name == "validate":
            command.add_argument("file", type=Path)
            command.add_argument("--input", help="which input the file is (default: from where it sits)")
            command.add_argument("--year", type=int, help="the data year of a raw file (default: its folder)")
        if name == "run":
            command.add_argument("--year", help="refresh this data year only (default: every year)")
        if name == "rollback":
            command.add_argument("--to", help="the snapshot's name (see data/published/snapshots/)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    if args.command == "validate":
        from dagster_project.validate import validate_command  # pandas and GX: loaded when validating

        return validate_command(args.file, data_dir, args.input, args.year)
    if args.command == "status":
        return status(data_dir)
    if args.command == "rollback":
        return rollback_command(data_dir, args.to)
    return run(data_dir, args.year)


def rollback_command(data_dir: Path, to: str | None) -> int:
    from dagster_project.publish import rollback

    try:
        restored = rollback(data_dir / PUBLISHED_FILE, to)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{data_dir / PUBLISHED_FILE} and its Parquet are now snapshot {restored.name}")
    print("the list exports and figures are those of the latest run: run again to rebuild them")
    return 0


def status(data_dir: Path) -> int:
    if "DAGSTER_HOME" not in os.environ:
        print(
            "DAGSTER_HOME is not set: run `make status`, or export DAGSTER_HOME=.dagster_home",
            file=sys.stderr,
        )
        return 2
    from dagster import DagsterEventType, RunsFilter

    from dagster_project.publish import current_snapshot, kept_snapshots

    with DagsterInstance.get() as instance:
        runs = instance.get_runs(filters=RunsFilter(job_name="refresh"), limit=1)
        if not runs:
            print("no refresh has run yet: county-industry run")
            return 1
        latest = runs[0]
        records = instance.all_logs(latest.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
        evaluations = [r.get_dagster_event().event_specific_data for r in records]
    print(f"latest run {latest.run_id}: {latest.status.value}")
    failed = [e for e in evaluations if not e.passed]
    print(f"checks: {len(evaluations) - len(failed)} passed, {len(failed)} failed")
    for evaluation in failed:
        print(failed_check(evaluation))
    published = data_dir / PUBLISHED_FILE
    if published.exists():
        age = time.time() - published.stat().st_mtime
        current = current_snapshot(published)
        print(
            f"published snapshot {current.name if current else '?'} ({published}): {age / 3600:.1f} hours old"
        )
        kept = kept_snapshots(published)
        print(f"snapshots kept for rollback: {', '.join(p.name for p in kept) or 'none'}")
    else:
        print(f"nothing published yet at {published}")
    return 0 if latest.status.value == "SUCCESS" else 1


def run(data_dir: Path, year: str | None = None) -> int:
    if "DAGSTER_HOME" not in os.environ:
        print(
            "DAGSTER_HOME is not set: run `make run`, or export DAGSTER_HOME=.dagster_home", file=sys.stderr
        )
        return 2
    from dagster_project.definitions import build_definitions
    from dagster_project.partitions import PANEL_SOURCE, data_years, range_tags

    years = data_years(data_dir)
    if not years or (year is not None and year not in years):
        wanted = f"data year {year}" if year else "any data year"
        print(f"{data_dir / 'raw' / PANEL_SOURCE}: no folder for {wanted} (found: {years})", file=sys.stderr)
        return 2
    started = time.perf_counter()
    job = build_definitions(data_dir).resolve_job_def("refresh")
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=QUIET_CONSOLE,
            **({"partition_key": year} if year else {"tags": range_tags(years)}),
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
        print(f"  its Parquet:              {data_dir / 'published' / 'parquet'}/")
        print(f"  dbt docs:                 {data_dir / 'published' / 'docs' / 'static_index.html'}")
        print(f"run history:               {os.environ['DAGSTER_HOME']} (make ui)")
    else:
        published = data_dir / PUBLISHED_FILE
        kept = f"; {published} still holds the last good run" if published.exists() else ""
        print(f"\nnothing was published{kept}")


def failed_check(evaluation: AssetCheckEvaluation) -> str:
    severity = evaluation.severity.value  # WARN does not block what comes downstream
    return f"  FAILED ({severity}) {evaluation.asset_key.to_user_string()} {evaluation.check_name}"
