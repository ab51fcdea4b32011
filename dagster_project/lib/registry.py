"""The registry: the lists, regions, claim measures and editions the project knows, each written once.

The lists, the regions and the measures of the claims ledger are dbt seeds (dbt/seeds/ranking_lists.csv,
regions.csv, claim_measures.csv, documented in dbt/seeds/_seeds.yml): the SQL reads them with ref(),
Python and the tests through this module. The editions are data: those whose ranking files lie under
data/reference/rankings/, stacked into one warehouse table (reference.published_rankings) that dbt reads
as one source, so no dbt file names an edition.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from dagster_project.resources import (
    CLAIM_MEASURES_SEED,
    RANKING_LISTS_SEED,
    RANKINGS_FOLDER,
    REGIONS_SEED,
)

EDITION_LAG = 1  # data year Y feeds edition Y + 1 (dbt: int_rankings__ranked.sql)
RANKING_FILE_NAME = re.compile(r"(?P<edition>\d{4})_(?P<list>[a-z_]+)\.csv")


@dataclass(frozen=True)
class RankingList:
    id: str  # industrial_county: the list column of every table, and the ranking files' names
    title_zh: str  # 工业百强县（市）
    unit_header: str  # the unit column's header as printed: 县（市）or 市辖区
    universe: str  # the ranking universe of marts.admin_units: county or district
    index_id: str  # the index it is ranked by: industrial or innovation
    top_n: int  # 100
    table_number: str  # the report's table that prints it: 表1
    order: int  # the reports' order of the lists


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def ranking_lists(path: Path = RANKING_LISTS_SEED) -> dict[str, RankingList]:
    """The lists by id, in the reports' order."""
    lists = [
        RankingList(
            id=row["list"],
            title_zh=row["title_zh"],
            unit_header=row["unit_header"],
            universe=row["universe"],
            index_id=row["index_id"],
            top_n=int(row["top_n"]),
            table_number=row["table_number"],
            order=int(row["list_order"]),
        )
        for row in _rows(path)
    ]
    return {item.id: item for item in sorted(lists, key=lambda item: item.order)}


def ranking_list(list_id: str) -> RankingList:
    return ranking_lists()[list_id]


def regions(path: Path = REGIONS_SEED) -> list[str]:
    """The four regions in the order the reports list them: 东部, 中部, 西部, 东北."""
    return [row["region"] for row in sorted(_rows(path), key=lambda row: int(row["region_order"]))]


@dataclass(frozen=True)
class ClaimMeasure:
    id: str  # province_count: the measure column of data/reference/report_figures.csv
    kind: str  # count, rank, bounds, share, fraction, growth, threshold or amount
    description_zh: str
    evaluated_against: str  # marts (a branch of marts.claims), statements (other claims), none
    query: str  # how marts.claims computes it, shown beside each claim
    by_construction_key_like: str  # keys (SQL LIKE) whose agreement is built into the inputs; empty: none


def claim_measures(path: Path = CLAIM_MEASURES_SEED) -> dict[str, ClaimMeasure]:
    """The measures of the claims ledger by id, in the registry's order."""
    return {
        row["measure"]: ClaimMeasure(
            id=row["measure"],
            kind=row["kind"],
            description_zh=row["description_zh"],
            evaluated_against=row["evaluated_against"],
            query=row["query"],
            by_construction_key_like=row["by_construction_key_like"],
        )
        for row in _rows(path)
    }


def ranking_file(edition_year: int, list_id: str) -> str:
    """A ranking table's file, relative to data/reference/."""
    return f"{RANKINGS_FOLDER}/{edition_year}_{list_id}.csv"


def ranking_files_present(reference_dir: Path) -> set[tuple[int, str]]:
    """(edition, list) of every ranking file under reference_dir/rankings/."""
    found = set()
    for path in (reference_dir / RANKINGS_FOLDER).glob("*.csv"):
        named = RANKING_FILE_NAME.fullmatch(path.name)
        if named is None:
            raise ValueError(f"{path}: not a ranking file name (<edition>_<list>.csv)")
        found.add((int(named["edition"]), named["list"]))
    return found


def editions_present(reference_dir: Path) -> list[int]:
    """The editions whose ranking files lie under reference_dir/rankings/, in order."""
    return sorted({edition for edition, _ in ranking_files_present(reference_dir)})


def published_ranking_rows(reference_dir: Path) -> int:
    """The rows of marts.published_rankings: the top_n of each list, for each ranking file present."""
    lists = ranking_lists()
    return sum(lists[name].top_n for _, name in ranking_files_present(reference_dir))
