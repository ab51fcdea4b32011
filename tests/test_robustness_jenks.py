"""The natural breaks of many draws at once (dagster_project/robustness/jenks_batch.py) against the engine's
own one-list implementation (dagster_project/lib/jenks.py): the same classes, ties included."""

import numpy as np
import pytest

from dagster_project.lib.jenks import natural_breaks
from dagster_project.robustness.jenks_batch import class_sizes

pytestmark = pytest.mark.consistency  # two implementations of the project agree


def engine_sizes(values: np.ndarray, classes: int) -> list[int]:
    return [len(group) for group in natural_breaks(values.tolist(), classes)]


@pytest.mark.parametrize("classes", [1, 2, 4, 6])
def test_the_batch_gives_the_engines_classes(classes):
    rng = np.random.default_rng(classes)
    draws = np.sort(
        np.concatenate(
            [rng.lognormal(3, 1, (40, 30)), rng.integers(0, 5, (40, 30)).astype(float)]  # the second: ties
        ),
        axis=1,
    )
    sizes = class_sizes(draws, classes)
    assert sizes.tolist() == [engine_sizes(row, classes) for row in draws]


def test_too_many_classes_are_refused():
    with pytest.raises(ValueError, match="cannot split 3 values into 4 classes"):
        class_sizes(np.zeros((2, 3)), 4)
