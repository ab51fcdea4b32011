"""The ranking tables the reports publish (real): one input per list and edition."""

from pathlib import Path

import yaml

from dagster_project.reference.inputs import ReferenceInput
from dagster_project.resources import DBT_PROJECT_DIR

LIST_TITLES = {
    "industrial_county": ("工业百强县（市）", "county", "表1"),
    "innovation_county": ("创新百强县（市）", "county", "表2"),
    "industrial_district": ("工业百强区", "district", "表3"),
}


def ranking_input(edition_year: int, list_name: str) -> ReferenceInput:
    title, universe, table_number = LIST_TITLES[list_name]
    return ReferenceInput(
        table=f"rankings_{edition_year}_{list_name}",
        file=f"rankings/{edition_year}_{list_name}.csv",
        description=(
            f"{edition_year} 年版报告 {table_number} {title}: the published ranking as printed, each row "
            f"resolved to an adcode of the {universe} universe. Real."
        ),
        columns=["edition_year", "list", "rank", "province", "prefecture", "name", "star"],
        resolve="resolve_rankings",
        suite="reference_published_ranking",
        parameters={"edition_year": [edition_year], "list": [list_name], "universe": [universe]},
        preview=["rank", "province_printed", "prefecture_printed", "name_printed", "adcode", "star"],
    )


def ranking_inputs(dbt_project_file: Path = DBT_PROJECT_DIR / "dbt_project.yml") -> list[ReferenceInput]:
    """Editions and lists come from the dbt project's vars: one place says which tables exist."""
    project_vars = yaml.safe_load(dbt_project_file.read_text(encoding="utf-8"))["vars"]
    return [
        ranking_input(int(edition), name)
        for edition in project_vars["ranking_editions"]
        for name in project_vars["ranking_lists"]
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
    preview=["edition_year", "list", "measure", "key", "published_value"],
)
