"""`county-industry` as a data engineer runs it: the run history it finds, validate, status, rollback.

validate's judgements go through the command's entry point (dagster_project.cli.main, what the script
calls: the same parsing of arguments, exit codes and lines) in the test's process, which has loaded pandas
and great-expectations once: a process of its own took 6-7 s a call. The commands as typed, each in a
process of its own: the README's example here, tests/test_runbook.py's steps, and status and rollback below.
A run's determinism: tests/test_faults.py, whose last run publishes what the clean run did, byte for byte."""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from dagster_project.cli import main
from dagster_project.resources import PROJECT_DIR, PUBLISHED_FILE

pytestmark = pytest.mark.independent  # exit codes and the lines printed, as stated


def test_cli_finds_the_run_history_by_itself(tmp_path):
    """The project's .dagster_home/ (the one `make` uses) without DAGSTER_HOME; --dagster-home overrides
    it, and a new one is created with the project's instance settings."""
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    default = _cli("status", "--data-dir", tmp_path, env=env)
    assert f"run history: {PROJECT_DIR / '.dagster_home'}" in default.stdout, default.stdout + default.stderr
    fresh = _cli("status", "--data-dir", tmp_path, "--dagster-home", tmp_path / "home", env=env)
    assert fresh.returncode == 1 and "no refresh has run yet" in fresh.stdout, fresh.stdout + fresh.stderr
    settings = (tmp_path / "home" / "dagster.yaml").read_text()
    assert settings == (PROJECT_DIR / "dagster_instance.yaml").read_text()


@pytest.mark.consistency
def test_the_readme_failure_example_is_what_validate_prints(tmp_path):
    """README, 'Failures': the command and its output as printed there, on the ranking file it describes
    (the README agrees with what validate prints; the message itself is tested against a hand-written line
    in tests/test_reference_suites.py)."""
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    command = re.search(r"gets from\s+`(\.venv/bin/county-industry validate [^`]+)`", readme)[1]
    printed = re.search(r"```text\n(.*?)```", readme[readme.index(command) :], flags=re.S)[1]
    shutil.copytree(PROJECT_DIR / "data" / "reference", tmp_path / "data" / "reference")
    ranking = tmp_path / "data" / "reference" / "rankings" / "2024_industrial_county.csv"
    text = ranking.read_text(encoding="utf-8")
    assert "2024,industrial_county,4,江苏省,苏州市,张家港市" in text
    ranking.write_text(
        text.replace(
            "2024,industrial_county,4,江苏省,苏州市,张家港市",
            "2024,industrial_county,5,江苏省,苏州市,张家港市",
        ),
        encoding="utf-8",
    )
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    env = {**os.environ, "COUNTY_INDUSTRY_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert [line.strip() for line in printed.strip().splitlines()] == done.stdout.strip().splitlines()


def _cli(*arguments, env=None):
    command = [str(Path(sys.executable).parent / "county-industry"), *map(str, arguments)]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=PROJECT_DIR)


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def _validate(capsys: pytest.CaptureFixture, *arguments) -> Done:
    """`county-industry validate <arguments>` through the command's entry point, in this process."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["validate", *map(str, arguments)])
    printed = capsys.readouterr()
    return Done(exited.value.code, printed.out, printed.err)


def test_validate_passes_a_good_file_in_place(pipeline_run, capsys):
    raw = pipeline_run.data_dir / "raw" / "county_statistics" / "2022"
    [path] = raw.iterdir()
    done = _validate(capsys, path, "--data-dir", pipeline_run.data_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "suite raw_county_statistics passed: 0 failures" in done.stdout


def incoming(data_dir: Path, *parts: str) -> Path:
    """Where a data engineer puts a file to validate it: inside the data directory, read by no run."""
    path = data_dir.joinpath("incoming", *parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_validate_names_every_problem_of_a_file_before_it_is_dropped_in(pipeline_run, capsys):
    source = pipeline_run.data_dir / "reference" / "rankings" / "2024_industrial_district.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",3,", ",2,", 1)  # rank 3 printed as 2
    candidate = incoming(pipeline_run.data_dir, "rankings", "next_edition.csv")
    candidate.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = _validate(
        capsys,
        candidate,
        "--input",
        "rankings_2024_industrial_district",
        "--data-dir",
        pipeline_run.data_dir,
    )
    assert done.returncode == 1
    assert f"FAILED {candidate}: row 4" in done.stdout and "each rank appears once" in done.stdout


def test_validate_catches_a_unit_mix_up_against_the_years_in_place(pipeline_run, capsys):
    source = next((pipeline_run.data_dir / "raw" / "county_statistics" / "2021").iterdir())
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.loc[0, "gdp[万元]"] = str(float(frame.loc[0, "gdp[万元]"]) / 10000)  # typed in 亿元
    candidate = incoming(pipeline_run.data_dir, "county_statistics", "2021", "county_statistics_2021.csv")
    frame.to_csv(candidate, index=False, encoding="utf-8")
    done = _validate(
        capsys,
        candidate,
        "--input",
        "county_statistics",
        "--year",
        2021,
        "--data-dir",
        pipeline_run.data_dir,
    )
    assert done.returncode == 1
    assert f"FAILED {candidate}: row 2" in done.stdout and "a factor of 1000 or more" in done.stdout


def test_validate_refuses_a_file_outside_the_data_directory(pipeline_run, tmp_path, capsys):
    outside = tmp_path / "county_statistics_2021.csv"
    outside.write_text("adcode,data_year\n", encoding="utf-8")
    link = incoming(pipeline_run.data_dir, "county_statistics", "2021", "linked.csv")
    link.symlink_to(outside)
    for path in (outside, link, pipeline_run.data_dir / "incoming" / ".." / ".." / outside.name):
        done = _validate(capsys, path, "--data-dir", pipeline_run.data_dir)
        assert done.returncode == 2, done.stdout + done.stderr
        assert f"outside the data directory {pipeline_run.data_dir}" in done.stderr
        assert "incoming" in done.stderr


@pytest.mark.consistency
def test_status_reports_the_latest_run_and_the_snapshot(pipeline_run):
    """status shows the run the session made (its run id, SUCCESS), its checks and the snapshot's age."""
    env = {**os.environ, "DAGSTER_HOME": str(pipeline_run.data_dir.parent / "dagster_home")}
    done = _cli("status", "--data-dir", pipeline_run.data_dir, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"latest run {pipeline_run.result.run_id}: SUCCESS" in done.stdout
    assert "checks: " in done.stdout and " 0 failed" in done.stdout
    assert "hours old" in done.stdout


def test_status_with_no_refresh_in_its_run_history_still_shows_what_is_published(pipeline_run, tmp_path):
    """Another run history (a new DAGSTER_HOME, a moved one) than the one that published: status says so,
    fails, and still shows the published file and its snapshots."""
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "home")}
    done = _cli("status", "--data-dir", pipeline_run.data_dir, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "no refresh has run yet in this run history" in done.stdout
    assert f"published ({pipeline_run.data_dir / PUBLISHED_FILE}, " in done.stdout, done.stdout
    assert "snapshots kept for rollback (1, newest last):" in done.stdout, done.stdout


def test_rollback_refuses_a_snapshot_it_does_not_keep(pipeline_run):
    done = _cli("rollback", "--to", "19700101T000000Z_nothing", "--data-dir", pipeline_run.data_dir)
    assert done.returncode == 1
    assert "no intact snapshot 19700101T000000Z_nothing to roll back to (intact: " in done.stderr
