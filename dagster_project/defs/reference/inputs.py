from dagster import Definitions, definitions

from dagster_project.reference.catalogue import reference_inputs
from dagster_project.reference.inputs import build_input_asset, build_input_check
from dagster_project.resources import REFERENCE_FOLDER, definitions_data_dir


@definitions
def defs() -> Definitions:
    """One asset and its check per printed table of the data directory (an edition is its files)."""
    inputs = reference_inputs(definitions_data_dir() / REFERENCE_FOLDER)
    return Definitions(
        assets=[build_input_asset(spec) for spec in inputs],
        asset_checks=[build_input_check(spec) for spec in inputs],
    )
