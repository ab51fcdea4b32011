"""The published file opens in the DuckDB clients analysts have: the DuckDB 1.x command-line client of the
package registries (pinned, duckdb-cli in pyproject.toml), whose storage reader is what BI tools, R and
notebooks embed, answers the README's example query as the README prints it."""

import ast
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_project.publish import PUBLISHED_STORAGE_VERSION
from dagster_project.resources import PROJECT_DIR

pytestmark = pytest.mark.independent  # the 2024 edition's first tier, as its text lists it

CLI = Path(sys.executable).parent / "duckdb"
# 2024 edition, 第一梯队 of 工业百强县（市）, in rank order as its text lists them
FIRST_TIER_2024 = ["昆山市", "江阴市", "晋江市", "张家港市", "慈溪市", "常熟市", "宜兴市", "长沙县"]


def readme_query() -> str:
    """The SQL of the README's analyst example, as printed (Python string literals, concatenated)."""
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    [literal] = re.findall(r"con\.sql\(\n(.*?)\n\)", readme, flags=re.DOTALL)
    return ast.literal_eval(f"({literal})")


def test_the_duckdb_1x_cli_answers_the_readme_query_on_the_published_file(pipeline_run):
    version = subprocess.run([CLI, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1."), f"the CLI is meant to be a 1.x client: {version}"
    assert "duckdb -readonly data/published/county_industry.duckdb" in (PROJECT_DIR / "README.md").read_text(
        encoding="utf-8"
    )
    answered = subprocess.run(
        [CLI, "-readonly", str(pipeline_run.published), "-csv", "-c", readme_query()],
        capture_output=True,
        text=True,
    )
    assert answered.returncode == 0, answered.stderr
    rows = list(csv.DictReader(io.StringIO(answered.stdout)))
    assert [r["name"] for r in rows][:8] == FIRST_TIER_2024 and len(rows) == 10


def test_the_cli_refuses_a_file_in_duckdb_2s_own_storage_format(tmp_path):
    """Why the publication pins its storage version: a file the pipeline's DuckDB writes by default is
    refused by the 1.x client (so the test above fails without PUBLISHED_STORAGE_VERSION)."""
    import duckdb

    default = tmp_path / "default.duckdb"
    with duckdb.connect(str(default)) as con:
        con.execute("create table t as select 1 as a")
    refused = subprocess.run([CLI, "-readonly", str(default), "-c", "select a from t"], capture_output=True)
    assert refused.returncode != 0
    pinned = tmp_path / "pinned.duckdb"
    with duckdb.connect() as con:
        con.execute(f"attach '{pinned}' as p (storage_version '{PUBLISHED_STORAGE_VERSION}')")
        con.execute("create table p.t as select 1 as a")
    read = subprocess.run([CLI, "-readonly", str(pinned), "-c", "select a from t"], capture_output=True)
    assert read.returncode == 0, read.stderr
