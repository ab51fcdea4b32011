"""The missing-value choice of the uncertainty analysis (docs/methodology.md §9) on small panels with known
gaps, computed by hand: what a gap becomes under each choice, how switching median to reweight moves the
index, and that a panel without gaps gives the choice no part in the ranks.

The hierarchy is tests/test_robustness.py's: global weights x1 1/2, x2 1/6 (dimension a), x3 1/3 (b).
"""

import numpy as np
import pytest
from numpy.testing import assert_array_equal  # nan where nan is expected

from dagster_project.robustness import analysis
from dagster_project.robustness.analysis import Choices, Design, Settings, uncertainty, weight_bank
from dagster_project.robustness.inputs import Panel
from dagster_project.robustness.missing import filled, value_variants
from dagster_project.robustness.outliers import jrc_treated
from tests.test_robustness import HIERARCHY, SPREAD, toy_panel

pytestmark = pytest.mark.independent  # the answers below are computed by hand

NAN = np.nan
# units 320101, 320102, 320103 (江苏), 330101, 330102 (浙江); 320102 did not report x1, declared `median`
# with `reweight` as its alternative: the median of 江苏's others, (2 + 6) / 2 = 4. x2 is a `zero` count,
# x3 a `reweight` rate with `median` as its alternative; neither has a gap here.
REPORTED = [[2, 6, 10], [NAN, 10, 4], [6, 2, 7], [10, 3, 2], [8, 8, 9]]
OPTIONS = [("median", "reweight"), ("zero",), ("reweight", "median")]
# min-max scores with the median: x1 2, 4, 6, 10, 8 -> 0, 25, 50, 100, 75; x2 6, 10, 2, 3, 8 -> 50, 100, 0,
# 12.5, 75; x3 10, 4, 7, 2, 9 -> 100, 25, 62.5, 0, 87.5. Index = x1/2 + x2/6 + x3/3:
DECLARED_SCORES = [125 / 3, 37.5, 275 / 6, 625 / 12, 475 / 6]  # ranks 4, 5, 3, 2, 1
# x1 left out for 320102: dimension a is x2 alone (100), so 2/3 · 100 + 1/3 · 25 = 75; x1's min and max
# (2 and 10) are reported values, so no other unit's score moves. Ranks 5, 2, 4, 3, 1.
REWEIGHTED_SCORES = [125 / 3, 75, 275 / 6, 625 / 12, 475 / 6]
ONLY_MISSING = Choices(
    normalisations=("minmax",),
    outlier_rules=(True,),
    aggregations=("arithmetic",),
    missing_values=("declared", "reweight"),
    judgement_steps=0,
)


def gap_panel(raw_gap: float = 4.0) -> Panel:
    reported = np.array(REPORTED, dtype=float)
    raw = reported.copy()
    raw[1, 0] = raw_gap  # what the engine imputed
    return Panel(
        data_year=2023,
        list_id="toy_list",
        top_n=2,
        hierarchy=HIERARCHY,
        adcodes=np.array(["320101", "320102", "320103", "330101", "330102"]),
        indicators=["x1", "x2", "x3"],
        treated=raw,  # five mild values per indicator: the outlier rule leaves them
        raw=raw,
        reported=reported,
        missing_options=OPTIONS,
        outlier_rule=np.ones(3, dtype=bool),
        direction=np.ones(3),
        dimension_of=np.array([0, 0, 1]),
        local_column=np.array([0, 1, 2]),
        central_rank=np.array([4, 5, 3, 2, 1]),
        central_score=np.array(DECLARED_SCORES),
    )


def test_switching_median_to_reweight_moves_the_index_as_by_hand():
    """Two evaluations with the central weights, minmax, the outlier rule and arithmetic means: the first
    with the declared treatments, the second with every gap left out that may be."""
    panel = gap_panel()
    settings = Settings(draws=2, seed=0, choices=ONLY_MISSING)
    design = Design(
        weights=np.array([0, 1]),
        normalisation=np.array([0, 0]),
        outlier_rule=np.array([0, 0]),
        aggregation=np.array([0, 0]),
        missing_values=np.array([0, 1]),
    )
    scored = analysis.scored_variants(panel, ONLY_MISSING)
    scores = analysis.evaluate(panel, weight_bank(panel, settings, 1), design, ONLY_MISSING, scored)
    np.testing.assert_allclose(scores[0], DECLARED_SCORES, atol=1e-9)
    np.testing.assert_allclose(scores[1], REWEIGHTED_SCORES, atol=1e-9)


def test_the_missing_choice_alone_moves_only_the_unit_with_a_gap_and_those_it_passes():
    """Only the missing-value choice varies: 320102 ranks 5 (median) or 2 (left out), 330101 and 320103
    step down one place when it passes them, 330102 stays first; the choice explains all the variance."""
    panel = gap_panel()
    settings = Settings(draws=400, seed=7, choices=ONLY_MISSING)
    frame = uncertainty(panel, settings, weight_bank(panel, settings, 1)).set_index("adcode")
    bands = frame[["rank_p05", "rank_p95"]].astype(int).apply(tuple, axis=1).to_dict()
    assert bands == {
        "320101": (4, 5),
        "320102": (2, 5),
        "320103": (3, 4),
        "330101": (2, 3),
        "330102": (1, 1),
    }
    share = frame.loc["320102", "top_probability"]  # in the top 2 exactly when left out: about half the draws
    assert 0.4 < share < 0.6
    sensitivity = analysis.sensitivity(panel, settings, weight_bank(panel, settings, 2)).set_index("factor")
    assert sensitivity.loc["missing_values", "total_order"] == pytest.approx(1, abs=0.15)
    assert sensitivity.drop(index="missing_values")["total_order"].eq(0).all()


def test_without_gaps_the_missing_choice_has_no_part_in_the_ranks():
    """A panel whose units reported every value: every choice gives the same values, so the choice alone
    gives zero-width intervals, and beside the others it has zero first- and total-order indices."""
    panel = toy_panel(SPREAD[:2] + SPREAD[3:], top_n=3)  # no twins: no shared ranks
    alone = Settings(draws=100, seed=3, choices=ONLY_MISSING)
    frame = uncertainty(panel, alone, weight_bank(panel, alone, 1))
    assert (frame["rank_p05"] == frame["central_rank"]).all()
    assert (frame["rank_p95"] == frame["central_rank"]).all()
    together = Settings(draws=200, seed=3)
    sensitivity = analysis.sensitivity(panel, together, weight_bank(panel, together, 2)).set_index("factor")
    assert sensitivity["output_variance"].iloc[0] > 0  # the other choices do move these ranks
    assert sensitivity.loc["missing_values", ["first_order", "total_order"]].tolist() == [0, 0]


def test_a_gap_becomes_what_the_choice_and_its_indicator_allow():
    """x1 (median, or reweight): 320102's gap is 江苏's median 4 under declared and median, left out under
    reweight. 330101 lacks x2 (zero only): 0 under every choice. Both units of 浙江 lack x3 (reweight, or
    median): left out, except under median, where 浙江 reports none and the universe's median of 10, 4, 7
    is taken: 7."""
    reported = np.array(REPORTED, dtype=float)
    reported[3, 1:] = NAN
    reported[4, 2] = NAN
    panel = gap_panel()
    panel = Panel(**{**panel.__dict__, "reported": reported})
    for choice in ("declared", "median", "reweight"):
        assert filled(panel, choice)[3, 1] == 0
    assert_array_equal(filled(panel, "declared")[:, 0], [2, 4, 6, 10, 8])
    assert_array_equal(filled(panel, "median")[:, 0], [2, 4, 6, 10, 8])
    assert_array_equal(filled(panel, "reweight")[:, 0], [2, NAN, 6, 10, 8])
    assert_array_equal(filled(panel, "declared")[:, 2], [10, 4, 7, NAN, NAN])
    assert_array_equal(filled(panel, "median")[:, 2], [10, 4, 7, 7, 7])
    assert_array_equal(filled(panel, "reweight")[:, 2], [10, 4, 7, NAN, NAN])


def test_the_outlier_rule_by_hand():
    """The cases of the engine's dbt unit tests (int_indicators__treatments): 1..9 and 100 fail (g 3.12, k
    9.80) and pass winsorised 1 point, 100 -> 9; the mirror, −90 and 1..9, −90 -> 1; 1..4, three values and
    a constant series are left; 63 ones and 7 tens, which no winsorising of 5 points mends, are logged,
    ln(1 + x − 1). A column the indicator system exempts, or a left-out value, is left."""
    skewed = np.array([*range(1, 10), 100, NAN], dtype=float)
    columns = np.full((11, 5), NAN)
    columns[:, 0] = skewed
    columns[:10, 1] = [-90, *range(1, 10)]
    columns[:4, 2] = [1, 2, 3, 4]
    columns[:3, 3] = [1, 2, 1000]
    columns[:, 4] = skewed
    treated = jrc_treated(columns, np.array([True, True, True, True, False]))
    assert_array_equal(treated[:, 0], [*range(1, 10), 9, NAN])
    assert_array_equal(treated[:10, 1], [1, *range(1, 10)])
    assert_array_equal(treated[:, 2:], columns[:, 2:])
    assert_array_equal(jrc_treated(np.full((4, 1), 5.0), np.array([True]))[:, 0], [5, 5, 5, 5])
    two_levels = np.array([[10.0]] * 7 + [[1.0]] * 63)
    assert_array_equal(jrc_treated(two_levels, np.array([True]))[:, 0], [np.log(10)] * 7 + [0] * 63)


def test_a_rule_that_does_not_reproduce_the_engine_stops_the_analysis():
    """The engine imputed 5 for 320102's x1 where the median rule here gives 4: the analysis refuses,
    naming the indicator."""
    with pytest.raises(ValueError, match=r"toy_list 2023: x1: .* do not reproduce the engine's raw values"):
        value_variants(gap_panel(raw_gap=5.0), ("declared", "reweight"))


def test_an_unknown_missing_value_choice_is_refused():
    with pytest.raises(ValueError, match=r"unknown missing-value choice 'mean'; one of \('declared'"):
        filled(gap_panel(), "mean")
