"""`county-industry run` as a data engineer runs it, and the determinism of what it publishes."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from dagster_project.resources import PROJECT_DIR, PUBLISHED_FILE
from tests.conftest import copy_inputs


def _marts_as_csv(path: Path) -> dict[str, bytes]:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            t: con.execute(f'select * from marts."{t}"').df().to_csv(index=False).encode() for t in tables
        }


def test_cli_run_publishes_the_same_marts_byte_for_byte(pipeline_run, tmp_path):
    data_dir = copy_inputs(tmp_path / "data")
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_DIR / "dagster_instance.yaml", home / "dagster.yaml")
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    command = [str(Path(sys.executable).parent / "county-industry"), "run", "--data-dir", str(data_dir)]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, cwd=PROJECT_DIR)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "SUCCESS" in completed.stdout
    assert f"published (for analysts):  {data_dir / PUBLISHED_FILE}" in completed.stdout
    assert "marts.published_rankings" in completed.stdout
    assert _marts_as_csv(data_dir / PUBLISHED_FILE) == _marts_as_csv(pipeline_run.published)
    for folder in ("exports", "figures"):
        files = sorted((data_dir / "published" / folder).iterdir())
        assert [p.read_bytes() for p in files] == [
            (pipeline_run.published.parent / folder / p.name).read_bytes() for p in files
        ], f"the {folder} (XLSX, PNG and SVG included) are byte-identical run after run"


def test_cli_refuses_to_run_without_an_instance_home(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    command = [str(Path(sys.executable).parent / "county-industry"), "run", "--data-dir", str(tmp_path)]
    completed = subprocess.run(command, env=env, capture_output=True, text=True)
    assert completed.returncode == 2
    assert "DAGSTER_HOME is not set" in completed.stderr
