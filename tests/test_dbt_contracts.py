"""The marts' names and types are checked, not promised: every mart has an enforced dbt contract, and a
build whose SQL renames a column or changes its type stops, naming the column.

dbt runs on a copy of the project and of the session run's warehouse: the repository's models and the
run's tables are never touched.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_project.resources import DBT_MANIFEST, DBT_PROJECT_DIR, WAREHOUSE_FILE, dbt_env

pytestmark = pytest.mark.independent  # dbt's stated behaviour on a contract, checked on a real build

MART = "published_ranking_region_counts"
SQL = Path("models") / "marts" / f"{MART}.sql"


def test_every_mart_has_an_enforced_contract_with_every_column_typed():
    manifest = json.loads(DBT_MANIFEST.read_text(encoding="utf-8"))
    marts = [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["config"]["schema"] == "marts"
    ]
    assert len(marts) >= 30
    assert [n["name"] for n in marts if not n["config"]["contract"]["enforced"]] == []
    untyped = [
        (n["name"], c) for n in marts for c, column in n["columns"].items() if not column.get("data_type")
    ]
    assert untyped == []


@pytest.fixture(scope="module")
def project(pipeline_run, tmp_path_factory) -> Path:
    """A copy of the dbt project whose warehouse is a copy of the session run's."""
    root = tmp_path_factory.mktemp("dbt_contracts")
    copy = root / "dbt"
    shutil.copytree(DBT_PROJECT_DIR, copy, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    shutil.copy(pipeline_run.data_dir / WAREHOUSE_FILE, root / "county_industry.duckdb")
    return copy


def build(project: Path, sql: str) -> subprocess.CompletedProcess:
    (project / SQL).write_text(sql, encoding="utf-8")
    return subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "run", "--select", MART, "--profiles-dir", "."],
        cwd=project,
        env={**os.environ, **dbt_env(project.parent / "county_industry.duckdb")},
        capture_output=True,
        text=True,
    )


ORIGINAL = (DBT_PROJECT_DIR / SQL).read_text(encoding="utf-8")


def test_the_mart_as_written_keeps_its_contract(project):
    built = build(project, ORIGINAL)
    assert built.returncode == 0, built.stdout[-3000:]


CHANGES = {
    "a column renamed": (ORIGINAL.replace("as unit_count,", "as unit_total,"), "unit_total"),
    "a column's type changed": (
        ORIGINAL.replace("coalesce(counts.unit_count, 0) as unit_count", "'0' as unit_count"),
        "unit_count",
    ),
}


@pytest.mark.parametrize(("edited", "named"), list(CHANGES.values()), ids=list(CHANGES))
def test_a_changed_column_stops_the_build_naming_it(project, edited, named):
    assert edited != ORIGINAL
    built = build(project, edited)
    assert built.returncode != 0
    assert "contract" in built.stdout.lower() and named in built.stdout, built.stdout[-3000:]
