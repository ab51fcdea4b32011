"""The runbook's changes to a project, done as docs/runbook.md prints them on one copy of the project (its
code, configuration, documents and a refreshed data directory with its warehouse and run history), then the
refresh each of them ends with, run once for all:

- 'Add an indicator': the section's blocks pasted where it says, the new measure's column added to the raw
  files (empty for some units), its commands run as printed;
- 'Add an edition of the published rankings': a 2026 edition, its three files copied from 2024's (so every
  unit keeps its rank) and its tier bounds, validated as printed;
- 'Change the tiers': five tiers instead of four, by its command as printed;
- and gaps in the 2021 file, cells left empty as a real panel leaves them (methodology.md §2a).

One refresh rather than four, because each costs a minute of a test run: the changes touch different files
and different marts, and each test below reads what its change is about. Expected values come from the
independent engine run on the same copy (its raw files and configuration), from the independent Fisher-Jenks
and from the copied editions; the existing warehouse is never rebuilt.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from dagster_project.resources import PUBLISHED_FILE, WAREHOUSE_FILE
from tests import runbook
from tests.conftest import PipelineRun, project_copy, run_in_copy
from tests.independent import engine as eng
from tests.independent.compare import assert_indicator_values_agree

# the runbook's steps as printed; expected values by the other engine; a minute or more of a core
pytestmark = [pytest.mark.independent, pytest.mark.minutes]

INDICATOR_SECTION = "Add an indicator"
EDITION_SECTION = "Add an edition of the published rankings"
TIERS_SECTION = "Change the tiers"
REFRESH = ".venv/bin/county-industry run"  # the command each section ends with

MEASURE, INDICATOR = "energy_industry", "industry_energy_intensity"
SHARE = 0.6  # the synthetic measure: this share of each unit's energy consumption
NOT_REPORTED_IN_2022 = ("320583", "330281")  # units of provinces where others report it
PROVINCE_NOT_REPORTING_IN_2022 = "36"  # 江西: no unit reports it, the universe's median is taken

GAPS_YEAR = 2021
# measure -> the units whose cell is left empty (an adcode, or the two digits of a whole province)
EMPTY = {
    "rd_expenditure": ("320582", "65"),  # R&D intensity and spending: a median (新疆: its universe's)
    "green_factories_national": ("320583",),  # green factories and certifications: zero
    "industrial_fai_growth": ("320585",),  # industrial investment growth: left out, re-weighted
}


def paste(root: Path) -> None:
    """Steps 1 and 2: the measure at the end of `columns`, the indicator at the end of `indicators`, the
    dimension's block in place of the one it replaces."""
    measure, indicator, dimension = runbook.blocks("yaml", INDICATOR_SECTION)
    system = root / "config" / "raw_statistics.yaml"
    text = system.read_text(encoding="utf-8")
    columns_end = text.index("\n\n", text.index("\ncolumns:\n"))
    text = text[:columns_end] + "\n" + measure.rstrip("\n") + text[columns_end:]
    system.write_text(text.rstrip("\n") + "\n" + indicator, encoding="utf-8")
    weights = root / "config" / "weights" / "industrial.yaml"
    text = weights.read_text(encoding="utf-8")
    # the block: its first line and every line indented deeper, up to the next dimension
    old = re.search(rf"^{re.escape(dimension.splitlines()[0])}\n(?:(?:   .*)?\n)*", text, flags=re.M)
    weights.write_text(text[: old.start()] + dimension + text[old.end() :], encoding="utf-8")


def add_column(root: Path) -> dict[int, Path]:
    """Step 3, on the CSV years: the measure's column beside energy_consumption, in the same unit; empty for
    the units that do not report it. The XLSX year (2023) has no such column: no unit reports it."""
    changed = {}
    for path in sorted((root / "data" / "raw" / "county_statistics").glob("*/*.csv")):
        raw = path.read_bytes()
        encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "gbk"
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        [energy] = [c for c in table.columns if c.startswith("energy_consumption[")]
        values = (SHARE * table[energy].astype(float)).round(4).map(lambda v: f"{v:.4f}")
        year = int(path.parent.name)
        if year == 2022:
            silent = table["adcode"].isin(NOT_REPORTED_IN_2022) | table["adcode"].str.startswith(
                PROVINCE_NOT_REPORTING_IN_2022
            )
            values[silent] = ""
        table[energy.replace("energy_consumption", MEASURE)] = values
        table.to_csv(path, index=False, encoding=encoding, lineterminator="\n")
        changed[year] = path
    return changed


def published(root: Path, query: str) -> pd.DataFrame:
    with duckdb.connect(str(root / "data" / PUBLISHED_FILE), read_only=True) as con:
        return con.execute(query).df()


def leave_gaps(root: Path) -> None:
    [path] = (root / "data" / "raw" / "county_statistics" / str(GAPS_YEAR)).glob("*.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for measure, units in EMPTY.items():
        [column] = [c for c in table.columns if c.startswith(f"{measure}[")]
        table.loc[table["adcode"].str.startswith(units), column] = ""
    table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def add_edition_2026(root: Path) -> None:
    """2024's three ranking files as 2026's, and 2024's tier bounds as 2026's."""
    rankings = root / "data" / "reference" / "rankings"
    for latest in sorted(rankings.glob("2024_*.csv")):
        lines = latest.read_text(encoding="utf-8").splitlines(keepends=True)
        copied = [lines[0], *(line.replace("2024,", "2026,", 1) for line in lines[1:])]
        (rankings / latest.name.replace("2024_", "2026_")).write_text("".join(copied), encoding="utf-8")
    bounds = root / "data" / "reference" / "published_tier_bounds.csv"
    rows = [line for line in bounds.read_text(encoding="utf-8").splitlines() if line.startswith("2024,")]
    with bounds.open("a", encoding="utf-8") as f:
        f.writelines(f"{line.replace('2024', '2026')}\n" for line in rows)


def run_in_copy_or_fail(root: Path, command: str) -> None:
    done = run_in_copy(root, command)
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="module")
def changed(pipeline_run: PipelineRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project copy with the four changes made, each section's commands run as printed but its
    closing refresh, then that refresh once."""
    root = project_copy(pipeline_run, tmp_path_factory.mktemp("changed"))
    indicator, edition, tiers = (
        runbook.commands(s) for s in (INDICATOR_SECTION, EDITION_SECTION, TIERS_SECTION)
    )
    yaml_blocks = runbook.blocks("yaml", INDICATOR_SECTION)
    assert len(yaml_blocks) == 3, "the measure, the indicator, the dimension's judgements"
    assert indicator == [".venv/bin/python -m dagster_project.engine.indicator_system", REFRESH]
    assert edition == [
        ".venv/bin/county-industry validate data/reference/rankings/2026_*.csv",
        ".venv/bin/county-industry validate data/reference/published_tier_bounds.csv",
        REFRESH,
    ]
    assert tiers == ["sed -i 's/^  tier_count: 4$/  tier_count: 5/' dbt/dbt_project.yml", REFRESH]

    leave_gaps(root)
    paste(root)
    assert sorted(add_column(root)) == [2021, 2022]
    add_edition_2026(root)
    for command in [*indicator[:-1], *edition[:-1], *tiers[:-1], REFRESH]:
        run_in_copy_or_fail(root, command)
    return root


@pytest.fixture(scope="module")
def mine(changed: Path) -> dict[str, pd.DataFrame]:
    """The independent engine on the copy's raw files and configuration (the new indicator, the gaps)."""
    return eng.run_engine(
        eng.Inputs(
            raw_dir=changed / "data" / "raw" / "county_statistics",
            config_dir=changed / "config",
            divisions_dir=changed / "data" / "reference" / "divisions",
        )
    )


def test_add_an_indicator_as_printed(changed: Path) -> None:
    contract = (changed / "docs" / "data-contract.md").read_text(encoding="utf-8")
    method = (changed / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert f"| `{MEASURE}` | 规上工业综合能源消费量 | energy | 万吨标准煤 |" in contract
    assert (
        f"| {INDICATOR} | 单位工业增加值能耗 | 10000 × {MEASURE} / va_industry | 吨标准煤/万元 | − |"
        in method
    )
    # the existing warehouse took the column at the ingest: no rebuild
    with duckdb.connect(str(changed / "data" / WAREHOUSE_FILE), read_only=True) as con:
        assert con.execute(f"select count({MEASURE}) from raw.county_statistics").fetchone()[0] > 0

    values = published(changed, f"select * from marts.indicator_values where indicator = '{INDICATOR}'")
    how = values.groupby("data_year")["missing_treatment"].agg(lambda s: set(s.fillna("reported")))
    assert how.to_dict() == {
        2021: {"reported"},
        2022: {"reported", "median_province", "median_universe"},
        2023: {"reweight"},
    }
    jiangxi = values[
        (values.data_year == 2022) & values.adcode.str.startswith(PROVINCE_NOT_REPORTING_IN_2022)
    ]
    assert (jiangxi["missing_treatment"] == "median_universe").all() and jiangxi["is_imputed"].all()
    weights = published(changed, f"select * from marts.indicator_weights where element = '{INDICATOR}'")
    assert weights[["index", "parent"]].values.tolist() == [["industrial", "green"]]


def test_each_gap_is_treated_as_its_indicator_declares(changed: Path) -> None:
    values = published(changed, f"select * from marts.indicator_values where data_year = {GAPS_YEAR}")
    treated = values[values["missing_treatment"].notna()]
    seen = treated.groupby("indicator")["missing_treatment"].agg(lambda s: sorted(set(s))).to_dict()
    assert seen == {
        "rd_intensity": ["median_province", "median_universe"],
        "rd_expenditure": ["median_province", "median_universe"],
        "green_factories": ["zero"],
        "national_certifications": ["zero"],
        "industrial_fai_growth": ["reweight"],
    }
    zhangjiagang = values[(values["adcode"] == "320582") & (values["indicator"] == "rd_expenditure")].iloc[0]
    others = values[
        values["adcode"].str.startswith("32")
        & (values["adcode"] != "320582")
        & (values["indicator"] == "rd_expenditure")
    ]
    assert zhangjiagang["is_imputed"]
    assert zhangjiagang["raw_value"] == pytest.approx(others["raw_value"].median(), rel=1e-12)
    left_out = treated[treated["missing_treatment"] == "reweight"]
    assert not left_out["is_imputed"].any() and left_out["normalized_value"].isna().all()
    assert treated.loc[treated["missing_treatment"] == "zero", "raw_value"].eq(0).all()


def test_indicator_values_agree_with_the_independent_engine(changed: Path, mine) -> None:
    assert_indicator_values_agree(
        mine["indicator_values"], published(changed, "select * from marts.indicator_values")
    )


@pytest.mark.parametrize(
    ("mart", "keys"),
    [
        ("composite_scores", ["data_year", "universe", "adcode"]),
        ("innovation_scores", ["data_year", "adcode"]),
        ("computed_rankings", ["list", "data_year", "rank"]),
    ],
)
def test_scores_and_ranks_agree_with_the_independent_engine(changed: Path, mine, mart, keys) -> None:
    theirs = published(changed, f"select * from marts.{mart}").sort_values(keys, ignore_index=True)
    ours = mine[mart].sort_values(keys, ignore_index=True)
    assert ours["adcode"].astype(str).tolist() == theirs["adcode"].astype(str).tolist()
    for column in [c for c in ours.columns if c.endswith("_score")]:
        assert np.allclose(ours[column], theirs[column], rtol=1e-9, atol=1e-9), column


def test_add_an_edition_as_printed(changed: Path) -> None:
    """The published lists hold the 2026 edition, paired with 2024 as the edition before it."""
    rows = published(
        changed,
        "select list, count(*) as n from marts.published_rankings where edition_year = 2026 "
        "group by 1 order by 1",
    )
    assert rows.to_dict("list") == {
        "list": ["industrial_county", "industrial_district", "innovation_county"],
        "n": [100, 100, 100],
    }
    moved = published(
        changed,
        "select distinct previous_edition_year, rank_change from marts.published_ranking_movements "
        "where edition_year = 2026",
    )
    assert moved.to_dict("list") == {"previous_edition_year": [2024], "rank_change": [0]}, "all stayed"
    tiers = published(
        changed,
        "select tier, unit_count from marts.published_ranking_tiers where edition_year = 2026 "
        "and area_type = 'all' order by tier",
    )
    # 2024's bounds, 1-8, 9-30, 31-86, 87-100 (2024 edition 图9), carried over
    assert tiers.to_dict("list") == {"tier": [1, 2, 3, 4], "unit_count": [8, 22, 56, 14]}


def test_change_the_tiers_as_printed(changed: Path) -> None:
    """Each computed top 100 falls into the five classes the independent engine's Fisher-Jenks gives its
    published scores; the published lists keep the tiers their editions print."""
    ranked = published(
        changed, "select data_year, list, rank, index_score, tier from marts.computed_rankings"
    )
    for (year, name), top in ranked.sort_values("rank").groupby(["data_year", "list"]):
        sizes = eng.jenks_sizes(top["index_score"].to_numpy(), 5)[::-1]  # tier 1 is the highest class
        expected = [tier for tier, size in enumerate(sizes, start=1) for _ in range(size)]
        assert top["tier"].tolist() == expected, (year, name)
    breaks = published(
        changed, "select data_year, list, count(*) as tiers from marts.tier_breaks group by all"
    )
    assert set(breaks["tiers"]) == {5}
    editions = published(changed, "select distinct edition_year, tier from marts.published_ranking_tiers")
    assert sorted(editions["tier"].unique()) == [1, 2, 3, 4], "as the editions print them"
