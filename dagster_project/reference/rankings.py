"""The ranking tables the reports publish (real): one input per ranking file present, and their stack.

An edition is its files: each file under data/reference/rankings/ becomes an input with its own check, and
one table, reference.published_rankings, stacks them all, so that dbt reads one source whatever the
editions (docs/runbook.md, Add an edition).
"""

from pathlib import Path

from dagster import AssetKey, AssetsDefinition, MaterializeResult, asset

from dagster_project.lib import registry
from dagster_project.reference.inputs import ReferenceInput
from dagster_project.resources import RANKING_LISTS_SEED, Warehouse

PUBLISHED_RANKINGS = AssetKey(["reference", "published_rankings"])


def ranking_input(edition_year: int, list_name: str) -> ReferenceInput:
    ranking = registry.ranking_list(list_name)
    return ReferenceInput(
        table=f"rankings_{edition_year}_{list_name}",
        file=registry.ranking_file(edition_year, list_name),
        description=(
            f"{edition_year} 年版报告 {ranking.table_number} {ranking.title_zh}: the published ranking as "
            f"printed, each row resolved to an adcode of the {ranking.universe} universe. Real."
        ),
        columns=["edition_year", "list", "rank", "province", "prefecture", "name", "star"],
        resolve="resolve_rankings",
        suite="reference_published_ranking",
        parameters={"edition_year": [edition_year], "list": [list_name], "universe": [ranking.universe]},
        preview=["rank", "province_printed", "prefecture_printed", "name_printed", "adcode", "star"],
    )


def ranking_inputs(reference_dir: Path) -> list[ReferenceInput]:
    """One input per ranking file under reference_dir/rankings/, by edition and the registry's order."""
    lists = registry.ranking_lists()
    present = registry.ranking_files_present(reference_dir)
    unknown = sorted(registry.ranking_file(e, name) for e, name in present if name not in lists)
    if unknown:
        raise ValueError(
            f"{', '.join(unknown)} under {reference_dir}: not a list of the registry {RANKING_LISTS_SEED} "
            f"({', '.join(lists)}); add the list there first (docs/runbook.md)"
        )
    order = list(lists)
    return [ranking_input(e, name) for e, name in sorted(present, key=lambda p: (p[0], order.index(p[1])))]


def build_published_rankings(rankings: list[ReferenceInput]) -> AssetsDefinition:
    """The ranking tables of every edition present, stacked: what dbt reads."""
    editions = sorted({edition for spec in rankings for edition in spec.parameters["edition_year"]})

    @asset(
        key=PUBLISHED_RANKINGS,
        deps=[spec.key for spec in rankings],
        group_name="staging",  # not an input (each file is one, with its check): the first step after them
        kinds={"duckdb"},
        description=(
            "Every published ranking table present under data/reference/rankings/, stacked (each row keeps "
            "its file's path and sha256): one dbt source, whatever the editions. Real."
        ),
        metadata={"editions": editions},
    )
    def _asset(warehouse: Warehouse) -> MaterializeResult:
        stacked = " union all by name ".join(
            f'from "{schema}"."{table}"' for schema, table in (spec.key.path for spec in rankings)
        )
        schema, table = PUBLISHED_RANKINGS.path
        with warehouse.get_connection() as con:
            con.execute(
                f'create or replace table "{schema}"."{table}" as '
                f"select * from ({stacked}) order by edition_year, list, source_row"
            )
            rows = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
        return MaterializeResult(metadata={"rows": rows, "tables": len(rankings)})

    return _asset


TIER_BOUNDS = ReferenceInput(
    table="published_tier_bounds",
    file="published_tier_bounds.csv",
    description=(
        "The tiers (梯队) each edition states for its lists, as rank bounds, each row citing the figure that "
        "states it (2022 年版 图11, 2024 年版 图9). Real, transcribed; an edition brings its rows."
    ),
    columns=["edition_year", "list", "tier", "first_rank", "last_rank", "source"],
    resolve="resolve_tier_bounds",
    suite="reference_tier_bounds",
    preview=["edition_year", "list", "tier", "first_rank", "last_rank"],
)

REPORT_FIGURES = ReferenceInput(
    table="report_figures",
    file="report_figures.csv",
    description=(
        "Every distribution figure the two editions state in their text (counts by province, region and "
        "unit type, leaders, rank bands, tiers, city clusters), each citing where: the claims register."
    ),
    columns=[
        "edition_year",
        "list",
        "source",
        "measure",
        "key",
        "published_value",
        "table_value",
        "tolerance",
    ],  # and, optional: comparison, against (dagster_project/reference/frames.py)
    resolve="resolve_report_figures",
    suite="reference_report_figures",
    parameters={"lists": list(registry.ranking_lists())},
    preview=["edition_year", "list", "measure", "key", "published_value"],
)

STATED_REGION_COUNTS = ReferenceInput(
    table="stated_region_counts",
    file="stated_region_counts.csv",
    description=(
        "Region counts of a list in editions whose ranking table is not under data/reference/rankings/, as "
        "a later edition states them beside its region series (2022 年版 图9, 2024 年版 图7): the points of "
        "those figures no table here gives. Real, transcribed with citation."
    ),
    columns=["edition_year", "list", "region", "unit_count", "stated_in", "figure", "source"],
    resolve="resolve_stated_region_counts",
    suite="reference_stated_region_counts",
    preview=["edition_year", "list", "region", "unit_count", "stated_in", "figure"],
)
