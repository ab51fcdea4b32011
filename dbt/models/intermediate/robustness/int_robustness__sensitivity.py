"""First- and total-order sensitivity indices of the ranks to each choice of the method, per list and
data year, from a Saltelli design (docs/methodology.md §10); the mart rank_sensitivity selects from it."""

from dagster_project.robustness.analysis import sensitivity_frame
from dagster_project.robustness.dbt_model import panels_of, settings_of


def model(dbt, session):
    dbt.config(materialized="table")
    return sensitivity_frame(
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
