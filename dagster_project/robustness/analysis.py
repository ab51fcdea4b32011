"""The Monte Carlo over the method's choices (uncertainty) and the Saltelli design on the same choices
(sensitivity), per list and data year (docs/methodology.md §9-10).

Five factors vary together: the AHP judgements (each moved up to `judgement_steps` steps of Saaty's scale,
kept if CR ≤ 0.10), the normalisation, the outlier rule (on or off), the aggregation within dimensions and
the treatment of missing values (missing.py).
Draw d of the design is the same for every list of an index and every data year, so that the lists
compare; the draws come from numpy's PCG64 seeded by (seed, half, index): same seed, same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from dagster_project.robustness.hierarchy import WeightDraws, central_weights, weight_draws
from dagster_project.robustness.inputs import Panel
from dagster_project.robustness.jenks_batch import class_sizes
from dagster_project.robustness.methods import (
    AGGREGATIONS,
    NORMALISATIONS,
    index_scores,
    normalise,
    ranked,
    ranks_of,
)
from dagster_project.robustness.missing import MISSING_CHOICES, value_variants
from dagster_project.robustness.sobol import saltelli_indices

FACTORS = ("weights", "normalisation", "outlier_rule", "aggregation", "missing_values")
CENTRAL_TOLERANCE = 1e-9
DRAWS_PER_BLOCK = 1000  # evaluations held in memory at once (units × block scores)
JENKS_BLOCK = 1000  # draws whose natural breaks are found at once


@dataclass(frozen=True)
class Choices:
    """The range of each choice; a range of one value fixes it (then the analysis of it is zero)."""

    normalisations: tuple[str, ...] = NORMALISATIONS
    outlier_rules: tuple[bool, ...] = (True, False)  # True: the JRC rule of §3 applied
    aggregations: tuple[str, ...] = AGGREGATIONS
    missing_values: tuple[str, ...] = MISSING_CHOICES  # "declared": each indicator its own (§2a)
    judgement_steps: int = 1  # 0: the central weights


@dataclass(frozen=True)
class Settings:
    """The dbt vars robustness_draws and robustness_seed (dbt_model.py reads them), and the engine's."""

    draws: int
    seed: int
    tier_count: int = 4  # dbt var tier_count
    central_normalisation: str = "minmax"  # dbt var normalisation
    choices: Choices = field(default_factory=Choices)


@dataclass(frozen=True)
class Design:
    """One row per model evaluation: which weight draw, and the position of each choice in its range."""

    weights: np.ndarray
    normalisation: np.ndarray
    outlier_rule: np.ndarray
    aggregation: np.ndarray
    missing_values: np.ndarray

    def take(self, factor: str, other: Design) -> Design:
        """This design with one factor's column from another (A_B^i)."""
        return replace(self, **{factor: getattr(other, factor)})

    def rows(self, index: np.ndarray | slice) -> Design:
        return Design(*(getattr(self, factor)[index] for factor in FACTORS))

    def evaluates_as(self, other: Design, missing_alias: np.ndarray) -> np.ndarray:
        """Per row: whether the two designs evaluate alike (the same weight draw and choices, a missing-value
        choice counted as the one it is evaluated as, Scored.missing_alias)."""
        alike = self.weights == other.weights
        for factor in ("normalisation", "outlier_rule", "aggregation"):
            alike &= getattr(self, factor) == getattr(other, factor)
        return alike & (missing_alias[self.missing_values] == missing_alias[other.missing_values])


def base_design(settings: Settings, half: int) -> Design:
    """Sample A (half 0) or B (half 1) of the Saltelli design; A alone is the uncertainty analysis."""
    rng = np.random.default_rng([settings.seed, half])
    choices, n = settings.choices, settings.draws
    return Design(
        weights=np.arange(n) + half * n,
        normalisation=rng.integers(0, len(choices.normalisations), n),
        outlier_rule=rng.integers(0, len(choices.outlier_rules), n),
        aggregation=rng.integers(0, len(choices.aggregations), n),
        missing_values=rng.integers(0, len(choices.missing_values), n),
    )


def weight_bank(panel: Panel, settings: Settings, halves: int) -> WeightDraws:
    """The perturbed weights of rows 0 .. halves × draws − 1 (A's, then B's)."""
    parts = [
        weight_draws(
            panel.hierarchy,
            settings.draws,
            np.random.default_rng([settings.seed, half, panel.seed_key]),
            settings.choices.judgement_steps,
        )
        for half in range(halves)
    ]
    return WeightDraws(
        np.concatenate([p.dimensions for p in parts]), np.concatenate([p.local for p in parts])
    )


@dataclass(frozen=True)
class Scored:
    """The normalised matrix of each (normalisation, outlier rule, missing-value choice), keyed by their
    positions in the ranges; a missing-value choice that gives the same values as an earlier one (no gap
    it treats otherwise) is evaluated as that one, in the same groups of draws."""

    matrices: dict[tuple[int, int, int], np.ndarray]
    missing_alias: np.ndarray  # per missing-value choice: the first choice whose values are the same


def scored_variants(panel: Panel, choices: Choices) -> Scored:
    """Made once per panel, shared by every evaluation."""
    values = value_variants(panel, choices.missing_values)

    def same(first: str, second: str) -> bool:
        return all(
            np.array_equal(values[first, rule], values[second, rule], equal_nan=True)
            for rule in choices.outlier_rules
        )

    missing = choices.missing_values
    alias = [next(k for k in range(m + 1) if same(missing[k], missing[m])) for m in range(len(missing))]
    return Scored(
        {
            (n, o, m): normalise(values[missing[m], outlier_rule], panel.direction, normalisation)
            for n, normalisation in enumerate(choices.normalisations)
            for o, outlier_rule in enumerate(choices.outlier_rules)
            for m in sorted(set(alias))
        },
        np.array(alias),
    )


def evaluate(panel: Panel, bank: WeightDraws, design: Design, choices: Choices, scored: Scored) -> np.ndarray:
    """Index scores, evaluations × units, grouped by the discrete choices (one normalised matrix each).
    scored: scored_variants(panel, choices)."""
    scores = np.empty((len(design.weights), len(panel.adcodes)))
    keys = np.stack(
        [
            design.normalisation,
            design.outlier_rule,
            scored.missing_alias[design.missing_values],
            design.aggregation,
        ],
        axis=1,
    )
    for key in np.unique(keys, axis=0):
        columns = np.flatnonzero((keys == key).all(axis=1))
        rows = design.weights[columns]
        scores[columns] = index_scores(
            scored.matrices[key[0], key[1], key[2]],
            panel.dimension_of,
            bank.dimensions[rows],
            bank.local[rows][:, panel.local_column],
            choices.aggregations[key[3]],
        )
    return scores


def check_central(panel: Panel, settings: Settings) -> None:
    """The central configuration must give the engine's scores and ranks: the alternatives here are
    then alternatives to the engine's method, not to a copy of it that drifted."""
    central = central_weights(panel.hierarchy)
    scores = index_scores(
        normalise(panel.treated, panel.direction, settings.central_normalisation),
        panel.dimension_of,
        central.dimensions,
        central.local[:, panel.local_column],
        "arithmetic",
    )[0]
    gap = float(np.max(np.abs(scores - panel.central_score))) if len(scores) else 0.0
    order = np.lexsort((panel.adcodes, -scores))
    ranks = np.empty(len(scores), dtype=int)
    ranks[order] = np.arange(1, len(scores) + 1)
    if gap > CENTRAL_TOLERANCE or not np.array_equal(ranks, panel.central_rank):
        raise ValueError(
            f"{panel.list_id} {panel.data_year}: the central configuration does not reproduce the engine's "
            f"index (largest gap {gap:.3g}); docs/methodology.md §9 and the engine disagree"
        )


def _tier_shares(descending: np.ndarray, ranks: np.ndarray, top_n: int, tier_count: int) -> np.ndarray:
    """Per unit, the share of the draws that put it in each tier (units × tier_count): natural breaks on
    each draw's top scores (§7; `descending`: each draw's scores, highest first), the tier of the position
    its rank names. Only the top's (draw, unit) pairs are looked at."""
    top = min(top_n, descending.shape[1])
    highest = descending[:, top - 1 :: -1] if top else descending[:, :0]  # the top, lowest first
    sizes = np.concatenate(
        [
            class_sizes(highest[start : start + JENKS_BLOCK], min(tier_count, top))
            for start in range(0, len(highest), JENKS_BLOCK)
        ]
    )[:, ::-1]  # tier 1 first
    ends = np.cumsum(sizes, axis=1)  # per draw, the first position after each tier
    draws, units = np.nonzero(ranks <= top)
    tiers = (ranks[draws, units, None] - 1 >= ends[draws]).sum(axis=1)  # 0 for tier 1
    counts = np.bincount(units * tier_count + tiers, minlength=ranks.shape[1] * tier_count)
    return counts.reshape(ranks.shape[1], tier_count) / ranks.shape[0]


def uncertainty(panel: Panel, settings: Settings, bank: WeightDraws) -> pd.DataFrame:
    """Per unit: the central rank, the median and 5th/95th percentiles of its rank over the draws, and
    its probabilities of being in the top N and in each tier. `bank`: weight_bank(…, halves=1)."""
    check_central(panel, settings)
    design = base_design(settings, 0)
    scores = evaluate(panel, bank, design, settings.choices, scored_variants(panel, settings.choices))
    ranks, descending = ranked(scores)
    p05, median, p95 = np.quantile(ranks, [0.05, 0.5, 0.95], axis=0)
    tier_share = _tier_shares(descending, ranks, panel.top_n, settings.tier_count)
    return pd.DataFrame(
        {
            "data_year": panel.data_year,
            "list": panel.list_id,
            "adcode": panel.adcodes,
            "central_rank": panel.central_rank,
            "median_rank": median,
            "rank_p05": p05,
            "rank_p95": p95,
            "top_probability": (ranks <= panel.top_n).mean(axis=0),
            "tier_probabilities": list(tier_share),
            "draws": settings.draws,
        }
    )


def _mean_rank_shift(
    panel: Panel,
    bank: WeightDraws,
    design: Design,
    choices: Choices,
    scored: Scored,
) -> np.ndarray:
    """Per evaluation: the mean absolute shift of the central top N's ranks from their central ranks."""
    members = np.flatnonzero(panel.central_rank <= panel.top_n)
    shifts = []
    for start in range(0, len(design.weights), DRAWS_PER_BLOCK):
        block = design.rows(slice(start, start + DRAWS_PER_BLOCK))
        ranks = ranks_of(evaluate(panel, bank, block, choices, scored), members)
        shifts.append(np.abs(ranks - panel.central_rank[None, members]).mean(axis=1))
    return np.concatenate(shifts)


def sensitivity(panel: Panel, settings: Settings, bank: WeightDraws) -> pd.DataFrame:
    """First- and total-order indices of the mean absolute rank shift for each factor.
    `bank`: weight_bank(…, halves=2)."""
    a, b = base_design(settings, 0), base_design(settings, 1)
    scored = scored_variants(panel, settings.choices)

    def shifts(design: Design) -> np.ndarray:
        return _mean_rank_shift(panel, bank, design, settings.choices, scored)

    def shifts_as_a_where_alike(mixed: Design) -> np.ndarray:
        """f(A_B^i), evaluated only where A_B^i differs from A: a discrete choice drawn again keeps A's
        value a third or half of the time, and a missing-value choice that fills no gap otherwise always
        does. The same numbers, a third fewer evaluations."""
        alike = a.evaluates_as(mixed, scored.missing_alias)
        values = f_a.copy()
        if not alike.all():
            values[~alike] = shifts(mixed.rows(~alike))
        return values

    f_a, f_b = shifts(a), shifts(b)
    f_ab = np.stack([shifts_as_a_where_alike(a.take(f, b)) for f in FACTORS])
    indices = saltelli_indices(f_a, f_b, f_ab)
    return pd.DataFrame(
        {
            "data_year": panel.data_year,
            "list": panel.list_id,
            "factor": FACTORS,
            "first_order": indices.first_order,
            "total_order": indices.total_order,
            "output_variance": indices.variance,
            "mean_rank_shift": float(np.concatenate([f_a, f_b]).mean()),
            "draws": settings.draws,
        }
    )


def per_list(panels: Iterable[Panel], settings: Settings, analysis: Callable, halves: int) -> pd.DataFrame:
    """One analysis over every list and year, the weight draws made once per index."""
    banks: dict[str, WeightDraws] = {}
    frames = []
    for panel in panels:
        index_id = panel.hierarchy.index_id
        if index_id not in banks:
            banks[index_id] = weight_bank(panel, settings, halves)
        frames.append(analysis(panel, settings, banks[index_id]))
    return pd.concat(frames, ignore_index=True)


def uncertainty_frame(panels: Iterable[Panel], settings: Settings) -> pd.DataFrame:
    return per_list(panels, settings, uncertainty, halves=1)


def sensitivity_frame(panels: Iterable[Panel], settings: Settings) -> pd.DataFrame:
    return per_list(panels, settings, sensitivity, halves=2)
