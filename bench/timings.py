"""Wall times a user feels: loading the Dagster definitions, a full refresh (every data year, one run)
and the refresh of one year (what the sensor and the schedule request), after set-up.

    make bench     # each three times, into a scratch data directory

"load definitions" is a fresh interpreter importing the entry module, building the Definitions and
resolving the repository, timed inside that process (as the webserver's code server does it); the
process wall time, with interpreter start-up, is printed beside it.

Run through `make bench`; numbers go in the closing note of the session that changes them.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LOAD = """
import time
started = time.perf_counter()
from dagster_project.definitions import defs
defs().get_repository_def()
print(time.perf_counter() - started)
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, check=True, cwd=PROJECT, env=env, capture_output=True, text=True)
    return time.perf_counter() - started, done.stdout


def main(repeats: int = 3) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch) / "data"
        for inputs in ("reference", "raw"):
            shutil.copytree(PROJECT / "data" / inputs, data_dir / inputs)
        env = {
            **os.environ,
            "DAGSTER_HOME": str(Path(scratch) / "home"),
            "COUNTY_INDUSTRY_DATA_DIR": str(data_dir),
        }
        Path(env["DAGSTER_HOME"]).mkdir()
        shutil.copy(PROJECT / "dagster_instance.yaml", Path(env["DAGSTER_HOME"]) / "dagster.yaml")
        loads = [timed([sys.executable, "-c", LOAD], env) for _ in range(repeats)]
        command = [str(Path(sys.executable).parent / "county-industry"), "run"]
        runs = [timed(command, env) for _ in range(repeats)]
        year = sorted(p.name for p in (data_dir / "raw" / "county_statistics").iterdir())[-1]
        year_runs = [timed([*command, "--year", year], env) for _ in range(repeats)]
    results = {
        "load definitions": [float(out) for _, out in loads],
        "  (process wall)": [wall for wall, _ in loads],
        "county-industry run": [wall for wall, _ in runs],
        f"  run --year {year}": [wall for wall, _ in year_runs],
    }
    for name, times in results.items():
        shown = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name:22} median {statistics.median(times):6.2f} s  (runs: {shown})")


if __name__ == "__main__":
    main()
