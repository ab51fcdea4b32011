"""The analytic hierarchy process (层次分析法): weights from Saaty pairwise comparison matrices.

Weights are the principal right eigenvector; a matrix whose consistency ratio exceeds 0.10 is refused,
because its judgements contradict each other too much to mean anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

# Saaty's random consistency index for n = 1..10.
RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
MAX_CONSISTENCY_RATIO = 0.10
SAATY_SCALE = frozenset(Fraction(v) for v in range(1, 10)) | frozenset(Fraction(1, v) for v in range(2, 10))


class InconsistentMatrixError(ValueError):
    pass


@dataclass(frozen=True)
class Judgement:
    name: str  # which matrix, for messages: e.g. "config/weights/industrial.yaml: dimensions"
    elements: list[str]
    weights: list[float]
    lambda_max: float
    consistency_ratio: float


def parse_matrix(name: str, elements: list[str], rows: list[list[object]]) -> np.ndarray:
    """A reciprocal matrix on Saaty's scale, from rows of numbers and "1/3"-style strings."""
    n = len(elements)
    if len(rows) != n or any(len(row) != n for row in rows):
        raise ValueError(f"{name}: the matrix must be {n} x {n}, one row and column per element {elements}")
    values = [[Fraction(str(v)) for v in row] for row in rows]
    for i in range(n):
        if values[i][i] != 1:
            raise ValueError(f"{name}: the diagonal must be 1 ({elements[i]} vs itself is {values[i][i]})")
        for j in range(n):
            if values[i][j] not in SAATY_SCALE:
                pair = f"{elements[i]} vs {elements[j]} = {values[i][j]}"
                raise ValueError(f"{name}: {pair} is not on Saaty's 1-9 scale")
            if values[i][j] * values[j][i] != 1:
                raise ValueError(
                    f"{name}: not reciprocal: {elements[i]} vs {elements[j]} = {values[i][j]} but "
                    f"{elements[j]} vs {elements[i]} = {values[j][i]}"
                )
    return np.array([[float(v) for v in row] for row in values])


def judge(name: str, elements: list[str], matrix: np.ndarray) -> Judgement:
    """Principal-eigenvector weights and the consistency ratio CR = CI / RI."""
    n = len(elements)
    eigenvalues, eigenvectors = np.linalg.eig(matrix)
    principal = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[principal].real)
    vector = np.abs(eigenvectors[:, principal].real)
    weights = vector / vector.sum()
    consistency_ratio = 0.0 if n <= 2 else ((lambda_max - n) / (n - 1)) / RANDOM_INDEX[n - 1]
    if consistency_ratio > MAX_CONSISTENCY_RATIO:
        raise InconsistentMatrixError(
            f"{name}: consistency ratio CR = {consistency_ratio:.3f} exceeds {MAX_CONSISTENCY_RATIO:.2f} "
            f"(λmax = {lambda_max:.3f}, n = {n}); revise its judgements"
        )
    return Judgement(name, elements, [float(w) for w in weights], lambda_max, float(consistency_ratio))
