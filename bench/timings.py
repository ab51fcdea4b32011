"""Wall times a user feels: loading the Dagster definitions, and a full refresh after set-up.

    .venv/bin/python bench/timings.py            # both, three times each, into a scratch data directory

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
LOAD = "from dagster_project.definitions import defs; defs()"


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(repeats: int = 3) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch) / "data"
        shutil.copytree(PROJECT / "data" / "reference", data_dir / "reference")
        env = {
            **os.environ,
            "DAGSTER_HOME": str(Path(scratch) / "home"),
            "COUNTY_INDUSTRY_DATA_DIR": str(data_dir),
        }
        Path(env["DAGSTER_HOME"]).mkdir()
        shutil.copy(PROJECT / "dagster.yaml", env["DAGSTER_HOME"])
        load = [timed([sys.executable, "-c", LOAD], env) for _ in range(repeats)]
        run = [
            timed([str(Path(sys.executable).parent / "county-industry"), "run"], env) for _ in range(repeats)
        ]
    for name, times in (("load definitions", load), ("county-industry run", run)):
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name:22} median {statistics.median(times):6.2f} s  (runs: {runs})")


if __name__ == "__main__":
    main()
