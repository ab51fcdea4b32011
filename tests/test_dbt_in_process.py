"""dbt in the run's process: its parse reused only while the project's files are unchanged, and the
warehouse left free for other processes after each call, as a dbt process leaves it when it exits."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_project import dbt_in_process
from dagster_project.resources import DBT_PROJECT_DIR, dbt_env

pytestmark = pytest.mark.independent  # stated behaviour: files changed, a lock another process meets


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "dbt"
    shutil.copytree(DBT_PROJECT_DIR, copy, ignore=shutil.ignore_patterns("target", "logs"))
    return copy


def test_the_parse_is_kept_while_no_project_file_changes_not_for_dbt_output(project: Path) -> None:
    before = dbt_in_process._fingerprint(project)
    (project / "target").mkdir()
    (project / "target" / "run_results.json").write_text("{}")
    (project / "logs").mkdir()
    (project / "logs" / "dbt.log").write_text("a line")
    assert dbt_in_process._fingerprint(project) == before, "dbt's output is not its project"
    model = next((project / "models").rglob("*.sql"))
    model.write_text(model.read_text() + "\n-- changed\n")
    assert dbt_in_process._fingerprint(project) != before, "a changed model is parsed again"


OPEN_FOR_WRITING = """
import sys, duckdb
duckdb.connect(sys.argv[1]).execute("create table written_by_another_process as select 1 as x").close()
"""


def test_after_a_dbt_call_another_process_can_write_the_warehouse(project: Path, tmp_path: Path) -> None:
    """dbt-duckdb keeps its database open in the process after a call; a DuckDB file open for writing in
    one process cannot be opened in another (its lock), so a later step's subprocess would fail."""
    warehouse = tmp_path / "warehouse.duckdb"
    target = project / "target" / "call"
    command = ["seed", "--select", "regions", "--project-dir", str(project), "--profiles-dir", str(project)]
    command += ["--target-path", str(target), "--log-path", str(target), "--log-level", "none"]
    with dbt_in_process.dbt_environment(dbt_env(warehouse)):
        events, succeeded = dbt_in_process._run(project, target, command)
    assert succeeded, [e["info"]["msg"] for e in events if e["info"]["level"] == "error"]
    assert any(e["info"]["name"] == "LogSeedResult" for e in events), "dbt's result events reach dagster-dbt"
    other = subprocess.run(
        [sys.executable, "-c", OPEN_FOR_WRITING, str(warehouse)], capture_output=True, text=True
    )
    assert other.returncode == 0, other.stderr[-2000:]
