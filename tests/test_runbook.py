"""Each step of docs/runbook.md, executed as a data engineer runs it: the command line, on a copy of a
fully refreshed data directory and its run history. While a year is added, an analyst's process reads
the published file throughout the run: it must see complete snapshots and never a lock error."""

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import AssetKey, DagsterInstance

from dagster_project.definitions import build_definitions
from dagster_project.partitions import register_data_years
from dagster_project.publish import PUBLISHED_DUCKDB, PUBLISHED_PARQUET
from dagster_project.resources import PUBLISHED_FILE, WAREHOUSE_FILE
from tests.conftest import PipelineRun, county_industry, deploy

PANEL = Path("raw", "county_statistics")
TOTALS = Path("raw", "national_totals")


READER = """
import pathlib, sys, time, duckdb
path, stop_file = sys.argv[1], pathlib.Path(sys.argv[2])
deadline = time.time() + 300  # bounded even if the test dies before it says stop
reads = errors = 0
while not stop_file.exists() and time.time() < deadline:
    try:
        with duckdb.connect(path, read_only=True) as con:
            count = con.execute("select count(*) from marts.published_rankings").fetchone()[0]
        assert count == 600, count
        reads += 1
    except Exception as error:
        errors += 1
        print("ERROR", repr(error), flush=True)
    time.sleep(0.02)
print("reads", reads, "errors", errors, flush=True)
"""


def mart(data_dir: Path, query: str) -> pd.DataFrame:
    with duckdb.connect(str(data_dir / PUBLISHED_FILE), read_only=True) as con:
        return con.execute(query).df()


@pytest.fixture(scope="module")
def deployment(pipeline_run: PipelineRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the refreshed data directory and its Dagster home, as a team's server would hold them."""
    return deploy(pipeline_run, tmp_path_factory.mktemp("runbook"))


def test_add_a_year(deployment: Path, pipeline_run: PipelineRun) -> None:
    """Runbook, 'Add a data year': its files in incoming/, validate, move them in, run that year."""
    incoming = deployment / "incoming"
    panel_2023 = pd.read_excel(
        next((deployment / PANEL / "2023").iterdir()), dtype=str, keep_default_na=False
    )
    panel = incoming / "county_statistics" / "2024" / "synthetic_demo_county_statistics_2024.csv"
    panel.parent.mkdir(parents=True)
    panel_2023.assign(data_year="2024").to_csv(panel, index=False, encoding="utf-8-sig")
    totals_2023 = next((deployment / TOTALS / "2023").iterdir()).read_text(encoding="utf-8")
    totals = incoming / "national_totals" / "2024" / "national_totals_2024.csv"
    totals.parent.mkdir(parents=True)
    header, row = totals_2023.splitlines()[:2]
    totals.write_text(f"{header}\n{row.replace('2023', '2024', 1)}\n", encoding="utf-8")

    for new_file in (panel, totals):
        checked = county_industry(deployment, "validate", new_file)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        destination = deployment / "raw" / new_file.relative_to(incoming)
        destination.parent.mkdir(parents=True)
        shutil.move(new_file, destination)

    stop = deployment.parent / "stop_reading"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(deployment / PUBLISHED_FILE), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        done = county_industry(deployment, "run", "--year", 2024)
    finally:
        stop.touch()
        read, _ = reader.communicate(timeout=60)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "ERROR" not in read, read
    assert int(read.split()[1]) > 100, read  # it read all along the run, which takes tens of seconds
    assert "raw/county_statistics [2024]" in done.stdout, "only the new year's partition was loaded"
    years = mart(
        deployment, "select data_year, count(*) as n from marts.computed_rankings group by 1 order by 1"
    )
    assert years.to_dict("list") == {"data_year": [2021, 2022, 2023, 2024], "n": [300] * 4}
    before = mart(pipeline_run.data_dir, "select * from marts.computed_rankings order by all")
    after = mart(deployment, "select * from marts.computed_rankings where data_year < 2024 order by all")
    pd.testing.assert_frame_equal(before, after, obj="the years already published are untouched")
    movements = mart(
        deployment,
        "select movement, count(*) as n from marts.computed_ranking_movements "
        "where data_year = 2024 group by 1",
    )
    assert dict(zip(movements["movement"], movements["n"], strict=True)) == {"stayed": 300}, (
        "2024 is a copy of 2023: every unit stays, and the comparison reads year 2023"
    )


def test_rerun_after_a_fix(deployment: Path) -> None:
    """Runbook, 'Re-run after a fix': a refused year leaves the published file alone; fixed, it goes in."""
    published = deployment / PUBLISHED_FILE
    before = mart(deployment, "select * from marts.composite_scores order by all")
    snapshot = published.stat().st_ino
    [path] = (deployment / PANEL / "2022").iterdir()
    original = path.read_bytes()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="gbk")
    gdp = next(c for c in frame.columns if c.startswith("gdp["))
    frame.loc[4, gdp] = str(float(frame.loc[4, gdp]) / 10000)  # typed in 亿元
    frame.to_csv(path, index=False, encoding="gbk")

    refused = county_industry(deployment, "run", "--year", 2022)
    assert refused.returncode == 1
    assert "row 6" in refused.stdout and "a factor of 1000 or more" in refused.stdout, refused.stdout[-3000:]
    assert published.stat().st_ino == snapshot, "nothing was published"

    path.write_bytes(original)
    fixed = county_industry(deployment, "run", "--year", 2022)
    assert fixed.returncode == 0, fixed.stdout[-3000:]
    pd.testing.assert_frame_equal(
        before, mart(deployment, "select * from marts.composite_scores order by all")
    )


def test_roll_back_a_published_snapshot(deployment: Path) -> None:
    """Runbook, 'Roll back': the snapshot before the current one is put back, with its Parquet."""
    published = deployment / PUBLISHED_FILE
    kept = sorted((deployment / "published" / "snapshots").iterdir())
    assert published.stat().st_ino == (kept[-1] / published.name).stat().st_ino
    done = county_industry(deployment, "rollback")
    assert done.returncode == 0, done.stderr
    assert published.stat().st_ino == (kept[-2] / published.name).stat().st_ino
    assert (deployment / "published" / "parquet").resolve() == kept[-2] / "parquet"
    refused = county_industry(deployment, "rollback", "--to", "../../../etc")
    assert refused.returncode == 1 and "no intact snapshot ../../../etc" in refused.stderr


def test_a_mart_whose_columns_changed_says_to_rebuild_the_warehouse(
    pipeline_run: PipelineRun, tmp_path: Path
) -> None:
    """Runbook, 'Change the columns of a per-year mart': the refresh stops and says how to rebuild; the
    rebuild itself is a run into an empty warehouse, as every fresh run (the pipeline_run fixture) is."""
    data_dir = tmp_path / "data"
    shutil.copytree(pipeline_run.data_dir, data_dir, symlinks=True)
    with duckdb.connect(str(data_dir / WAREHOUSE_FILE)) as con:  # the table as an older model built it
        con.execute("alter table marts.smart_factories add column dropped_since integer")
    published = (data_dir / PUBLISHED_FILE).stat().st_ino
    job = build_definitions(data_dir).resolve_job_def("refresh")
    with DagsterInstance.ephemeral() as instance:
        register_data_years(instance, data_dir)
        result = job.execute_in_process(
            asset_selection=[AssetKey(["marts", "smart_factories"]), PUBLISHED_DUCKDB, PUBLISHED_PARQUET],
            partition_key="2023",
            instance=instance,
            raise_on_error=False,
        )
    [failure] = [e for e in result.all_events if e.is_step_failure]
    message = failure.step_failure_data.user_failure_data.description
    assert f"rm -r {data_dir / 'warehouse'} && make run" in message and "docs/runbook.md" in message
    assert PUBLISHED_DUCKDB not in {e.asset_key for e in result.get_asset_materialization_events()}
    assert (data_dir / PUBLISHED_FILE).stat().st_ino == published
