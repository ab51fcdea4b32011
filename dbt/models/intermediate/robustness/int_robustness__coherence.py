"""The index's statistical coherence per list and data year (docs/methodology.md §11): correlations,
Cronbach's alpha and variance shares on the engine's central scores; the mart index_coherence selects
from it."""

from dagster_project.robustness.coherence import coherence_frame
from dagster_project.robustness.dbt_model import panels_of


def model(dbt, session):
    dbt.config(materialized="table")
    panels = panels_of(
        dbt.ref("int_indicators__normalized"),
        dbt.ref("stg_engine__indicator_catalogue"),
        dbt.ref("stg_engine__indicator_weights"),
        dbt.ref("ranking_lists"),
        dbt.ref("int_rankings__ranked"),
    )
    return coherence_frame(panels, str(dbt.config.get("normalisation")))
