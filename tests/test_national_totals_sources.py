"""The real national totals (data/raw/national_totals/): every row names where its values were read, and
every data year of the panel has its row. A value is never estimated: a cell with no source stays empty."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from dagster_project.partitions import data_years
from dagster_project.raw import frames
from dagster_project.raw.contract import Contract
from dagster_project.raw.ingest import NATIONAL_TOTALS
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


def read_2022(tmp_path: Path, drop: tuple[str, ...] = ()):
    """The committed 2022 row read as the ingest reads it, without the header cells in `drop`."""
    with (TOTALS / "2022" / "national_totals_2022.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    path = tmp_path / "national_totals_2022.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, [c for c in rows[0] if c not in drop], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return frames.read_file(path, Contract.load(NATIONAL_TOTALS.contract), path.name)


def test_the_added_denominators_are_read_in_canonical_units(tmp_path: Path) -> None:
    """960 万平方公里 as 9,600,000 km²; 203,703 亿元 and 137.91 万亿元 as 万元; an empty cell as null."""
    row = read_2022(tmp_path).iloc[0]
    assert row["land_area"] == 9_600_000
    assert row["fiscal_revenue"] == 2_037_030_000
    assert row["above_scale_revenue"] == 13_791_000_000
    assert pd.isna(row["above_scale_employment"])


def test_a_file_written_before_the_added_denominators_is_still_read(tmp_path: Path) -> None:
    """They are optional in the contract: a file without their columns is read, and they are null."""
    added = ("fiscal_revenue[亿元]", "above_scale_employment[万人]", "land_area[万平方公里]")
    row = read_2022(tmp_path, drop=added).iloc[0]
    assert row["gdp"] == 12_102_070_000
    assert row[["fiscal_revenue", "above_scale_employment", "land_area"]].isna().all()
