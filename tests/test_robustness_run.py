"""The robustness marts on the session's pipeline run: present and published, covering every computed list,
data year and unit, and saying what they should about the central ranks.

What is asserted, honestly: the marts agree with marts.computed_rankings and with each other (consistency);
that the central rank lies within [p5, p95] is asserted for at least 90% of each top 100, not all: the
central configuration is one draw's worth of probability among many, and a unit can sit at the edge of
its band."""

import pytest

from dagster_project.robustness.analysis import FACTORS
from dagster_project.robustness.dbt_model import project_settings
from tests.conftest import TEST_ROBUSTNESS_DRAWS

pytestmark = pytest.mark.consistency  # the marts against computed_rankings and each other

ROBUSTNESS_MARTS = (
    "rank_uncertainty",
    "tier_probabilities",
    "rank_sensitivity",
    "index_coherence",
    "rank_change_attribution",
)


@pytest.mark.parametrize("mart", ROBUSTNESS_MARTS)
def test_the_mart_is_published_with_rows(published, mart):
    assert published.execute(f"select count(*) from marts.{mart}").fetchone()[0] > 0


def test_every_computed_unit_has_an_interval_and_its_central_rank(published):
    missing = published.execute(
        "select count(*) from marts.computed_rankings as r left join marts.rank_uncertainty as u "
        "using (data_year, list, adcode) where u.adcode is null or u.central_rank != r.rank"
    ).fetchone()[0]
    assert missing == 0


def test_every_scored_unit_of_every_list_and_year_is_analysed(published):
    """As many rows per list and year as units the engine scored (its composite and innovation marts)."""
    rows = published.execute(
        "select list, data_year, count(*) from marts.rank_uncertainty group by all order by all"
    ).fetchall()
    scored = published.execute(
        "select 'industrial_' || universe, data_year, count(*) from marts.composite_scores group by all "
        "union all select 'innovation_county', data_year, count(*) from marts.innovation_scores group by all "
        "order by all"
    ).fetchall()
    assert rows == scored


def test_the_central_rank_is_within_the_band_for_most_of_each_top_100(published):
    shares = published.execute(
        "select list, data_year, avg((central_rank between rank_p05 and rank_p95)::int) "
        "from marts.rank_uncertainty where central_rank <= 100 group by all"
    ).fetchall()
    assert shares and all(share >= 0.9 for _, _, share in shares), shares


def test_tier_probabilities_sum_to_the_top_probability(published):
    gap = published.execute(
        "select max(abs(u.top_probability - t.total)) from marts.rank_uncertainty as u inner join "
        "(select data_year, list, adcode, sum(probability) as total from marts.tier_probabilities "
        "group by all) as t using (data_year, list, adcode)"
    ).fetchone()[0]
    assert gap < 1e-12


def test_sensitivity_covers_each_list_year_and_factor(published):
    counts = published.execute(
        "select count(distinct (list, data_year)), count(*) from marts.rank_sensitivity"
    ).fetchone()
    lists_years = published.execute(
        "select count(distinct (list, data_year)) from marts.computed_rankings"
    ).fetchone()
    assert counts == (lists_years[0], len(FACTORS) * lists_years[0])


def test_attribution_adds_up_and_names_the_movements(published):
    gap, movements = published.execute(
        "select max(abs(index_change - own_indicators_change - bounds_change)), "
        "count(*) filter (where movement != 'stayed') from marts.rank_change_attribution"
    ).fetchone()
    assert gap < 1e-9
    expected = published.execute(
        "select count(*) from marts.computed_ranking_movements where movement != 'stayed'"
    ).fetchone()[0]
    assert movements == expected


def test_every_variance_share_sums_to_one(published):
    totals = published.execute(
        "select sum(value) from marts.index_coherence where measure = 'variance_share' "
        "group by list, data_year"
    ).fetchall()
    assert totals and all(abs(total - 1) < 1e-9 for (total,) in totals)


def test_the_draws_are_the_deployments(published):
    """The number of draws the deployment's environment names (tests/conftest.py) reaches every row, in
    place of dbt_project.yml's robustness_draws (the marts read it through dbt)."""
    assert project_settings().draws != TEST_ROBUSTNESS_DRAWS  # else this would not tell them apart
    for mart in ("rank_uncertainty", "tier_probabilities", "rank_sensitivity"):
        assert published.execute(f"select distinct draws from marts.{mart}").fetchall() == [
            (TEST_ROBUSTNESS_DRAWS,)
        ]
