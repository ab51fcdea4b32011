"""The JRC outlier rule (docs/methodology.md §3) on a units × indicators matrix, for the values that a
missing-value choice other than the engine's gives (missing.py): an imputed value takes part in the rule
like any other, so another treatment of the gaps may decide the rule differently.

The engine decides it in SQL (int_indicators__treatments); missing.py requires this code to give the
engine's treated values on the engine's own values, so the two cannot drift apart unseen.
"""

from __future__ import annotations

import numpy as np

MIN_VALUES = 4  # fewer values are left as they are
MAX_POINTS = 5  # winsorised at most this many points, then logged
SKEWNESS, KURTOSIS = 2.0, 3.5  # a series fails when |skewness| > 2 and excess kurtosis > 3.5


def _fails(x: np.ndarray) -> bool:
    """§3's bias-corrected skewness and excess kurtosis (DuckDB's); a series without variance has neither
    and, as in the engine's SQL, does not pass."""
    n = len(x)
    d = x - x.mean()
    d2 = d * d
    m2, m3, m4 = np.mean(d2), np.mean(d2 * d), np.mean(d2 * d2)
    if not m2 > 0:
        return True
    g = np.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5
    k = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * m4 / m2**2 - 3 * (n - 1))
    return bool(abs(g) > SKEWNESS and k > KURTOSIS)


def _skewness_sign(x: np.ndarray) -> float:
    d = x - x.mean()
    return float(np.sign(np.mean(d * d * d)))


def _treated(x: np.ndarray) -> np.ndarray:
    """One indicator's present values, treated."""
    if len(x) < MIN_VALUES or x.max() == x.min() or not _fails(x):
        return x
    upper = _skewness_sign(x) > 0
    ordered = np.sort(x)
    for points in range(1, min(MAX_POINTS, len(x) - 1) + 1):
        winsorised = np.minimum(x, ordered[-(points + 1)]) if upper else np.maximum(x, ordered[points])
        if not _fails(winsorised):
            return winsorised
    return np.log(1 + x - x.min()) if upper else -np.log(1 + x.max() - x)


def jrc_treated(values: np.ndarray, applies: np.ndarray) -> np.ndarray:
    """Each column's present values through the rule where `applies` (the indicator system's `outlier:
    jrc`), as they are elsewhere; nan (left out) stays nan."""
    treated = values.copy()
    for column in np.flatnonzero(applies):
        present = ~np.isnan(values[:, column])
        treated[present, column] = _treated(values[present, column])
    return treated
