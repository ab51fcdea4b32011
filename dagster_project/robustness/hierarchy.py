"""An index's AHP hierarchy (config/weights/<index>.yaml) and its weights moved judgement by judgement.

The matrices are parsed and judged by the engine's own AHP code (dagster_project/lib/ahp.py): a perturbed
matrix is kept only if that code accepts it (CR ≤ 0.10).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import yaml

from dagster_project.lib.ahp import InconsistentMatrixError, judge, parse_matrix

# Saaty's scale in order, 1/9 … 1 … 9: one step moves a judgement to a neighbour
SAATY_STEPS = tuple(sorted({Fraction(1, v) for v in range(2, 10)} | {Fraction(v) for v in range(1, 10)}))
SAATY_VALUES = np.array([float(step) for step in SAATY_STEPS])
MAX_TRIES = 100  # redraws of a matrix whose perturbation is inconsistent; then its judgements stay central


@dataclass(frozen=True)
class Matrix:
    name: str
    elements: list[str]
    values: np.ndarray


@dataclass(frozen=True)
class Hierarchy:
    index_id: str
    dimensions: Matrix
    indicators: list[Matrix]  # one per dimension, in the order of dimensions.elements

    @classmethod
    def read(cls, path: Path) -> Hierarchy:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))

        def matrix(name: str, spec: dict) -> Matrix:
            full = f"{path.name}: {name}"
            return Matrix(full, spec["elements"], parse_matrix(full, spec["elements"], spec["matrix"]))

        top = matrix("dimensions", config["dimensions"])
        return cls(
            config["index"],
            top,
            [matrix(f"indicators of {d}", config["indicators"][d]) for d in top.elements],
        )

    @property
    def indicator_names(self) -> list[str]:
        return [element for matrix in self.indicators for element in matrix.elements]

    @property
    def dimension_of(self) -> np.ndarray:
        return np.array([d for d, matrix in enumerate(self.indicators) for _ in matrix.elements])


@dataclass(frozen=True)
class WeightDraws:
    """Weights per draw: dimensions (draws × dimensions) and local (draws × indicators of the hierarchy)."""

    dimensions: np.ndarray
    local: np.ndarray


def central_weights(hierarchy: Hierarchy) -> WeightDraws:
    return weight_draws(hierarchy, 1, np.random.default_rng(0), steps=0)


def weight_draws(hierarchy: Hierarchy, draws: int, rng: np.random.Generator, steps: int) -> WeightDraws:
    """Each draw moves every judgement above the diagonal by up to `steps` steps of Saaty's scale (each
    move equally likely, ends clipped), matrix by matrix; an inconsistent result is drawn again."""
    matrices = [hierarchy.dimensions, *hierarchy.indicators]
    weights = [_perturbed(m, draws, rng, steps) for m in matrices]
    return WeightDraws(weights[0], np.concatenate(weights[1:], axis=1))


def _perturbed(matrix: Matrix, draws: int, rng: np.random.Generator, steps: int) -> np.ndarray:
    n = len(matrix.elements)
    central = judge(matrix.name, matrix.elements, matrix.values).weights
    if steps == 0 or n < 2:
        return np.tile(central, (draws, 1))
    upper = np.triu_indices(n, k=1)
    positions = np.array([SAATY_STEPS.index(Fraction(v).limit_denominator(9)) for v in matrix.values[upper]])
    judged: dict[bytes, list[float] | None] = {}  # small matrices repeat their perturbations often
    weights = np.tile(central, (draws, 1))
    pending = np.arange(draws)  # draws whose matrix is still inconsistent
    for _ in range(MAX_TRIES):
        moves = rng.integers(-steps, steps + 1, size=(len(pending), len(positions)))
        moved = np.clip(positions + moves, 0, len(SAATY_VALUES) - 1)
        consistent = np.zeros(len(pending), dtype=bool)
        for row, draw in enumerate(pending):
            key = moved[row].tobytes()
            if key not in judged:
                values = np.ones((n, n))
                values[upper] = SAATY_VALUES[moved[row]]
                values[upper[::-1]] = 1 / values[upper]
                try:
                    judged[key] = judge(matrix.name, matrix.elements, values).weights
                except InconsistentMatrixError:
                    judged[key] = None
            if judged[key] is not None:
                weights[draw] = judged[key]
                consistent[row] = True
        pending = pending[~consistent]
        if not len(pending):
            break
    return weights
