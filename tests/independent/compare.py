"""The published marts held against the independent engine's own tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

INDICATOR_KEYS = ["data_year", "universe", "adcode", "indicator"]


def assert_indicator_values_agree(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    """Same rows, values within 1e-9 (a left-out value null on both sides), same imputations."""
    ours = ours.sort_values(INDICATOR_KEYS, ignore_index=True)
    theirs = theirs.sort_values(INDICATOR_KEYS, ignore_index=True)
    assert ours[INDICATOR_KEYS].astype(str).equals(theirs[INDICATOR_KEYS].astype(str))
    for column in ("raw_value", "treated_value", "normalized_value"):
        a, b = ours[column].to_numpy(dtype=float), theirs[column].to_numpy(dtype=float, na_value=np.nan)
        assert np.allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True), column
    assert ours["is_imputed"].astype(bool).tolist() == theirs["is_imputed"].astype(bool).tolist()
    assert ours["missing_treatment"].fillna("").tolist() == theirs["missing_treatment"].fillna("").tolist()
