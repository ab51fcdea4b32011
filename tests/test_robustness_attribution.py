"""What moved a unit (dagster_project/robustness/attribution.py), on two years of three units whose
contributions are computed by hand.

The toy hierarchy of tests/test_robustness.py: global weights x1 1/2, x2 1/6, x3 1/3, min-max scores.
Year 2022: every indicator 0, 5, 10 for units 1, 2, 3 (scores 0, 50, 100; indices 0, 50, 100).
Year 2023: unit 2's x1 rises to 7.5 (bounds unchanged), unit 3's x3 to 20 (the x3 maximum moves).
- unit 2: own 1/2 · (75 − 50) = 12.5; bounds on x3: 1/3 · (25 − 50) = −8.333…; index 50 → 54.1666…;
- unit 3: own on x3 1/3 · (200 − 100) = 33.33… (20 scored on 2022's bounds 0-10), bounds −33.33…;
  index stays 100.
"""

import numpy as np
import pandas as pd
import pytest

from dagster_project.robustness.attribution import _rank_among_others, attribution_frame
from tests.test_robustness import HIERARCHY

pytestmark = pytest.mark.independent  # contributions computed by hand in the docstring

VALUES = {
    2022: {1: (0, 0, 0), 2: (5, 5, 5), 3: (10, 10, 10)},
    2023: {1: (0, 0, 0), 2: (7.5, 5, 5), 3: (10, 10, 20)},
}


def frames() -> tuple[pd.DataFrame, ...]:
    rows = []
    for year, units in VALUES.items():
        maxima = [max(units[u][j] for u in units) for j in range(3)]
        for adcode, values in units.items():
            for j, value in enumerate(values):
                rows.append(
                    {
                        "data_year": year,
                        "universe": "toy",
                        "adcode": adcode,
                        "indicator": f"x{j + 1}",
                        "treated_value": float(value),
                        "normalized_value": 100 * value / maxima[j],
                    }
                )
    catalogue = pd.DataFrame({"indicator": ["x1", "x2", "x3"], "direction": [1, 1, 1]})
    lists = pd.DataFrame({"list": ["toy_list"], "universe": ["toy"], "index_id": ["toy"], "top_n": [2]})
    rankings = pd.DataFrame(
        {"list": "toy_list", "data_year": [2022, 2022, 2023, 2023], "adcode": [3, 2, 3, 2]}
    )
    return pd.DataFrame(rows), catalogue, lists, rankings


def test_the_index_change_splits_into_own_changes_and_the_bounds():
    values, catalogue, lists, rankings = frames()
    frame = attribution_frame(values, catalogue, {"toy": HIERARCHY}, lists, rankings, "minmax")
    frame = frame.set_index("adcode")
    assert sorted(frame.index) == [2, 3]  # unit 1 is on neither year's top 2
    assert frame.loc[2, "own_indicators_change"] == pytest.approx(12.5)
    assert frame.loc[2, "bounds_change"] == pytest.approx(-25 / 3)
    assert frame.loc[2, "index_change"] == pytest.approx(12.5 - 25 / 3)
    assert frame.loc[3, "own_indicators_change"] == pytest.approx(100 / 3)
    assert frame.loc[3, "bounds_change"] == pytest.approx(-100 / 3)
    assert frame.loc[2, "top_indicators"] == "x1 +12.50"
    assert frame.loc[3, "top_indicators"] == "x3 +33.33"
    assert set(frame["movement"]) == {"stayed"}
    # unit 2's own changes alone (62.5 among the others' 0 and 100) keep it second
    assert frame.loc[2, ["rank", "previous_rank", "rank_change_own", "rank_change_others"]].tolist() == [
        2,
        2,
        0,
        0,
    ]


def test_rank_normalisation_has_no_bounds_to_split():
    values, catalogue, lists, rankings = frames()
    with pytest.raises(ValueError, match="minmax or zscore"):
        attribution_frame(values, catalogue, {"toy": HIERARCHY}, lists, rankings, "rank")


def test_the_rank_own_changes_give_counts_the_other_units_ahead_ties_by_adcode():
    # a < b < c < d by adcode; year Y−1 scores 50, 70, 70 and none (d); own-change scores 70, 60, 80, 70.
    # a: b and c tie at 70 but have larger adcodes -> 1; b: only c ahead (its own 70 does not count) -> 2;
    # c: nobody -> 1; d: b and c tie at 70 with smaller adcodes -> 3.
    adcodes = np.array(["110101", "110102", "110103", "110104"])
    others = np.array([50, 70, 70, np.nan])
    scores = np.array([70, 60, 80, 70.0])
    assert _rank_among_others(others, scores, adcodes).tolist() == [1, 2, 1, 3]
