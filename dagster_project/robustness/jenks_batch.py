"""Fisher-Jenks natural breaks for many draws at once: the dynamic programme of
dagster_project/lib/jenks.py run over a draws axis (one call per draw would take minutes for 1,000 draws).

The same costs, in the same floating-point operations, and the same rule where two partitions cost the
same (the earliest start of the last class, i.e. the larger top tier); tests/test_robustness_jenks.py
compares the two on random and tied inputs.
"""

from __future__ import annotations

import numpy as np


def class_sizes(ascending: np.ndarray, classes: int) -> np.ndarray:
    """Sizes of the optimal classes, lowest class first: draws × classes, for draws × n sorted values."""
    draws, n = ascending.shape
    if not 1 <= classes <= n:
        raise ValueError(f"cannot split {n} values into {classes} classes")
    zero = np.zeros((draws, 1))
    prefix = np.concatenate([zero, np.cumsum(ascending, axis=1)], axis=1)
    prefix_sq = np.concatenate([zero, np.cumsum(ascending * ascending, axis=1)], axis=1)
    best = np.full((classes + 1, draws, n + 1), np.inf)
    start = np.zeros((classes + 1, draws, n + 1), dtype=int)
    best[0, :, 0] = 0.0
    # one class: x[:j] whole (start 0), for every j at once
    ends = np.arange(1, n + 1)
    best[1, :, 1:] = prefix_sq[:, 1:] - prefix[:, 1:] * prefix[:, 1:] / ends
    for c in range(2, classes + 1):
        # the last class is needed for all n values only; the others for every prefix x[:j]
        for j in range(c, n + 1) if c < classes else (n,):
            i = np.arange(c - 1, j)
            total = prefix[:, j, None] - prefix[:, i]
            cost = prefix_sq[:, j, None] - prefix_sq[:, i] - total * total / (j - i)
            candidate = best[c - 1][:, i] + cost
            chosen = np.argmin(candidate, axis=1)  # the first of equal minima, as the scalar loop keeps
            best[c, :, j] = candidate[np.arange(draws), chosen]
            start[c, :, j] = i[chosen]
    sizes = np.zeros((draws, classes), dtype=int)
    j = np.full(draws, n)
    rows = np.arange(draws)
    for c in range(classes, 0, -1):
        i = start[c, rows, j]
        sizes[:, c - 1] = j - i
        j = i
    return sizes
