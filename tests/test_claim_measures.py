"""The registry of claim measures (dbt/seeds/claim_measures.csv) against what reads it: the branches of
marts.claims (one `measure = '...'` each), the register of claims, and the ingest that refuses an unknown
measure. A measure registered without a computation, or a computation without a measure, is named."""

import re
import shutil
from pathlib import Path

import pytest

from dagster_project.lib import registry
from dagster_project.resources import CLAIM_MEASURES_SEED, DBT_PROJECT_DIR, DEFAULT_DATA_DIR

pytestmark = pytest.mark.consistency  # the registry, the SQL and the register agree

CLAIMS_SQL = Path("models/marts/claims/claims.sql")  # under dbt/
REGISTER = DEFAULT_DATA_DIR / "reference" / "report_figures.csv"
BRANCH = re.compile(r"\bmeasure = '(\w+)'")


def disagreements(claims_sql: Path, seed: Path) -> list[str]:
    """Every measure the registry says is computed with no branch of marts.claims, every branch with no
    measure in the registry, every measure said not computable that has a branch; none when they agree."""
    measures = registry.claim_measures(seed)
    branches = set(BRANCH.findall(claims_sql.read_text(encoding="utf-8")))
    computed = {m.id for m in measures.values() if m.evaluated_against != "none"}
    problems = [f"{m}: registered as computed, no branch in {CLAIMS_SQL}" for m in computed - branches]
    problems += [f"{m}: a branch in {CLAIMS_SQL}, not in the registry" for m in branches - set(measures)]
    problems += [
        f"{m}: registered as not computable, yet a branch in {CLAIMS_SQL}"
        for m in branches & (set(measures) - computed)
    ]
    return sorted(problems)


def test_every_registered_measure_has_a_branch_and_every_branch_a_measure():
    assert disagreements(DBT_PROJECT_DIR / CLAIMS_SQL, CLAIM_MEASURES_SEED) == []


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    sql, seed = tmp_path / "claims.sql", tmp_path / "claim_measures.csv"
    shutil.copy(DBT_PROJECT_DIR / CLAIMS_SQL, sql)
    shutil.copy(CLAIM_MEASURES_SEED, seed)
    return sql, seed


def _register_without_branch(sql: Path, seed: Path) -> list[str]:
    with seed.open("a", encoding="utf-8") as f:
        f.write("unit_gdp,amount,县域GDP,marts,select gdp from marts.x,\n")
    return [f"unit_gdp: registered as computed, no branch in {CLAIMS_SQL}"]


def _branch_without_measure(sql: Path, seed: Path) -> list[str]:
    text = sql.read_text(encoding="utf-8")
    sql.write_text(text.replace("'unit_rank'", "'unit_position'"), encoding="utf-8")
    return [
        f"unit_position: a branch in {CLAIMS_SQL}, not in the registry",
        f"unit_rank: registered as computed, no branch in {CLAIMS_SQL}",
    ]


def _branch_of_a_measure_said_not_computable(sql: Path, seed: Path) -> list[str]:
    text = seed.read_text(encoding="utf-8")
    seed.write_text(
        text.replace("unit_rank,rank,", "unit_rank,rank,").replace(
            ',marts,"select rank from marts.published_rankings',
            ',none,"select rank from marts.published_rankings',
        ),
        encoding="utf-8",
    )
    return [f"unit_rank: registered as not computable, yet a branch in {CLAIMS_SQL}"]


@pytest.mark.parametrize(
    "breakage",
    [_register_without_branch, _branch_without_measure, _branch_of_a_measure_said_not_computable],
    ids=["a measure registered alone", "a branch renamed alone", "a computed measure said not computable"],
)
def test_each_disagreement_is_named(tmp_path, breakage):
    sql, seed = _copy(tmp_path)
    assert disagreements(sql, seed) == []
    expected = breakage(sql, seed)
    assert disagreements(sql, seed) == sorted(expected)


def test_the_register_uses_every_registered_measure_and_no_other():
    """Python, SQL and the register read the one registry: no measure of the register is unknown to it, and
    none of it is dead (a measure no claim uses)."""
    import csv

    with REGISTER.open(encoding="utf-8", newline="") as f:
        used = {row["measure"] for row in csv.DictReader(f)}
    assert used == set(registry.claim_measures())


def test_the_ingest_names_a_measure_the_registry_does_not_hold():
    import pandas as pd

    from dagster_project.reference.frames import resolve_report_figures

    frame = pd.DataFrame(
        [
            {
                "edition_year": "2024",
                "list": "industrial_county",
                "measure": "province_count",
                "key": "江苏省",
            },
            {"edition_year": "2024", "list": "industrial_county", "measure": "unit_gdp", "key": "昆山市"},
            {
                "edition_year": "2024",
                "list": "",
                "measure": "share_of_stated",
                "key": "x",
                "against": "2024/a",
            },
        ]
    )
    errors = [
        e if isinstance(e, str) else None for e in resolve_report_figures(frame, None)["resolution_error"]
    ]
    assert errors == [None, "unknown measure 'unit_gdp'", "`against` names no claim '2024/a'"]
