from dagster import Definitions, definitions

from dagster_project.resources import definitions_data_dir, resources_for
from dagster_project.transform import dbt_resource


@definitions
def defs() -> Definitions:
    return Definitions(resources={**resources_for(definitions_data_dir()), "dbt": dbt_resource()})
