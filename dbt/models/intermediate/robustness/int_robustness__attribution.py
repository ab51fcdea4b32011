"""What moved each unit of a computed top 100 between consecutive data years (docs/methodology.md §12).
Cross-year: it reads every year of the mart indicator_values; the mart rank_change_attribution selects
from it."""

from dagster_project.robustness.attribution import attribution_frame
from dagster_project.robustness.inputs import hierarchies


def model(dbt, session):
    dbt.config(materialized="table")
    # of the two large relations only the columns read (their lists of source files cost most of the
    # conversion to pandas)
    return attribution_frame(
        dbt.ref("indicator_values")
        .project("data_year, universe, adcode, indicator, treated_value, normalized_value")
        .df(),
        dbt.ref("stg_engine__indicator_catalogue").df(),
        hierarchies(dbt.ref("stg_engine__indicator_weights").df()),
        dbt.ref("ranking_lists").df(),
        dbt.ref("computed_rankings").project("data_year, list, adcode").df(),
        str(dbt.config.get("normalisation")),
    )
