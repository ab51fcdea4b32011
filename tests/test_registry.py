"""The registry (dagster_project/lib/registry.py): the lists and regions are written once, as dbt seeds, and
the editions are the ranking files present (no dbt file names one). The other input an edition brings (its
tier bounds) and the files of each edition are held to them here, and each disagreement is named."""

import csv
import json
import shutil
from pathlib import Path

import pytest

from dagster_project.lib import registry
from dagster_project.lib.divisions import read_provinces
from dagster_project.reference.admin_units import PROVINCES_FILE
from dagster_project.resources import DBT_PROJECT_DIR, DEFAULT_DATA_DIR, EXPECTATIONS_DIR, RANKINGS_FOLDER

pytestmark = (
    pytest.mark.consistency
)  # the registry, dbt's vars and sources, the tier bounds and the files agree

REFERENCE = DEFAULT_DATA_DIR / "reference"
TIER_BOUNDS_FILE = Path("published_tier_bounds.csv")  # under data/reference/
# What a copy of the project needs for disagreements(): the dbt files it reads, and the ranking files.
DBT_FILES = [Path("seeds/ranking_lists.csv")]


def disagreements(reference_dir: Path, dbt_dir: Path) -> list[str]:
    """Every way the ranking files, the registry of lists and the tier bounds disagree about which lists and
    editions there are; none when they agree."""
    lists = list(registry.ranking_lists(dbt_dir / "seeds" / "ranking_lists.csv"))
    present = registry.ranking_files_present(reference_dir)
    editions = registry.editions_present(reference_dir)
    expected = {(edition, name) for edition in editions for name in lists}
    problems = [
        f"{registry.ranking_file(e, n)}: missing (edition {e} has other lists)" for e, n in expected - present
    ]
    problems += [
        f"{registry.ranking_file(e, n)}: list {n} is not in the registry" for e, n in present - expected
    ]
    with (reference_dir / TIER_BOUNDS_FILE).open(encoding="utf-8", newline="") as f:
        bounded = sorted({int(row["edition_year"]) for row in csv.DictReader(f)})
    if bounded != editions:
        problems.append(f"{TIER_BOUNDS_FILE}: tier bounds of editions {bounded}, not the files' {editions}")
    return sorted(problems)


def test_the_ranking_files_the_registry_and_the_tier_bounds_agree():
    assert disagreements(REFERENCE, DBT_PROJECT_DIR) == []


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    reference, dbt_dir = tmp_path / "reference", tmp_path / "dbt"
    shutil.copytree(REFERENCE / RANKINGS_FOLDER, reference / RANKINGS_FOLDER)
    shutil.copy(REFERENCE / TIER_BOUNDS_FILE, reference / TIER_BOUNDS_FILE)
    for file in DBT_FILES:
        (dbt_dir / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DBT_PROJECT_DIR / file, dbt_dir / file)
    return reference, dbt_dir


EDITIONS = registry.editions_present(REFERENCE)
LISTS = list(registry.ranking_lists())
NEW_EDITION = EDITIONS[-1] + 1
NEW_LIST = "innovation_district"  # not a list of the reports (yet)


def _drop_a_file(reference: Path, dbt_dir: Path) -> list[str]:
    (reference / registry.ranking_file(EDITIONS[-1], LISTS[-1])).unlink()
    return [
        f"{registry.ranking_file(EDITIONS[-1], LISTS[-1])}: missing (edition {EDITIONS[-1]} has other lists)"
    ]


def _add_an_edition(reference: Path, dbt_dir: Path) -> list[str]:
    """The latest edition's files copied as a new edition's, and nothing else done."""
    for name in LISTS:
        latest = reference / registry.ranking_file(EDITIONS[-1], name)
        shutil.copy(latest, reference / registry.ranking_file(NEW_EDITION, name))
    editions = [*EDITIONS, NEW_EDITION]
    return [
        f"{TIER_BOUNDS_FILE}: tier bounds of editions {EDITIONS}, not the files' {editions}",
    ]


def _register_a_list(reference: Path, dbt_dir: Path) -> list[str]:
    """A list added to the registry, and nothing else done."""
    with (dbt_dir / "seeds" / "ranking_lists.csv").open("a", encoding="utf-8") as f:
        f.write(f"{NEW_LIST},创新百强区,市辖区,district,innovation,100,表4,{len(LISTS) + 1}\n")
    return [
        *(f"{registry.ranking_file(e, NEW_LIST)}: missing (edition {e} has other lists)" for e in EDITIONS),
    ]


@pytest.mark.parametrize(
    "breakage",
    [_drop_a_file, _add_an_edition, _register_a_list],
    ids=["a ranking file dropped", "an edition's files added alone", "a list registered alone"],
)
def test_each_disagreement_is_named(tmp_path, breakage):
    reference, dbt_dir = _copy(tmp_path)
    assert disagreements(reference, dbt_dir) == []
    expected = breakage(reference, dbt_dir)
    assert disagreements(reference, dbt_dir) == sorted(expected)


def test_a_list_is_named_by_its_index_and_universe():
    """int_rankings__ranked names the list that ranks a universe by an index <index>_<universe>: the
    registry's ids follow that rule, each list ranks a universe of marts.admin_units, in the order 1..n."""
    lists = registry.ranking_lists()
    assert lists, "the registry has lists"
    for name, item in lists.items():
        assert name == f"{item.index_id}_{item.universe}", item
        assert item.universe in ("county", "district"), item
        assert item.index_id in ("industrial", "innovation"), item
        assert item.top_n > 0 and item.title_zh and item.unit_header and item.table_number, item
    assert [item.order for item in lists.values()] == list(range(1, len(lists) + 1))


def test_the_regions_are_those_of_provinces_csv():
    provinces = read_provinces(REFERENCE / PROVINCES_FILE)
    assert sorted(registry.regions()) == sorted({province.region for province in provinces.values()})
    assert len(set(registry.regions())) == len(registry.regions()), "each region once"


def test_the_ranking_suite_holds_each_list_to_its_top_n():
    """The suite of the ranking files counts 100 rows, ranks 1 to 100: the top_n of every list."""
    suite = json.loads((EXPECTATIONS_DIR / "reference_published_ranking.json").read_text(encoding="utf-8"))
    counts = {
        e["kwargs"]["value"] for e in suite["expectations"] if e["type"] == "expect_table_row_count_to_equal"
    }
    ranks = {
        e["kwargs"]["max_value"]
        for e in suite["expectations"]
        if e["type"] == "expect_column_values_to_be_between" and e["kwargs"]["column"] == "rank"
    }
    assert counts == ranks == {item.top_n for item in registry.ranking_lists().values()}
