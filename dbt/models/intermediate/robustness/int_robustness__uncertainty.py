"""The Monte Carlo over the method's choices, per list, data year and unit (docs/methodology.md §9).

A dbt Python model: 1,000 draws of every unit's rank are a numpy computation (dagster_project/robustness/),
not a query; the marts rank_uncertainty and tier_probabilities select from it.
"""

from dagster_project.robustness.analysis import uncertainty_frame
from dagster_project.robustness.dbt_model import panels_of, settings_of


def model(dbt, session):
    dbt.config(materialized="table")
    frame = uncertainty_frame(
        panels_of(
            dbt.ref("int_indicators__normalized"),
            dbt.ref("stg_engine__indicator_catalogue"),
            dbt.ref("stg_engine__indicator_weights"),
            dbt.ref("ranking_lists"),
            dbt.ref("int_rankings__ranked"),
        ),
        settings_of(
            dbt.config.get("robustness_draws"),
            dbt.config.get("robustness_seed"),
            dbt.config.get("tier_count"),
            dbt.config.get("normalisation"),
        ),
    )
    frame["tier_probabilities"] = frame["tier_probabilities"].map(list)
    return frame
