"""The uncertainty analysis (dagster_project/robustness/) on small panels whose answers are known by hand.

The fixture: two dimensions a (2/3) and b (1/3) from the matrix [[1, 2], [1/2, 1]]; a holds x1 and x2
(3/4, 1/4 from [[1, 3], [1/3, 1]]), b holds x3 alone. Central scores are min-max (0-100) sums written here.
"""

import numpy as np
import pytest

from dagster_project.resources import PROJECT_DIR
from dagster_project.robustness import analysis
from dagster_project.robustness.analysis import Choices, Settings, uncertainty, weight_bank
from dagster_project.robustness.hierarchy import SAATY_VALUES, Hierarchy, Matrix, weight_draws
from dagster_project.robustness.inputs import Panel
from dagster_project.robustness.methods import index_scores, normalise, ranked, ranks_of

pytestmark = pytest.mark.independent  # the answers below are reasoned or computed by hand

HIERARCHY = Hierarchy(
    "toy",
    Matrix("toy: dimensions", ["a", "b"], np.array([[1, 2], [0.5, 1]])),
    [
        Matrix("toy: indicators of a", ["x1", "x2"], np.array([[1, 3], [1 / 3, 1]])),
        Matrix("toy: indicators of b", ["x3"], np.array([[1.0]])),
    ],
)
GLOBAL_WEIGHTS = np.array([2 / 3 * 3 / 4, 2 / 3 * 1 / 4, 1 / 3])
FIXED = Choices(
    normalisations=("minmax",),
    outlier_rules=(True,),
    aggregations=("arithmetic",),
    missing_values=("declared",),
    judgement_steps=0,
)


def toy_panel(values: list[list[float]], top_n: int = 2) -> Panel:
    """Units 1..n (adcodes 101, 102, …) with the indicator values given, all reported, raw = treated (the
    outlier rule leaves series this short and mild as they are)."""
    x = np.array(values, dtype=float)
    minmax = 100 * (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    scores = minmax @ GLOBAL_WEIGHTS
    adcodes = np.arange(101, 101 + len(x))
    order = sorted(range(len(x)), key=lambda u: (-scores[u], adcodes[u]))
    ranks = np.empty(len(x), dtype=int)
    ranks[order] = np.arange(1, len(x) + 1)
    return Panel(
        data_year=2023,
        list_id="toy_list",
        top_n=top_n,
        hierarchy=HIERARCHY,
        adcodes=adcodes,
        indicators=["x1", "x2", "x3"],
        treated=x,
        raw=x,
        reported=x,
        missing_options=[("median", "reweight")] * 3,
        outlier_rule=np.ones(3, dtype=bool),
        direction=np.ones(3),
        dimension_of=np.array([0, 0, 1]),
        local_column=np.array([0, 1, 2]),
        central_rank=ranks,
        central_score=scores,
    )


def run(panel: Panel, settings: Settings):
    return uncertainty(panel, settings, weight_bank(panel, settings, 1))


SPREAD = [[1, 9, 4], [5, 2, 8], [5, 2, 8], [3, 7, 1], [9, 1, 5], [2, 3, 6]]  # units 102 and 103 identical


def test_two_units_with_identical_indicators_get_identical_intervals():
    frame = run(toy_panel(SPREAD, top_n=3), Settings(draws=400, seed=3))
    twins = frame[frame["adcode"].isin([102, 103])].drop(columns=["adcode", "central_rank"])
    assert twins.iloc[0].drop("tier_probabilities").equals(twins.iloc[1].drop("tier_probabilities"))
    assert list(twins.iloc[0]["tier_probabilities"]) == list(twins.iloc[1]["tier_probabilities"])


def test_a_unit_that_dominates_every_indicator_is_always_first():
    """Unit 101 has the highest value of every indicator: whatever the normalisation (each is monotone),
    the weights (all positive) and the mean, it scores highest."""
    values = [[10, 10, 10], [5, 2, 8], [3, 7, 1], [9, 1, 5], [2, 3, 6]]
    frame = run(toy_panel(values, top_n=1), Settings(draws=400, seed=5)).set_index("adcode")
    assert frame.loc[101, "top_probability"] == 1.0
    assert frame.loc[101, ["median_rank", "rank_p05", "rank_p95"]].tolist() == [1, 1, 1]
    assert frame.loc[101, "tier_probabilities"][0] == 1.0
    assert frame.drop(index=101)["top_probability"].eq(0).all()


def test_a_choice_with_no_range_gives_zero_width_intervals():
    """Every choice fixed at the centre: every draw is the central ranking."""
    frame = run(toy_panel(SPREAD[:2] + SPREAD[3:]), Settings(draws=50, seed=1, choices=FIXED))
    assert (frame["rank_p05"] == frame["central_rank"]).all()
    assert (frame["rank_p95"] == frame["central_rank"]).all()
    assert (frame["median_rank"] == frame["central_rank"]).all()
    assert set(frame["top_probability"]) == {0.0, 1.0}


def test_fixed_choices_have_zero_sensitivity():
    panel = toy_panel(SPREAD[:2] + SPREAD[3:])
    settings = Settings(draws=50, seed=1, choices=FIXED)
    frame = analysis.sensitivity(panel, settings, weight_bank(panel, settings, 2))
    assert frame["first_order"].eq(0).all() and frame["total_order"].eq(0).all()
    assert frame["mean_rank_shift"].eq(0).all()


def test_only_the_normalisation_varies_its_index_takes_it_all():
    """With the other choices fixed, the normalisation explains all the variance: S = S_T = 1."""
    panel = toy_panel(SPREAD[:2] + SPREAD[3:], top_n=3)
    settings = Settings(
        draws=300,
        seed=2,
        choices=Choices(outlier_rules=(True,), aggregations=("arithmetic",), judgement_steps=0),
    )
    frame = analysis.sensitivity(panel, settings, weight_bank(panel, settings, 2)).set_index("factor")
    assert frame["output_variance"].iloc[0] > 0  # the three normalisations rank these units differently
    assert frame.loc["normalisation", "total_order"] == pytest.approx(1, abs=0.15)
    assert frame.drop(index="normalisation")["total_order"].eq(0).all()


def test_the_central_configuration_must_reproduce_the_engine():
    panel = toy_panel(SPREAD)
    shifted = Panel(**{**panel.__dict__, "central_score": panel.central_score + 1e-6})
    with pytest.raises(ValueError, match="does not reproduce the engine's index"):
        run(shifted, Settings(draws=10, seed=1))


def test_perturbed_judgements_move_one_step_and_stay_consistent():
    """The industrial dimension matrix (6 × 6): every draw's weights come from a matrix whose judgements
    are each within one step of the central ones; the weights differ from draw to draw and sum to 1."""
    hierarchy = Hierarchy.read(PROJECT_DIR / "config" / "weights" / "industrial.yaml")
    draws = weight_draws(hierarchy, 200, np.random.default_rng(0), steps=1)
    assert draws.dimensions.shape == (200, 6)
    assert np.allclose(draws.dimensions.sum(axis=1), 1)
    assert len({tuple(np.round(row, 12)) for row in draws.dimensions}) > 50
    central = weight_draws(hierarchy, 1, np.random.default_rng(0), steps=0).dimensions[0]
    assert np.abs(draws.dimensions - central).max() < 0.15  # one step never doubles a weight here


def test_the_saaty_scale_has_seventeen_steps():
    assert SAATY_VALUES.tolist() == [1 / v for v in range(9, 1, -1)] + list(range(1, 10))


def test_normalisations_by_hand():
    """x = [2, 4, nan, 10], direction +: min-max 0, 25, nan (left out), 100; rank 0, 50, nan, 100; z-score
    over (2, 4, 10) with mean 16/3 and the sample standard deviation; direction − mirrors min-max. A column
    without spread scores 0 under each."""
    x = np.array([[2.0], [4.0], [np.nan], [10.0]])
    same = np.testing.assert_allclose  # nan where nan is expected (equal_nan)
    same(normalise(x, np.array([1.0]), "minmax")[:, 0], [0, 25, np.nan, 100])
    same(normalise(x, np.array([-1.0]), "minmax")[:, 0], [100, 75, np.nan, 0])
    same(normalise(x, np.array([1.0]), "rank")[:, 0], [0, 50, np.nan, 100])
    sd = np.sqrt(((2 - 16 / 3) ** 2 + (4 - 16 / 3) ** 2 + (10 - 16 / 3) ** 2) / 2)
    z = normalise(x, np.array([1.0]), "zscore")[:, 0]
    same(z, [(2 - 16 / 3) / sd, (4 - 16 / 3) / sd, np.nan, (10 - 16 / 3) / sd])
    flat = np.array([[3.0], [3.0]])
    for method in ("minmax", "zscore", "rank"):
        assert normalise(flat, np.array([1.0]), method)[:, 0].tolist() == [0, 0]


def test_a_left_out_indicator_gives_its_weight_to_the_others_of_its_dimension():
    """Two dimensions weighted 0.6 and 0.4; the first judges two indicators 0.5 / 0.5, the second one.
    A: 40, 60 | 80 -> 0.6 × 50 + 0.4 × 80 = 62. B: 40, left out | 80 -> 0.6 × 40 + 0.4 × 80 = 56.
    C: 40, 60 | left out -> its second dimension, with nothing present, scores 0: 0.6 × 50 = 30."""
    scores = np.array([[40.0, 60.0, 80.0], [40.0, np.nan, 80.0], [40.0, 60.0, np.nan]])
    dimension_of = np.array([0, 0, 1])
    dimensions, local = np.array([[0.6, 0.4]]), np.array([[0.5, 0.5, 1.0]])
    got = index_scores(scores, dimension_of, dimensions, local, "arithmetic")
    assert got[0].tolist() == [62.0, 56.0, 30.0]


def test_tied_ranks_share_the_better_rank():
    scores = np.array([[5.0, 7.0, 5.0, 1.0], [3.0, 3.0, 3.0, 9.0]])
    ranks, descending = ranked(scores)
    assert ranks.tolist() == [[2, 1, 2, 4], [2, 2, 2, 1]]
    assert descending.tolist() == [[7.0, 5.0, 5.0, 1.0], [9.0, 3.0, 3.0, 3.0]]
    assert ranks_of(scores.copy(), np.array([0, 3])).tolist() == [[2, 4], [2, 1]]


@pytest.mark.consistency  # two of the module's rankings agree; the hand-ranked case is the one above
@pytest.mark.parametrize("members", [[0], [3, 1, 2], list(range(40))])
def test_ranks_of_is_rankeds_ranks_of_the_members(members):
    """Ties everywhere (scores of few distinct values), members anywhere in the order, not only on top."""
    scores = np.random.default_rng(7).integers(0, 12, size=(50, 40)).astype(float)
    assert np.array_equal(ranks_of(scores, np.array(members)), ranked(scores)[0][:, members])
