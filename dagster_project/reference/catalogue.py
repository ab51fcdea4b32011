"""Every printed reference table the pipeline ingests: one list for the definitions and for `validate`."""

from pathlib import Path

from dagster_project.reference.clusters import CITY_CLUSTER_MEMBERS, CLUSTER_INPUTS, SMART_FACTORIES
from dagster_project.reference.inputs import ReferenceInput
from dagster_project.reference.rankings import (
    REPORT_FIGURES,
    STATED_REGION_COUNTS,
    TIER_BOUNDS,
    ranking_inputs,
)


def reference_inputs(reference_dir: Path) -> list[ReferenceInput]:
    """The ranking tables are those present in reference_dir (an edition is its files)."""
    fixed = [
        TIER_BOUNDS,
        *CLUSTER_INPUTS,
        CITY_CLUSTER_MEMBERS,
        SMART_FACTORIES,
        REPORT_FIGURES,
        STATED_REGION_COUNTS,
    ]
    return [*ranking_inputs(reference_dir), *fixed]
