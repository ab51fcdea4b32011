from dagster import Definitions, definitions

from dagster_project.dbt_docs import build_dbt_docs_asset
from dagster_project.transform import dbt_models, mart_keys


@definitions
def defs() -> Definitions:
    return Definitions(assets=[build_dbt_docs_asset(mart_keys(dbt_models()))])
