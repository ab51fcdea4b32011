"""dbt exposures name what is built from the marts outside dbt (figures, workbooks, the report site), and
each one depends on exactly the marts its Dagster asset reads: the dbt docs' lineage graph ends where the
UI's does."""

import json

import pytest
from dagster import AssetKey

from dagster_project import figures
from dagster_project.dbt_exposures import EXPOSURES_FILE, rendered
from dagster_project.definitions import build_definitions
from dagster_project.publish import REPORT_SITE, WORKBOOKS
from dagster_project.resources import DBT_MANIFEST, DEFAULT_DATA_DIR

pytestmark = pytest.mark.consistency  # the dbt docs agree with the Dagster asset graph

MART_GROUP = "marts"


def exposures() -> dict[str, dict]:
    manifest = json.loads(DBT_MANIFEST.read_text(encoding="utf-8"))
    return {node["name"]: node for node in manifest["exposures"].values()}


def disagreements(of: dict[str, dict]) -> list[str]:
    """Each exposure whose marts are not those its asset reads, and each figure or export without one."""
    graph = build_definitions(DEFAULT_DATA_DIR).resolve_asset_graph()
    built_from_marts = {
        key
        for key in graph.get_all_asset_keys()
        if graph.get(key).group_name == "figures" or key in (WORKBOOKS, REPORT_SITE)
    }
    found, exposed = [], set()
    for name, exposure in sorted(of.items()):
        key = AssetKey(exposure["meta"]["dagster_asset_key"])
        exposed.add(key)
        reads = sorted(p.path[-1] for p in graph.get(key).parent_keys if p.path[0] == MART_GROUP)
        says = sorted(model.rsplit(".", 1)[1] for model in exposure["depends_on"]["nodes"])
        if reads != says:
            found.append(f"{name}: depends on {says}, its asset reads {reads}")
    found += [f"{key.to_user_string()} has no exposure" for key in sorted(built_from_marts - exposed)]
    return found


def test_each_exposure_depends_on_what_its_asset_reads():
    assert len(exposures()) >= 8
    assert disagreements(exposures()) == []


@pytest.mark.independent
def test_an_exposure_missing_a_mart_or_missing_altogether_is_named():
    changed = exposures()
    changed["figure_tiers"]["depends_on"]["nodes"] = []
    del changed["workbooks"]
    assert disagreements(changed) == [
        "figure_tiers: depends on [], its asset reads ['published_ranking_tiers']",
        "published/workbooks has no exposure",
    ]


def test_the_exposures_file_is_written_from_the_publish_asset():
    assert EXPOSURES_FILE.read_text(encoding="utf-8") == rendered(), "python -m dagster_project.dbt_exposures"


@pytest.mark.independent
def test_a_figure_added_gets_its_exposure_and_the_file_is_then_stale(monkeypatch: pytest.MonkeyPatch):
    added = figures.Figure("added", "新增（图99）", figures.tiers, ("published_ranking_tiers",))
    monkeypatch.setattr(figures, "FIGURES", [*figures.FIGURES, added])
    text = rendered()
    assert text != EXPOSURES_FILE.read_text(encoding="utf-8")
    assert (
        "  - name: figure_added\n"
        '    label: "新增（图99）"\n'
        "    type: analysis\n"
        "    maturity: high\n"
        '    description: "新增（图99）: data/published/figures/added.png and .svg, of the same snapshot, '
        'from marts published_ranking_tiers."\n'
        "    owner: {name: county-industry}\n"
        "    depends_on:\n"
        "      - ref('published_ranking_tiers')\n"
        "    meta: {dagster_asset_key: [published, figures, added]}\n"
    ) in text
