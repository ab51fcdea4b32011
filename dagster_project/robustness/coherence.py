"""The index's statistical coherence, as the JRC audits a composite indicator (OECD/JRC Handbook 2008,
§1.5 and step 4): how its indicators correlate with each other, with their dimension and with the index;
Cronbach's alpha per dimension; and the share of the index's variance each dimension carries, beside its
nominal weight. All on the engine's central normalised scores and weights (docs/methodology.md §11)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dagster_project.robustness.hierarchy import central_weights
from dagster_project.robustness.inputs import Panel
from dagster_project.robustness.methods import normalise

COLLINEAR = 0.9  # a pair above this measures the same thing twice


def _correlation(x: np.ndarray, y: np.ndarray) -> float | None:
    """Pearson's r; none where either series has no variance."""
    if np.std(x) == 0 or np.std(y) == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def cronbach_alpha(items: np.ndarray) -> float | None:
    """α = k / (k − 1) · (1 − Σ var(item) / var(Σ items)), units × items; none below two items."""
    k = items.shape[1]
    total = np.var(items.sum(axis=1), ddof=1)
    if k < 2 or total == 0:
        return None
    return float(k / (k - 1) * (1 - np.var(items, axis=0, ddof=1).sum() / total))


def coherence(panel: Panel, normalisation: str) -> pd.DataFrame:
    # a value left out for a missing input counts 0 here (correlations need whole columns); the index
    # itself re-weights its dimension (§2a)
    scores = np.nan_to_num(normalise(panel.treated, panel.direction, normalisation), nan=0.0)
    weights = central_weights(panel.hierarchy)
    local = weights.local[0, panel.local_column]
    dimension_weight = weights.dimensions[0]
    names = panel.hierarchy.dimensions.elements
    dimensions = {
        d: scores[:, panel.dimension_of == d] @ local[panel.dimension_of == d]
        for d in np.unique(panel.dimension_of)
    }
    index = sum(dimension_weight[d] * score for d, score in dimensions.items())
    rows = []

    def row(measure, value, dimension=None, element=None, other=None, nominal=None, flag=None):
        rows.append(
            {
                "measure": measure,
                "dimension": dimension,
                "element": element,
                "other_element": other,
                "value": value,
                "nominal_weight": nominal,
                "flag": flag,
            }
        )

    columns = list(enumerate(panel.indicators))
    for a, first in columns:
        for b, second in columns[a + 1 :]:
            r = _correlation(scores[:, a], scores[:, b])
            same = panel.dimension_of[a] == panel.dimension_of[b]
            flag = "collinear" if r is not None and r > COLLINEAR else None
            if same and r is not None and r < 0:
                flag = "negative_within_dimension"
            row(
                "indicator_correlation",
                r,
                names[panel.dimension_of[a]] if same else None,
                first,
                second,
                flag=flag,
            )
    for column, name in columns:
        d = panel.dimension_of[column]
        row(
            "indicator_dimension_correlation",
            _correlation(scores[:, column], dimensions[d]),
            names[d],
            name,
            names[d],
        )
        row(
            "indicator_index_correlation",
            _correlation(scores[:, column], index),
            names[d],
            name,
            panel.hierarchy.index_id,
        )
    variance = np.var(index)
    for d, score in dimensions.items():
        row(
            "dimension_index_correlation",
            _correlation(score, index),
            names[d],
            names[d],
            panel.hierarchy.index_id,
        )
        row("cronbach_alpha", cronbach_alpha(scores[:, panel.dimension_of == d]), names[d], names[d])
        share = (
            float(np.cov(dimension_weight[d] * score, index, ddof=0)[0, 1] / variance) if variance else None
        )
        row("variance_share", share, names[d], names[d], nominal=float(dimension_weight[d]))
    frame = pd.DataFrame(rows)
    frame.insert(0, "list", panel.list_id)
    frame.insert(0, "data_year", panel.data_year)
    return frame


def coherence_frame(panels, normalisation: str) -> pd.DataFrame:
    return pd.concat([coherence(panel, normalisation) for panel in panels], ignore_index=True)
