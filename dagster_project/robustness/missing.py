"""The missing-value choice of the uncertainty analysis (docs/methodology.md §9): a panel's values under each
treatment of a gap (§2a) that the indicator system allows, raw and through the outlier rule (§3).

A choice is one treatment applied, in a draw, to every indicator that allows it (its `missing` or one of its
`missing_alternatives`); an indicator that does not allow it keeps its own. `declared` is the engine's:
each indicator its own `missing`. One treatment per draw rather than one per indicator: the question is how
much the ranks owe to the policy on gaps, which is one decision of the method as the normalisation is; the
central configuration is then one of three choices rather than one of 2^k, and the draws of one choice
share their matrices (analysis.evaluate).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dagster_project.robustness.inputs import Panel
from dagster_project.robustness.outliers import jrc_treated

MISSING_CHOICES = ("declared", "median", "reweight")
TOLERANCE = 1e-9  # relative: the engine's values in SQL against this code's


def medians(panel: Panel) -> np.ndarray:
    """Per unit and indicator, what §2a's median gives a gap: the median of the reported values of the
    unit's province (its adcode's first two digits), else of its universe; nan where none reported."""
    reported = pd.DataFrame(panel.reported)
    province = reported.groupby(panel.provinces).transform("median")
    return province.fillna(reported.median()).to_numpy(dtype=float, na_value=np.nan)


def treatments(panel: Panel, choice: str) -> list[str]:
    """Per column, the treatment a gap takes under `choice`."""
    if choice not in MISSING_CHOICES:
        raise ValueError(f"unknown missing-value choice {choice!r}; one of {MISSING_CHOICES}")
    return [
        choice if choice in options else options[0]
        for options in panel.missing_options  # declared first
    ]


def filled(panel: Panel, choice: str) -> np.ndarray:
    """The raw values under `choice`: a gap is 0 (zero), its median (median) or stays nan (reweight)."""
    gap = np.isnan(panel.reported)
    fill = {"zero": np.zeros_like(panel.reported), "median": medians(panel), "reweight": panel.reported}
    values = panel.reported.copy()
    for column, treatment in enumerate(treatments(panel, choice)):
        values[:, column] = np.where(gap[:, column], fill[treatment][:, column], panel.reported[:, column])
    return values


def _check_engine(panel: Panel, raw: np.ndarray, treated: np.ndarray) -> None:
    """This code on the declared treatments must give the engine's values: the alternatives are then
    alternatives to the engine's rules, not to a copy that drifted."""
    for name, mine, engine in (("raw", raw, panel.raw), ("treated", treated, panel.treated)):
        same = np.isclose(mine, engine, rtol=TOLERANCE, atol=TOLERANCE * 1e-3, equal_nan=True).all(axis=0)
        if not same.all():
            indicator = panel.indicators[int(np.flatnonzero(~same)[0])]
            raise ValueError(
                f"{panel.list_id} {panel.data_year}: {indicator}: the missing-value and outlier rules here "
                f"do not reproduce the engine's {name} values; docs/methodology.md §2a-3 and the engine "
                "disagree"
            )


def value_variants(panel: Panel, choices: tuple[str, ...]) -> dict[tuple[str, bool], np.ndarray]:
    """(missing-value choice, outlier rule applied) -> the values to normalise. The declared choice gives
    the engine's own values, after checking that this code reproduces them; another choice takes them too
    in every column where it treats no gap otherwise, and the rule is decided again in the others."""
    raw = filled(panel, "declared")
    _check_engine(panel, raw, jrc_treated(raw, panel.outlier_rule))
    declared = treatments(panel, "declared")
    gaps = np.isnan(panel.reported).any(axis=0)
    variants = {}
    for choice in choices:
        changed = gaps & np.array(
            [own != mine for own, mine in zip(declared, treatments(panel, choice), strict=True)]
        )
        raw, treated = panel.raw.copy(), panel.treated.copy()
        raw[:, changed] = filled(panel, choice)[:, changed]
        treated[:, changed] = jrc_treated(raw[:, changed], panel.outlier_rule[changed])
        variants[choice, False], variants[choice, True] = raw, treated
    return variants
