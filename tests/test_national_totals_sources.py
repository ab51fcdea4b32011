"""The real national totals (data/raw/national_totals/): every row names where its values were read, and
every data year of the panel has its row. A value is never estimated: a cell with no source stays empty."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dagster_project.partitions import data_years
from dagster_project.resources import DEFAULT_DATA_DIR

pytestmark = pytest.mark.independent  # read here from the committed files; the contract's rule

TOTALS = DEFAULT_DATA_DIR / "raw" / "national_totals"
FILES = sorted(TOTALS.glob("*/*.csv"))


def rows_without_source(path: Path) -> list[int]:
    """The lines of a national-totals file whose `source` is empty."""
    with path.open(encoding="utf-8", newline="") as f:
        return [line for line, row in enumerate(csv.DictReader(f), start=2) if not row["source"].strip()]


@pytest.mark.parametrize("path", FILES, ids=[p.parent.name for p in FILES])
def test_every_row_names_its_source(path: Path) -> None:
    assert rows_without_source(path) == []


def test_a_row_without_a_source_is_found(tmp_path: Path) -> None:
    path = tmp_path / "national_totals_2015.csv"
    path.write_text("data_year,source,gdp[亿元]\n2015,国家统计局,676708\n2016, ,744127\n", encoding="utf-8")
    assert rows_without_source(path) == [3]


def test_every_data_year_of_the_panel_has_its_national_row() -> None:
    assert [p.parent.name for p in FILES] == data_years(DEFAULT_DATA_DIR)
