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
- optionally (`--tests`), `make test`'s wall time.

Each measurement is repeated (default 3) and interleaved, A B C A B C, so that a slow minute of the machine
falls on every kind alike; the table shows medians and every run. Peak memory (RSS of the command and its
children, from /usr/bin/time) where that program exists.

    make bench                      # python bench/timings.py
    .venv/bin/python bench/timings.py --repeats 5 --tests

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

from dagster_project.partitions import copy_latest_years, data_years

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


def deployment(scratch: Path, name: str, latest_years: int | None = None) -> dict[str, str]:
    """A data directory with the bundled inputs (every data year, or the latest `latest_years` of each raw
    source) and a run history of its own, refreshed once so that every later run finds a built warehouse."""
    root = scratch / name
    data_dir = root / "data"
    shutil.copytree(PROJECT / "data" / "reference", data_dir / "reference")
    if latest_years is None:
        shutil.copytree(PROJECT / "data" / "raw", data_dir / "raw")
    else:
        copy_latest_years(PROJECT / "data" / "raw", data_dir / "raw", latest_years)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(root / "home"),
        "COUNTY_INDUSTRY_DATA_DIR": str(data_dir),
        "SCRATCH": str(root),
    }
    timed([str(BIN / "county-industry"), "run"], env)
    return env


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        three = deployment(scratch, "three_years", THREE_YEARS)
        twelve = deployment(scratch, "twelve_years")
        latest = data_years(PROJECT / "data")[-1]
        run = [str(BIN / "county-industry"), "run"]
        warehouse = Path(three["COUNTY_INDUSTRY_DATA_DIR"]) / "warehouse" / "county_industry.duckdb"
        dbt_env = {**three, "COUNTY_INDUSTRY_WAREHOUSE": str(warehouse)}
        dbt_build = [str(BIN / "dbt"), "build", "--quiet", "--profiles-dir", ".", "--target-path"]
        kinds = {
            "load definitions (process wall)": lambda: timed([sys.executable, "-c", LOAD], three),
            "full refresh, 3 years": lambda: timed(run, three),
            "one-year refresh, 3 years": lambda: timed([*run, "--year", latest], three),
            "plain dbt build, 3 years": lambda: timed(
                [*dbt_build, str(scratch / "dbt_target")], dbt_env, cwd=PROJECT / "dbt"
            ),
            "full refresh, 12 years": lambda: timed(run, twelve),
            "one-year refresh, 12 years": lambda: timed([*run, "--year", latest], twelve),
        }
        if args.tests:
            kinds["make test"] = lambda: timed(
                ["make", "test"], {**three, "DAGSTER_HOME": str(scratch / "tests")}
            )
        results: dict[str, list[tuple[float, str, int | None]]] = {kind: [] for kind in kinds}
        for _ in range(args.repeats):
            for kind, measure in kinds.items():
                results[kind].append(measure())
    medians = {kind: statistics.median(wall for wall, _, _ in runs) for kind, runs in results.items()}
    print(f"machine: {machine()}; medians of {args.repeats}, interleaved")
    print(f"{'':34} {'median':>8} {'peak MB':>8}  runs")
    for kind, runs in results.items():
        peak = max((p for _, _, p in runs if p is not None), default=None)
        shown = ", ".join(f"{wall:.1f}" for wall, _, _ in runs)
        print(f"{kind:34} {medians[kind]:7.1f}s {peak or '':>8}  {shown}")
    inside = statistics.median(float(out) for _, out, _ in results["load definitions (process wall)"])
    print(f"{'load definitions (in process)':34} {inside:7.2f}s")
    full, dbt = medians["full refresh, 3 years"], medians["plain dbt build, 3 years"]
    one_year = medians["one-year refresh, 3 years"]
    print(f"full refresh / plain dbt build: {full / dbt:.2f} (target <= 2.0)")
    print(f"one year / full refresh, 3 years: {one_year / full:.2f} (target <= 0.5)")
    print(
        "one year, 12 years / one year, 3 years: "
        f"{medians['one-year refresh, 12 years'] / one_year:.2f} (target about 1)"
    )


if __name__ == "__main__":
    main()
