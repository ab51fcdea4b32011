"""Tiers (梯队) of each top-100 list: Fisher-Jenks natural breaks on the index scores (§7).

A dbt Python model because the exact breaks are a dynamic programme, not a query.
"""

import pandas as pd

from dagster_project.lib.jenks import natural_breaks


def model(dbt, session):
    dbt.config(materialized="table")
    classes = int(dbt.config.get("tier_count"))
    top = dbt.ref("int_rankings__top100").df()
    rows = []
    for (data_year, list_name), group in top.groupby(["data_year", "list"], sort=True):
        breaks = natural_breaks(group["index_score"].tolist(), classes)
        for tier, members in enumerate(reversed(breaks), start=1):
            low, high = min(members), max(members)
            chosen = group[(group["index_score"] >= low) & (group["index_score"] <= high)]
            rows += [
                {"data_year": data_year, "list": list_name, "adcode": adcode, "tier": tier}
                for adcode in chosen["adcode"]
            ]
    return pd.DataFrame(rows, columns=["data_year", "list", "adcode", "tier"])
