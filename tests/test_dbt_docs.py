"""The dbt docs site as a reader finds it: an overview page, every model described, every mart and its
columns under a Chinese label, and no intermediate model built on a mart (marts are the published end of the
graph, not a layer to build on)."""

import json

import pytest

from dagster_project.exports import _LABEL
from dagster_project.resources import DBT_MANIFEST

pytestmark = pytest.mark.independent  # the conventions stated in the README and the dbt docs

LAYERS = ("staging", "intermediate", "marts")


def manifest() -> dict:
    return json.loads(DBT_MANIFEST.read_text(encoding="utf-8"))


def models(of: dict) -> dict[str, dict]:
    return {node["unique_id"]: node for node in of["nodes"].values() if node["resource_type"] == "model"}


def test_every_model_is_described():
    undescribed = sorted(
        node["name"] for node in models(manifest()).values() if not node["description"].strip()
    )
    assert undescribed == []


def test_the_docs_overview_says_where_to_start_and_what_is_synthetic():
    [overview] = [
        doc
        for doc in manifest()["docs"].values()
        if doc["name"] == "__overview__" and doc["package_name"] == "county_industry"
    ]
    text = overview["block_contents"]
    for words in ("Where to start", "published_rankings", "column_lineage", "SYNTHETIC", "synthetic = true"):
        assert words in text, words


def marts_read_below_the_marts(of: dict) -> list[tuple[str, str]]:
    """(model, mart) for every staging or intermediate model that reads a mart. A cross-year model is the
    exception: the per-year tables below the marts hold only a run's years, so the years before are the
    marts' (int_robustness__attribution, like the cross-year marts, reads indicator_values of every year)."""
    nodes = models(of)
    return sorted(
        (node["name"], nodes[parent]["name"])
        for node in nodes.values()
        if node["config"]["schema"] in LAYERS[:2] and "cross_year" not in node["config"]["tags"]
        for parent in node["depends_on"]["nodes"]
        if parent in nodes and nodes[parent]["config"]["schema"] == "marts"
    )


def test_no_intermediate_or_staging_model_reads_a_mart():
    assert marts_read_below_the_marts(manifest()) == []


def test_a_model_reading_a_mart_is_named():
    """The rule fails as it should: int_computed_lists__members read computed_rankings before it read
    int_rankings__top100."""
    read_before = manifest()
    members = next(n for n in models(read_before).values() if n["name"] == "int_computed_lists__members")
    members["depends_on"]["nodes"].append("model.county_industry.computed_rankings")
    assert marts_read_below_the_marts(read_before) == [("int_computed_lists__members", "computed_rankings")]


def marts_not_saying_synthetic(of: dict) -> list[str]:
    """The marts with a `synthetic` column whose description says neither SYNTHETIC (rows the demo panel
    made) nor when `synthetic = true` (national_totals: real rows, flagged where a source says synthetic)."""
    return sorted(
        node["name"]
        for node in models(of).values()
        if node["config"]["schema"] == "marts"
        and "synthetic" in node["columns"]
        and not any(words in node["description"] for words in ("SYNTHETIC", "synthetic = true"))
    )


def test_every_mart_with_synthetic_rows_says_so():
    assert marts_not_saying_synthetic(manifest()) == []


def test_a_mart_silent_on_synthetic_rows_is_named():
    """The rule fails as it should: composite_scores' description before it said so."""
    silent = manifest()
    scores = next(n for n in models(silent).values() if n["name"] == "composite_scores")
    scores["description"] = "工业竞争力指数. Dimension scores and the index of every ranked unit."
    assert marts_not_saying_synthetic(silent) == ["composite_scores"]


def marts_without_a_chinese_label(of: dict) -> list[str]:
    """The marts (mart) and mart columns (mart.column) whose description does not begin with a Chinese label:
    the label (the exports' rule, CJK and full-width characters up to the first ASCII one) is the title an
    analyst reads in the DuckDB comment and the header, or the sheet's name, of the Excel exports."""
    return sorted(
        name
        for node in models(of).values()
        if node["config"]["schema"] == "marts"
        for name, description in [
            (node["name"], node["description"]),
            *((f"{node['name']}.{column}", c["description"]) for column, c in node["columns"].items()),
        ]
        if not _LABEL.match(description or "")
    )


def test_every_mart_and_every_mart_column_begins_with_a_chinese_label():
    assert marts_without_a_chinese_label(manifest()) == []


def test_a_mart_column_without_a_chinese_label_is_named():
    """The rule fails as it should: published_ranking_tiers.unit_count's description before it had one."""
    unlabelled = manifest()
    tiers = next(n for n in models(unlabelled).values() if n["name"] == "published_ranking_tiers")
    tiers["columns"]["unit_count"]["description"] = "Units of the tier in the area."
    assert marts_without_a_chinese_label(unlabelled) == ["published_ranking_tiers.unit_count"]
