"""The Sobol estimators of the sensitivity analysis (dagster_project/robustness/sobol.py) on the Ishigami
function, whose indices are known in closed form (Ishigami & Homma 1990; Saltelli et al. 2010 use it)."""

import math

import numpy as np
import pytest

from dagster_project.robustness.sobol import saltelli_indices

pytestmark = pytest.mark.independent  # the analytic indices, written below from the closed form

A, B = 7.0, 0.1
TOLERANCE = 0.03  # at N = 2^16 base samples the estimators' standard errors are about 0.005-0.01


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def analytic() -> tuple[list[float], list[float]]:
    """V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2; V1 = (1 + bπ⁴/5)²/2; V2 = a²/8; V3 = 0; V13 = 8b²π⁸/225."""
    pi4, pi8 = math.pi**4, math.pi**8
    v = A**2 / 8 + B * pi4 / 5 + B**2 * pi8 / 18 + 0.5
    v1, v2, v13 = (1 + B * pi4 / 5) ** 2 / 2, A**2 / 8, 8 * B**2 * pi8 / 225
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


def test_the_estimators_find_the_ishigami_indices():
    rng = np.random.default_rng(1990)
    n = 2**16
    a, b = rng.uniform(-math.pi, math.pi, (2, n, 3))
    ab = []
    for i in range(3):
        mixed = a.copy()
        mixed[:, i] = b[:, i]
        ab.append(ishigami(mixed))
    indices = saltelli_indices(ishigami(a), ishigami(b), np.stack(ab))
    first, total = analytic()
    assert indices.first_order == pytest.approx(first, abs=TOLERANCE)
    assert indices.total_order == pytest.approx(total, abs=TOLERANCE)
    # the closed form: S = 0.3139, 0.4424, 0; S_T = 0.5576, 0.4424, 0.2437
    assert first[0] == pytest.approx(0.3139, abs=1e-4) and total[2] == pytest.approx(0.2437, abs=1e-4)


def test_an_output_that_never_varies_has_zero_indices():
    flat = np.ones(10)
    indices = saltelli_indices(flat, flat, np.ones((3, 10)))
    assert indices.variance == 0 and not indices.first_order.any() and not indices.total_order.any()


def test_a_function_of_one_factor_gives_it_everything():
    """f(x) = x₁: S₁ = S_T1 = 1 and 0 for the others, up to sampling noise."""
    rng = np.random.default_rng(7)
    a, b = rng.uniform(size=(2, 20000, 2))
    mixed = [np.column_stack([b[:, 0], a[:, 1]]), np.column_stack([a[:, 0], b[:, 1]])]
    indices = saltelli_indices(a[:, 0], b[:, 0], np.stack([m[:, 0] for m in mixed]))
    assert indices.first_order == pytest.approx([1, 0], abs=0.02)
    assert indices.total_order[1] == 0  # x₂ never changes the output: exactly
    assert indices.total_order[0] == pytest.approx(1, abs=0.02)
