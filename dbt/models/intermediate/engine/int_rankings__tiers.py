"""Tiers (梯队) of each top-100 list: Fisher-Jenks natural breaks on the index scores (§7).

A dbt Python model because the exact breaks are a dynamic programme, not a query. The breaks give the
sizes of the classes; the tiers are those sizes laid over the list in rank order (score descending, then
adcode, §6), so each unit has exactly one tier even where tied scores meet a break.
"""

import pandas as pd

from dagster_project.lib.jenks import natural_breaks


def model(dbt, session):
    dbt.config(materialized="table")
    classes = int(dbt.config.get("tier_count"))
    top = dbt.ref("int_rankings__top100").df()
    rows = []
    for (data_year, list_name), group in top.groupby(["data_year", "list"], sort=True):
        ordered = group.sort_values("rank")
        breaks = natural_breaks(ordered["index_score"].tolist(), min(classes, len(ordered)))
        tiers = [tier for tier, members in enumerate(reversed(breaks), start=1) for _ in members]
        rows += [
            {"data_year": data_year, "list": list_name, "adcode": adcode, "tier": tier}
            for adcode, tier in zip(ordered["adcode"], tiers, strict=True)
        ]
    return pd.DataFrame(rows, columns=["data_year", "list", "adcode", "tier"])
