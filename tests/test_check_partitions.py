"""The raw statistics' check tells the same story in every view of the UI, over Dagster's GraphQL.

A run over every data year at once (what `county-industry run` does) judges the years together. Its check
result is recorded for each year: the Partitions tab (partitionStatuses), the check list
(executionForLatestMaterialization) and each year's executions agree, passed or failed, with the run's
log. A second run, whose 2021 file repeats a unit, fails the check for the years it judged.

One webserver on 127.0.0.1 over the run history of two small runs of the raw inputs alone.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from dagster import AssetSelection

from dagster_project.partitions import data_years
from dagster_project.raw.ingest import COUNTY_STATISTICS, RAW_SOURCES
from dagster_project.resources import PROJECT_DIR
from tests.conftest import copy_inputs, run_pipeline
from tests.test_ui import STARTUP_TIMEOUT, DagsterUI, loaded_location, server_env
from tests.ui_support import GraphQL, free_port, start, stop, wait_until

pytestmark = [pytest.mark.independent, pytest.mark.end_to_end]  # Dagster's own views, over GraphQL

CHECK = COUNTY_STATISTICS.suite
KEY = {"path": list(COUNTY_STATISTICS.key.path)}
CHECK_VIEWS = """
query Check($assetKey: AssetKeyInput!, $checkName: String!) {
  assetNodeOrError(assetKey: $assetKey) {
    ... on AssetNode {
      assetChecksOrError {
        ... on AssetChecks {
          checks {
            name
            executionForLatestMaterialization { status partition runId }
            partitionStatuses {
              __typename
              ... on AssetCheckDefaultPartitionStatuses {
                succeededPartitions failedPartitions skippedPartitions inProgressPartitions
                executionFailedPartitions
              }
            }
          }
        }
      }
    }
  }
  assetCheckExecutions(assetKey: $assetKey, checkName: $checkName, limit: 20) { status partition runId }
}
"""


def views(ui: DagsterUI) -> dict[str, Any]:
    data = ui.graphql(CHECK_VIEWS, assetKey=KEY, checkName=CHECK)
    [check] = [c for c in data["assetNodeOrError"]["assetChecksOrError"]["checks"] if c["name"] == CHECK]
    return {**check, "executions": data["assetCheckExecutions"]}


def started(home: Path, data_dir: Path, log_dir: Path) -> DagsterUI:
    """The webserver over the run history in home, once its code location has loaded."""
    shutil.copy(PROJECT_DIR / "dagster_instance.yaml", home / "dagster.yaml")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    ui = DagsterUI(url, GraphQL(f"{url}/graphql"), data_dir, log_dir)
    argv = [str(Path(sys.executable).parent / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port)]
    argv += ["-w", str(PROJECT_DIR / "workspace.yaml")]
    ui.processes.append(
        start("webserver", argv, cwd=PROJECT_DIR, env=server_env(home, data_dir), log_dir=log_dir)
    )
    wait_until(
        lambda: ui.assert_running() or requests.get(f"{url}/server_info", timeout=5).ok,
        timeout=STARTUP_TIMEOUT,
        what=f"the webserver on {url}",
        report=ui.report,
    )
    wait_until(
        lambda: loaded_location(ui), timeout=STARTUP_TIMEOUT, what="the code location", report=ui.report
    )
    return ui


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """What the views show after a passing run over every year, then after a failing one."""
    root = tmp_path_factory.mktemp("check_partitions")
    home, log_dir = root / "dagster_home", root / "logs"
    log_dir.mkdir()
    raw_only = AssetSelection.assets(*(source.key for source in RAW_SOURCES))
    good = run_pipeline(copy_inputs(root / "good"), home, selection=raw_only)
    assert good.result.success
    ui = started(home, good.data_dir, log_dir)
    try:
        after_good = views(ui)
        bad_dir = copy_inputs(root / "bad")
        panel = next((bad_dir / "raw" / "county_statistics" / "2021").glob("*.csv"))
        rows = panel.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        panel.write_text("".join([*rows, rows[1]]), encoding="utf-8")  # a unit twice in 2021
        bad = run_pipeline(bad_dir, home, selection=raw_only)
        assert not bad.result.success
        yield {
            "years": [str(year) for year in data_years(good.data_dir)],
            "good": (good.result.run_id, after_good),
            "bad": (bad.result.run_id, views(ui)),
        }
    finally:
        for process in ui.processes:
            stop(process)


def statuses(years: list[str], status: str) -> dict[str, Any]:
    empty = dict.fromkeys(("succeeded", "failed", "skipped", "inProgress", "executionFailed"), [])
    return {
        "__typename": "AssetCheckDefaultPartitionStatuses",
        **{f"{name}Partitions": years if name == status else [] for name in empty},
    }


@pytest.mark.parametrize(
    ("run", "status", "execution"), [("good", "succeeded", "SUCCEEDED"), ("bad", "failed", "FAILED")]
)
def test_every_view_of_the_check_agrees_for_every_year(seen, run, status, execution):
    """The Partitions tab, the check list and each year's latest execution, after each run."""
    years, (run_id, views_of) = seen["years"], seen[run]
    assert views_of["partitionStatuses"] == statuses(years, status)
    assert views_of["executionForLatestMaterialization"]["status"] == execution
    latest = {}
    for e in views_of["executions"]:  # newest first
        latest.setdefault(e["partition"], (e["status"], e["runId"]))
    assert latest == {year: (execution, run_id) for year in years}
