"""What a data engineer sees of `county-industry`: its --help, a failed run in a terminal, and `status` on
the last run and on stuck runs. Each command is run as typed, in a process of its own, on a copy of the
session's refreshed data directory and run history. A successful run's progress and summary are checked on
the runbook's run of a new year (tests/test_runbook.py), not on a run of their own."""

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from dagster import DagsterEventType, DagsterInstance, DagsterRun, DagsterRunStatus
from dagster._core.remote_origin import GrpcServerCodeLocationOrigin, RemoteJobOrigin, RemoteRepositoryOrigin

from dagster_project.partitions import data_years
from dagster_project.resources import PROJECT_DIR
from dagster_project.run_health import process_tags
from tests.conftest import (
    PipelineRun,
    county_industry,
    county_industry_argv,
    county_industry_env,
    deploy,
    published_state,
)

# the lines printed, against what the run history and the files say; a minute or more of a core
pytestmark = [pytest.mark.independent, pytest.mark.minutes]

YEAR = "2022"  # a one-year refresh: the cheapest real run through every stage (as tests/test_faults.py)
COMMANDS = ["run", "validate", "status", "rollback"]  # docs/runbook.md uses each
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


def history(data_dir: Path) -> DagsterInstance:
    return DagsterInstance.from_config(str(data_dir.parent / "dagster_home"))


def test_help_lists_every_command_with_a_description_and_an_example():
    done = subprocess.run(
        [str(Path(sys.executable).parent / "county-industry"), "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    lines = [line.strip("│ ") for line in done.stdout.splitlines()]
    for command in COMMANDS:
        [at] = [i for i, line in enumerate(lines) if line.startswith(f"{command} ")]
        assert len(lines[at].split(None, 1)[1]) > 20, f"{command}: a one-line description"
        assert lines[at + 1].startswith(f"county-industry {command}"), f"{command}: an example below it"
        own = subprocess.run(
            [str(Path(sys.executable).parent / "county-industry"), command, "--help"],
            capture_output=True,
            text=True,
        )
        assert own.returncode == 0 and f"Example: county-industry {command}" in own.stdout, own.stdout


@pytest.mark.consistency
def test_validate_help_lists_the_inputs_it_takes():
    """--input offers exactly the inputs validate judges (in the project's data directory); another name is
    refused by validate, which lists them again."""
    from dagster_project.validate import inputs_by_name, raw_by_name

    cli = str(Path(sys.executable).parent / "county-industry")
    env = {k: v for k, v in os.environ.items() if k != "COUNTY_INDUSTRY_DATA_DIR"}
    shown = subprocess.run([cli, "validate", "--help"], capture_output=True, text=True, env=env).stdout
    text = " ".join(line.strip("│ ") for line in shown.splitlines())
    offered = re.search(r"one of: (.+?)\.\s", text)[1].split(", ")
    assert offered == [*raw_by_name(), *inputs_by_name()]
    ranking = next((PROJECT_DIR / "data" / "reference" / "rankings").iterdir())
    refused = subprocess.run(
        [cli, "validate", ranking, "--input", "nonsense"],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_DIR,
    )
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert refused.stderr.startswith(f"unknown input 'nonsense': one of {', '.join(offered)}"), refused.stderr


def test_a_failed_run_in_a_terminal_marks_its_step_and_prints_the_rows_it_refused(
    pipeline_run: PipelineRun, tmp_path: Path
):
    """Runbook, 'Re-run after a fix': a year whose file has GDP typed in 亿元 into a 万元 column is refused.
    In a terminal (a pseudo-terminal here) the steps are a live display: the failed phase is marked and
    names its step; the summary still prints the file, row, column and rule, and no stack trace. Nothing is
    published: the published file's bytes and where its Parquet, exports and figures point are as before."""
    data_dir = deploy(pipeline_run, tmp_path)
    before = published_state(data_dir)
    [path] = (data_dir / "raw" / "county_statistics" / YEAR).iterdir()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="gbk")
    gdp = next(c for c in frame.columns if c.startswith("gdp["))
    frame.loc[4, gdp] = str(float(frame.loc[4, gdp]) / 10000)  # typed in 亿元 into a 万元 column
    frame.to_csv(path, index=False, encoding="gbk")
    controller, terminal = os.openpty()
    env = {**county_industry_env(data_dir), "TERM": "xterm-256color", "COLUMNS": "160"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        county_industry_argv(data_dir, "run", "--year", YEAR),
        env=env,
        cwd=PROJECT_DIR,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: every process holding it has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait() == 1
    shown = ANSI.sub("", b"".join(chunks).decode("utf-8", errors="replace"))
    assert re.search(r"✗ inputs .*FAILED: raw__county_statistics", shown), shown[-3000:]
    assert f"raw/county_statistics/{YEAR}/{path.name}: row 6" in shown, shown[-3000:]
    assert "a factor of 1000 or more" in shown and "Stack Trace" not in shown
    assert "nothing was published" in shown
    assert published_state(data_dir) == before


def test_status_says_when_the_last_run_ran_how_long_and_its_data_years(pipeline_run: PipelineRun, tmp_path):
    """The session's run: its start and duration as its events stamped them, and the data years on disk
    (it refreshed them all)."""
    data_dir = deploy(pipeline_run, tmp_path)
    with history(data_dir) as instance:
        [start] = instance.all_logs(pipeline_run.result.run_id, of_type=DagsterEventType.RUN_START)
        [end] = instance.all_logs(pipeline_run.result.run_id, of_type=DagsterEventType.RUN_SUCCESS)
    done = county_industry(data_dir, "status")
    assert done.returncode == 0, done.stdout + done.stderr
    started = datetime.fromtimestamp(start.timestamp, UTC)
    shown = re.search(r"  started (\S+ \S+) UTC, .* ago; took (\d+):(\d\d):(\d\d)", done.stdout)
    assert shown, done.stdout
    assert abs((datetime.fromisoformat(shown[1]).replace(tzinfo=UTC) - started).total_seconds()) < 1
    took = int(shown[2]) * 3600 + int(shown[3]) * 60 + int(shown[4])
    assert abs(took - (end.timestamp - start.timestamp)) <= 1
    assert f"  data years: {', '.join(data_years(data_dir))}\n" in done.stdout
    assert "stuck runs: none" in done.stdout


def test_status_names_the_stuck_runs(pipeline_run: PipelineRun, tmp_path):
    """Four runs put in the run history as a crash, a stopped daemon and another machine leave them: one
    started whose process has ended, one queued with no daemon, one started on another host, and one whose
    process runs (this test's). Three are stuck; the first is marked failed; status fails."""
    data_dir = deploy(pipeline_run, tmp_path)
    ended = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    gone_tags = process_tags(ended.pid)
    ended.communicate(b"")
    elsewhere = {**process_tags(), "county_industry/host": "another-host"}
    runs = {
        "gone": (DagsterRunStatus.STARTED, gone_tags),
        "queued": (DagsterRunStatus.QUEUED, {}),
        "elsewhere": (DagsterRunStatus.STARTED, elsewhere),
        "alive": (DagsterRunStatus.STARTED, process_tags()),
    }
    # a queued run names the code location the daemon would launch it from
    location = GrpcServerCodeLocationOrigin("localhost", 4266, location_name="county_industry")
    origin = RemoteJobOrigin(RemoteRepositoryOrigin(location, "__repository__"), "refresh")
    with history(data_dir) as instance:
        for name, (status, tags) in runs.items():
            run = DagsterRun(
                "refresh_by_hand", f"{name}-run", status=status, tags=tags, remote_job_origin=origin
            )
            instance.add_run(run)
    done = county_industry(data_dir, "status")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "stuck run gone-run: STARTED, but its process is gone: marked FAILURE" in done.stdout
    assert "stuck run queued-run: QUEUED; waits for the daemon, which is not running" in done.stdout
    assert "stuck run elsewhere-run: STARTED; its process is recorded on another-host" in done.stdout
    assert f"in progress: run alive-run: STARTED; its process runs (pid {os.getpid()})" in done.stdout
    assert "stuck runs: 3" in done.stdout
    assert f"latest run {pipeline_run.result.run_id}: SUCCESS" in done.stdout, "the last refresh still"
    with history(data_dir) as instance:
        assert instance.get_run_by_id("gone-run").status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id("alive-run").status == DagsterRunStatus.STARTED
