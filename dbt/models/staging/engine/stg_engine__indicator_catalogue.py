"""The indicator catalogue, read from the indicator system file config/raw_statistics.yaml (`indicators`).

A dbt Python model because the catalogue is kept in that file, beside the measures its formulas read, not
in a seed: one place for each indicator. Its formulas become the SQL of int_indicators__raw.
"""

import pandas as pd

from dagster_project.engine.indicator_system import catalogue_rows


def model(dbt, session):
    dbt.config(materialized="table")
    return pd.DataFrame(catalogue_rows())
