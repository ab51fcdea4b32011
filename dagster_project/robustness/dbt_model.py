"""What the robustness dbt Python models share: their settings from the dbt vars (robustness_draws,
robustness_seed, tier_count, normalisation) and their inputs, the engine's relations. Each model names
both with dbt.config.get and dbt.ref in its own file: dbt finds a Python model's configuration and
dependencies by reading that file alone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from dagster_project.resources import DBT_PROJECT_FILE
from dagster_project.robustness.analysis import Settings
from dagster_project.robustness.inputs import RANKED_COLUMNS, VALUE_COLUMNS, Panel, panels


def settings_of(draws: Any, seed: Any, tier_count: Any, normalisation: Any) -> Settings:
    """From the vars as dbt renders them into the config (strings)."""
    return Settings(
        draws=int(draws), seed=int(seed), tier_count=int(tier_count), central_normalisation=str(normalisation)
    )


def project_settings() -> Settings:
    """The settings of dbt/dbt_project.yml's vars, for a run outside dbt (bench/robustness.py)."""
    variables = yaml.safe_load(DBT_PROJECT_FILE.read_text(encoding="utf-8"))["vars"]
    return settings_of(
        variables["robustness_draws"],
        variables["robustness_seed"],
        variables["tier_count"],
        variables["normalisation"],
    )


def panels_of(values: Any, catalogue: Any, weights: Any, lists: Any, ranked: Any) -> Iterator[Panel]:
    """int_indicators__normalized (this run's data years), stg_engine__indicator_catalogue,
    stg_engine__indicator_weights, ranking_lists and int_rankings__ranked, as dbt relations; of the two
    large ones only the columns panels() reads (their lists of source files cost most of the conversion)."""
    return panels(
        values.project(", ".join(VALUE_COLUMNS)).df(),
        catalogue.df(),
        weights.df(),
        lists.df(),
        ranked.project(", ".join(RANKED_COLUMNS)).df(),
    )
