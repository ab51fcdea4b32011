"""Runbook, 'Add an indicator', done as docs/runbook.md prints it on a copy of the project (its code,
configuration, documents and a refreshed data directory with its warehouse): the blocks of the section
pasted where it says, the new measure's column added to the raw files, its commands run as printed. The
published marts must carry the indicator, computed as the independent engine computes it from the same
copy, with its missing values treated as declared; the existing warehouse is not rebuilt."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from dagster_project.resources import PROJECT_DIR, PUBLISHED_FILE, WAREHOUSE_FILE
from tests.conftest import PipelineRun, project_copy, run_in_copy
from tests.independent import engine as eng
from tests.independent.compare import assert_indicator_values_agree

pytestmark = pytest.mark.independent  # the runbook's steps as printed; expected values by the other engine

SECTION = "Add an indicator"
MEASURE, INDICATOR = "energy_industry", "industry_energy_intensity"
SHARE = 0.6  # the synthetic measure: this share of each unit's energy consumption
NOT_REPORTED_IN_2022 = ("320583", "330281")  # units of provinces where others report it
PROVINCE_NOT_REPORTING_IN_2022 = "36"  # 江西: no unit reports it, the universe's median is taken


def section_text() -> str:
    text = (PROJECT_DIR / "docs" / "runbook.md").read_text(encoding="utf-8")
    return text.split(f"## {SECTION}\n", 1)[1].split("\n## ", 1)[0]


def blocks(kind: str) -> list[str]:
    """The section's ```kind blocks, as printed, without the indentation of the list item they sit in."""
    found = re.findall(rf"^( *)```{kind}\n(.*?)^ *```", section_text(), flags=re.S | re.M)
    return ["".join(line[len(indent) :] for line in body.splitlines(keepends=True)) for indent, body in found]


def paste(root: Path) -> None:
    """Steps 1 and 2: the measure at the end of `columns`, the indicator at the end of `indicators`, the
    dimension's block in place of the one it replaces."""
    measure, indicator, dimension = blocks("yaml")
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


def test_add_an_indicator_as_printed(pipeline_run: PipelineRun, tmp_path: Path) -> None:
    root = project_copy(pipeline_run, tmp_path)
    assert len(blocks("yaml")) == 3, "the measure, the indicator, the dimension's judgements"
    assert blocks("sh") == [
        ".venv/bin/python -m dagster_project.engine.indicator_system\n.venv/bin/county-industry run\n"
    ], "the commands this test runs"
    paste(root)
    files = add_column(root)
    assert sorted(files) == [2021, 2022]

    for command in blocks("sh")[0].splitlines():
        done = run_in_copy(root, command)
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    contract = (root / "docs" / "data-contract.md").read_text(encoding="utf-8")
    method = (root / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert f"| `{MEASURE}` | 规上工业综合能源消费量 | energy | 万吨标准煤 |" in contract
    assert (
        f"| {INDICATOR} | 单位工业增加值能耗 | 10000 × {MEASURE} / va_industry | 吨标准煤/万元 | − |"
        in method
    )

    # the existing warehouse took the column at the ingest: no rebuild
    with duckdb.connect(str(root / "data" / WAREHOUSE_FILE), read_only=True) as con:
        assert con.execute(f"select count({MEASURE}) from raw.county_statistics").fetchone()[0] > 0

    values = published(root, f"select * from marts.indicator_values where indicator = '{INDICATOR}'")
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
    weights = published(root, f"select * from marts.indicator_weights where element = '{INDICATOR}'")
    assert weights[["index", "parent"]].values.tolist() == [["industrial", "green"]]

    mine = eng.run_engine(
        eng.Inputs(
            raw_dir=root / "data" / "raw" / "county_statistics",
            config_dir=root / "config",
            divisions_dir=root / "data" / "reference" / "divisions",
        )
    )
    theirs = published(root, "select * from marts.indicator_values")
    assert_indicator_values_agree(mine["indicator_values"], theirs)

    order = ["list", "data_year", "rank"]
    ranks = published(root, "select * from marts.computed_rankings").sort_values(order, ignore_index=True)
    expected = mine["computed_rankings"].sort_values(order, ignore_index=True)
    assert ranks["adcode"].tolist() == expected["adcode"].tolist()
    assert np.allclose(ranks["index_score"], expected["index_score"], rtol=1e-9, atol=1e-9)
