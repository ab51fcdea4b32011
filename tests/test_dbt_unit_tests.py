"""The dbt unit tests (SQL on fixed rows, expected rows worked out by hand in the _unit_tests.yml files
beside the models), which the refresh leaves out (transform.REFRESH_EXCLUDES); and the tier count as a
dbt var: the tiers model rebuilt with tier_count 3 instead of the default 4.

Both on a copy of the session run's warehouse. dbt runs in the test's process, as a refresh calls it
(dagster_project/dbt_in_process.py), on one parse of the project; a call that parses something else (a
changed copy of the project, --vars) runs in a dbt process of its own, as anyone would type it.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dagster_project import dbt_in_process
from dagster_project.resources import DBT_PROJECT_DIR, WAREHOUSE_FILE, dbt_env
from dagster_project.transform import dbt_resource
from tests.independent import engine as independent

pytestmark = pytest.mark.independent  # rows worked out by hand; the independent Fisher-Jenks

# The unit tests of dbt/models/**/_unit_tests.yml, by model and name: a test that is no longer found (a
# renamed model, a yml dbt no longer reads) must fail here, not pass unnoticed.
UNIT_TESTS = {
    "unit_test.county_industry.computed_ranking_movements.computed_movements_enter_exit_stay",
    "unit_test.county_industry.int_published_rankings__movements.published_movements_enter_exit_stay",
    "unit_test.county_industry.int_published_rankings__edition_pairs.edition_pairs_are_consecutive_editions_of_a_list",
    "unit_test.county_industry.int_rankings__ranked.ranks_break_ties_by_adcode",
    "unit_test.county_industry.int_indicators__treatments.outlier_rule_leaves_winsorises_on_the_side_of_the_skew",
    "unit_test.county_industry.int_indicators__treatments.outlier_rule_logs_what_five_points_cannot_mend",
    "unit_test.county_industry.int_indicators__normalized.normalisation_min_max_within_universe_and_year",
    "unit_test.county_industry.published_ranking_tiers.published_tiers_follow_the_stated_rank_bounds",
    "unit_test.county_industry.overview_county_economy.county_economy_sums_the_counties_beside_the_national_totals",
    "unit_test.county_industry.overview_county_economy_by_area.county_economy_by_area_shares_within_each_kind_of_area",
    "unit_test.county_industry.overview_population_classes.population_classes_include_the_lower_bound",
    "unit_test.county_industry.overview_urbanisation_potential.urbanisation_potential_excludes_both_bounds",
    "unit_test.county_industry.int_overview__counties.counties_are_the_county_universe_with_their_area",
    "unit_test.county_industry.published_ranking_prefecture_counts.prefecture_counts_beside_the_prefectures_universe",
    "unit_test.county_industry.published_ranking_top_n.top_n_counts_every_region_and_the_lists_provinces",
    "unit_test.county_industry.computed_list_threshold_units.threshold_units_above_or_at_the_level_as_the_report_words_it",
    "unit_test.county_industry.computed_list_threshold_areas.threshold_areas_count_each_member_in_its_areas_and_the_rest_as_other",
    "unit_test.county_industry.computed_list_leaders.leaders_by_value_ties_by_the_lists_rank",
    "unit_test.county_industry.computed_list_shares.shares_pair_the_national_totals_with_the_lists_by_measure_name",
    "unit_test.county_industry.computed_list_growth_two_years.growth_two_years_geometric_with_a_missing_year_counted_in_units_only",
    "unit_test.county_industry.computed_list_profit_by_region.profit_by_region_means_of_members_two_year_means_and_margins",
}
TIER_COUNT = 3  # not the default 4 (dbt_project.yml)


@pytest.fixture(scope="module")
def warehouse(pipeline_run, tmp_path_factory) -> Path:
    """A copy of the session run's warehouse: dbt reads the columns of a unit test's inputs from it, and
    the tiers model the top-100 lists."""
    copy = tmp_path_factory.mktemp("dbt_unit_tests") / "county_industry.duckdb"
    shutil.copy(pipeline_run.data_dir / WAREHOUSE_FILE, copy)
    return copy


def dbt(
    warehouse: Path, *arguments: str, succeeds: bool = True, project: Path = DBT_PROJECT_DIR
) -> dict[str, str]:
    """A dbt call on the warehouse copy, its target and logs beside it (never the project's dbt/target);
    the status of each node it ran."""
    target = warehouse.parent / "target"
    shutil.rmtree(target, ignore_errors=True)
    if project == DBT_PROJECT_DIR and "--vars" not in arguments:
        with dbt_in_process.dbt_environment(dbt_env(warehouse)):
            events, succeeded = dbt_in_process.call(dbt_resource(), list(arguments), target)
        output = "\n".join(event["info"]["msg"] for event in events)
    else:
        process = subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), *arguments, "--profiles-dir", "."]
            + ["--target-path", str(target), "--log-path", str(warehouse.parent / "logs")],
            cwd=project,
            env={**os.environ, **dbt_env(warehouse)},
            capture_output=True,
            text=True,
        )
        succeeded, output = process.returncode == 0, process.stdout + process.stderr
    assert succeeded == succeeds, output[-6000:]
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    return {r["unique_id"]: r["status"] for r in results}


def test_every_dbt_unit_test_runs_and_passes(warehouse):
    assert dbt(warehouse, "test", "--select", "test_type:unit") == dict.fromkeys(UNIT_TESTS, "pass")


OUTLIER_TEST = "outlier_rule_leaves_winsorises_on_the_side_of_the_skew"


def test_a_changed_outlier_rule_fails_its_unit_test(warehouse, tmp_path):
    """The unit tests hold the rule, not whatever the SQL does: on a copy of the project whose outlier rule
    needs a kurtosis above 35 instead of 3.5, the fixture's 1..9 and 100 (k = 9.80) is left untreated, and
    the unit test expecting it winsorised fails."""
    project = tmp_path / "dbt"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    model = project / "models" / "intermediate" / "engine" / "int_indicators__treatments.sql"
    rule = "groups.kurtosis_before > 3.5"
    assert model.read_text(encoding="utf-8").count(rule) == 1
    model.write_text(
        model.read_text(encoding="utf-8").replace(rule, "groups.kurtosis_before > 35"), encoding="utf-8"
    )
    failed = dbt(warehouse, "test", "--select", OUTLIER_TEST, succeeds=False, project=project)
    assert failed == {f"unit_test.county_industry.int_indicators__treatments.{OUTLIER_TEST}": "fail"}


def test_the_tier_count_var_sets_the_number_of_tiers(warehouse):
    """With tier_count 3 every list has tiers 1-3, sized as the independent Fisher-Jenks (tests/independent)
    splits that list's index scores into 3 classes, tier 1 the highest scores."""
    tiers_model = dbt(
        warehouse, "run", "--select", "int_rankings__tiers", "--vars", f"tier_count: {TIER_COUNT}"
    )
    assert tiers_model == {"model.county_industry.int_rankings__tiers": "success"}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        lists = con.execute(
            "select data_year, list, list(index_score order by rank) as scores, "
            "list(adcode order by rank) as adcodes from marts.computed_rankings group by all order by all"
        ).fetchall()
        rows = con.execute(
            "select data_year, list, adcode, tier from intermediate.int_rankings__tiers"
        ).fetchall()
    tiers = {(year, name, adcode): tier for year, name, adcode, tier in rows}
    assert len(lists) == 9 and len(rows) == len(tiers) == 900, "one tier per unit of each list"
    for year, name, scores, adcodes in lists:
        sizes = independent.jenks_sizes(scores, TIER_COUNT)[::-1]  # highest class first, as ranks run
        expected = [tier for tier, size in enumerate(sizes, start=1) for _ in range(size)]
        assert [tiers[(year, name, adcode)] for adcode in adcodes] == expected, (year, name, sizes)


STAR_TEST = "test.county_industry.computed_star_marks_each_provinces_first"


def test_a_star_on_the_wrong_unit_of_a_computed_list_fails_its_check(warehouse, tmp_path):
    """dbt/tests/computed_star_marks_each_provinces_first.sql (an asset check of computed_rankings): it
    passes on the run's lists and fails once a province's ★ moves from its best-ranked unit to its second."""
    select = ["--select", "computed_star_marks_each_provinces_first"]
    assert dbt(warehouse, "test", *select) == {STAR_TEST: "pass"}
    broken = tmp_path / "county_industry.duckdb"
    shutil.copy(warehouse, broken)
    with duckdb.connect(str(broken)) as con:
        [(year, name, province)] = con.execute(
            "select data_year, list, province from marts.computed_rankings group by all "
            "having count(*) >= 2 order by all limit 1"
        ).fetchall()
        con.execute(
            "update marts.computed_rankings set star = 1 - star "
            "where data_year = ? and list = ? and province = ? and rank in "
            "(select rank from marts.computed_rankings where data_year = ? and list = ? and province = ? "
            "order by rank limit 2)",
            [year, name, province] * 2,
        )
    failed = dbt(broken, "test", *select, succeeds=False)
    assert failed == {STAR_TEST: "fail"}


AREA_CLAIM = "2022/industrial_district/list_share/land_area"  # 图27: 1% 的行政区划面积 (tolerance 0.5)


@pytest.mark.parametrize(
    ("share", "synthetic", "evaluated"),
    [
        (0.0103, False, ("1.03", "confirmed")),  # 1.03% is 1% within the half point its rounding leaves
        (0.0251, False, ("2.51", "contradicted")),
        (0.0103, True, (None, "not_computable")),  # synthetic inputs never confirm, nor contradict, a claim
    ],
)
def test_a_share_claim_is_evaluated_from_real_statistics_only(
    warehouse, tmp_path, share, synthetic, evaluated
):
    """A claimed share of a national total is evaluated against the edition's computed list
    (marts.computed_list_shares) once its statistics are real: here the 2022 edition's district list is
    given a share of the national area by hand, real or synthetic, and the claims model rebuilt."""
    copy = tmp_path / "county_industry.duckdb"
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        updated = con.execute(
            "update marts.computed_list_shares set share = ?, synthetic = ? "
            "where edition_year = 2022 and list = 'industrial_district' and measure = 'land_area'",
            [share, synthetic],
        ).fetchone()
    assert updated == (1,)
    assert dbt(copy, "run", "--select", "claims") == {"model.county_industry.claims": "success"}
    with duckdb.connect(str(copy), read_only=True) as con:
        row = con.execute(
            "select computed_value, status from marts.claims where claim_id = ?", [AREA_CLAIM]
        ).fetchone()
    assert row == evaluated
