"""What the analyses read from the engine's dbt models, as one list's matrix per data year.

Each dbt Python model hands its relations over as pandas frames; nothing here opens the warehouse.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from zlib import crc32

import numpy as np
import pandas as pd

from dagster_project.lib.provenance import sha256_of
from dagster_project.resources import PROJECT_DIR
from dagster_project.robustness.hierarchy import Hierarchy, central_weights

WEIGHT_TOLERANCE = 1e-12
# What panels() reads of the engine's values (int_indicators__normalized) and central ranks
# (int_rankings__ranked)
VALUE_COLUMNS = ("data_year", "universe", "adcode", "indicator", "raw_value", "treated_value", "is_imputed")
RANKED_COLUMNS = ("data_year", "list", "adcode", "rank", "index_score")


@dataclass(frozen=True)
class Panel:
    """One list in one data year: its universe's units (adcode ascending) × its index's indicators."""

    data_year: int
    list_id: str
    top_n: int
    hierarchy: Hierarchy
    adcodes: np.ndarray
    indicators: list[str]
    treated: np.ndarray  # after the JRC outlier rule (§3); nan where left out
    raw: np.ndarray  # before it; a gap treated as its indicator declares (§2a)
    reported: np.ndarray  # as reported: nan for every gap
    missing_options: list[
        tuple[str, ...]
    ]  # per column: its declared treatment of a gap, then the alternatives
    outlier_rule: np.ndarray  # per column: whether the JRC rule applies to it (`outlier: jrc`)
    direction: np.ndarray
    dimension_of: np.ndarray  # per column: the position of its dimension in the hierarchy
    local_column: np.ndarray  # per column: its position among the hierarchy's indicators
    central_rank: np.ndarray  # the engine's rank (int_rankings__ranked), per unit
    central_score: np.ndarray

    @property
    def seed_key(self) -> int:
        """Draws are keyed by index, not list, so that the lists of one index share their weights."""
        return crc32(self.hierarchy.index_id.encode())

    @property
    def provinces(self) -> np.ndarray:
        """A unit's province: the first two digits of its adcode (§2a)."""
        return np.array([str(adcode)[:2] for adcode in self.adcodes])


def hierarchies(weights: pd.DataFrame) -> dict[str, Hierarchy]:
    """Each index's matrices, from the file its weights were computed from (same sha256), judged again by
    the engine's AHP code and required to give the weights the engine stored."""
    found = {}
    for (index_id, source, sha256), rows in weights.groupby(["index_id", "source_file", "source_sha256"]):
        path = PROJECT_DIR / source
        if not path.is_file() or sha256_of(path) != sha256:
            raise ValueError(
                f"{source}: the AHP matrices of {index_id} are not the file its weights were computed from "
                "(missing or changed since); rebuild engine/indicator_weights first"
            )
        hierarchy = Hierarchy.read(path)
        central = central_weights(hierarchy)
        computed = dict(zip(hierarchy.dimensions.elements, central.dimensions[0], strict=True))
        computed |= dict(zip(hierarchy.indicator_names, central.local[0], strict=True))
        stored = dict(zip(rows["element"], rows["local_weight"], strict=True))
        if set(stored) != set(computed) or any(
            abs(computed[e] - stored[e]) > WEIGHT_TOLERANCE for e in stored
        ):
            raise ValueError(f"{source}: its matrices no longer give the weights of engine/indicator_weights")
        found[index_id] = hierarchy
    return found


def panels(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    weights: pd.DataFrame,
    lists: pd.DataFrame,
    ranked: pd.DataFrame,
) -> Iterator[Panel]:
    """Every list of the registry in every data year of `values`, in the order (data_year, list)."""
    by_index = hierarchies(weights)
    spec = catalogue.set_index("indicator")
    for data_year in sorted(values["data_year"].unique()):
        for item in lists.sort_values("list").itertuples():
            hierarchy = by_index[item.index_id]
            subset = values[(values["data_year"] == data_year) & (values["universe"] == item.universe)]
            present = set(subset["indicator"].unique())  # unique() first: iterating an Arrow column is slow
            columns = [name for name in hierarchy.indicator_names if name in present]
            subset = subset[subset["indicator"].isin(columns)]
            treated = subset.pivot(index="adcode", columns="indicator", values="treated_value")
            raw = subset.pivot(index="adcode", columns="indicator", values="raw_value")
            imputed = subset.pivot(index="adcode", columns="indicator", values="is_imputed")
            treated, raw = treated.sort_index()[columns], raw.sort_index()[columns]
            reported = raw.where(~imputed.sort_index()[columns].astype(bool))
            central = ranked[(ranked["data_year"] == data_year) & (ranked["list"] == item.list)]
            central = central.set_index("adcode").reindex(treated.index)
            names = hierarchy.indicator_names
            yield Panel(
                data_year=int(data_year),
                list_id=item.list,
                top_n=int(item.top_n),
                hierarchy=hierarchy,
                adcodes=treated.index.to_numpy(),
                indicators=columns,
                treated=treated.to_numpy(dtype=float, na_value=np.nan),
                raw=raw.to_numpy(dtype=float, na_value=np.nan),
                reported=reported.to_numpy(dtype=float, na_value=np.nan),
                missing_options=[
                    (spec.at[c, "missing_treatment"], *spec.at[c, "missing_alternatives"]) for c in columns
                ],
                outlier_rule=np.array([spec.at[c, "outlier_treatment"] == "jrc" for c in columns]),
                direction=np.array([float(spec.at[c, "direction"]) for c in columns]),
                dimension_of=hierarchy.dimension_of[[names.index(c) for c in columns]],
                local_column=np.array([names.index(c) for c in columns]),
                central_rank=central["rank"].to_numpy(dtype=int),
                central_score=central["index_score"].to_numpy(dtype=float),
            )
