"""One real run of the whole pipeline per test session, into a temporary data directory.

The input files are copied there, so tests that corrupt inputs never touch the repository.
"""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import AssetSelection, DagsterInstance, ExecuteInProcessResult

from dagster_project import partitions
from dagster_project.definitions import build_definitions
from dagster_project.partitions import data_years, range_tags, register_data_years
from dagster_project.resources import DBT_ROBUSTNESS_DRAWS_ENV, DEFAULT_DATA_DIR, PROJECT_DIR, PUBLISHED_FILE

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


@dataclass
class PipelineRun:
    data_dir: Path
    result: ExecuteInProcessResult

    @property
    def published(self) -> Path:
        return self.data_dir / PUBLISHED_FILE


# The Monte Carlo draws of every pipeline run of the tests (docs/methodology.md §9), in process or in the
# processes they start: the robustness models are the same code on fewer draws, and were a third of each
# run's dbt time at dbt_project.yml's 1,000. The marts say it in their draws column.
TEST_ROBUSTNESS_DRAWS = 100
os.environ[DBT_ROBUSTNESS_DRAWS_ENV] = str(TEST_ROBUSTNESS_DRAWS)

# The raw data years a test run copies: the latest three of each raw source (the bundled panel has twelve).
TEST_DATA_YEARS = 3


def copy_inputs(data_dir: Path) -> Path:
    """The committed inputs (reference data and the raw demo panel) into a scratch data directory.

    Of each raw source only its latest TEST_DATA_YEARS year folders: test runtime (a run computes every year
    it finds, and the bundled panel has twelve); the tests' expectations were written on these three."""
    shutil.copytree(DEFAULT_DATA_DIR / "reference", data_dir / "reference")
    copy_latest_years(DEFAULT_DATA_DIR / "raw", data_dir / "raw")
    return data_dir


def copy_latest_years(source: Path, target: Path) -> Path:
    """A copy of raw inputs (data/raw or one source of it) with the latest TEST_DATA_YEARS years only."""
    return partitions.copy_latest_years(source, target, TEST_DATA_YEARS)


def copied_data_years() -> list[int]:
    """The data years of the bundled panel that a test run holds (copy_inputs)."""
    return [int(year) for year in data_years(DEFAULT_DATA_DIR)[-TEST_DATA_YEARS:]]


# A copy of the good run's history made as it ended, which no test opens: the copies deploy() makes from
# it never meet a file that a test opening the good run's own history (Dagster writes as it opens one) adds
# or removes meanwhile; copying the live one in one worker while another opened it failed at times.
HISTORY_AT_REST = "dagster_home_at_rest"


def deploy(run: PipelineRun, root: Path) -> Path:
    """A copy of a refreshed data directory and its run history, as a team's server would hold them: with
    its hard links (the published file and its snapshot's, a report's figures and the snapshot's)."""
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", str(run.data_dir), str(root / "data")], check=True)
    shutil.copytree(run.data_dir.parent / HISTORY_AT_REST, root / "dagster_home")
    return root / "data"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def published_state(data_dir: Path) -> dict[str, str]:
    """Where each published thing points, and the DuckDB file's bytes."""
    published = data_dir / "published"
    return {
        "duckdb": sha256(data_dir / PUBLISHED_FILE),
        **{name: str((published / name).resolve()) for name in ("parquet", "exports", "figures", "docs")},
    }


# What a copy of the project holds besides a refreshed data directory: the code, its configuration and
# documents, and dbt's project with the manifest it parsed.
PROJECT_FOLDERS = ("dagster_project", "config", "expectations", "docs")


def code_copy(root: Path) -> Path:
    """The project's code, configuration (pyproject.toml's [tool.dg] too) and documents, with the manifest
    dbt parsed: a change of configuration adds no model to it (the dbt calls of a run re-parse what they
    build)."""
    for folder in PROJECT_FOLDERS:
        shutil.copytree(PROJECT_DIR / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PROJECT_DIR / "dbt", root / "dbt", ignore=shutil.ignore_patterns("target", "logs"))
    (root / "dbt" / "target").mkdir()
    shutil.copy(PROJECT_DIR / "dbt" / "target" / "manifest.json", root / "dbt" / "target")
    for file in ("pyproject.toml", "dagster_instance.yaml"):
        shutil.copy(PROJECT_DIR / file, root)
    (root / ".venv").symlink_to(Path(sys.executable).parent.parent)  # the virtual environment in use
    return root


def project_copy(pipeline_run: PipelineRun, root: Path) -> Path:
    """code_copy() beside a refreshed data directory and run history."""
    deploy(pipeline_run, root)
    return code_copy(root)


def run_in_copy(root: Path, command: str) -> subprocess.CompletedProcess:
    """A command as the runbook prints it, in a project copy: the copy's code, reading the copy's
    configuration, on its data directory and run history."""
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "COUNTY_INDUSTRY_DATA_DIR": str(root / "data"),
        "DAGSTER_HOME": str(root / "dagster_home"),
    }
    return subprocess.run(["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True)


def county_industry_argv(data_dir: Path, *arguments: object) -> list[str]:
    return [
        str(Path(sys.executable).parent / "county-industry"),
        *map(str, arguments),
        "--data-dir",
        str(data_dir),
    ]


def county_industry_env(data_dir: Path) -> dict[str, str]:
    """The run history beside the data directory (deploy() puts it there)."""
    return {**os.environ, "DAGSTER_HOME": str(data_dir.parent / "dagster_home")}


def county_industry(data_dir: Path, *arguments: object) -> subprocess.CompletedProcess:
    """The data engineers' command, as they type it, on a data directory and the run history beside it."""
    return subprocess.run(
        county_industry_argv(data_dir, *arguments),
        env=county_industry_env(data_dir),
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
    )


def marts_as_csv(path: Path) -> dict[str, bytes]:
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


def assert_published_alike(data_dir: Path, reference: Path) -> None:
    """The same inputs publish the same bytes: every mart (the lineage register's loaded_at and run_id
    aside, which say when and by which run), the Parquet, the workbooks and the figures."""
    ours, theirs = marts_as_csv(data_dir / PUBLISHED_FILE), marts_as_csv(reference / PUBLISHED_FILE)
    assert ours.keys() == theirs.keys()
    assert [t for t in ours if t != "source_files" and ours[t] != theirs[t]] == [], "marts that differ"
    register = "select * exclude (loaded_at, run_id) from marts.source_files order by all"
    with (
        duckdb.connect(str(data_dir / PUBLISHED_FILE), read_only=True) as a,
        duckdb.connect(str(reference / PUBLISHED_FILE), read_only=True) as b,
    ):
        pd.testing.assert_frame_equal(a.execute(register).df(), b.execute(register).df())
    for folder in ("parquet", "exports", "figures"):
        # parquet/source_files.parquet holds the register's loaded_at and run_id (compared above without)
        written = data_dir / "published" / folder
        files = sorted(p for p in written.iterdir() if p.name != "source_files.parquet")
        assert [p.name for p in files] == sorted(
            p.name for p in (reference / "published" / folder).iterdir() if p.name != "source_files.parquet"
        )
        assert [p.read_bytes() for p in files] == [
            (reference / "published" / folder / p.name).read_bytes() for p in files
        ], f"the {folder} (Parquet, XLSX, PNG and SVG included) are byte-identical run after run"


def run_pipeline(
    data_dir: Path, dagster_home: Path, year: str | None = None, selection: AssetSelection | None = None
) -> PipelineRun:
    """Every data year in one run, as `county-industry run` does; or one year, as the sensor does; every
    asset, or those of `selection` (with their checks), when a test needs only some."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    defs = build_definitions(data_dir)
    job = defs.resolve_job_def("refresh")
    years = {"partition_key": year} if year else {"tags": range_tags(data_years(data_dir))}
    if selection is not None:
        years["asset_selection"] = list(selection.resolve(defs.resolve_asset_graph()))
    with DagsterInstance.local_temp(str(dagster_home)) as instance:
        register_data_years(instance, data_dir)
        result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=QUIET, **years)
    return PipelineRun(data_dir, result)


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    """One good run of the whole pipeline for the test session, shared by its workers, each reading the
    run's events from the run history (a run costs a minute of a core; one per worker cost a minute of
    both). It is made in the background from the start of the session (pytest_collection_finish), or here
    by the first test that needs it if that has not begun."""
    root = good_run_folder(tmp_path_factory)
    run_id = make_good_run(root)
    return PipelineRun(root / "data", recorded_result(root / "data", root / "dagster_home", run_id))


def good_run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_folder(tmp_path_factory) / "good_run"


def make_good_run(root: Path) -> str:
    """The session's good run into root, once, under a lock that whoever needs it waits on; its run id."""
    with exclusive(root.with_suffix(".lock")):
        recorded = root / "run_id"
        if not recorded.exists():
            assert not root.exists(), f"the session's pipeline run failed: {root.with_suffix('.log')}"
            run = run_pipeline(copy_inputs(root / "data"), root / "dagster_home")
            assert run.result.success, "the pipeline failed on the bundled reference data"
            shutil.copytree(root / "dagster_home", root / HISTORY_AT_REST)
            recorded.write_text(run.result.run_id)
        return recorded.read_text()


def session_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of this test session that all its workers share (a worker's own is within it)."""
    own = tmp_path_factory.getbasetemp()
    return own.parent if os.environ.get("PYTEST_XDIST_WORKER") else own


@contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    with lock_file.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # released when the file is closed, or its process ends
        yield


def recorded_result(data_dir: Path, dagster_home: Path, run_id: str) -> ExecuteInProcessResult:
    """A run's result as its own process saw it, from the events the run history stored."""
    with DagsterInstance.from_config(str(dagster_home)) as instance:
        run = instance.get_run_by_id(run_id)
        events = [
            record.get_dagster_event() for record in instance.all_logs(run_id) if record.is_dagster_event
        ]
    job = build_definitions(data_dir).resolve_job_def(run.job_name)
    return ExecuteInProcessResult(events, run, output_capture=None, job_def=job)


@pytest.fixture(scope="session")
def published(pipeline_run: PipelineRun) -> duckdb.DuckDBPyConnection:
    """The analysts' file, opened the way an analyst opens it: read-only."""
    con = duckdb.connect(str(pipeline_run.published), read_only=True)
    yield con
    con.close()


# The fast loop (`make check`) leaves out what runs the pipeline or serves the UI: every test that needs a
# pipeline run (these fixtures, or fixtures built on them) and the modules marked end_to_end themselves.
PIPELINE_FIXTURES = {"pipeline_run"}


def reads_the_good_run(item: pytest.Item) -> bool:
    return bool(PIPELINE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reading = set()  # the files with a test that reads the good run
    for item in items:
        if reads_the_good_run(item):
            item.add_marker(pytest.mark.end_to_end)
            reading.add(item.path)
    # The files that need no good run first, then those that read it: `make test` hands out whole files in
    # this order, so the workers have work while the good run is made. In each, the modules marked minutes
    # first (in their random order, as the others): a long module handed out last ran alone on one core for
    # its minute or two while the other core idled.
    items.sort(key=lambda item: (item.path in reading, item.get_closest_marker("minutes") is None))


# What kind of proof each test is (issue 17; README, "What the tests prove"): one of these marks, the one
# closest to the test (its decorator, or its pytest.param's marks, before its module's pytestmark). A test
# with none, or with two at the same level, fails the collection. Each test is left with its own kind only,
# so that `-m independent` selects exactly the tests counted as independent.
KINDS = ("independent", "consistency", "by_construction")
KIND_OF: dict[str, str] = {}  # nodeid -> kind, of every test collected
_WITHOUT_ONE_KIND: list[str] = []
_MARKED_ON: dict[pytest.Collector, list[str]] = {}  # a module or class -> the kinds its pytestmark gave
_SELECTED: list[str] = []
_RAN: dict[str, str | None] = {}  # nodeid -> kind, from each test's report (workers' too, under xdist)


def _kinds_taken_off(node: pytest.Collector) -> list[str]:
    """The kinds marked on a module or class, taken off it the first time (the tests get their own)."""
    if node not in _MARKED_ON:
        _MARKED_ON[node] = [m.name for m in node.own_markers if m.name in KINDS]
        node.own_markers[:] = [m for m in node.own_markers if m.name not in KINDS]
    return _MARKED_ON[node]


def pytest_itemcollected(item: pytest.Item) -> None:
    levels = [[m.name for m in item.own_markers if m.name in KINDS]]
    levels += [_kinds_taken_off(node) for node in reversed(item.listchain()[:-1])]
    closest = next((set(kinds) for kinds in levels if kinds), set())
    if len(closest) != 1:
        _WITHOUT_ONE_KIND.append(f"{item.nodeid}: {' and '.join(sorted(closest)) or 'no kind'}")
        return
    [KIND_OF[item.nodeid]] = closest
    item.own_markers[:] = [m for m in item.own_markers if m.name not in KINDS]
    item.add_marker(KIND_OF[item.nodeid])


def pytest_collection_finish(session: pytest.Session) -> None:
    _SELECTED[:] = [item.nodeid for item in session.items]
    start_the_good_run(session)
    if _WITHOUT_ONE_KIND:
        listed = "\n".join(_WITHOUT_ONE_KIND)
        message = (
            f"{len(_WITHOUT_ONE_KIND)} tests without exactly one kind of proof ({', '.join(KINDS)}; "
            f"README, 'What the tests prove'):\n{listed}"
        )
        # a failed collection report: listed under ERRORS, and the session stops as on any collection error
        session.config.hook.pytest_collectreport(
            report=pytest.CollectReport("tests/conftest.py", "failed", message, [])
        )


_BACKGROUND: list[subprocess.Popen] = []


# How much less CPU a worker asks for than the good run (nice(2)): every test that reads the good run waits
# for it, so while it is made it comes first; the processes a worker starts inherit its niceness, so once
# the good run is made all the suite's processes are alike again.
WORKER_NICENESS = 5


def start_the_good_run(session: pytest.Session) -> None:
    """The session's good run, begun in a process of its own by one worker (or the only process) as soon as
    it has collected a test that needs it: the workers meanwhile run the other tests, handed out first, at
    a lower priority than the good run."""
    if session.config.option.collectonly:
        return
    # not for end-to-end tests that read no run (tests/test_ui_stop.py: `make ui`'s timed stop, which a run
    # on the other core would slow)
    if not any(reads_the_good_run(item) for item in session.items):
        return
    if os.environ.get("PYTEST_XDIST_WORKER", "gw0") != "gw0":
        os.nice(WORKER_NICENESS)
        return
    root = good_run_folder(session.config._tmp_path_factory)  # pytest's own factory (pinned pytest)
    root.parent.mkdir(parents=True, exist_ok=True)
    with root.with_suffix(".log").open("w") as log:
        _BACKGROUND.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.good_run", str(root)],
                cwd=PROJECT_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    if os.environ.get("PYTEST_XDIST_WORKER"):
        os.nice(WORKER_NICENESS)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A session stopped early (-x, Ctrl-C) leaves no run behind."""
    for process in _BACKGROUND:
        process.terminate()
        process.wait()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """The test's kind travels with its reports (user_properties reach the controller under xdist)."""
    item.user_properties.append(("kind", KIND_OF.get(item.nodeid)))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _RAN[report.nodeid] = dict(report.user_properties).get("kind")


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """The counts by kind of the tests that ran (of those collected, with --collect-only)."""
    from collections import Counter

    if config.option.collectonly:
        what, kinds = "collected", [KIND_OF.get(nodeid) for nodeid in _SELECTED]
    else:
        what, kinds = "ran", list(_RAN.values())
    if not kinds:
        return
    counts = Counter(kind for kind in kinds if kind is not None)
    terminalreporter.write_sep("-", "kinds of proof")
    of_no_kind = len(kinds) - counts.total()
    terminalreporter.write_line(
        f"{len(kinds)} tests {what}: "
        + ", ".join(f"{counts[kind]} {kind}" for kind in KINDS)
        + (f", {of_no_kind} of no single kind" if of_no_kind else "")
        + " (by_construction: an agreement built into the inputs, never a confirmation)"
    )
