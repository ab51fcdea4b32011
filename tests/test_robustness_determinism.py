"""Same seed, same bytes: the uncertainty and sensitivity analyses run twice on one panel give identical
frames, and another seed gives other draws; on a panel with gaps too, whose missing-value choice moves
ranks."""

import numpy as np
import pytest

from dagster_project.robustness.analysis import Settings, sensitivity, uncertainty, weight_bank
from tests.test_robustness import SPREAD, toy_panel
from tests.test_robustness_missing import gap_panel

pytestmark = pytest.mark.consistency  # the analysis agrees with itself


def as_bytes(frame) -> bytes:
    return frame.to_csv(index=False, float_format="%.17g").encode()


def analyse(seed: int, gaps: bool = False) -> tuple[bytes, bytes]:
    panel, settings = gap_panel() if gaps else toy_panel(SPREAD, top_n=3), Settings(draws=200, seed=seed)
    return (
        as_bytes(uncertainty(panel, settings, weight_bank(panel, settings, 1))),
        as_bytes(sensitivity(panel, settings, weight_bank(panel, settings, 2))),
    )


@pytest.mark.parametrize("gaps", [False, True])
def test_same_seed_same_bytes(gaps):
    assert analyse(11, gaps) == analyse(11, gaps)


@pytest.mark.parametrize("gaps", [False, True])
def test_another_seed_other_draws(gaps):
    assert analyse(11, gaps) != analyse(12, gaps)


def test_the_weight_draws_are_reproducible():
    panel, settings = toy_panel(SPREAD), Settings(draws=100, seed=4)
    first, second = weight_bank(panel, settings, 2), weight_bank(panel, settings, 2)
    assert np.array_equal(first.dimensions, second.dimensions) and np.array_equal(first.local, second.local)
