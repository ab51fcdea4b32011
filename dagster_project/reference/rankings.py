"""The ranking tables the reports publish (real), one asset per list and edition.

Each file is read as printed, every row resolved to an adcode; rows that do not resolve are kept with
the reason, so that the expectation check can name them. Nothing is dropped.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from dagster import (
    AssetChecksDefinition,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)

from dagster_project.lib.divisions import Resolver, read_aliases, read_provinces
from dagster_project.lib.provenance import SourceFile
from dagster_project.reference.admin_units import ADMIN_UNITS, PROVINCES_FILE
from dagster_project.reference.checks import expectation_check
from dagster_project.resources import DBT_PROJECT_DIR, DataDirectory, Warehouse

LIST_TITLES = {
    "industrial_county": ("工业百强县（市）", "county", "表1"),
    "innovation_county": ("创新百强县（市）", "county", "表2"),
    "industrial_district": ("工业百强区", "district", "表3"),
}
PRINTED_COLUMNS = ["edition_year", "list", "rank", "province", "prefecture", "name", "star"]
ALIASES_FILE = "divisions/name_aliases.csv"


@dataclass(frozen=True)
class RankingTable:
    edition_year: int
    list: str

    @property
    def key(self) -> AssetKey:
        return AssetKey(["reference", f"rankings_{self.edition_year}_{self.list}"])

    @property
    def file(self) -> str:
        return f"rankings/{self.edition_year}_{self.list}.csv"

    @property
    def universe(self) -> str:
        return LIST_TITLES[self.list][1]


def ranking_tables(dbt_project_file: Path = DBT_PROJECT_DIR / "dbt_project.yml") -> list[RankingTable]:
    """Editions and lists come from the dbt project's vars: one place says which tables exist."""
    project_vars = yaml.safe_load(dbt_project_file.read_text(encoding="utf-8"))["vars"]
    return [
        RankingTable(int(edition), name)
        for edition in project_vars["ranking_editions"]
        for name in project_vars["ranking_lists"]
    ]


def build_ranking_asset(table: RankingTable) -> AssetsDefinition:
    title, universe, table_number = LIST_TITLES[table.list]

    @asset(
        key=table.key,
        deps=[ADMIN_UNITS],
        group_name="reference",
        kinds={"csv", "duckdb"},
        description=(
            f"{table.edition_year} 年版报告 {table_number} {title}: the published ranking as printed, "
            f"each row resolved to an adcode of the {universe} universe. Real."
        ),
        metadata={"source": f"data/reference/{table.file}", "edition": table.edition_year},
    )
    def _asset(
        context: AssetExecutionContext, data_dir: DataDirectory, warehouse: Warehouse
    ) -> MaterializeResult:
        from dagster_project.reference import frames  # pandas: loaded when the asset runs

        source = SourceFile.of(data_dir.reference / table.file, data_dir.root)
        printed = frames.read_csv_strictly(source.path, PRINTED_COLUMNS)
        provinces = read_provinces(data_dir.reference / PROVINCES_FILE)
        aliases = read_aliases(data_dir.reference / ALIASES_FILE)
        with warehouse.get_connection() as con:
            units = frames.admin_units_from_table(frames.read_table(con, ADMIN_UNITS.path[-1]))
            frame = frames.resolve_rankings(printed, Resolver(units, provinces, aliases))
            frame = frame.assign(**source.columns(context.run.run_id))
            frames.write_table(con, table.key.path[-1], frame)
        unresolved = frame[frame["adcode"].isna()]
        return MaterializeResult(
            metadata={
                "rows": len(frame),
                "unresolved_rows": len(unresolved),
                "source_file": source.relative_path,
                "source_sha256": source.sha256,
                "preview": MetadataValue.md(
                    frame[
                        ["rank", "province_printed", "prefecture_printed", "name_printed", "adcode", "star"]
                    ]
                    .head(10)
                    .to_markdown(index=False)
                ),
            }
        )

    return _asset


def build_ranking_check(table: RankingTable) -> AssetChecksDefinition:
    return expectation_check(
        table.key,
        "reference_published_ranking",
        {"edition_year": [table.edition_year], "list": [table.list], "universe": [table.universe]},
    )
