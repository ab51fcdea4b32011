"""Variance-based sensitivity indices from a Saltelli design (Saltelli et al. 2010).

For k factors and base samples A and B (N rows each), A_B^i is A with factor i taken from B. With
f_A = f(A), f_B = f(B), f_i = f(A_B^i) and V the variance of f_A and f_B together:

- first order S_i = mean(f_B · (f_i − f_A)) / V (Saltelli et al. 2010, table 2, (b));
- total order S_Ti = mean((f_A − f_i)²) / (2V) (Jansen 1999; ibid., (f)).

SALib implements the same estimators; it is not a dependency, the dozen lines below are the whole method.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Indices:
    first_order: np.ndarray  # one per factor
    total_order: np.ndarray
    variance: float


def saltelli_indices(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> Indices:
    """f_a, f_b: N outputs; f_ab: k × N outputs of A_B^i. Zero variance gives zero indices."""
    variance = float(np.var(np.concatenate([f_a, f_b])))
    if variance == 0:
        zeros = np.zeros(f_ab.shape[0])
        return Indices(zeros, zeros.copy(), 0.0)
    first = np.mean(f_b[None, :] * (f_ab - f_a[None, :]), axis=1) / variance
    total = np.mean((f_a[None, :] - f_ab) ** 2, axis=1) / (2 * variance)
    return Indices(first, total, variance)
