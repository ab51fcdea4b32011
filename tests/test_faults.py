"""Fault injection: real runs of the command line killed at each stage, two runs at once, a full disk and a
damaged published file. After each: the published file is complete and queryable, its bytes unchanged
unless a run finished, the run history shows no run stuck in progress, and the next run succeeds.

One deployment (a copy of a refreshed data directory and its run history) goes through the faults in
order, as a server would live through them; every test sets up the state it needs on that deployment, so
each passes alone and in any order.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

from dagster_project.dbt_docs import FINGERPRINT, SITE_FILES
from dagster_project.lib import writer_lock
from dagster_project.publish import (
    MANIFEST,
    complete_snapshots,
    current_snapshot,
    leftovers,
    link_docs,
    point_at,
    publish,
    rollback,
    write_manifest,
)
from dagster_project.resources import PROJECT_DIR, PUBLISHED_FILE, WAREHOUSE_FILE
from dagster_project.run_health import IN_PROGRESS
from tests.conftest import (
    PipelineRun,
    assert_published_alike,
    county_industry,
    county_industry_argv,
    county_industry_env,
    deploy,
    published_state,
    sha256,
)

# stated behaviour (exit codes, messages, bytes unchanged) of real runs; a minute or more of a core
pytestmark = [pytest.mark.independent, pytest.mark.minutes]

YEAR = "2022"  # a one-year run: the cheapest real run that goes through every stage; a CSV year
DEADLINE = 240  # seconds: a bound if a run never reaches the stage awaited, never a pace
# Seconds between looks: at a folder (a stage that may last a second), and at the run history (each look
# opens it, 40 ms of a core taken from the run under test; the steps awaited last seconds)
POLL, POLL_HISTORY = 0.02, 0.25


@pytest.fixture(scope="module")
def deployment(pipeline_run: PipelineRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A deployment with an older snapshot (a copy of the current one) to roll back to."""
    data_dir = deploy(pipeline_run, tmp_path_factory.mktemp("faults"))
    current = current_snapshot(data_dir / PUBLISHED_FILE).path
    shutil.copytree(current, current.with_name("00000101T000000Z_older"))
    return data_dir


def ranking_rows(data_dir: Path) -> int:
    """The rows of the ranking files under reference/rankings/, counted from the files themselves."""
    return sum(
        len(path.read_text(encoding="utf-8").splitlines()) - 1
        for path in (data_dir / "reference" / "rankings").glob("*.csv")
    )


def published_rows(data_dir: Path) -> int:
    with duckdb.connect(str(data_dir / PUBLISHED_FILE), read_only=True) as con:
        return con.execute("select count(*) from marts.published_rankings").fetchone()[0]


def history(data_dir: Path) -> DagsterInstance:
    return DagsterInstance.from_config(str(data_dir.parent / "dagster_home"))


def steps_started(data_dir: Path) -> set[str]:
    with history(data_dir) as instance:
        runs = instance.get_runs(RunsFilter(statuses=IN_PROGRESS), limit=1)
        if not runs:
            return set()
        return {
            record.get_dagster_event().step_key
            for record in instance.all_logs(runs[0].run_id, of_type=DagsterEventType.STEP_START)
        }


def start_run(data_dir: Path, *arguments: str) -> subprocess.Popen:
    """`county-industry run` in a process group of its own (with the dbt it starts), as a shell job is."""
    return subprocess.Popen(
        county_industry_argv(data_dir, "run", "--year", YEAR, *arguments),
        env=county_industry_env(data_dir),
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def kill_when(run: subprocess.Popen, reached: Callable[[], bool], poll: float = POLL) -> None:
    """SIGKILL the run's process group as soon as it reaches the stage (looked at every `poll` seconds)."""
    deadline = time.monotonic() + DEADLINE
    while not reached():
        assert run.poll() is None, f"the run ended before the stage: {run.communicate()[0][-3000:]}"
        assert time.monotonic() < deadline, "the run never reached the stage"
        time.sleep(poll)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()


def drawing_figures(data_dir: Path) -> bool:
    """The publish step has copied the marts, written the Parquet and the workbooks into its hidden
    snapshot folder, and is drawing the figures: the last thing it writes before it publishes."""
    snapshots = data_dir / "published" / "snapshots"
    return any(p.name.endswith(".tmp") and (p / "figures").is_dir() for p in snapshots.iterdir())


def assert_untouched(data_dir: Path, before: dict[str, str]) -> None:
    """Everything published is as before the killed run, whole; no run is left in progress; rollback
    works (to the snapshot before, and forward again to the same bytes)."""
    assert published_state(data_dir) == before
    assert published_rows(data_dir) == ranking_rows(data_dir)
    status = county_industry(data_dir, "status")
    assert "its process is gone: marked FAILURE" in status.stdout, status.stdout
    with history(data_dir) as instance:
        assert instance.get_runs(RunsFilter(statuses=IN_PROGRESS)) == []
        assert instance.get_runs(limit=1)[0].status == DagsterRunStatus.FAILURE
    published = data_dir / PUBLISHED_FILE
    current = current_snapshot(published)
    with writer_lock.hold(data_dir, "test-rollback"):  # as `county-industry rollback` does (its own test)
        assert rollback(published) != current
        rollback(published, to=current.name)
    assert published_state(data_dir) == before


def test_a_server_lives_through_crashes_and_an_overlap_then_publishes_what_a_clean_run_did(
    pipeline_run: PipelineRun, deployment: Path
) -> None:
    """Faults 1 to 3, in the order a server could live through them: a run killed while it loads the raw
    files, one killed while dbt builds, one killed while it publishes (its snapshot written but for the
    figures it is drawing; while that one runs, a second run and a rollback are refused with one line and
    exit code 3). Each leaves everything published as it was (the DuckDB file, the Parquet, the exports and
    the figures), no run in progress, and rollback working; the half-written snapshot is never listed nor
    rolled back to. Then the year runs again: it removes the leftovers, publishes nothing a killed run
    loaded, and publishes what the clean run (pipeline_run) published, byte for byte: marts, Parquet,
    exports and figures. (A refused run between them: tests/test_cli_console.py, in a terminal.)"""
    published = deployment / PUBLISHED_FILE
    before = published_state(deployment)
    kept = [s.name for s in complete_snapshots(published)]
    killed_runs = []
    for stage in ("raw__county_statistics", "dbt_per_year_models"):
        run = start_run(deployment)
        kill_when(run, lambda stage=stage: stage in steps_started(deployment), POLL_HISTORY)
        assert_untouched(deployment, before)
        with history(deployment) as instance:
            killed_runs.append(instance.get_runs(limit=1)[0].run_id)

    first = start_run(deployment)
    try:
        deadline = time.monotonic() + DEADLINE
        # held, and its holder written (a reader in between sees pid 0, run "unknown")
        while (holder := writer_lock.current_holder(deployment)) is None or not holder.pid:
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()[0][-3000:]
            time.sleep(POLL)
        second = county_industry(deployment, "run", "--year", YEAR)
        assert second.returncode == 3, second.stdout + second.stderr
        assert second.stderr.count("\n") == 1 and f"being written by run {holder.run_id}" in second.stderr
        refused = county_industry(deployment, "rollback")
        assert refused.returncode == 3 and "nothing rolled back" in refused.stderr, refused.stderr
        kill_when(first, lambda: drawing_figures(deployment))
    finally:  # a failed assertion leaves no run holding the deployment the module's other tests use
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    assert_untouched(deployment, before)
    killed_runs.append(holder.run_id)

    listed = county_industry(deployment, "rollback", "--list")
    assert "left by an interrupted run, not a snapshot" in listed.stdout, listed.stdout
    assert [s.name for s in complete_snapshots(published)] == kept
    [staging] = [p.name for p in leftovers(published) if p.name.endswith(".tmp")]
    refused = county_industry(deployment, "rollback", "--to", staging)
    assert refused.returncode == 1 and published_state(deployment) == before

    done = county_industry(deployment, "run", "--year", YEAR)
    assert done.returncode == 0, done.stdout[-3000:]
    assert (
        f"published (for analysts):  {published}" in done.stdout and "marts.computed_rankings" in done.stdout
    )
    assert leftovers(published) == []
    with duckdb.connect(str(published), read_only=True) as con:
        loaded_by = {r for (r,) in con.execute("select distinct run_id from marts.source_files").fetchall()}
    assert loaded_by.isdisjoint(killed_runs), "nothing a killed run loaded is published"
    assert_published_alike(deployment, pipeline_run.data_dir)


def test_a_damaged_published_file_is_reported_and_rollback_repairs_it(deployment: Path) -> None:
    """A truncated published file (the same inode as its snapshot's): status says DAMAGED and fails;
    rollback puts the newest intact snapshot before it in place."""
    published = deployment / PUBLISHED_FILE
    with writer_lock.hold(deployment, "test-publish"):
        publish(deployment / WAREHOUSE_FILE, published, "99990101T000000Z_newest", "test-publish")
    previous = complete_snapshots(published)[-2]
    os.truncate(published, 12 * 1024)

    status = county_industry(deployment, "status")
    assert status.returncode == 4 and "PUBLISHED FILE DAMAGED" in status.stdout, status.stdout
    repaired = county_industry(deployment, "rollback")
    assert repaired.returncode == 0, repaired.stderr
    assert published.stat().st_ino == (previous.path / published.name).stat().st_ino
    assert published_rows(deployment) == ranking_rows(deployment)
    again = county_industry(deployment, "rollback", "--to", "99990101T000000Z_newest")
    assert again.returncode == 1 and "no intact snapshot 99990101T000000Z_newest" in again.stderr
    shutil.rmtree(complete_snapshots(published)[-1].path)  # the deployment as other tests expect it


@pytest.fixture
def small_disk(deployment: Path, tmp_path: Path):
    """A published folder on a file system with room for the current snapshot and little more."""
    published = tmp_path / "published"
    published.mkdir()
    current = current_snapshot(deployment / PUBLISHED_FILE)
    size = sum(p.stat().st_size for p in current.path.rglob("*") if p.is_file())
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size + 2 * 1024 * 1024}", "tmpfs", str(published)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"no size-limited file system here (mount tmpfs: {mounted.stderr.strip()})")
    try:
        (published / "snapshots").mkdir()
        subprocess.run(["cp", "-a", str(current.path), str(published / "snapshots")], check=True)
        yield published / Path(PUBLISHED_FILE).name, current.name
    finally:
        subprocess.run(["umount", "-l", str(published)], check=False)


def test_a_full_disk_while_publishing_leaves_the_published_file_and_nothing_else(
    deployment: Path, small_disk: tuple[Path, str]
) -> None:
    published, name = small_disk
    point_at(published.parent / "snapshots" / name, published)
    before = sha256(published)
    with pytest.raises((OSError, duckdb.Error)) as raised, writer_lock.hold(deployment, "test-full-disk"):
        publish(deployment / WAREHOUSE_FILE, published, "99990101T000000Z_full", "test-full-disk")
    assert "No space left on device" in str(raised.value), raised.value  # DuckDB's or the OS's words
    assert sha256(published) == before
    assert [s.name for s in complete_snapshots(published)] == [name]
    assert leftovers(published) == [], "the failed write removed its staging folder"


HOLDER = """
import sys
from pathlib import Path
from dagster_project.lib import writer_lock
with writer_lock.hold(Path(sys.argv[1]), "run-that-holds"):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_snapshots_inputs_are_the_files_its_marts_were_made_from(tmp_path: Path) -> None:
    """snapshot.json's `inputs` (shown by rollback --list and status): one digest of the files and sha256
    marts.source_files lists, whatever their order or how often a file was loaded; another file, another
    digest. Snapshots of unchanged inputs are told apart from one of a new year's files by it."""
    database = tmp_path / "published.duckdb"

    def inputs(rows: list[tuple]) -> str:
        with duckdb.connect(str(database)) as con:
            con.execute("create schema if not exists marts")
            con.execute(
                "create or replace table marts.source_files (source_file varchar, source_sha256 varchar)"
            )
            con.executemany("insert into marts.source_files values (?, ?)", rows)
        write_manifest(tmp_path, database, "a-run", {})
        return json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["inputs"]

    first = inputs([("raw/county_statistics/2022/a.csv", "aa"), ("config/raw_statistics.yaml", "cc")])
    again = inputs([("config/raw_statistics.yaml", "cc"), *[("raw/county_statistics/2022/a.csv", "aa")] * 2])
    changed = inputs([("raw/county_statistics/2022/a.csv", "ab"), ("config/raw_statistics.yaml", "cc")])
    assert first == again != changed


def test_a_docs_site_missing_a_file_is_not_put_in_a_snapshot(tmp_path: Path) -> None:
    """The docs site beside the warehouse goes into a snapshot whole, or not at all."""
    site = tmp_path / "site"
    site.mkdir()
    for name in (*SITE_FILES, FINGERPRINT):
        (site / name).write_text(name, encoding="utf-8")
    link_docs(site, tmp_path / "whole")
    assert sorted(p.name for p in (tmp_path / "whole").iterdir()) == sorted((*SITE_FILES, FINGERPRINT))
    (site / "catalog.json").unlink()
    link_docs(site, tmp_path / "half")
    assert not (tmp_path / "half").exists()


def test_a_run_waits_for_the_lock_naming_its_holder_then_refuses_at_its_deadline(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_DIR,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        told = []
        with (
            pytest.raises(writer_lock.WriterBusy) as busy,
            writer_lock.hold(tmp_path, "me", 1.0, told.append),
        ):
            pass
        assert [h.run_id for h in told] == ["run-that-holds"], "told once who holds it"
        assert "being written by run run-that-holds (pid" in str(busy.value)
    finally:
        holder.stdin.close()
        holder.wait()
    with writer_lock.hold(tmp_path, "me") as me:  # released when its process ended its block
        assert me.run_id == "me"


def test_the_last_five_complete_snapshots_are_kept_and_leftovers_do_not_count(
    pipeline_run: PipelineRun, tmp_path: Path
) -> None:
    """Retention: with six complete snapshots and one more publication, the five newest remain (the new,
    current one among them); a killed run's staging folder (with a figure it was drawing) is neither kept
    nor counted, and the next publication removes it."""
    data_dir = deploy(pipeline_run, tmp_path)
    published = data_dir / PUBLISHED_FILE
    staging = published.parent / "snapshots" / ".99990101T000000Z_killed.1.tmp"
    (staging / "figures").mkdir(parents=True)
    (staging / "figures" / "tiers.png").write_bytes(b"\x89PNG half")
    labels = [f"9999010{n}T000000Z_run{n}" for n in range(1, 7)]
    for label in labels[:-1]:  # five complete snapshots, copies of the current one, then a publication
        shutil.copytree(current_snapshot(published).path, published.parent / "snapshots" / label)
    with writer_lock.hold(data_dir, "test-retention"):
        publish(data_dir / WAREHOUSE_FILE, published, labels[-1], "run-retention")
    assert [s.name for s in complete_snapshots(published)] == labels[-5:] == sorted(labels)[-5:]
    assert current_snapshot(published).name == labels[-1]
    assert not staging.exists() and leftovers(published) == []


def test_a_year_run_on_a_warehouse_without_a_newer_reference_table_says_to_run_a_full_refresh(
    pipeline_run: PipelineRun, tmp_path: Path
) -> None:
    """A warehouse built by an older version of the project lacks a seed that the per-year models now read
    (as `seeds.ranking_lists` was once new): a one-year run names the table and the full refresh to run,
    and publishes nothing."""
    data_dir = deploy(pipeline_run, tmp_path)
    with duckdb.connect(str(data_dir / WAREHOUSE_FILE)) as con:
        con.execute("drop table seeds.ranking_lists")
    before = published_state(data_dir)
    refused = county_industry(data_dir, "run", "--year", YEAR)
    assert refused.returncode == 1, refused.stdout[-3000:] + refused.stderr[-3000:]
    said = refused.stdout + refused.stderr
    assert "lacks seeds.ranking_lists" in said and "Run `county-industry run` once" in said, said[-3000:]
    assert published_state(data_dir) == before
