"""The Dagster UI as an auditor uses it, end to end (issue 5).

One Dagster webserver and one daemon, started on 127.0.0.1 on a free port over a private copy of a refreshed
deployment (data directory and run history); over GraphQL: the asset graph connects the inputs to the
marts, the checks are attached, and a run of job `refresh` for the latest data year, launched through the
API, succeeds while a command-line run is refused; in headless Chromium (Debian's
chromium, driven by Selenium): the asset lineage page renders, and its screenshot is saved. Every process
started here is stopped by the id of its process group. The sensors and schedules are turned off before
the daemon starts, so that the one run in this instance is the one launched here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from dagster import DagsterInstance

from dagster_project.definitions import YEAR_REFRESH, build_definitions
from dagster_project.lib.writer_lock import Holder, current_holder
from dagster_project.partitions import register_data_years
from dagster_project.resources import DBT_PROJECT_DIR, EXPECTATIONS_DIR, PROJECT_DIR, PUBLISHED_FILE
from tests.conftest import PipelineRun, county_industry_argv, county_industry_env, deploy
from tests.ui_support import (
    Browser,
    GraphQL,
    Started,
    chromium,
    free_port,
    group_alive,
    group_members,
    required_browser,
    start,
    stop,
    wait_until,
)

# the stated graph, refusal and run, over GraphQL and in Chromium; a minute or more of a core
pytestmark = [pytest.mark.independent, pytest.mark.minutes]

JOB = "refresh"
RUN_TIMEOUT = 360.0  # the whole pipeline takes well under a minute in process
STARTUP_TIMEOUT = 180.0
INPUT_GROUPS = ("raw", "reference")
PUBLISHED_ASSET = "published/county_industry_duckdb"
PANEL = "raw/county_statistics"  # its partitions, if any, are the data years
# What each raw input must reach at least: the engine's marts, and the national totals' own.
RAW_REACHES = {
    "raw/county_statistics": {
        "marts/indicator_values",
        "marts/composite_scores",
        "marts/innovation_scores",
        "marts/computed_rankings",
        "marts/tier_breaks",
    },
    "raw/national_totals": {"marts/national_totals", "marts/computed_list_shares"},
}
# Marts fed by configuration only, not by an ingested file: the mart and the asset that reads the config.
CONFIG_MARTS = {"marts/indicator_weights": "engine/indicator_weights"}
# The checks an auditor looks for by name.
NAMED_CHECKS = {
    "raw/county_statistics": "raw_county_statistics",
    "raw/national_totals": "raw_national_totals",
    "reference/admin_units": "reference_admin_units",
    "marts/claims": "claims_ledger",
}

LOCATIONS = """
query Locations {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError {
          __typename
          ... on RepositoryLocation { name repositories { name } }
          ... on PythonError { message stack }
        }
      }
    }
    ... on PythonError { message }
  }
}
"""

ASSET_GRAPH = """
query AssetGraph {
  assetNodes {
    assetKey { path }
    groupName
    jobNames
    isPartitioned
    partitionKeys
    dependencyKeys { path }
    dependedByKeys { path }
    assetChecksOrError {
      __typename
      ... on AssetChecks { checks { name } }
    }
  }
}
"""

AUTOMATION = """
query Automation($selector: RepositorySelector!) {
  repositoryOrError(repositorySelector: $selector) {
    __typename
    ... on Repository {
      sensors { name sensorState { id status } }
      schedules { name scheduleState { id status } }
    }
    ... on Error { message }
  }
}
"""

STOP_SENSOR = """
mutation StopSensor($id: String!) {
  stopSensor(id: $id) {
    __typename
    ... on StopSensorMutationResult { instigationState { status } }
    ... on Error { message }
  }
}
"""

STOP_SCHEDULE = """
mutation StopSchedule($id: String!) {
  stopRunningSchedule(id: $id) {
    __typename
    ... on ScheduleStateResult { scheduleState { status } }
    ... on Error { message }
  }
}
"""

LAUNCH_RUN = """
mutation LaunchRun($executionParams: ExecutionParams!) {
  launchRun(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId status } }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on Error { message }
    ... on PythonError { stack }
  }
}
"""

RUN_STATUS = """
query RunStatus($runId: ID!) {
  runOrError(runId: $runId) {
    __typename
    ... on Run { runId status startTime endTime }
    ... on Error { message }
  }
}
"""

RUN_EVENTS = """
query RunEvents($runId: ID!, $cursor: String) {
  runOrError(runId: $runId) {
    ... on Run {
      eventConnection(afterCursor: $cursor) {
        cursor
        hasMore
        events {
          __typename
          ... on MessageEvent { message level stepKey }
          ... on ErrorEvent { error { message } }
          ... on AssetCheckEvaluationEvent {
            evaluation {
              checkName
              success
              severity
              description
              assetKey { path }
              metadataEntries {
                label
                ... on TextMetadataEntry { text }
                ... on MarkdownMetadataEntry { mdStr }
              }
            }
          }
        }
      }
    }
  }
}
"""


def refresh_params(
    repository_location: str, repository: str, data_years: list[str], data_dir: Path
) -> dict[str, Any]:
    """What the UI launches for job `refresh` over the latest data year (the partition a new year's file
    makes), as the sensor requests it: that year's raw statistics and what derives from them
    (definitions.YEAR_REFRESH), with their checks. The one place to adapt. Over unpartitioned raw assets
    (no data years), one plain run of every asset.
    """
    tags = {"launched_by": "tests/test_ui.py"}
    selector = {"repositoryLocationName": repository_location, "repositoryName": repository, "jobName": JOB}
    if data_years:
        tags["dagster/partition"] = data_years[-1]
        year_keys = YEAR_REFRESH.resolve(build_definitions(data_dir).resolve_asset_graph())
        selector["assetSelection"] = [{"path": list(key.path)} for key in sorted(year_keys)]
    return {
        "selector": selector,
        "runConfigData": {},
        "executionMetadata": {"tags": [{"key": key, "value": value} for key, value in tags.items()]},
    }


@dataclass
class DagsterUI:
    url: str
    graphql: GraphQL
    data_dir: Path
    log_dir: Path
    processes: list[Started] = field(default_factory=list)
    location: str = ""
    repository: str = ""

    def report(self) -> str:
        return "\n".join(process.report() for process in self.processes)

    def assert_running(self) -> None:
        for process in self.processes:
            assert process.popen.poll() is None, f"{process.name} exited early\n{self.report()}"


def server_env(dagster_home: Path, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home),
        "COUNTY_INDUSTRY_DATA_DIR": str(data_dir),
        # as the Makefile exports them: nothing reaches the network
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_VERSION_CHECK": "false",
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
    }


def loaded_location(ui: DagsterUI) -> tuple[str, str] | None:
    """(location, repository) once the code location has loaded; fails at once on a load error."""
    workspace = ui.graphql(LOCATIONS)["workspaceOrError"]
    assert workspace["__typename"] == "Workspace", f"the workspace did not load: {workspace}\n{ui.report()}"
    entries = workspace["locationEntries"]
    if not entries or any(entry["loadStatus"] != "LOADED" for entry in entries):
        return None
    for entry in entries:
        location = entry["locationOrLoadError"]
        assert location["__typename"] == "RepositoryLocation", (
            f"code location {entry['name']} failed to load: {location.get('message')}\n"
            + "".join(location.get("stack") or [])
        )
    (entry,) = entries
    (repository,) = entry["locationOrLoadError"]["repositories"]
    return entry["name"], repository["name"]


def stop_automation(ui: DagsterUI) -> list[str]:
    """Turns off every running sensor and schedule, so that the daemon launches no run of its own."""
    selector = {"repositoryLocationName": ui.location, "repositoryName": ui.repository}
    repository = ui.graphql(AUTOMATION, selector=selector)["repositoryOrError"]
    assert repository["__typename"] == "Repository", repository
    stopped = []
    for kind, state_field, mutation, field_name in (
        ("sensor", "sensorState", STOP_SENSOR, "stopSensor"),
        ("schedule", "scheduleState", STOP_SCHEDULE, "stopRunningSchedule"),
    ):
        for instigator in repository[f"{kind}s"]:
            if instigator[state_field]["status"] != "RUNNING":
                continue
            result = ui.graphql(mutation, id=instigator[state_field]["id"])[field_name]
            assert "Error" not in result["__typename"], (
                f"could not stop {kind} {instigator['name']}: {result}"
            )
            stopped.append(f"{kind} {instigator['name']}")
    return stopped


@pytest.fixture(scope="module")
def dagster_ui(pipeline_run: PipelineRun, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DagsterUI]:
    root = tmp_path_factory.mktemp("ui")
    data_dir = deploy(pipeline_run, root)  # a refreshed deployment, as a team's server holds one
    dagster_home = root / "dagster_home"
    shutil.copy(PROJECT_DIR / "dagster_instance.yaml", dagster_home / "dagster.yaml")
    # Create the instance's SQLite storage before four processes (webserver, daemon and their code
    # servers) race to create it: that race leaves "more than one head" in alembic_version.
    with DagsterInstance.from_config(str(dagster_home)) as instance:
        instance.get_runs(limit=1)
        # The data years become partitions as the sensor adds them (or a command-line run); the sensor
        # is turned off below, so they are added here as it would.
        register_data_years(instance, data_dir)
    log_dir = root / "logs"
    log_dir.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    ui = DagsterUI(url, GraphQL(f"{url}/graphql"), data_dir, log_dir)
    env = server_env(dagster_home, data_dir)
    bin_dir = Path(sys.executable).parent
    workspace = ["-w", str(PROJECT_DIR / "workspace.yaml")]
    try:
        ui.processes.append(
            start(
                "webserver",
                [str(bin_dir / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), *workspace],
                cwd=PROJECT_DIR,
                env=env,
                log_dir=log_dir,
            )
        )

        def webserver_up() -> bool:
            ui.assert_running()
            return requests.get(f"{url}/server_info", timeout=5).ok

        wait_until(webserver_up, timeout=STARTUP_TIMEOUT, what=f"the webserver on {url}", report=ui.report)
        ui.location, ui.repository = wait_until(
            lambda: loaded_location(ui), timeout=STARTUP_TIMEOUT, what="the code location", report=ui.report
        )
        # The sensor and the schedule are on by default, so the daemon would run them; this test turns
        # them off so that the daemon starts only its own run (tests/test_automation.py tests them).
        assert sorted(stop_automation(ui)) == ["schedule yearly_refresh", "sensor raw_files_changed"], (
            "the sensor and the schedule must be RUNNING by default under the daemon"
        )
        ui.processes.append(
            start(
                "daemon",
                [str(bin_dir / "dagster-daemon"), "run", *workspace],
                cwd=PROJECT_DIR,
                env=env,
                log_dir=log_dir,
            )
        )

        yield ui
    finally:
        for process in reversed(ui.processes):
            stop(process)
    survivors = {p.name: group_members(p.pid) for p in ui.processes if group_alive(p.pid)}
    assert not survivors, f"processes left running after SIGKILL, by process group: {survivors}"


@pytest.fixture(scope="module")
def asset_graph(dagster_ui: DagsterUI) -> dict[str, dict[str, Any]]:
    nodes = dagster_ui.graphql(ASSET_GRAPH)["assetNodes"]
    return {"/".join(node["assetKey"]["path"]): node for node in nodes}


def descendants(graph: dict[str, dict[str, Any]], key: str) -> set[str]:
    seen: set[str] = set()
    todo = [key]
    while todo:
        for child in graph[todo.pop()]["dependedByKeys"]:
            child_key = "/".join(child["path"])
            if child_key not in seen:
                seen.add(child_key)
                todo.append(child_key)
    return seen


def checks_of(node: dict[str, Any]) -> set[str]:
    checks = node["assetChecksOrError"]
    assert checks["__typename"] == "AssetChecks", f"{node['assetKey']}: {checks}"
    return {check["name"] for check in checks["checks"]}


def test_asset_graph_connects_every_input_to_the_marts(asset_graph: dict[str, dict[str, Any]]) -> None:
    by_group = defaultdict(set)
    for key, node in asset_graph.items():
        by_group[node["groupName"]].add(key)
    marts = by_group["marts"]
    inputs = by_group["raw"] | by_group["reference"]
    assert set(RAW_REACHES) <= by_group["raw"], f"raw inputs in the UI: {sorted(by_group['raw'])}"
    assert "reference/admin_units" in by_group["reference"], sorted(by_group["reference"])
    assert all(key.startswith("marts/") for key in marts), sorted(marts)
    assert len(marts) >= 30, f"only {len(marts)} marts in the UI: {sorted(marts)}"

    # dependencyKeys and dependedByKeys describe one graph
    for key, node in asset_graph.items():
        for parent in node["dependencyKeys"]:
            parent_key = "/".join(parent["path"])
            assert key in {"/".join(c["path"]) for c in asset_graph[parent_key]["dependedByKeys"]}, (
                key,
                parent_key,
            )

    reach = {key: descendants(asset_graph, key) for key in inputs | set(CONFIG_MARTS.values())}
    for raw, expected in RAW_REACHES.items():
        missing = expected - reach[raw]
        assert not missing, f"{raw} does not reach {sorted(missing)}"
    for key in sorted(inputs):
        assert reach[key] & marts, f"input {key} reaches no mart"
        assert PUBLISHED_ASSET in reach[key], f"input {key} does not reach {PUBLISHED_ASSET}"
    for mart in sorted(marts):
        sources = {key for key in inputs if mart in reach[key]}
        if mart in CONFIG_MARTS:
            assert mart in reach[CONFIG_MARTS[mart]], f"{mart} is not fed by {CONFIG_MARTS[mart]}"
        else:
            assert sources, f"mart {mart} is reached from no ingested input (raw/* or reference/*)"
        assert PUBLISHED_ASSET in {"/".join(c["path"]) for c in asset_graph[mart]["dependedByKeys"]}, (
            f"{mart} is not published"
        )
    # every root of the graph is an input: a file ingested (raw, reference) or configuration (engine)
    roots = {key for key, node in asset_graph.items() if not node["dependencyKeys"]}
    strays = {key for key in roots if asset_graph[key]["groupName"] not in (*INPUT_GROUPS, "engine")}
    assert not strays, f"assets with no upstream outside the input groups: {sorted(strays)}"
    assert all(JOB in node["jobNames"] for node in asset_graph.values()), f"assets outside job {JOB}"


def dbt_tests_by_model() -> dict[str, set[str]]:
    """The dbt tests of each model, from the manifest the code location loads."""
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    tests: dict[str, set[str]] = defaultdict(set)
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        parents = node["depends_on"]["nodes"]
        attached = node.get("attached_node") or (parents[0] if len(parents) == 1 else None)
        if attached and attached.startswith("model."):
            tests[attached.rsplit(".", 1)[1]].add(node["name"])
    return tests


@pytest.mark.consistency
def test_checks_are_attached(asset_graph: dict[str, dict[str, Any]]) -> None:
    for key, check in NAMED_CHECKS.items():
        assert check in checks_of(asset_graph[key]), (
            f"{key} lacks check {check}: {checks_of(asset_graph[key])}"
        )
    # every ingested input carries its great-expectations suite as a check
    suites = {path.stem for path in EXPECTATIONS_DIR.glob("*.json")}
    for key, node in sorted(asset_graph.items()):
        if node["groupName"] in INPUT_GROUPS:
            assert checks_of(node) & suites, (
                f"input {key} has no suite of expectations/ as check: {checks_of(node)}"
            )
    # every dbt test of a dbt model is a check of that model's asset
    dbt_models = {
        key.rsplit("/", 1)[1]: key
        for key in asset_graph
        if key.split("/", 1)[0] in ("staging", "intermediate", "marts")  # dbt's schemas
    }
    expected = dbt_tests_by_model()
    assert sum(len(tests) for tests in expected.values()) >= 10, (
        f"too few dbt tests in the manifest: {expected}"
    )
    for model, tests in sorted(expected.items()):
        assert model in dbt_models, f"dbt model {model} has no asset in the UI"
        missing = tests - checks_of(asset_graph[dbt_models[model]])
        assert not missing, f"{dbt_models[model]} lacks its dbt tests as checks: {sorted(missing)}"


def run_failure(ui: DagsterUI, run_id: str) -> str:
    """Why the run failed, from its event log as the UI shows it: failed checks first, then errors."""
    checks, errors, logged, cursor = [], [], [], None
    while True:
        events = ui.graphql(RUN_EVENTS, runId=run_id, cursor=cursor)["runOrError"]["eventConnection"]
        for event in events["events"]:
            evaluation = event.get("evaluation")
            if evaluation and not evaluation["success"]:
                details = "; ".join(
                    f"{entry['label']}: {(entry.get('text') or entry.get('mdStr') or '')[:400]}"
                    for entry in evaluation["metadataEntries"]
                )
                asset = "/".join(evaluation["assetKey"]["path"])
                checks.append(
                    f"check {evaluation['checkName']} on {asset} failed ({evaluation['severity']}): "
                    f"{evaluation['description'] or ''} {details}"
                )
            elif (event.get("error") or {}).get("message"):
                errors.append(
                    f"[{event['__typename']} {event.get('stepKey') or ''}] {event['error']['message']}"
                )
            elif event.get("level") in ("ERROR", "CRITICAL"):
                logged.append(f"[{event.get('stepKey') or ''}] {event.get('message')}")
        if not events["hasMore"]:
            break
        cursor = events["cursor"]
    return "\n".join([*checks, *errors[-10:], *logged[:10]]) or "(no error events)"


@pytest.fixture(scope="module")
def refresh_run(
    dagster_ui: DagsterUI, asset_graph: dict[str, dict[str, Any]], pipeline_run: PipelineRun
) -> dict[str, Any]:
    """Job `refresh`, launched through GraphQL as the UI launches it, and waited for; beside it, the run
    id of the full refresh the deployment comes from."""
    panel = asset_graph[PANEL]
    data_years = sorted(panel["partitionKeys"]) if panel["isPartitioned"] else []
    params = refresh_params(dagster_ui.location, dagster_ui.repository, data_years, dagster_ui.data_dir)
    launched = dagster_ui.graphql(LAUNCH_RUN, executionParams=params)["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", f"launchRun refused: {launched}"
    run_id = launched["run"]["runId"]

    def writing() -> Holder | None:
        """The lock held and its holder written (a look in between sees pid 0, run "unknown")."""
        dagster_ui.assert_running()
        holder = current_holder(dagster_ui.data_dir)
        return holder if holder and holder.pid else None

    holder = wait_until(writing, timeout=RUN_TIMEOUT, what=f"run {run_id} to lock", report=dagster_ui.report)
    second = subprocess.run(
        county_industry_argv(dagster_ui.data_dir, "run"),
        env=county_industry_env(dagster_ui.data_dir),
        capture_output=True,
        text=True,
    )

    def finished() -> dict[str, Any] | None:
        dagster_ui.assert_running()
        run = dagster_ui.graphql(RUN_STATUS, runId=run_id)["runOrError"]
        assert run["__typename"] == "Run", run
        return run if run["status"] in ("SUCCESS", "FAILURE", "CANCELED") else None

    started = time.monotonic()
    run = wait_until(
        finished, timeout=RUN_TIMEOUT, what=f"run {run_id} of job {JOB}", report=dagster_ui.report, every=2
    )
    run["waited"] = time.monotonic() - started
    run["holder"], run["second"] = holder, second
    run["full_refresh"] = pipeline_run.result.run_id
    return run


def test_a_command_line_run_is_refused_while_a_run_launched_in_the_ui_writes(
    refresh_run: dict[str, Any],
) -> None:
    """Two runs at once, one from the UI and one from the command line: the warehouse has one writer,
    and the second run says which run writes, exits with 3 and writes nothing."""
    assert refresh_run["holder"].run_id == refresh_run["runId"], "the UI's run holds the lock"
    second = refresh_run["second"]
    assert second.returncode == 3, second.stdout + second.stderr
    assert f"being written by run {refresh_run['runId']}" in second.stderr


def test_refresh_run_launched_through_graphql_succeeds(
    dagster_ui: DagsterUI, refresh_run: dict[str, Any]
) -> None:
    assert refresh_run["status"] == "SUCCESS", (
        f"run {refresh_run['runId']} of job {JOB} ended {refresh_run['status']}:\n"
        f"{run_failure(dagster_ui, refresh_run['runId'])}\n{dagster_ui.report()}"
    )
    # it ran over the private copy of the inputs, and published there
    assert (dagster_ui.data_dir / PUBLISHED_FILE).is_file()


LATEST_METADATA = """
query LatestMetadata($assetKey: AssetKeyInput!) {
  assetOrError(assetKey: $assetKey) {
    __typename
    ... on Asset {
      assetMaterializations(limit: 1) {
        runId
        metadataEntries { label }
      }
    }
  }
}
"""


@pytest.mark.consistency
def test_marts_show_row_counts_and_column_lineage(dagster_ui: DagsterUI, refresh_run: dict[str, Any]) -> None:
    """What an auditor reads on a mart's page: its row count and where each column comes from, in its
    latest materialisation: the UI's run for a mart of the data years, the deployment's full refresh for
    one of the published rankings alone (a year's refresh leaves it as it was)."""
    for mart, run_id in (
        ("computed_rankings", refresh_run["runId"]),
        ("published_rankings", refresh_run["full_refresh"]),
    ):
        asset = dagster_ui.graphql(LATEST_METADATA, assetKey={"path": ["marts", mart]})["assetOrError"]
        assert asset["__typename"] == "Asset", asset
        [latest] = asset["assetMaterializations"]
        assert latest["runId"] == run_id, mart
        labels = {entry["label"] for entry in latest["metadataEntries"]}
        assert {"dagster/row_count", "dagster/column_schema", "dagster/column_lineage"} <= labels, (
            mart,
            labels,
        )


@pytest.fixture(scope="module")  # module scope: looked for before the servers start
def browser() -> Browser:
    return required_browser("the UI test")


# An auditor's path: a computed mart's lineage, upstream to the files it came from.
LINEAGE_PAGE = "/assets/marts/computed_rankings?view=lineage&lineageScope=upstream&lineageDepth=99"
LINEAGE_ASSETS = ("computed_rankings", "county_statistics", "admin_units")
# Where the page's SVGs (the graph, its edges) sit and what they hold, to tell when the graph stops moving.
GRAPH_SVG = """
return Array.from(document.querySelectorAll('svg'), (svg) => {
  const box = svg.getBoundingClientRect();
  return [box.x, box.y, box.width, box.height, svg.outerHTML].join(' ');
}).join('\\n');
"""


def test_lineage_page_screenshot(
    browser: Browser, dagster_ui: DagsterUI, refresh_run: dict[str, Any], tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    screenshot = tmp_path / "asset_lineage.png"
    with chromium(browser, dagster_ui.log_dir) as driver:
        driver.get(dagster_ui.url + LINEAGE_PAGE)

        def rendered() -> bool:
            text = driver.find_element(By.TAG_NAME, "body").text
            return all(name in text for name in LINEAGE_ASSETS) and bool(
                driver.find_elements(By.TAG_NAME, "svg")
            )

        wait_until(
            rendered,
            timeout=90,
            what=f"the lineage graph at {dagster_ui.url + LINEAGE_PAGE}",
            report=lambda: driver.save_screenshot(str(screenshot)) and f"screenshot so far: {screenshot}",
        )
        # the picture once the graph has stopped moving (layout, zoom to fit): the same SVGs in two looks
        last_graph: list[str] = [""]

        def settled() -> bool:
            graph = driver.execute_script(GRAPH_SVG)
            unchanged, last_graph[0] = graph == last_graph[0], graph
            return unchanged

        wait_until(settled, timeout=30, what="the lineage graph to stop moving", report=lambda: "", every=0.5)
        assert driver.save_screenshot(str(screenshot)), f"no screenshot written to {screenshot}"
        page_text = driver.find_element(By.TAG_NAME, "body").text
    assert screenshot.stat().st_size > 10_000, (
        f"screenshot {screenshot} is only {screenshot.stat().st_size} bytes"
    )
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{screenshot} is not a PNG"
    for name in LINEAGE_ASSETS:
        assert name in page_text, f"{name} not on the lineage page (screenshot: {screenshot})"
    print(f"lineage screenshot: {screenshot}")
