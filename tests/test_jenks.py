"""Fisher-Jenks natural breaks (dagster_project/lib/jenks.py) and the tiers model that uses them
(dbt/models/intermediate/engine/int_rankings__tiers.py), on values small enough to check by hand: tied
scores at a class boundary, and tier counts other than the default 4.

Within-class sum of squared deviations is written SSD; {a, b} | {c} is a split into classes.
"""

import importlib.util

import pandas as pd
import pytest

from dagster_project.lib.jenks import natural_breaks
from dagster_project.resources import DBT_PROJECT_DIR

pytestmark = pytest.mark.independent  # the splits computed by hand in the docstrings

TIERS_MODEL = DBT_PROJECT_DIR / "models" / "intermediate" / "engine" / "int_rankings__tiers.py"


def test_tied_values_at_a_class_boundary_stay_in_one_class():
    """[1, 2, 4, 4, 7], the two 4s between the low pair and 7. By hand, into 2 classes:
    {1} | {2, 4, 4, 7}: 0 + 12.75; {1, 2} | {4, 4, 7}: 0.5 + 6 = 6.5; {1, 2, 4} | {4, 7}: 42/9 + 4.5 = 9.17
    (the tie split); {1, 2, 4, 4} | {7}: 6.75 + 0. The least is 6.5: both 4s open the upper class.
    Into 3: {1, 2} | {4, 4} | {7}: 0.5, against 6, 6.5, 2.67, 5 and 4.67 (the tie split, {1, 2, 4} | {4} |
    {7}) for the other five splits."""
    assert natural_breaks([4, 1, 7, 4, 2], 2) == [[1, 2], [4, 4, 7]]
    assert natural_breaks([4, 1, 7, 4, 2], 3) == [[1, 2], [4, 4], [7]]


def test_a_tie_at_the_top_of_a_class_stays_below():
    """[0, 3, 3, 10]: into 2, {0, 3, 3} | {10}: 6 beats {0} | {3, 3, 10}: 32.67 and {0, 3} | {3, 10}: 4.5 +
    24.5 = 29 (the tie split); the tied 3s close the lower class together."""
    assert natural_breaks([3, 10, 0, 3], 2) == [[0, 3, 3], [10]]


class FakeDbt:
    """What the tiers model asks of dbt: its config (tier_count, a string as dbt renders the var) and the
    top-100 lists as a relation with .df()."""

    def __init__(self, top: pd.DataFrame, tier_count: int) -> None:
        self._top, self._tier_count = top, tier_count
        self.config = self.Config(str(tier_count))

    class Config:
        def __init__(self, tier_count: str) -> None:
            self._values = {"tier_count": tier_count}

        def __call__(self, **_: object) -> None:
            pass

        def get(self, key: str) -> object:
            return self._values.get(key)

    def ref(self, name: str) -> "FakeDbt":
        assert name == "int_rankings__top100"
        return self

    def df(self) -> pd.DataFrame:
        return self._top.copy()


def tiers_of(scores: dict[str, float], tier_count: int, data_year: int = 2023) -> dict[str, int]:
    """Each adcode's tier from the dbt Python model, run on one list of the given scores."""
    spec = importlib.util.spec_from_file_location("int_rankings__tiers", TIERS_MODEL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    top = pd.DataFrame(
        {
            "data_year": data_year,
            "list": "industrial_county",
            "adcode": list(scores),
            "index_score": list(scores.values()),
        }
    )
    # ranks as methodology §6 states them: score descending, then adcode ascending
    order = sorted(scores, key=lambda adcode: (-scores[adcode], adcode))
    top["rank"] = top["adcode"].map({adcode: rank for rank, adcode in enumerate(order, start=1)})
    result = module.model(FakeDbt(top, tier_count), session=None)
    assert list(result.columns) == ["data_year", "list", "adcode", "tier"]
    assert result["adcode"].is_unique, "each unit in exactly one tier"
    assert (result["data_year"] == data_year).all() and (result["list"] == "industrial_county").all()
    return dict(zip(result["adcode"], result["tier"], strict=True))


def test_tied_scores_at_a_tier_boundary_share_their_tier():
    """The scores of the first test, two units tied at 4 (ranked apart by adcode: 320582 before 330282).
    With 2 tiers both are in tier 1 with 7, the highest class; with 3 both make tier 2 alone."""
    scores = {"320581": 7.0, "330282": 4.0, "320582": 4.0, "350582": 2.0, "330481": 1.0}
    assert tiers_of(scores, 2) == {"320581": 1, "320582": 1, "330282": 1, "350582": 2, "330481": 2}
    assert tiers_of(scores, 3) == {"320581": 1, "320582": 2, "330282": 2, "350582": 3, "330481": 3}


@pytest.mark.parametrize(
    ("tier_count", "expected"),
    [
        # {100} | {50, 52} | {1, 2.5, 3}: SSD 0 + 2 + 2.17; any other split puts 3 and 50, or 52 and 100,
        # in one class (SSD over 1,000)
        (3, {"a": 1, "b": 2, "c": 2, "d": 3, "e": 3, "f": 3}),
        # 6 values into 5 classes: one adjacent pair shares a class; {2.5, 3} costs 0.125, against 1.125
        # for {1, 2.5} and 2 for {50, 52}
        (5, {"a": 1, "b": 2, "c": 3, "d": 4, "e": 4, "f": 5}),
    ],
)
def test_the_tier_count_of_the_model_config_is_the_number_of_tiers(tier_count, expected):
    scores = {"a": 100.0, "b": 52.0, "c": 50.0, "d": 3.0, "e": 2.5, "f": 1.0}
    assert tiers_of(scores, tier_count) == expected


def test_fewer_distinct_scores_than_tiers_still_give_each_unit_one_tier():
    """Three tied units and one other, in 3 tiers: the breaks must split the tie; the units keep one tier
    each, in rank order (the tie broken by adcode, §6). By hand: classes [1], [5], [5, 5] lowest first,
    so tier 1 holds two of the tied units (the lower adcodes), tier 2 the third, tier 3 the 1."""
    scores = {"330282": 5.0, "320581": 5.0, "320582": 5.0, "350582": 1.0}
    assert tiers_of(scores, 3) == {"320581": 1, "320582": 1, "330282": 2, "350582": 3}


def test_a_list_shorter_than_the_tier_count_gets_one_tier_per_unit():
    assert tiers_of({"320581": 9.0, "320582": 4.0}, 4) == {"320581": 1, "320582": 2}
