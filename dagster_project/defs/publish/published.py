from dagster import Definitions, definitions

from dagster_project.publish import build_publish_asset
from dagster_project.transform import dbt_models, mart_keys


@definitions
def defs() -> Definitions:
    return Definitions(assets=[build_publish_asset(mart_keys(dbt_models()))])
