"""The county panel's measures, read from their contract config/raw_statistics.yaml (`columns`): the unit an
amount is held in once ingested, for the marts that show amounts of several measures side by side.

A dbt Python model for the reason the indicator catalogue is one: the measures are kept in that file.
"""

import pandas as pd

from dagster_project.engine.indicator_system import measure_rows


def model(dbt, session):
    dbt.config(materialized="table")
    return pd.DataFrame(measure_rows())
