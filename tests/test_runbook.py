"""Each step of docs/runbook.md, executed as a data engineer runs it: the command line, on a copy of a
fully refreshed data directory and its run history. While a year is added, an analyst's process reads
the published file throughout the run: it must see complete snapshots and never a lock error. That run is
also where the console is checked: its steps as they start, its summary, and nothing else printed."""

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import (
    AssetKey,
    AssetSelection,
    DagsterEventType,
    DagsterInstance,
    SensorResult,
    build_sensor_context,
)

from dagster_project.dbt_metadata import STORE as LINEAGE_STORE
from dagster_project.definitions import build_definitions
from dagster_project.lib import writer_lock
from dagster_project.partitions import register_data_years
from dagster_project.publish import PUBLISHED_DUCKDB, current_snapshot, publish
from dagster_project.raw import frames
from dagster_project.resources import PUBLISHED_FILE, WAREHOUSE_FILE
from tests import runbook
from tests.conftest import PipelineRun, county_industry, deploy

# the runbook's commands as printed, and their stated outcomes; a minute or more of a core
pytestmark = [pytest.mark.independent, pytest.mark.minutes]

PANEL = Path("raw", "county_statistics")
TOTALS = Path("raw", "national_totals")
DROPPED = ("340121", "长丰县")  # left out of the generated year 2024
# What a successful run printed before it was quiet: dbt's log (its partial parsing among it), sqlglot's
# warnings on UNPIVOT, a Python model's source with the lineage it has not, Dagster's stack traces.
NOISE = [
    "Unable to do partial parsing",
    "Running with dbt=",
    " START sql ",
    "Catalog written to",
    "Cannot traverse scope",
    "def model(dbt, session)",
    "no column lineage",
    "Stack Trace",
]
CLOCK = r"\d+:\d\d:\d\d"


READER = """
import pathlib, sys, time, duckdb
path, stop_file = sys.argv[1], pathlib.Path(sys.argv[2])
deadline = time.time() + 300  # bounded even if the test dies before it says stop
reads = errors = 0
first = None  # the published lists do not change with a data year: every read must find the same rows
while not stop_file.exists() and time.time() < deadline:
    try:
        with duckdb.connect(path, read_only=True) as con:
            count = con.execute("select count(*) from marts.published_rankings").fetchone()[0]
        first = count if first is None else first
        assert count == first > 0, (count, first)
        reads += 1
    except Exception as error:
        errors += 1
        print("ERROR", repr(error), flush=True)
    time.sleep(0.25)  # a couple of hundred reads in a run; each read is 10-20 ms of a core the run needs
print("reads", reads, "errors", errors, flush=True)
"""


def mart(data_dir: Path, query: str) -> pd.DataFrame:
    with duckdb.connect(str(data_dir / PUBLISHED_FILE), read_only=True) as con:
        return con.execute(query).df()


def run_as_printed(project: Path, command: str) -> subprocess.CompletedProcess:
    """A command as the runbook prints it, from the project folder (a copy whose .venv is the real one;
    the data directory and run history are the copy's own, by the variables the command reads)."""
    env = {
        **os.environ,
        "COUNTY_INDUSTRY_DATA_DIR": str(project / "data"),
        "DAGSTER_HOME": str(project / "dagster_home"),
    }
    return subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True)


def year_2024(deployment: Path) -> tuple[Path, Path, Path]:
    """The year's files in incoming/: 2023's panel as 2024 without 长丰县, a stale draft that repeats 50 of
    its units, and 2023's national totals as 2024's."""
    incoming = deployment / "incoming"
    workbook = next((deployment / PANEL / "2023").iterdir())
    panel_2023 = pd.read_excel(workbook, dtype=str, keep_default_na=False, engine=frames.XLSX_READER)
    panel_2024 = panel_2023.assign(data_year="2024")
    panel_2024 = panel_2024[panel_2024["adcode"] != DROPPED[0]]
    panel = incoming / "county_statistics" / "2024" / "county_statistics_2024.csv"
    draft = panel.with_name("county_statistics_2024_draft.csv")
    panel.parent.mkdir(parents=True)
    panel_2024.to_csv(panel, index=False, encoding="utf-8-sig")
    panel_2024.head(50).to_csv(draft, index=False, encoding="utf-8-sig")
    totals_2023 = next((deployment / TOTALS / "2023").iterdir()).read_text(encoding="utf-8")
    header, row = totals_2023.splitlines()[:2]
    totals = incoming / "national_totals" / "2024" / "national_totals_2024.csv"
    totals.parent.mkdir(parents=True)
    totals.write_text(f"{header}\n{row.replace('2023', '2024', 1)}\n", encoding="utf-8")
    return panel, draft, totals


@dataclass
class AddedYear:
    """What the runbook's 'Add a data year' printed and left, step by step, up to its run."""

    project: Path
    data_dir: Path
    draft: Path
    commands: list[str]
    validated: list[subprocess.CompletedProcess]  # the panel with its stale draft, without it, the totals
    moved: list[subprocess.CompletedProcess]
    tick: SensorResult
    read: str  # what the analyst's reading process printed
    run: subprocess.CompletedProcess
    before: Path  # the snapshot published before the run


@pytest.fixture(scope="module")
def added_year(pipeline_run: PipelineRun, tmp_path_factory: pytest.TempPathFactory) -> AddedYear:
    """Runbook, 'Add a data year', command by command as docs/runbook.md prints them, up to the run; an
    analyst's process reads the published file throughout the run. The deployment's column lineage cache
    is dropped first, so that the run is what a first run of a warehouse would print: every model's SQL
    parsed again (a new year changes only the per-year models' SQL)."""
    project = tmp_path_factory.mktemp("add_a_year")
    data_dir = deploy(pipeline_run, project)
    with duckdb.connect(str(data_dir / WAREHOUSE_FILE)) as con:
        con.execute(f"drop table {LINEAGE_STORE}")
    (project / ".venv").symlink_to(Path(sys.executable).parent.parent)  # the virtual environment in use
    panel, draft, _ = year_2024(data_dir)
    before = current_snapshot(data_dir / PUBLISHED_FILE)
    code_location = build_definitions(data_dir)  # loaded before the year exists: never reloaded
    commands = runbook.commands("Add a data year")
    validate_panel, validate_totals, *move, run, _, _ = commands
    validated = [run_as_printed(project, validate_panel)]
    draft.unlink()  # the engineer removes the stale file it names, and checks again
    validated += [run_as_printed(project, validate_panel), run_as_printed(project, validate_totals)]
    moved = [run_as_printed(project, command) for command in move]
    with DagsterInstance.from_config(str(project / "dagster_home")) as instance:
        tick = code_location.resolve_sensor_def("raw_files_changed")(build_sensor_context(instance=instance))
    stop = project / "stop_reading"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(data_dir / PUBLISHED_FILE), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        done = run_as_printed(project, run)
    finally:
        stop.touch()
        read, _ = reader.communicate(timeout=60)
    return AddedYear(project, data_dir, draft, commands, validated, moved, tick, read, done, before)


def test_add_a_year_as_printed(added_year: AddedYear, pipeline_run: PipelineRun) -> None:
    """Each step's stated outcome; the analyst's reads never saw a lock error or half a snapshot; status
    and rollback after the run."""
    project, data_dir = added_year.project, added_year.data_dir
    assert added_year.commands == [
        ".venv/bin/county-industry validate data/incoming/county_statistics/2024/*",
        ".venv/bin/county-industry validate data/incoming/national_totals/2024/*",
        "mkdir -p data/raw/county_statistics/2024 data/raw/national_totals/2024",
        "mv data/incoming/county_statistics/2024/* data/raw/county_statistics/2024/",
        "mv data/incoming/national_totals/2024/* data/raw/national_totals/2024/",
        ".venv/bin/county-industry run --year 2024",
        ".venv/bin/county-industry status",
        ".venv/bin/county-industry rollback",
    ], "the steps this test checks one by one"
    *_, status, rollback = added_year.commands

    with_draft, checked, totals = added_year.validated
    assert with_draft.returncode == 1, with_draft.stdout + with_draft.stderr
    assert "one row per unit and data year" in with_draft.stdout, with_draft.stdout
    assert added_year.draft.name in with_draft.stdout, with_draft.stdout
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{DROPPED[0]} {DROPPED[1]} is in 2023 but missing in 2024" in checked.stdout, checked.stdout
    assert totals.returncode == 0 and "passed" in totals.stdout, totals.stdout + totals.stderr

    for moved in added_year.moved:
        assert moved.returncode == 0, moved.stderr
    assert (data_dir / PANEL / "2024" / "county_statistics_2024.csv").is_file()
    assert (data_dir / TOTALS / "2024" / "national_totals_2024.csv").is_file()

    tick = added_year.tick
    assert [r.partition_key for r in tick.run_requests] == ["2024"], "the sensor asks for 2024, no reload"
    assert [list(r.partition_keys) for r in tick.dynamic_partitions_requests] == [["2024"]]

    done, read = added_year.run, added_year.read
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "ERROR" not in read, read
    assert int(read.split()[1]) > 0, read
    assert "raw/county_statistics [2024]" in done.stdout, "only the new year's partition was loaded"
    years = mart(
        data_dir, "select data_year, count(*) as n from marts.computed_rankings group by 1 order by 1"
    )
    assert years.to_dict("list") == {"data_year": [2021, 2022, 2023, 2024], "n": [300] * 4}
    before = mart(pipeline_run.data_dir, "select * from marts.computed_rankings order by all")
    after = mart(data_dir, "select * from marts.computed_rankings where data_year < 2024 order by all")
    pd.testing.assert_frame_equal(before, after, obj="the years already published are untouched")
    compared = mart(
        data_dir,
        "select distinct previous_data_year from marts.computed_ranking_movements where data_year = 2024",
    )
    assert compared["previous_data_year"].tolist() == [2023], "2024's movements are against 2023"
    dropped = mart(data_dir, f"select * from marts.computed_rankings where adcode = '{DROPPED[0]}'")
    assert 2024 not in set(dropped["data_year"]), "the county left out of 2024 is not ranked in 2024"

    shown = run_as_printed(project, status)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "current" in shown.stdout and "data years 2021, 2022, 2023, 2024" in shown.stdout, shown.stdout

    back = run_as_printed(project, rollback)
    assert back.returncode == 0, back.stderr
    assert f"now snapshot {added_year.before.name}: data years 2021, 2022, 2023;" in back.stdout, back.stdout
    years = mart(data_dir, "select distinct data_year from marts.computed_rankings order by 1")
    assert years["data_year"].tolist() == [2021, 2022, 2023], "2024 is out of the published file"


def test_the_run_shows_each_step_as_it_starts_with_the_time_so_far(added_year: AddedYear) -> None:
    """One line per step as it starts (its phase, its number of the phase's steps, what it makes), one per
    phase as it ends, each after the run's time so far; in the order a year's refresh goes: its raw
    statistics, the dbt models, the publication."""
    done = added_year.run
    lines = done.stderr.splitlines()
    assert all(re.match(rf"{CLOCK}  ", line) for line in lines), done.stderr
    clocks = [datetime.strptime(line.split()[0], "%H:%M:%S") for line in lines]
    assert clocks == sorted(clocks), "the time so far never goes back"
    started = [
        m.groups() for m in (re.match(rf"{CLOCK}  (\w+) (\d+)/(\d+)  (\S+)", line) for line in lines) if m
    ]
    steps = [step.rstrip(":") for *_, step in started]
    for before, after in [
        ("raw__county_statistics", "dbt_per_year_models"),
        ("dbt_per_year_models", "dbt_cross_year_models"),
        ("dbt_cross_year_models", "publish"),
    ]:
        assert steps.index(before) < steps.index(after), steps
    phases = {phase: int(total) for phase, _, total, _ in started}
    assert {"inputs", "dbt", "publish"} <= set(phases), phases
    assert Counter(phase for phase, *_ in started) == phases, "each phase's steps, numbered 1 to its total"
    publish = next(line for line in lines if re.search(r"  publish \d+/\d+  publish:", line))
    assert "county_industry_duckdb" in publish and "figures (" in publish, "it names what it writes"
    for phase in phases:
        assert re.search(rf"{CLOCK}  {phase} done: {phases[phase]} steps, [\d.]+ s", done.stderr), phase


def test_the_successful_run_prints_nothing_to_act_on(added_year: AddedYear) -> None:
    """No dbt log, no sqlglot warning, no model source, no stack trace: only the steps and the summary."""
    printed = added_year.run.stdout + added_year.run.stderr
    assert [noise for noise in NOISE if noise in printed] == []
    assert "WARNING" not in printed


def test_the_run_summary_counts_what_it_lists(added_year: AddedYear) -> None:
    """The count of assets materialised is the run history's; each group's count is the assets it lists
    (one line each) or names (with how many of a kind), and the groups add up to the count."""
    done = added_year.run
    run_id = re.search(r"^run (\S+): SUCCESS", done.stdout, flags=re.M)[1]
    with DagsterInstance.from_config(str(added_year.project / "dagster_home")) as instance:
        records = instance.all_logs(run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION)
    keys = sorted({r.get_dagster_event().asset_key.to_user_string() for r in records})
    summary = done.stdout.split(" materialised:\n", 1)
    assert summary[0].endswith(f"\n{len(keys)} assets"), done.stdout
    groups: dict[str, int] = {}
    listed: Counter = Counter()
    for line in summary[1].split("\nchecks:")[0].splitlines():
        group = re.match(r"  (\w+) +(\d+)(?:  (.+))?$", line)
        if group:
            name, count, names = group.groups()
            groups[name] = int(count)
            for item in (names or "").split(", ") if names else []:
                many = re.match(r"(\w+) \((\d+)\)$", item)
                listed[name] += int(many[2]) if many else 1
        elif re.match(r"    \S+/\S+.* rows$", line):
            listed[line.split("/")[0].strip()] += 1
    assert groups == dict(Counter(key.split("/")[0] for key in keys)), "by the first part of each key"
    assert sum(groups.values()) == len(keys)
    assert {group: listed[group] for group in listed} == {group: groups[group] for group in listed}
    assert listed, "some groups list their assets"


def test_roll_back_a_published_snapshot(pipeline_run: PipelineRun, tmp_path: Path) -> None:
    """Runbook, 'Roll back': the snapshot before the current one is put back, with its Parquet; --to rolls
    forward again; a path is never a snapshot's name."""
    data_dir = deploy(pipeline_run, tmp_path)
    published = data_dir / PUBLISHED_FILE
    first = current_snapshot(published)
    with writer_lock.hold(data_dir, "test-second"):  # a second run's publication, without its run
        publish(data_dir / WAREHOUSE_FILE, published, "99990101T000000Z_second", "test-second")
    listed = county_industry(data_dir, "rollback", "--list")
    assert "current 99990101T000000Z_second: data years 2021, 2022, 2023;" in listed.stdout, listed.stdout
    assert f"        {first.name}: data years 2021, 2022, 2023;" in listed.stdout, listed.stdout

    done = county_industry(data_dir, "rollback")
    assert done.returncode == 0, done.stderr
    assert published.stat().st_ino == (first.path / published.name).stat().st_ino
    assert (data_dir / "published" / "parquet").resolve() == first.path / "parquet"
    assert "newer snapshots kept (roll forward with --to): 99990101T000000Z_second" in done.stdout, (
        done.stdout
    )
    forward = county_industry(data_dir, "rollback", "--to", "99990101T000000Z_second")
    assert forward.returncode == 0 and current_snapshot(published).name == "99990101T000000Z_second"
    refused = county_industry(data_dir, "rollback", "--to", "../../../etc")
    assert refused.returncode == 1 and "no intact snapshot ../../../etc" in refused.stderr


def test_a_mart_whose_columns_changed_says_to_rebuild_the_warehouse(
    pipeline_run: PipelineRun, tmp_path: Path
) -> None:
    """Runbook, 'Change the columns of a per-year mart': the refresh stops and says how to rebuild; the
    rebuild itself is a run into an empty warehouse, as every fresh run (the pipeline_run fixture) is."""
    data_dir = tmp_path / "data"
    shutil.copytree(pipeline_run.data_dir, data_dir, symlinks=True)
    with duckdb.connect(str(data_dir / WAREHOUSE_FILE)) as con:  # the table as an older model built it
        con.execute("alter table marts.smart_factories add column dropped_since integer")
    published = (data_dir / PUBLISHED_FILE).stat().st_ino
    defs = build_definitions(data_dir)
    job = defs.resolve_job_def("refresh")
    publication = AssetSelection.assets(PUBLISHED_DUCKDB).required_multi_asset_neighbors()
    selection = AssetSelection.assets(AssetKey(["marts", "smart_factories"])) | publication
    with DagsterInstance.ephemeral() as instance:
        register_data_years(instance, data_dir)
        result = job.execute_in_process(
            asset_selection=list(selection.resolve(defs.resolve_asset_graph())),
            partition_key="2023",
            instance=instance,
            raise_on_error=False,
        )
    [failure] = [e for e in result.all_events if e.is_step_failure]
    message = failure.step_failure_data.user_failure_data.description
    assert f"rm -r {data_dir / 'warehouse'} && make run" in message and "docs/runbook.md" in message
    assert PUBLISHED_DUCKDB not in {e.asset_key for e in result.get_asset_materialization_events()}
    assert (data_dir / PUBLISHED_FILE).stat().st_ino == published
