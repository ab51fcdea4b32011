"""`county-industry`: the data engineers' command.

county-industry run     materialise every asset on the data directory, run every check, publish
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from dagster import DagsterInstance, ExecuteInProcessResult

from dagster_project.resources import DEFAULT_DATA_DIR, PUBLISHED_FILE, WAREHOUSE_FILE

# The console shows warnings only; every event is in the run's log in the UI.
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="county-industry", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="materialise every asset and publish")
    run_parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("COUNTY_INDUSTRY_DATA_DIR", DEFAULT_DATA_DIR)),
        help="inputs under reference/, outputs under warehouse/ and published/ (default: data/)",
    )
    args = parser.parse_args(argv)
    return run(args.data_dir.resolve())


def run(data_dir: Path) -> int:
    if "DAGSTER_HOME" not in os.environ:
        print(
            "DAGSTER_HOME is not set: run `make run`, or export DAGSTER_HOME=.dagster_home", file=sys.stderr
        )
        return 2
    from dagster_project.definitions import build_definitions

    started = time.perf_counter()
    job = build_definitions(data_dir).resolve_job_def("refresh")
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=QUIET_CONSOLE)
    print_summary(result, data_dir, time.perf_counter() - started)
    return 0 if result.success else 1


def print_summary(result: ExecuteInProcessResult, data_dir: Path, seconds: float) -> None:
    print(f"\nrun {result.run_id}: {'SUCCESS' if result.success else 'FAILURE'} in {seconds:.1f} s")
    materialised = [e.materialization for e in result.get_asset_materialization_events()]
    print(f"\n{len(materialised)} assets materialised")
    for materialization in materialised:
        rows = materialization.metadata.get("rows")
        if rows is not None and isinstance(rows.value, int):
            print(f"  {materialization.asset_key.to_user_string():50} {rows.value:>8} rows")
        elif rows is not None:  # the published file: rows per mart
            print(f"  {materialization.asset_key.to_user_string()}:")
            for table, count in rows.value.items():
                print(f"    marts.{table:46} {count:>8} rows")
    evaluations = result.get_asset_check_evaluations()
    failed = [e for e in evaluations if not e.passed]
    print(f"\nchecks: {len(evaluations) - len(failed)} passed, {len(failed)} failed")
    for evaluation in failed:
        severity = evaluation.severity.value  # WARN does not block what comes downstream
        print(f"  FAILED ({severity}) {evaluation.asset_key.to_user_string()} {evaluation.check_name}")
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
        print(f"run history:               {os.environ['DAGSTER_HOME']} (make ui)")
    else:
        published = data_dir / PUBLISHED_FILE
        kept = f"; {published} still holds the last good run" if published.exists() else ""
        print(f"\nnothing was published{kept}")
