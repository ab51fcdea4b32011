"""The bundled SYNTHETIC demo panel (data/raw/county_statistics): reproducible, plausible, labelled.

The committed files are read here the way an ingest would read them, with a reader of our own (header
`name[unit]`, factors from config/raw_statistics.yaml), each unit's universe and region from the independent
engine's reading of the code table, and each calibration target measured here (`measured`), so that these
checks do not trust the generator's own idea of what it wrote. The generator supplies only the targets'
cited values (each with its edition and page).

A calibrated target is hit by scaling the generated levels to the report's figure: its agreement is built
into the panel (by_construction), a check that the generator did what it was built to do, never a
confirmation of the figure. The other targets are not aimed at; they are checked against ranges the reports
state. The same command writing the same bytes, and the README citing the targets, are consistency checks.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from dagster_project.demo import synthetic_panel as sp
from dagster_project.lib.xlsx import FIXED_TIME
from tests.independent import engine as independent

pytestmark = pytest.mark.independent  # read and measured here; the contract's and stated rules

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
CONTRACT = yaml.safe_load((ROOT / "config" / "raw_statistics.yaml").read_text(encoding="utf-8"))
MEASURES = list(CONTRACT["columns"])
FILES = {int(path.parent.name): path for path in sorted(RAW.glob("county_statistics/*/synthetic_demo_*"))}
ENCODINGS = {2022: "gbk"}  # every other CSV: UTF-8 with BOM
# Money, people, energy, incomes: the ingest warns when one of these changes by more than a factor 3.
AMOUNTS = [m for m, c in CONTRACT["columns"].items() if c["unit"] not in ("%", "个", "件")]
MAY_BE_NEGATIVE = {m for m, c in CONTRACT["columns"].items() if c.get("nonnegative") is False}


def _units() -> pd.DataFrame:
    return independent.admin_units(
        independent.Inputs(divisions_dir=ROOT / "data" / "reference" / "divisions")
    )


def read_table(path: Path, year: int) -> tuple[list[str], list[list[object]]]:
    """Header and rows as the file holds them: text for CSV, cell values for XLSX."""
    if path.suffix == ".xlsx":
        workbook = openpyxl.load_workbook(path, read_only=True)
        values = [list(r) for r in workbook["data"].iter_rows(values_only=True)]
        workbook.close()
        return [str(h) for h in values[0]], values[1:]
    text = path.read_bytes().decode(ENCODINGS.get(year, "utf-8-sig"))
    records = list(csv.reader(io.StringIO(text)))
    return records[0], records[1:]


def canonical(path: Path, year: int) -> pd.DataFrame:
    """One year's file in the contract's canonical units, with each unit's universe and region."""
    head, rows = read_table(path, year)
    frame = pd.DataFrame(rows, columns=head)
    out = pd.DataFrame({"adcode": frame["adcode"].astype(str), "data_year": frame["data_year"].astype(int)})
    out["synthetic"] = frame["synthetic"].astype(str)
    for column in head[4:]:
        name, unit = column[:-1].split("[")
        canonical_unit = CONTRACT["columns"][name]["unit"]
        out[name] = frame[column].astype(float) * float(CONTRACT["units"][canonical_unit][unit])
    units = _units().set_index("adcode")
    out["universe"] = out["adcode"].map(units["universe"])
    out["region"] = out["adcode"].map(units["region"])
    return out


@pytest.fixture(scope="module")
def committed() -> dict[int, pd.DataFrame]:
    return {year: canonical(path, year) for year, path in FILES.items()}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("regenerated")
    sp.main(["--out", str(out)])
    return out


@pytest.mark.consistency
def test_csv_files_regenerate_byte_for_byte(regenerated: Path) -> None:
    for year in (year for year, path in FILES.items() if path.suffix == ".csv"):
        fresh = regenerated / FILES[year].relative_to(RAW)
        assert fresh.read_bytes() == FILES[year].read_bytes(), f"{FILES[year].name} differs from a fresh run"


@pytest.mark.consistency
def test_xlsx_regenerates_cell_by_cell(regenerated: Path) -> None:
    fresh = regenerated / FILES[2023].relative_to(RAW)
    assert read_table(fresh, 2023) == read_table(FILES[2023], 2023)
    properties = openpyxl.load_workbook(FILES[2023], read_only=True).properties
    assert properties.created == properties.modified == FIXED_TIME


@pytest.mark.consistency
def test_the_same_command_writes_identical_bytes(regenerated: Path, tmp_path: Path) -> None:
    sp.main(["--out", str(tmp_path)])
    for path in FILES.values():
        relative = path.relative_to(RAW)
        assert (tmp_path / relative).read_bytes() == (regenerated / relative).read_bytes(), relative


def test_encodings_and_units_are_as_documented() -> None:
    assert FILES[2021].read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        FILES[2022].read_bytes().decode("utf-8")  # GBK, not UTF-8
    heads = {year: read_table(path, year)[0] for year, path in FILES.items()}
    assert "gdp[万元]" in heads[2021] and "population_resident[万人]" in heads[2021]
    assert "gdp[亿元]" in heads[2022] and "population_resident[万人]" in heads[2022]
    assert "above_scale_enterprises[家]" in heads[2022]
    assert "gdp[万元]" in heads[2023] and "population_resident[人]" in heads[2023]
    assert openpyxl.load_workbook(FILES[2023], read_only=True).sheetnames == ["data"]


@pytest.mark.parametrize("year", sorted(FILES))
def test_header_follows_the_contract(year: int) -> None:
    head, rows = read_table(FILES[year], year)
    assert head[:4] == ["adcode", "data_year", "name", "synthetic"]
    names = [h.split("[")[0] for h in head[4:]]
    assert names == MEASURES
    for column in head[4:]:
        name, unit = column[:-1].split("[")
        assert unit in CONTRACT["units"][CONTRACT["columns"][name]["unit"]], column
    assert all(len(r) == len(head) for r in rows)


@pytest.mark.parametrize("year", sorted(FILES))
def test_every_file_and_row_says_synthetic(year: int, committed: dict[int, pd.DataFrame]) -> None:
    assert "synthetic" in FILES[year].name
    assert (committed[year]["synthetic"] == "true").all()


def test_one_row_per_real_unit_and_year(committed: dict[int, pd.DataFrame]) -> None:
    adcodes = sorted(_units()["adcode"])
    assert len(adcodes) == 2844
    for year, frame in committed.items():
        assert sorted(frame["adcode"]) == adcodes
        assert (frame["data_year"] == year).all()
        assert not frame.duplicated(["adcode", "data_year"]).any()


@pytest.mark.parametrize("year", sorted(FILES))
def test_plausibility_rules_hold_for_every_row(year: int, committed: dict[int, pd.DataFrame]) -> None:
    f = committed[year]
    assert not f[MEASURES].isna().any().any()
    for column in MEASURES:
        if column not in MAY_BE_NEGATIVE:
            assert (f[column] >= 0).all(), column
    assert (f["va_industry"] <= f["va_secondary"]).all()
    assert (f["va_secondary"] <= f["gdp"]).all()
    assert (f["rd_expenditure"] < f["gdp"]).all()
    assert (f["above_scale_profit"] <= f["above_scale_revenue"]).all()
    assert (f["rural_income_per_capita"] <= f["urban_income_per_capita"]).all()
    assert f["urbanisation_rate"].between(0, 100).all()


@pytest.mark.parametrize("column", AMOUNTS)
def test_amounts_change_between_years_by_less_than_a_factor_three(
    column: str, committed: dict[int, pd.DataFrame]
) -> None:
    for before, after in zip(sorted(FILES), sorted(FILES)[1:], strict=False):
        ratio = committed[after][column] / committed[before][column]
        assert ratio.between(1 / 3, 3).all(), (column, before, after, ratio.min(), ratio.max())


def test_gdp_grows_plausibly(committed: dict[int, pd.DataFrame]) -> None:
    for before, after in ((2021, 2022), (2022, 2023)):
        growth = committed[after]["gdp"] / committed[before]["gdp"] - 1
        assert 0.03 <= growth.median() <= 0.08
        assert 0.005 <= growth.std() <= 0.06


def test_the_history_grows_into_2021_plausibly(committed: dict[int, pd.DataFrame]) -> None:
    """2012-2021: nominal GDP grew every year (a few per cent in 2020, more than 10% in 2021), counts of
    designations only accumulate, and 小巨人 (first named in 2019) and 绿色工厂 (2017) are none before."""
    history = [year for year in sorted(FILES) if year <= 2021]
    for before, after in zip(history, history[1:], strict=False):
        growth = committed[after]["gdp"] / committed[before]["gdp"] - 1
        assert 0.0 <= growth.median() <= 0.15, (before, after, growth.median())
        for stock in ("invention_patents", "high_tech_enterprises", "little_giants"):
            assert (committed[after][stock] >= committed[before][stock]).all(), (stock, before)
    assert committed[2018]["little_giants"].sum() == 0 < committed[2019]["little_giants"].sum()
    assert (
        committed[2016]["green_factories_national"].sum()
        == 0
        < committed[2017]["green_factories_national"].sum()
    )


def test_the_added_measures_are_plausible(committed: dict[int, pd.DataFrame]) -> None:
    """The optional measures the demo fills: a unit's area never changes, trade includes exports, and
    above-scale industry employs fewer people than live there."""
    areas = pd.concat([frame.set_index("adcode")["land_area"] for frame in committed.values()], axis=1)
    assert (areas.nunique(axis=1) == 1).all()
    for frame in committed.values():
        assert (frame["trade_total"] >= frame["exports"]).all()
        assert (frame["above_scale_employment"] < frame["population_resident"]).all()


# A target's unit -> the contract's canonical unit of the columns it sums, and how many of those make one.
TARGET_UNITS = {"万亿元": ("万元", 1e8), "亿人": ("万人", 1e4), "万家": ("个", 1e4), "个": ("个", 1.0)}


def total(frame: pd.DataFrame, column: str, unit: str) -> float:
    canonical_unit, per_unit = TARGET_UNITS[unit]
    assert CONTRACT["columns"][column]["unit"] == canonical_unit, column
    return float(frame[column].sum()) / per_unit


def share(frame: pd.DataFrame, column: str, part: pd.Series) -> float:
    return 100.0 * float(frame.loc[part, column].sum()) / float(frame[column].sum())


def measured(target: sp.Target, frame: pd.DataFrame) -> float:
    """What the panel holds of a target, in the target's unit, computed here from its name and text."""
    counties = frame[frame["universe"] == "county"]
    [(scope, what)] = [
        (scope, target.name.removeprefix(prefix))
        for prefix, scope in (("county_", "county"), ("counties_", "county"), ("all_units_", "all"))
        if target.name.startswith(prefix)
    ]
    if what.startswith("gdp_share_"):  # a region's share of county GDP
        return share(counties, "gdp", counties["region"] == what.removeprefix("gdp_share_"))
    rows = counties if scope == "county" else frame
    column = {
        "gdp": "gdp",
        "above_scale_enterprises": "above_scale_enterprises",
        "population": "population_resident",
        "household_savings": "household_savings",
        "loans": "loans_outstanding",
        "high_tech_enterprises": "high_tech_enterprises",
        "little_giants": "little_giants",
        "smart_factories": "smart_factories_national",
        "retail_sales": "retail_sales",
    }
    if what in column:
        return total(rows, column[what], target.unit)
    if what == "secondary_share":
        return 100.0 * float(counties["va_secondary"].sum()) / float(counties["gdp"].sum())
    if what == "enterprise_share":  # of all units' above-scale enterprises
        return share(frame, "above_scale_enterprises", frame["universe"] == "county")
    if what == "below_150k":  # 县（市） below 15 万 residents
        return float((counties["population_resident"] < 15).sum())
    if what == "urbanisation":  # weighted by resident population
        return float(np.average(counties["urbanisation_rate"], weights=counties["population_resident"]))
    if what == "loans_share_东部":
        return share(counties, "loans_outstanding", counties["region"] == "东部")
    raise AssertionError(f"no measure for target {target.name}: add one here")


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(t, id=f"{t.name}-{t.year}", marks=pytest.mark.by_construction if t.calibrated else ())
        for t in sp.TARGETS
    ],
)
def test_calibration_target_is_met(target: sp.Target, committed: dict[int, pd.DataFrame]) -> None:
    value = measured(target, committed[target.year])
    assert abs(value - target.value) <= target.tolerance + 1e-9, (target.cited, target.source, value)


def test_innovation_columns_are_sparse_and_skewed(committed: dict[int, pd.DataFrame]) -> None:
    counties = committed[2022][committed[2022]["universe"] == "county"]
    assert (counties["key_labs_national"] == 0).mean() > 0.9
    assert (counties["engineering_centres_national"] == 0).mean() > 0.9
    high_tech = counties["high_tech_enterprises"]
    assert high_tech.median() < 30 and high_tech.max() > 500
    assert 5 <= (high_tech > 500).sum() <= 100


def test_values_are_rounded_as_declared() -> None:
    head, rows = read_table(FILES[2021], 2021)
    gdp, firms = head.index("gdp[万元]"), head.index("above_scale_enterprises[个]")
    assert all(len(r[gdp].split(".")[1]) == 2 and r[firms].isdigit() for r in rows)
    head, rows = read_table(FILES[2023], 2023)
    people = head.index("population_resident[人]")
    assert all(isinstance(r[people], int) for r in rows)


def test_distributions_are_skewed_and_districts_richer(committed: dict[int, pd.DataFrame]) -> None:
    f = committed[2022]
    per_head = f["gdp"] / f["population_resident"]
    by_universe = per_head.groupby(f["universe"]).median()
    assert by_universe["district"] > 1.5 * by_universe["county"]
    gdp = f.loc[f["universe"] == "county", "gdp"]
    assert gdp.mean() > 1.3 * gdp.median()  # right-skewed
    east_vs_northeast = per_head[f["region"] == "东部"].median() / per_head[f["region"] == "东北"].median()
    assert east_vs_northeast > 1.3
    assert np.corrcoef(np.log(f["gdp"]), np.log(f["rd_expenditure"]))[0, 1] > 0.5


@pytest.mark.consistency
def test_readme_says_synthetic_and_cites_the_reports() -> None:
    text = (RAW / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in text and "合成演示数据" in text
    for target in sp.TARGETS:
        if target.calibrated:
            assert target.name in text, target.name
