"""Wall times a user feels, after set-up, in one table with the machine they were measured on:

- load definitions: a fresh interpreter importing the entry module and resolving the repository, timed
  inside that process (as the webserver's code server does it); the process wall time beside it;
- full refresh: `county-industry run` (every asset, every data year) on a warehouse already built;
- one-year refresh: `county-industry run --year Y` (what the sensor and the schedule request);
- plain dbt build: `dbt build` of the same dbt project on the same warehouse, and the full refresh's ratio
  to it (everything the refresh does besides dbt is in that ratio: ingest, checks, publish, figures,
  exports, docs);
- the same two refreshes on the whole bundled panel, twelve data years (2012-2023), beside the 3-year
  deployment (its latest three years, as the tests copy them): how the cost grows with the years that exist;
- the same two refreshes on a universe ten times today's units (28,440: the real 2,844 and synthetic ones,
  dagster_project/demo/scale_universe.py), three data years of the demo generator's panel over it, run by a
  copy of the project whose raw limits and admin-units row count are scaled ten times (printed): how the
  cost grows with the units; the 10x/1x ratio of the full refresh (target <= 3.0), each deployment's
  slowest steps and dbt models in its last full refresh (from its run history), and the checks that failed
  in its last run (on the scale universe the claims ledger warns: a list's share of its units is a tenth of
  what the reports state, as it should);
- where the last one-year refresh of the 3-year deployment spent its wall time: each step, the run between
  its steps (Dagster's own events and planning) and the command around the run (interpreter, imports, the
  definitions, the summary): the fixed part every run pays beside the year's work;
- optionally (`--tests`), `make test`'s wall time.

Each measurement is repeated (default 3) and interleaved, A B C A B C, so that a slow minute of the machine
falls on every kind alike; the table shows medians and every run. Peak memory (RSS of the command and its
children, from /usr/bin/time) where that program exists.

    make bench                      # python bench/timings.py
    .venv/bin/python bench/timings.py --repeats 5 --tests
    .venv/bin/python bench/timings.py --repeats 1 --only scale   # the 3-year and 10x-units refreshes alone

Numbers go in the closing note of the session that changes them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dagster_project.demo import scale_universe
from dagster_project.partitions import copy_latest_years, data_years, range_tags

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GNU_TIME = Path("/usr/bin/time")
LOAD = """
import time
started = time.perf_counter()
from dagster_project.definitions import defs
defs().get_repository_def()
print(time.perf_counter() - started)
"""


def timed(command: list[str], env: dict[str, str], cwd: Path = PROJECT) -> tuple[float, str, int | None]:
    """(wall seconds, stdout, peak RSS in MB of the command and its children, if measurable)."""
    report = Path(env["SCRATCH"]) / "time.txt"
    wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(report), *command] if GNU_TIME.exists() else command
    started = time.perf_counter()
    done = subprocess.run(wrapped, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    peak = int(report.read_text().split()[-1]) // 1024 if GNU_TIME.exists() else None
    return wall, done.stdout, peak


# The 3-year deployment: the latest three data years of each raw source, as the tests copy them.
THREE_YEARS = 3
# The scale deployment: ten times today's county-level units (2,844), over the same three data years.
SCALE_UNITS = 28_440
SCALE_TARGET = 3.0  # its full refresh at most three times today's


def deployment(
    scratch: Path, name: str, latest_years: int | None = None, units: int | None = None
) -> dict[str, str]:
    """A data directory with the bundled inputs (every data year, or the latest `latest_years` of each raw
    source) and a run history of its own, refreshed once so that every later run finds a built warehouse.
    With `units`, the synthetic scale deployment instead, run by its project copy (PYTHONPATH)."""
    root = scratch / name
    data_dir = root / "data"
    env = {**os.environ, "DAGSTER_HOME": str(root / "home"), "SCRATCH": str(root)}
    if units is not None:
        scale = scale_universe.write_deployment(root, units, latest_years or THREE_YEARS)
        env["PYTHONPATH"] = str(scale.project)
        print(
            f"{name}: {scale.units} units; its project copy changed "
            + "; ".join(f"{what}: {change}" for what, change in scale.overrides.items())
        )
    else:
        shutil.copytree(PROJECT / "data" / "reference", data_dir / "reference")
        if latest_years is None:
            shutil.copytree(PROJECT / "data" / "raw", data_dir / "raw")
        else:
            copy_latest_years(PROJECT / "data" / "raw", data_dir / "raw", latest_years)
    env["COUNTY_INDUSTRY_DATA_DIR"] = str(data_dir)
    timed([str(BIN / "county-industry"), "run"], env)
    return env


def last_run(instance, full: bool):
    """The deployment's last full refresh (the run that carries the range tags of every data year), or its
    last one-year refresh."""
    full_refresh = next(iter(range_tags(["every year"])))
    return next(r for r in instance.get_runs() if (full_refresh in r.tags) == full)


def step_seconds(instance, run_id: str) -> dict[str, float]:
    """Seconds from STEP_START to STEP_SUCCESS of each step of a run."""
    from dagster import DagsterEventType

    kinds = {DagsterEventType.STEP_START, DagsterEventType.STEP_SUCCESS}
    started: dict[str, float] = {}
    steps: dict[str, float] = {}
    for record in instance.all_logs(run_id, of_type=kinds):
        event = record.get_dagster_event()
        if event.event_type == DagsterEventType.STEP_START:
            started[event.step_key] = record.timestamp
        else:
            steps[f"step {event.step_key}"] = record.timestamp - started[event.step_key]
    return steps


def slowest_steps(env: dict[str, str], count: int = 8) -> dict[str, float]:
    """The steps of the deployment's last full refresh, and the dbt models' own durations inside them (as
    dagster-dbt records them on each materialisation), the slowest `count` of each."""
    from dagster import DagsterEventType, DagsterInstance

    with DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        run = last_run(instance, full=True)
        steps = step_seconds(instance, run.run_id)
        models: dict[str, float] = {}
        for record in instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION):
            materialization = record.get_dagster_event().event_specific_data.materialization
            duration = materialization.metadata.get("Execution Duration")
            if duration is not None:  # one per data year of a model built once: the same duration
                models[f"  model {materialization.asset_key.to_user_string()}"] = duration.value
    return {
        name: took
        for timings in (steps, models)
        for name, took in sorted(timings.items(), key=lambda item: -item[1])[:count]
    }


def one_year_parts(env: dict[str, str], wall: float) -> dict[str, float]:
    """Where the last one-year refresh's wall time went: its steps, the run between them (Dagster's own
    events and planning), and the command around the run (interpreter, imports, definitions, the summary)."""
    from dagster import DagsterInstance

    with DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        run = last_run(instance, full=False)
        record = instance.get_run_record_by_id(run.run_id)
        steps = step_seconds(instance, run.run_id)
    within = record.end_time - record.start_time
    return {
        **dict(sorted(steps.items(), key=lambda item: -item[1])),
        "the run between its steps": within - sum(steps.values()),
        "the command around the run": wall - within,
    }


def failed_checks(env: dict[str, str]) -> list[str]:
    """The checks that failed in the deployment's last run, with their severity: the scale universe is not
    the reports' (its units' shares of a list are a tenth), which the claims ledger's warning says."""
    from dagster import DagsterEventType, DagsterInstance

    with DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        run = instance.get_runs(limit=1)[0]
        records = instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
        evaluations = [record.get_dagster_event().event_specific_data for record in records]
    return [f"{e.check_name} ({e.severity.value})" for e in evaluations if not e.passed]


def machine() -> str:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next((line.split()[1] for line in meminfo if line.startswith("MemTotal")), "0")
    return (
        f"{os.cpu_count()} cores, {int(memory) / 1024 / 1024:.1f} GiB memory, Python {sys.version.split()[0]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tests", action="store_true", help="also time `make test` (about ten minutes)")
    parser.add_argument(
        "--only",
        choices=["scale"],
        help="scale: only the refreshes of the 3-year and the 10x-units deployments",
    )
    args = parser.parse_args()
    latest = data_years(PROJECT / "data")[-1]
    run = [str(BIN / "county-industry"), "run"]
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        three = deployment(scratch, "three_years", THREE_YEARS)
        scale = deployment(scratch, "ten_times_units", THREE_YEARS, SCALE_UNITS)
        kinds = {
            "full refresh, 3 years": lambda: timed(run, three),
            "one-year refresh, 3 years": lambda: timed([*run, "--year", latest], three),
        }
        if args.only is None:
            twelve = deployment(scratch, "twelve_years")
            warehouse = Path(three["COUNTY_INDUSTRY_DATA_DIR"]) / "warehouse" / "county_industry.duckdb"
            dbt_env = {**three, "COUNTY_INDUSTRY_WAREHOUSE": str(warehouse)}
            dbt_build = [str(BIN / "dbt"), "build", "--quiet", "--profiles-dir", ".", "--target-path"]
            kinds = {
                "load definitions (process wall)": lambda: timed([sys.executable, "-c", LOAD], three),
                **kinds,
                "plain dbt build, 3 years": lambda: timed(
                    [*dbt_build, str(scratch / "dbt_target")], dbt_env, cwd=PROJECT / "dbt"
                ),
                "full refresh, 12 years": lambda: timed(run, twelve),
                "one-year refresh, 12 years": lambda: timed([*run, "--year", latest], twelve),
            }
        kinds |= {
            "full refresh, 10x units": lambda: timed(run, scale),
            "one-year refresh, 10x units": lambda: timed([*run, "--year", latest], scale),
        }
        if args.tests:
            kinds["make test"] = lambda: timed(
                ["make", "test"], {**three, "DAGSTER_HOME": str(scratch / "tests")}
            )
        results: dict[str, list[tuple[float, str, int | None]]] = {kind: [] for kind in kinds}
        for _ in range(args.repeats):
            for kind, measure in kinds.items():
                results[kind].append(measure())
        steps = {"3 years": slowest_steps(three), "10x units": slowest_steps(scale)}
        one_year_wall = results["one-year refresh, 3 years"][-1][0]
        parts = one_year_parts(three, one_year_wall)
        failures = {"3 years": failed_checks(three), "10x units": failed_checks(scale)}
    medians = {kind: statistics.median(wall for wall, _, _ in runs) for kind, runs in results.items()}
    print(f"machine: {machine()}; medians of {args.repeats}, interleaved")
    print(f"{'':34} {'median':>8} {'peak MB':>8}  runs")
    for kind, runs in results.items():
        peak = max((p for _, _, p in runs if p is not None), default=None)
        shown = ", ".join(f"{wall:.1f}" for wall, _, _ in runs)
        print(f"{kind:34} {medians[kind]:7.1f}s {peak or '':>8}  {shown}")
    full, one_year = medians["full refresh, 3 years"], medians["one-year refresh, 3 years"]
    if args.only is None:
        inside = statistics.median(float(out) for _, out, _ in results["load definitions (process wall)"])
        print(f"{'load definitions (in process)':34} {inside:7.2f}s")
        dbt = medians["plain dbt build, 3 years"]
        print(f"full refresh / plain dbt build: {full / dbt:.2f} (target <= 2.0)")
        print(f"one year / full refresh, 3 years: {one_year / full:.2f} (target <= 0.5)")
        print(
            "one year, 12 years / one year, 3 years: "
            f"{medians['one-year refresh, 12 years'] / one_year:.2f} (target about 1)"
        )
    print(
        f"full refresh, 10x units / 3 years: {medians['full refresh, 10x units'] / full:.2f} "
        f"(target <= {SCALE_TARGET})"
    )
    print(f"one year, 10x units / one year, 3 years: {medians['one-year refresh, 10x units'] / one_year:.2f}")
    for name, failed in failures.items():
        print(f"failed checks, {name}, last run: {', '.join(failed) or 'none'}")
    print(f"where the last one-year refresh, 3 years ({one_year_wall:.1f} s), went, seconds:")
    for part, took in parts.items():
        print(f"  {part:60} {took:7.1f}")
    print(f"slowest steps and dbt models of a full refresh, seconds: {' | '.join(steps)}")
    for step in dict.fromkeys([*steps["10x units"], *steps["3 years"]]):
        print(f"  {step:60} " + " | ".join(f"{took.get(step, 0):7.1f}" for took in steps.values()))


if __name__ == "__main__":
    main()
