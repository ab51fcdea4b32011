"""Wall and CPU time of the uncertainty and sensitivity analyses (docs/methodology.md §9-10) for every
list and data year, outside dbt, on a warehouse a run has built (the engine's intermediate tables hold the
years of its last run: after `county-industry run`, every year).

    .venv/bin/python bench/robustness.py                       # data/warehouse/county_industry.duckdb
    .venv/bin/python bench/robustness.py --warehouse PATH --draws 1000 --repeats 3

Each repeat runs both analyses as the two dbt Python models do, one after the other in one process; the
table shows each repeat and the median. CPU time is the process's (numpy's BLAS may use a second core).
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

import duckdb

from dagster_project.resources import DEFAULT_DATA_DIR, WAREHOUSE_FILE
from dagster_project.robustness.analysis import sensitivity_frame, uncertainty_frame
from dagster_project.robustness.dbt_model import project_settings
from dagster_project.robustness.inputs import panels

RELATIONS = {
    "values": "intermediate.int_indicators__normalized",
    "catalogue": "staging.stg_engine__indicator_catalogue",
    "weights": "staging.stg_engine__indicator_weights",
    "lists": "seeds.ranking_lists",
    "ranked": "intermediate.int_rankings__ranked",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=DEFAULT_DATA_DIR / WAREHOUSE_FILE)
    parser.add_argument("--draws", type=int, help="default: dbt var robustness_draws")
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    with duckdb.connect(str(arguments.warehouse), read_only=True) as con:
        frames = {name: con.sql(f"select * from {relation}").df() for name, relation in RELATIONS.items()}
    settings = project_settings()
    settings = replace(settings, draws=arguments.draws or settings.draws)
    print(f"{'repeat':>6} {'uncertainty s':>14} {'sensitivity s':>14} {'total s':>8} {'cpu s':>7}")
    totals = []
    for repeat in range(1, arguments.repeats + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        uncertainty_frame(panels(**frames), settings)
        middle = time.perf_counter()
        sensitivity_frame(panels(**frames), settings)
        end, cpu = time.perf_counter(), time.process_time() - cpu
        totals.append(end - wall)
        print(f"{repeat:>6} {middle - wall:>14.2f} {end - middle:>14.2f} {end - wall:>8.2f} {cpu:>7.2f}")
    count = len(list(panels(**frames)))
    print(f"median total {statistics.median(totals):.2f} s: {count} lists × years, {settings.draws} draws")


if __name__ == "__main__":
    main()
