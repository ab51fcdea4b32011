"""The raw ingest judges a year's rows before it writes them: a refused year leaves the warehouse as it
was, and the refusal shows as the asset check; units missing from a year are reported by the run.

Only the raw county statistics are materialised (no dbt): every year once as the base, then one year.
"""

import shutil

import duckdb
import pytest
from dagster import DagsterInstance

from dagster_project.definitions import build_definitions
from dagster_project.partitions import data_years, range_tags, register_data_years
from dagster_project.raw.ingest import COUNTY_STATISTICS
from dagster_project.resources import WAREHOUSE_FILE
from tests.conftest import QUIET, copy_inputs

pytestmark = pytest.mark.independent  # the check's lines written out by hand, on real ingests

RAW_2022 = "raw/county_statistics/2022/synthetic_demo_county_statistics_2022.csv"


def run_raw(data_dir, **partitions):
    """The raw county statistics asset (with its check) for some data years, on an ephemeral instance."""
    instance = DagsterInstance.ephemeral()
    register_data_years(instance, data_dir)
    job = build_definitions(data_dir).resolve_job_def("refresh")
    return job.execute_in_process(
        asset_selection=[COUNTY_STATISTICS.key],
        instance=instance,
        raise_on_error=False,
        run_config=QUIET,
        **partitions,
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """Every data year of the demo panel in raw.county_statistics."""
    data_dir = copy_inputs(tmp_path_factory.mktemp("raw_loaded") / "data")
    result = run_raw(data_dir, tags=range_tags(data_years(data_dir)))
    assert result.success
    return data_dir


@pytest.fixture
def data_dir(loaded, tmp_path):
    copied = tmp_path / "data"
    shutil.copytree(loaded, copied)
    return copied


def rows_2022(data_dir):
    with duckdb.connect(str(data_dir / WAREHOUSE_FILE), read_only=True) as con:
        return con.execute(
            "select source_file, count(*) from raw.county_statistics where folder_year = 2022 group by 1"
        ).fetchall()


def evaluation(result):
    [found] = [e for e in result.get_asset_check_evaluations() if e.check_name == "raw_county_statistics"]
    return found


def test_a_refused_year_leaves_the_warehouse_as_it_was(data_dir):
    """A second file for 2022 repeats two units: the run fails, names both files, and writes nothing."""
    lines = (data_dir / RAW_2022).read_bytes().splitlines(keepends=True)
    (data_dir / RAW_2022).with_name("second_file.csv").write_bytes(b"".join(lines[:3]))
    assert rows_2022(data_dir) == [(RAW_2022, 2844)]
    result = run_raw(data_dir, partition_key="2022")
    assert not result.success
    check = evaluation(result)
    assert not check.passed and check.severity.value == "ERROR"
    failures = check.metadata["failures"].value
    assert "raw/county_statistics/2022/second_file.csv: row 2 (110101 2022 东城区)" in failures
    assert f"{RAW_2022}: row 2 (110101 2022 东城区)" in failures
    assert "one row per unit and data year" in failures
    assert check.metadata["failure_count"].value == 4
    assert rows_2022(data_dir) == [(RAW_2022, 2844)]
    assert not result.get_asset_materialization_events()


def test_a_unit_missing_from_a_year_is_reported_by_the_run(data_dir):
    text = (data_dir / RAW_2022).read_bytes().decode("gbk")
    kept = [line for line in text.splitlines(keepends=True) if not line.startswith("110101,")]
    (data_dir / RAW_2022).write_bytes("".join(kept).encode("gbk"))
    result = run_raw(data_dir, partition_key="2022")
    assert result.success
    check = evaluation(result)
    assert not check.passed and check.severity.value == "WARN"
    rule = "'units continue from year to year (missing and new units are reported, not refused)'"
    assert check.metadata["warnings"].value == (
        f"- {RAW_2022}: unit 110101 东城区 is in 2021 but missing in 2022 breaks rule {rule}\n"
        f"- {RAW_2022}: unit 110101 东城区 is in 2023 but missing in 2022 breaks rule {rule}"
    )
    assert rows_2022(data_dir) == [(RAW_2022, 2843)]


def test_a_code_carried_across_a_change_is_stored_as_todays(data_dir):
    """沙县 printed with its code before 2021 (350427) is stored as 沙县区 350405, its printed code kept."""
    text = (data_dir / RAW_2022).read_bytes().decode("gbk")
    assert "\n350405,2022,沙县区," in text
    (data_dir / RAW_2022).write_bytes(
        text.replace("\n350405,2022,沙县区,", "\n350427,2022,沙县,").encode("gbk")
    )
    result = run_raw(data_dir, partition_key="2022")
    assert result.success
    assert evaluation(result).passed
    [materialization] = result.get_asset_materialization_events()
    assert materialization.materialization.metadata["adcodes_carried"].value == 1
    with duckdb.connect(str(data_dir / WAREHOUSE_FILE), read_only=True) as con:
        stored = con.execute(
            "select adcode, adcode_as_printed, name, universe from raw.county_statistics "
            "where folder_year = 2022 and adcode_as_printed <> adcode"
        ).fetchall()
    assert stored == [("350405", "350427", "沙县", "district")]


def test_a_file_the_contract_refuses_shows_as_the_failed_check(data_dir):
    """A header the contract refuses stops the ingest before any row is judged: the check says why."""
    text = (data_dir / RAW_2022).read_bytes().decode("gbk")
    (data_dir / RAW_2022).write_bytes(text.replace("gdp[亿元]", "gdp[千元]", 1).encode("gbk"))
    result = run_raw(data_dir, partition_key="2022")
    assert not result.success
    check = evaluation(result)
    assert not check.passed and check.severity.value == "ERROR"
    assert check.metadata["failures"].value == (
        f"- {RAW_2022}: column 6 'gdp[千元]': unit '千元' is not accepted for gdp (元, 万元, 亿元)"
    )
    assert rows_2022(data_dir) == [(RAW_2022, 2844)]
