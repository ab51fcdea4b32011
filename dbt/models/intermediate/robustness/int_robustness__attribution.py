"""What moved each unit of a computed top 100 between consecutive data years (docs/methodology.md §12).
Cross-year: it reads every year of the mart indicator_values; the mart rank_change_attribution selects
from it."""

from dagster_project.robustness.attribution import attribution_frame
from dagster_project.robustness.inputs import hierarchies


def model(dbt, session):
    dbt.config(materialized="table")
    return attribution_frame(
        dbt.ref("indicator_values").df(),
        dbt.ref("stg_engine__indicator_catalogue").df(),
        hierarchies(dbt.ref("stg_engine__indicator_weights").df()),
        dbt.ref("ranking_lists").df(),
        dbt.ref("computed_rankings").df(),
        str(dbt.config.get("normalisation")),
    )
