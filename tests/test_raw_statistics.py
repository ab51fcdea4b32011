"""The raw statistics contract: unit conversion, and bad files refused with file, row, column and rule."""

import shutil

import pandas as pd
import pytest
from dagster import AssetSelection

from dagster_project.claims import CLAIMS
from dagster_project.definitions import YEAR_REFRESH
from dagster_project.raw.contract import Contract, ContractError
from dagster_project.raw.ingest import COUNTY_STATISTICS
from dagster_project.reference.admin_units import admin_units
from tests.conftest import run_pipeline

pytestmark = pytest.mark.independent  # file, row and rule written by hand; unit factors by hand

RAW = "raw/county_statistics"


def test_declared_units_convert_to_canonical_ones():
    contract = Contract.load()
    header = contract.read_header(
        "f.csv",
        ["adcode", "data_year", "gdp[亿元]", "population_resident[人]"]
        + [
            f"{m.column}[{m.unit}]"
            for m in contract.measures.values()
            if m.column not in ("gdp", "population_resident")
        ],
    )
    assert header["gdp[亿元]"] == ("gdp", 10000)
    assert header["population_resident[人]"] == ("population_resident", 0.0001)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("gdp", "column 3 'gdp': declare its unit, e.g. gdp[万元]"),
        ("gdp[千元]", "unit '千元' is not accepted for gdp (元, 万元, 亿元)"),
        ("gross[万元]", "'gross' is not in the contract"),
    ],
)
def test_header_problems_name_the_file_and_the_column(cell, message):
    contract = Contract.load()
    others = [f"{m.column}[{m.unit}]" for m in contract.measures.values() if m.column != "gdp"]
    with pytest.raises(ContractError) as raised:
        contract.read_header("data/raw/x/2023/f.csv", ["adcode", "data_year", cell, *others])
    assert str(raised.value).startswith("data/raw/x/2023/f.csv: ")
    assert message in str(raised.value)


def _demo_file(data_dir, year):
    return next((data_dir / RAW / str(year)).iterdir())


def _edit_csv(path, edit):
    encoding = "utf-8-sig" if "2021" in path.name else "gbk"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    edit(frame)
    frame.to_csv(path, index=False, encoding=encoding)


@pytest.fixture(scope="module")
def corrupted_statistics(pipeline_run, tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_statistics")
    data_dir = root / "data"
    shutil.copytree(pipeline_run.data_dir, data_dir)
    gdp_2022 = next(
        c
        for c in pd.read_csv(_demo_file(data_dir, 2022), nrows=0, encoding="gbk").columns
        if c.startswith("gdp[")
    )

    def mix_up_units(frame):  # row 10 of 2022: GDP typed in 万元 into a column declared in 亿元
        frame.loc[8, gdp_2022] = str(float(frame.loc[8, gdp_2022]) * 10000)

    def industry_above_gdp(frame):  # row 5 of 2021
        frame.loc[3, "va_industry[万元]"] = str(float(frame.loc[3, "gdp[万元]"]) * 2)

    _edit_csv(_demo_file(data_dir, 2022), mix_up_units)
    _edit_csv(_demo_file(data_dir, 2021), industry_above_gdp)
    # every year's raw statistics and all that derives from them, as a refresh of those years runs them
    # (the reference inputs and models, built in the copied warehouse, do not read these files), and one
    # reference asset, which runs whatever the raw files hold
    selection = YEAR_REFRESH | AssetSelection.assets(admin_units)
    return run_pipeline(data_dir, root / "dagster_home", selection=selection)


def _check_failures(run):
    for evaluation in run.result.get_asset_check_evaluations():
        if evaluation.asset_key.to_user_string() == RAW:
            return evaluation
    raise AssertionError("the raw statistics check did not run")


def test_a_unit_mix_up_is_refused_naming_the_row(corrupted_statistics):
    evaluation = _check_failures(corrupted_statistics)
    assert not evaluation.passed
    failures = evaluation.metadata["failures"].value
    assert "synthetic_demo_county_statistics_2022.csv: row 10" in failures
    assert "a factor of 1000 or more" in failures


def test_an_implausible_row_is_refused_naming_the_row(corrupted_statistics):
    failures = _check_failures(corrupted_statistics).metadata["failures"].value
    assert "synthetic_demo_county_statistics_2021.csv: row 5" in failures
    assert "industry ≤ secondary industry" in failures


def test_nothing_is_computed_or_published_from_bad_statistics(corrupted_statistics):
    run = corrupted_statistics
    assert not run.result.success
    executed = {e.step_key for e in run.result.all_events if e.is_step_success}
    assert "reference__admin_units" in executed, "the step names are the ones this test expects"
    assert {"dbt_per_year_models", "dbt_cross_year_models", "publish"}.isdisjoint(executed)


@pytest.fixture(scope="module")
def warned_run(pipeline_run, tmp_path_factory):
    """Rural income above urban income in one row: implausible enough to show, not to stop the run."""
    root = tmp_path_factory.mktemp("warned_statistics")
    data_dir = root / "data"
    shutil.copytree(pipeline_run.data_dir, data_dir)

    def rural_above_urban(frame):  # row 7 of 2021
        frame.loc[5, "rural_income_per_capita[元]"] = str(
            int(frame.loc[5, "urban_income_per_capita[元]"]) + 1000
        )

    _edit_csv(_demo_file(data_dir, 2021), rural_above_urban)
    # and a figure the register misquotes: 江苏 has 23 units in the 2024 list, not 24
    figures = data_dir / "reference" / "report_figures.csv"
    text = figures.read_text(encoding="utf-8")
    old = next(
        line
        for line in text.splitlines()
        if line.startswith("2024,industrial_county,") and ",province_count,江苏省," in line
    )
    figures.write_text(text.replace(old, old.replace(",23,", ",24,")), encoding="utf-8")
    # the raw statistics of the year the warning is in, and the claims ledger with what it is built from
    checked = AssetSelection.assets(COUNTY_STATISTICS.key) | AssetSelection.assets(CLAIMS).upstream()
    return run_pipeline(data_dir, root / "dagster_home", year="2021", selection=checked)


def test_a_warning_shows_without_stopping_the_run(warned_run):
    evaluation = _check_failures(warned_run)
    assert not evaluation.passed and evaluation.severity.value == "WARN"
    assert evaluation.metadata["failure_count"].value == 0
    assert "synthetic_demo_county_statistics_2021.csv: row 7" in evaluation.metadata["warnings"].value
    assert "rural income ≤ urban income" in evaluation.metadata["warnings"].value
    assert warned_run.result.success


def test_a_misquoted_figure_is_news_in_the_claims_ledger(warned_run):
    [ledger] = [e for e in warned_run.result.get_asset_check_evaluations() if e.check_name == "claims_ledger"]
    assert not ledger.passed and ledger.severity.value == "WARN"
    assert ledger.metadata["unexplained"].value == ["2024/industrial_county/province_count/江苏省"]
