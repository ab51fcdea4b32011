"""Each kind of check of the claims ledger fails on a wrong number: on a copy of the session run's warehouse,
one claim of each kind is misquoted in the register's table, marts.claims is rebuilt by dbt alone, and that
claim is contradicted (the value the marts or the other statements give beside it), while the same claim
untouched agrees in the session run."""

import shutil

import duckdb
import pytest

from dagster_project.resources import WAREHOUSE_FILE
from tests.test_dbt_unit_tests import dbt

pytestmark = pytest.mark.independent  # wrong numbers written here, their right values worked out by hand

# claim id: (the misquoted value, the value the ledger must then compute, the status of the untouched claim)
MISQUOTED = {
    # the head of a list: 东部 holds 8 of the top 10 counties (十强中占据 8 席), misquoted as 9
    "2024/industrial_county/top_n_count/东部:10": ("9", "8", "confirmed"),
    # a share of a list's rank band (图20: 广东 8 and 江苏 7 of the top 20)
    "2024/industrial_district/list_fraction/广东省+江苏省:1-20:四分之三": ("80", "75.00", "confirmed"),
    # a comparison: 超六成 of the first tier, 5 of 8 (62.5%), misquoted as over 70%
    "2024/industrial_county/list_fraction/江苏省:1-8:超六成": ("70", "62.50", "confirmed"),
    # near: 近一半 of the list for 浙江 and 江苏 (48), misquoted as nearly 60%
    "2024/industrial_county/list_fraction/浙江省+江苏省:1-100:近一半": ("60", "48.00", "confirmed"),
    # at most: 神木市 in the top ten (9th), misquoted as in the top five
    "2024/industrial_county/unit_rank/陕西省:神木市:十强": ("5", "9", "confirmed"),
    # a rank the text gives by order (江阴市 second)
    "2024/industrial_county/unit_rank/江苏省:江阴市": ("3", "2", "confirmed"),
    # a share against the counts it is a share of (122 of 387)
    "2024/edition/share_of_stated/provincial_smart_factories:江苏省": (
        "35",
        "31.52",
        "checked_against_statements",
    ),
    # a total against its parts (浙江 25 + 江苏 23)
    "2024/industrial_county/sum_of_stated/浙江省+江苏省": ("47", "48.0", "checked_against_statements"),
    # an increase against its two ends (46.7 - 27.8, stated as nearly 20)
    "2024/edition/difference_of_stated/county_gdp_increase_2012_2022:万亿元": (
        "25",
        "18.9",
        "checked_against_statements",
    ),
    # a count agreeing by construction only: a wrong one is still contradicted
    "2024/edition/smart_factory_count/national_demonstration:region:东部": ("46", "45", "by_construction"),
}
# A name the table does not hold in that province: the text and the table disagree on the name.
RENAMED = ("2024/industrial_county/unit_rank/江苏省:江阴市", "江苏省:江阴县")


@pytest.fixture(scope="module")
def rebuilt(pipeline_run, tmp_path_factory) -> dict[str, tuple[str, str]]:
    copy = tmp_path_factory.mktemp("claim_checks") / "county_industry.duckdb"
    shutil.copy(pipeline_run.data_dir / WAREHOUSE_FILE, copy)
    with duckdb.connect(str(copy)) as con:
        for claim_id, (wrong, _, _) in MISQUOTED.items():
            con.execute(
                "update reference.report_figures set published_value = ? where claim_id = ?",
                [wrong, claim_id],
            )
        old_id, new_key = RENAMED
        con.execute(
            "insert into reference.report_figures by name select * replace (? as key, ? as claim_id, "
            "'2' as published_value) from reference.report_figures where claim_id = ?",
            [new_key, old_id.rsplit("/", 1)[0] + "/" + new_key, old_id],
        )
    assert set(dbt(copy, "run", "--select", "claims").values()) == {"success"}
    with duckdb.connect(str(copy), read_only=True) as con:
        rows = con.execute("select claim_id, status, computed_value from marts.claims").fetchall()
    return {claim_id: (status, value) for claim_id, status, value in rows}


@pytest.mark.parametrize("claim_id", list(MISQUOTED))
def test_a_misquoted_claim_is_contradicted_with_the_right_value_beside_it(rebuilt, published, claim_id):
    _, right, untouched = MISQUOTED[claim_id]
    [(status,)] = published.execute(
        "select status from marts.claims where claim_id = ?", [claim_id]
    ).fetchall()
    assert status == untouched
    status, value = rebuilt[claim_id]
    assert status == "contradicted"
    assert float(value) == pytest.approx(float(right))


def test_a_unit_the_table_does_not_name_is_contradicted_as_absent(rebuilt):
    old_id, new_key = RENAMED
    assert rebuilt[old_id.rsplit("/", 1)[0] + "/" + new_key] == ("contradicted", "absent")
