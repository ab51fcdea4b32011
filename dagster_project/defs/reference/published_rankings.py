from dagster import Definitions, definitions

from dagster_project.reference.rankings import build_published_rankings, ranking_inputs
from dagster_project.resources import REFERENCE_FOLDER, definitions_data_dir


@definitions
def defs() -> Definitions:
    return Definitions(
        assets=[build_published_rankings(ranking_inputs(definitions_data_dir() / REFERENCE_FOLDER))]
    )
