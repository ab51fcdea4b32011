"""Fisher-Jenks natural breaks: the exact optimal partition of sorted values into k contiguous classes.

Used for the tiers (梯队) of a top-100 list: classes that minimise the within-class sum of squared
deviations, found by dynamic programming (Fisher 1958), not by the iterative Jenks-Caspall heuristic.
"""

from __future__ import annotations

import numpy as np


def natural_breaks(values: list[float], classes: int) -> list[list[float]]:
    """The sorted values split into `classes` contiguous classes, lowest first."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if not 1 <= classes <= n:
        raise ValueError(f"cannot split {n} values into {classes} classes")
    prefix = np.concatenate([[0.0], np.cumsum(x)])
    prefix_sq = np.concatenate([[0.0], np.cumsum(x * x)])

    def cost(i: int, j: int) -> float:  # sum of squared deviations of x[i:j]
        total = prefix[j] - prefix[i]
        return float(prefix_sq[j] - prefix_sq[i] - total * total / (j - i))

    # best[c][j]: least cost of splitting x[:j] into c classes; start[c][j]: where the last class starts
    best = np.full((classes + 1, n + 1), np.inf)
    start = np.zeros((classes + 1, n + 1), dtype=int)
    best[0][0] = 0.0
    for c in range(1, classes + 1):
        for j in range(c, n + 1):
            for i in range(c - 1, j):
                candidate = best[c - 1][i] + cost(i, j)
                if candidate < best[c][j]:
                    best[c][j], start[c][j] = candidate, i
    bounds, j = [], n
    for c in range(classes, 0, -1):
        bounds.append((start[c][j], j))
        j = start[c][j]
    return [x[i:j].tolist() for i, j in reversed(bounds)]
