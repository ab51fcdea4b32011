"""Every printed reference table the pipeline ingests: one list for the definitions and for `validate`."""

from dagster_project.reference.clusters import CITY_CLUSTER_MEMBERS, CLUSTER_INPUTS, SMART_FACTORIES
from dagster_project.reference.inputs import ReferenceInput
from dagster_project.reference.rankings import REPORT_FIGURES, ranking_inputs


def reference_inputs() -> list[ReferenceInput]:
    return [*ranking_inputs(), *CLUSTER_INPUTS, CITY_CLUSTER_MEMBERS, SMART_FACTORIES, REPORT_FIGURES]
