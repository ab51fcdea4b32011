"""The pandas side of ingestion: reading files strictly, resolving names, reading and writing tables.

Asset modules import this inside their bodies, so that pandas loads when an asset runs, not when the
definitions load.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd
from dagster import Failure

from dagster_project.lib.divisions import AdminUnit, Resolver, unit_type_of
from dagster_project.lib.expectations import ROW_COLUMN


def read_csv_strictly(path: Path, required_columns: list[str]) -> pd.DataFrame:
    """All cells as text, each row numbered by its line in the file (the header is line 1)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in required_columns if c not in frame.columns]
    if missing:
        raise Failure(f"{path}: missing columns {missing}; the file has {list(frame.columns)}")
    frame.insert(0, ROW_COLUMN, range(2, len(frame) + 2))
    return frame


def admin_units_frame(units: list[AdminUnit]) -> pd.DataFrame:
    return pd.DataFrame([asdict(u) for u in units])


def admin_units_from_table(frame: pd.DataFrame) -> list[AdminUnit]:
    """The units as written to the warehouse, for the resolvers of other ingest assets."""
    fields = AdminUnit.__dataclass_fields__
    return [
        AdminUnit(**{k: (None if pd.isna(v) else v) for k, v in row.items() if k in fields})
        for row in frame.to_dict("records")
    ]


def _numbers(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Integer columns; a cell that is not an integer becomes null, for the check to name."""
    for column in columns:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    return frame


def _resolve_anywhere(frame: pd.DataFrame, resolver: Resolver, column: str) -> pd.DataFrame:
    results = [resolver.resolve_anywhere(name, "county") for name in frame[column]]
    frame["adcode"] = [r.adcode for r in results]
    frame["resolution_error"] = [r.error for r in results]
    frame["universe"] = [resolver.unit(r.adcode).universe if r.adcode else None for r in results]
    return frame


def resolve_national_clusters(frame: pd.DataFrame, resolver: Resolver) -> pd.DataFrame:
    """表4: one row per cluster and county (a cluster may span several, printed as 永康市、缙云县)."""
    frame = _numbers(frame.copy(), ["edition_year", "seq", "n_counties"])
    frame["county_printed"] = frame["counties"].str.split("、")
    frame["counties_listed"] = frame["county_printed"].str.len().astype("Int64")
    frame = frame.explode("county_printed", ignore_index=True)
    return _resolve_anywhere(frame, resolver, "county_printed")


def resolve_100bn_clusters(frame: pd.DataFrame, resolver: Resolver) -> pd.DataFrame:
    """表5: one row per county and cluster."""
    frame = _numbers(
        frame.rename(columns={"county": "county_printed"}), ["edition_year", "seq", "scale_floor_100m_yuan"]
    )
    return _resolve_anywhere(frame, resolver, "county_printed")


def resolve_rankings(frame: pd.DataFrame, resolver: Resolver) -> pd.DataFrame:
    """The printed table with, per row, its adcode (or why none), universe and printed unit type."""
    resolved = frame.rename(
        columns={"province": "province_printed", "prefecture": "prefecture_printed", "name": "name_printed"}
    )
    resolved = _numbers(resolved, ["edition_year", "rank", "star"])
    results = [
        resolver.resolve(r.province_printed, r.prefecture_printed, r.name_printed)
        for r in resolved.itertuples()
    ]
    units = [resolver.unit(r.adcode) if r.adcode else None for r in results]
    resolved["adcode"] = [r.adcode for r in results]
    resolved["resolution_error"] = [r.error for r in results]
    resolved["universe"] = [u.universe if u else None for u in units]
    resolved["unit_type_printed"] = [
        unit_type_of(name, has_prefecture=u.prefecture_code is not None) if u else None
        for name, u in zip(resolved["name_printed"], units, strict=True)
    ]
    provinces = [resolver.province(p) for p in resolved["province_printed"]]
    resolved["province_resolved"] = [p.name if p else None for p in provinces]
    best = resolved.groupby("province_resolved")["rank"].transform("min")
    resolved["first_in_province"] = (resolved["rank"] == best).astype("Int64")
    return resolved.drop(columns=["province_resolved"])


def resolve_city_cluster_members(frame: pd.DataFrame, resolver: Resolver) -> pd.DataFrame:
    """A member is a whole prefecture (county empty) or one county-level unit; both must exist."""
    frame = frame.copy()
    results = [
        resolver.resolve(row.province, row.prefecture, row.county)
        if row.county
        else resolver.resolve_prefecture(row.province, row.prefecture)
        for row in frame.itertuples()
    ]
    frame["adcode"] = [
        r.adcode if row.county else None for r, row in zip(results, frame.itertuples(), strict=True)
    ]
    frame["prefecture_code"] = [
        r.adcode if not row.county else None for r, row in zip(results, frame.itertuples(), strict=True)
    ]
    frame["resolution_error"] = [r.error for r in results]
    return frame


def resolve_smart_factories(frame: pd.DataFrame, resolver: Resolver) -> pd.DataFrame:
    """Counts by area: a province must be a province, a region one of the four. A province-wide total (the
    provincial smart factories of the whole province) belongs to a provincial province row, and holds the
    factories counted in its counties."""
    frame = _numbers(frame.copy(), ["edition_year", "factory_count", "province_total"])
    frame["share_in_counties"] = pd.to_numeric(frame["share_in_counties"], errors="coerce")
    frame["total_error"] = [
        None
        if pd.isna(row.province_total)
        else f"a province-wide total on a {row.scope} {row.level} row"
        if (row.scope, row.level) != ("provincial", "province")
        else f"{row.factory_count} counted in counties > the province-wide total {row.province_total}"
        if pd.notna(row.factory_count) and row.factory_count > row.province_total
        else None
        for row in frame.itertuples()
    ]
    regions = {p.region for p in resolver.provinces()}
    frame["resolution_error"] = [
        f"unknown province {row.area!r}"
        if row.level == "province" and resolver.province(row.area) is None
        else f"unknown region {row.area!r}"
        if row.level == "region" and row.area not in regions
        else None
        for row in frame.itertuples()
    ]
    return frame


def resolve_tier_bounds(frame: pd.DataFrame, resolver: Resolver) -> pd.DataFrame:
    """Each edition's tiers of a list, with where each tier must start (1, or the rank after the tier
    before it) and, on the last tier, where it must end (the list's top_n), for the suite to compare."""
    from dagster_project.lib import registry

    lists = registry.ranking_lists()
    frame = _numbers(frame.copy(), ["edition_year", "tier", "first_rank", "last_rank"])
    frame["source"] = frame["source"].replace("", None)
    frame["resolution_error"] = [
        None if name in lists else f"unknown list {name!r}" for name in frame["list"]
    ]
    groups = frame.sort_values(["edition_year", "list", "tier"]).groupby(
        ["edition_year", "list"], dropna=False
    )
    frame["expected_first_rank"] = (groups["last_rank"].shift(1) + 1).fillna(1).astype("Int64")
    last_tier = groups["tier"].transform("max")
    top_n = frame["list"].map({name: item.top_n for name, item in lists.items()})
    frame["expected_last_rank"] = top_n.where(frame["tier"].eq(last_tier).fillna(False)).astype("Int64")
    return frame


COMPARISONS = ("=", ">", ">=", "<", "<=", "near")


def resolve_report_figures(frame: pd.DataFrame, resolver: Resolver) -> pd.DataFrame:
    """Each stated figure becomes a claim with an id (edition/list/measure/key, list "edition" for a
    statement about no one list); an unknown measure or comparison, or a reference in `against` to no
    claim, is named. The columns comparison and against are optional (older registers lack them)."""
    from dagster_project.lib import registry

    frame = _numbers(frame.copy(), ["edition_year"])
    for column in ("comparison", "against"):
        if column not in frame.columns:
            frame[column] = ""
        frame[column] = frame[column].fillna("")
    frame["list"] = frame["list"].replace("", None)
    frame["claim_id"] = (
        frame["edition_year"].astype(str)
        + "/"
        + frame["list"].fillna("edition")
        + "/"
        + frame["measure"]
        + "/"
        + frame["key"]
    )
    measures = registry.claim_measures()
    claims = set(frame["claim_id"])
    frame["resolution_error"] = [
        f"unknown measure {row.measure!r}"
        if row.measure not in measures
        else f"unknown comparison {row.comparison!r}"
        if row.comparison and row.comparison not in COMPARISONS
        else f"{row.measure} is checked against other statements: `against` names none"
        if measures[row.measure].evaluated_against == "statements" and not row.against
        else next(
            (f"`against` names no claim {c!r}" for c in row.against.split(";") if c not in claims), None
        )
        if row.against
        else None
        for row in frame.itertuples()
    ]
    return frame


def resolve_stated_region_counts(frame: pd.DataFrame, resolver: Resolver) -> pd.DataFrame:
    """Each stated count with, per edition and list, the sum of its regions' counts and the list's top_n,
    for the suite to compare: a series that does not add up to the list is mistranscribed."""
    from dagster_project.lib import registry

    lists = registry.ranking_lists()
    regions = {p.region for p in resolver.provinces()}
    frame = _numbers(frame.copy(), ["edition_year", "unit_count", "stated_in"])
    frame["resolution_error"] = [
        f"unknown list {name!r}"
        if name not in lists
        else f"unknown region {region!r}"
        if region not in regions
        else None
        for name, region in zip(frame["list"], frame["region"], strict=True)
    ]
    groups = frame.groupby(["edition_year", "list"], dropna=False)["unit_count"]
    complete = groups.transform("count") == groups.transform("size")  # a missing count leaves no total
    frame["regions_total"] = groups.transform("sum").where(complete).astype("Int64")
    frame["top_n"] = frame["list"].map({name: item.top_n for name, item in lists.items()}).astype("Int64")
    return frame
