"""Corrupted reference files: the check names the row; nothing downstream runs or gets damaged."""

import hashlib
import shutil

import pytest

from tests.conftest import run_pipeline

pytestmark = pytest.mark.independent  # the file, row and rule each check must name, written by hand

DOWNSTREAM_STEPS = {"dbt_reference_models", "dbt_per_year_models", "dbt_cross_year_models", "publish"}


def _rewrite(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def corrupted_run(pipeline_run, tmp_path_factory):
    root = tmp_path_factory.mktemp("corrupted_run")
    data_dir = root / "data"
    shutil.copytree(pipeline_run.data_dir, data_dir)  # includes the last good published file
    rankings = data_dir / "reference" / "rankings"
    # a duplicate rank: 张家港市 printed at 4 like 慈溪市
    _rewrite(
        rankings / "2024_industrial_county.csv",
        "2024,industrial_county,4,江苏省,苏州市,张家港市",
        "2024,industrial_county,5,江苏省,苏州市,张家港市",
    )
    # an unknown county
    _rewrite(rankings / "2022_industrial_county.csv", "江阴市", "江阳市")
    # a wrong ★: 昆山市 is first of 江苏省 in the innovation list but loses its star
    _rewrite(rankings / "2024_innovation_county.csv", "昆山市,1", "昆山市,0")
    published = data_dir / "published" / "county_industry.duckdb"
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    run = run_pipeline(data_dir, root / "dagster_home")
    return run, before


def _failures(run, table):
    for evaluation in run.result.get_asset_check_evaluations():
        if evaluation.asset_key.path[-1] == table and not evaluation.passed:
            return evaluation.metadata["failures"].value
    return ""


def test_duplicate_rank_names_file_row_and_rule(corrupted_run):
    failures = _failures(corrupted_run[0], "rankings_2024_industrial_county")
    assert "reference/rankings/2024_industrial_county.csv: row 5" in failures
    assert "each rank appears once" in failures


def test_unknown_county_names_file_row_and_reason(corrupted_run):
    failures = _failures(corrupted_run[0], "rankings_2022_industrial_county")
    assert "reference/rankings/2022_industrial_county.csv: row 3" in failures
    assert "no unit named '江阳市'" in failures
    assert "every row resolves to an adcode" in failures


def test_wrong_star_names_file_row_and_rule(corrupted_run):
    failures = _failures(corrupted_run[0], "rankings_2024_innovation_county")
    assert "reference/rankings/2024_innovation_county.csv: row 2" in failures
    assert "★ marks exactly the first unit of its province" in failures


def test_intact_files_still_pass(corrupted_run):
    evaluations = corrupted_run[0].result.get_asset_check_evaluations()
    passed = {e.asset_key.path[-1] for e in evaluations if e.passed}
    assert passed == {
        "admin_units",
        "rankings_2022_innovation_county",
        "rankings_2022_industrial_district",
        "rankings_2024_industrial_district",
        "clusters_2022_national",
        "clusters_2022_100bn",
        "county_statistics",
        "national_totals",
        "city_cluster_members",
        "smart_factories_2024",
        "report_figures",
        "published_tier_bounds",
        "stated_region_counts",
    }


def test_nothing_downstream_runs_and_the_published_file_is_untouched(corrupted_run):
    run, before = corrupted_run
    assert not run.result.success
    executed = {e.step_key for e in run.result.all_events if e.is_step_success}
    assert "reference__admin_units" in executed, "the step names are the ones this test expects"
    assert not executed & DOWNSTREAM_STEPS
    assert hashlib.sha256(run.published.read_bytes()).hexdigest() == before
    assert (run.data_dir / "reference" / "rankings" / "2022_industrial_county.csv").exists()
