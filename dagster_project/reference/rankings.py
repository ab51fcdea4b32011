"""The ranking tables the reports publish (real): one input per list and edition."""

from dagster_project.lib import registry
from dagster_project.reference.inputs import ReferenceInput


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


def ranking_inputs() -> list[ReferenceInput]:
    """One input per edition (lib/registry.py: the editions dbt ingests, those of the files) and list of
    the registry."""
    return [
        ranking_input(edition, name)
        for edition in registry.ranking_editions()
        for name in registry.ranking_lists()
    ]


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
    ],
    resolve="resolve_report_figures",
    suite="reference_report_figures",
    parameters={"lists": list(registry.ranking_lists())},
    preview=["edition_year", "list", "measure", "key", "published_value"],
)
