"""The method's alternatives, applied to a units × indicators matrix at once.

The central method is the engine's (dbt SQL, docs/methodology.md §3-6); these are its alternatives for
the uncertainty analysis, and the central configuration is checked against the engine's own scores
(analysis.py) so that this code cannot drift from it unseen.
"""

from __future__ import annotations

import numpy as np

NORMALISATIONS = ("minmax", "zscore", "rank")
AGGREGATIONS = ("arithmetic", "geometric")
TIE_DECIMALS = 9  # index scores equal to 9 decimals are ties


def normalise(values: np.ndarray, direction: np.ndarray, method: str) -> np.ndarray:
    """Scores per column (indicator); a column without spread scores 0 (§4); a value left out for a missing
    input (nan) stays nan, for index_scores to re-weight its dimension (§2a)."""
    present = ~np.isnan(values)
    oriented = values * direction
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "minmax":
            low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
            span = high - low
            top = np.where(direction > 0, values - low, high - values)
            scores = 100 * top / span
            scores[:, ~(span > 0)] = 0.0
        elif method == "zscore":
            mean = np.nanmean(values, axis=0)
            sd = np.nanstd(values, axis=0, ddof=1)
            scores = direction * (values - mean) / sd
            scores[:, ~(sd > 0)] = 0.0
        elif method == "rank":
            scores = 100 * (_average_ranks(oriented) - 1) / (present.sum(axis=0) - 1)
            spread = np.nanmax(values, axis=0) > np.nanmin(values, axis=0)
            scores[:, ~spread] = 0.0
        else:
            raise ValueError(f"unknown normalisation {method!r}; one of {NORMALISATIONS}")
    return np.where(present, scores, np.nan)


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ascending ranks 1..n per column among the present values, ties sharing their average rank."""
    ranks = np.full(values.shape, np.nan)
    for column in range(values.shape[1]):
        present = np.flatnonzero(~np.isnan(values[:, column]))
        x = values[present, column]
        order = np.argsort(x, kind="stable")
        sorted_x = x[order]
        starts = np.flatnonzero(np.r_[True, sorted_x[1:] != sorted_x[:-1]])
        ends = np.r_[starts[1:], len(x)]
        average = (starts + ends + 1) / 2  # mean of the 1-based positions start+1 .. end
        ranks[present[order], column] = np.repeat(average, ends - starts)
    return ranks


def index_scores(
    scores: np.ndarray,
    dimension_of: np.ndarray,
    dimension_weights: np.ndarray,
    local_weights: np.ndarray,
    aggregation: str,
) -> np.ndarray:
    """Index scores, draws × units, for draws that share one normalised matrix `scores` (units × indicators).

    dimension_weights: draws × dimensions; local_weights: draws × indicators (the matrix's columns).
    Products by numpy's own einsum loops, not BLAS: one thread (a BLAS library's threads spin against the
    pipeline's other work and double its CPU time) and no blocking that depends on the library. The result
    is rounded to TIE_DECIMALS, so that two units with equal inputs get equal scores whatever the last bits.
    """
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {aggregation!r}; one of {AGGREGATIONS}")
    present = ~np.isnan(scores)
    total = np.zeros((dimension_weights.shape[0], scores.shape[0]))
    for dimension in np.unique(dimension_of):
        columns = np.flatnonzero(dimension_of == dimension)
        weights, here = local_weights[:, columns], present[:, columns]
        # per draw and unit, the weight of the indicators present: a left-out indicator's weight goes to the
        # others of its dimension, and a dimension with none present scores 0 (§2a). With none left out it
        # is each draw's sum, alike for every unit: one column, the same sums bit for bit.
        shares = _products(weights, np.ones((1, len(columns))) if here.all() else here.astype(float))
        with np.errstate(invalid="ignore", divide="ignore"):
            if aggregation == "arithmetic":
                value = _products(weights, np.where(here, scores[:, columns], 0.0))
                value /= shares
            else:
                # a weighted geometric mean needs positive values: each score is shifted so that its
                # lowest value is 1
                shifted = scores[:, columns] - np.nanmin(scores[:, columns], axis=0) + 1
                value = _products(weights, np.where(here, np.log(shifted), 0.0))
                value /= shares
                np.exp(value, out=value)
        if not (shares > 0).all():
            value = np.where(shares > 0, value, 0.0)
        value *= dimension_weights[:, dimension, None]
        total += value
    return np.round(total, TIE_DECIMALS)


def _products(weights: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """weights (draws × indicators) times scores (units × indicators) transposed: draws × units."""
    return np.einsum("di,ui->du", weights, scores, optimize=False)


def ranked(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ranks per row (draw), highest score first; equal scores share the best of their ranks (1 + how
    many score strictly higher), so that two units with equal scores are never told apart by their codes
    (and the order in which the sort leaves equal scores does not matter). With them, each draw's scores
    sorted highest first (the tiers are found on its top)."""
    order = np.argsort(-scores, axis=1)
    descending = np.take_along_axis(scores, order, axis=1)
    # each sorted place is the place of the first score equal to it: a new score starts a run of equals
    starts = np.ones(scores.shape, dtype=bool)
    np.not_equal(descending[:, 1:], descending[:, :-1], out=starts[:, 1:])
    places = np.where(starts, np.arange(1, scores.shape[1] + 1), 0)
    np.maximum.accumulate(places, axis=1, out=places)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, places, axis=1)
    return ranks, descending


def ranks_of(scores: np.ndarray, members: np.ndarray) -> np.ndarray:
    """ranked(scores)[0][:, members]: per draw, 1 + how many units score strictly higher than each member.
    The sensitivity analysis follows only the central top N, so only the scores at or above a draw's
    lowest member's are sorted, not the whole row (35 times faster at ten times the units)."""
    chosen = scores[:, members]
    lowest = chosen.min(axis=1, initial=np.inf)
    ranks = np.empty(chosen.shape, dtype=np.intp)
    for draw, row in enumerate(scores):
        above = np.sort(row[row >= lowest[draw]])
        ranks[draw] = len(above) + 1 - np.searchsorted(above, chosen[draw], side="right")
    return ranks
