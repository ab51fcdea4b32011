"""The coherence audit (dagster_project/robustness/coherence.py) on panels whose correlations and alphas are
known by hand: x1 and x2 in one dimension, x3 alone in the other (tests/test_robustness.py's toy)."""

import numpy as np
import pytest

from dagster_project.robustness.coherence import coherence, cronbach_alpha
from tests.test_robustness import toy_panel

pytestmark = pytest.mark.independent  # correlations and alphas reasoned by hand


def text(value):
    """pandas holds a missing string as NaN."""
    return value if isinstance(value, str) else None


def measures(values):
    frame = coherence(toy_panel(values), "minmax")
    return {
        (r.measure, r.element, text(r.other_element)): (r.value, text(r.flag)) for r in frame.itertuples()
    }


def test_a_pair_that_moves_together_is_collinear_and_its_dimension_fully_consistent():
    """x2 = 2·x1: r = 1 (> 0.9: collinear); identical min-max items give α = 2 · (1 − 2v / 4v) = 1."""
    found = measures([[1, 2, 4], [2, 4, 3], [3, 6, 2], [4, 8, 1]])
    assert found[("indicator_correlation", "x1", "x2")] == (pytest.approx(1.0), "collinear")
    assert found[("cronbach_alpha", "a", None)][0] == pytest.approx(1.0)
    # x1 and x3 are opposed (r = −1) but in different dimensions: no flag
    assert found[("indicator_correlation", "x1", "x3")] == (pytest.approx(-1.0), None)


def test_a_negative_pair_within_a_dimension_is_flagged():
    found = measures([[1, 8, 4], [2, 6, 3], [3, 4, 2], [4, 2, 1]])
    assert found[("indicator_correlation", "x1", "x2")] == (pytest.approx(-1.0), "negative_within_dimension")


def test_the_variance_shares_sum_to_one_beside_the_nominal_weights():
    frame = coherence(toy_panel([[1, 9, 4], [5, 2, 8], [3, 7, 1], [9, 1, 5]]), "minmax")
    shares = frame[frame["measure"] == "variance_share"]
    assert shares["value"].sum() == pytest.approx(1.0)
    assert shares["nominal_weight"].tolist() == pytest.approx([2 / 3, 1 / 3])


def test_cronbach_alpha_by_hand():
    """Items (1, 2, 3) and (1, 3, 2): variances 1 and 1, the sum (2, 5, 5) has variance 3;
    α = 2 · (1 − 2/3) = 2/3. One item: none."""
    assert cronbach_alpha(np.array([[1, 1], [2, 3], [3, 2]], dtype=float)) == pytest.approx(2 / 3)
    assert cronbach_alpha(np.array([[1.0], [2.0]])) is None
