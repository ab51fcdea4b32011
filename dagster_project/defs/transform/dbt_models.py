from dagster import Definitions, definitions

from dagster_project.transform import dbt_models


@definitions
def defs() -> Definitions:
    return Definitions(assets=dbt_models())
