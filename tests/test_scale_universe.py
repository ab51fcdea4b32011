"""The scale bench's synthetic universe (dagster_project/demo/scale_universe.py), on a small one.

5,100 units: just past the raw contract's 5,000 rows, so that the project's limits refuse one year's file
and the copy's raised limits let the project's own raw validation judge it.
"""

import csv
import json

import pytest

from dagster_project.demo import scale_universe
from dagster_project.lib.divisions import read_admin_units, read_provinces
from dagster_project.lib.expectations import validate
from dagster_project.raw import judging
from dagster_project.raw.contract import Contract, ContractError
from dagster_project.raw.ingest import COUNTY_STATISTICS
from dagster_project.reference import frames
from dagster_project.reference.admin_units import ADCODES_FILE, ADMIN_UNITS_PARAMETERS, PROVINCES_FILE
from dagster_project.resources import DEFAULT_DATA_DIR, EXPECTATIONS_DIR, RAW_STATISTICS_CONTRACT

UNITS = 5100
YEARS = 2
REAL_UNITS = 2844  # data/raw/README.md: the 2,844 units of the code table


def tree(folder):
    return sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The data directory and the project copy, without the copy's dbt parse (no run here)."""
    before = tree(DEFAULT_DATA_DIR)
    root = tmp_path_factory.mktemp("scale")
    data_dir = root / "data"
    scale_universe.write_reference(data_dir / "reference", UNITS)
    scale_universe.write_panel(data_dir, YEARS)
    overrides = scale_universe.write_project(root / "project", UNITS / REAL_UNITS)
    assert tree(DEFAULT_DATA_DIR) == before, "the scale deployment wrote under data/"
    return data_dir, root / "project", overrides


def units_of(reference):
    return read_admin_units(reference / ADCODES_FILE, read_provinces(reference / PROVINCES_FILE))


def panel_year(data_dir, year, contract):
    folder = data_dir / "raw" / "county_statistics" / str(year)
    return judging.read_year(judging.year_files(folder), year, contract)


@pytest.mark.independent
def test_the_universe_has_the_requested_units_under_codes_no_real_division_uses(small):
    data_dir, _, _ = small
    units = units_of(data_dir / "reference")
    with (DEFAULT_DATA_DIR / "reference" / ADCODES_FILE).open(encoding="utf-8") as f:
        real_codes = {row["adcode"][:6] for row in csv.DictReader(f)}
    added = [u for u in units if u.adcode not in real_codes]
    assert len(units) == UNITS
    assert len({u.adcode for u in units}) == UNITS
    assert len(added) == UNITS - REAL_UNITS
    assert all(60 <= int(u.adcode[2:4]) <= 89 for u in added)  # prefecture digits real codes never use
    assert all(u.name.startswith("合成") and u.prefecture.startswith("合成") for u in added)
    assert {u.universe for u in added} == {"county", "district", "municipal_district"}


@pytest.mark.independent
def test_the_raw_validation_accepts_the_panel_under_the_raised_limits(small):
    data_dir, project, _ = small
    contract = Contract.load(project / "config" / RAW_STATISTICS_CONTRACT.name)
    # 5000 rows and 10 MB times 5100 / 2844, rounded up
    assert (contract.max_rows, contract.max_file_mb) == (8967, 18)
    years = sorted(int(p.name) for p in (data_dir / "raw" / "county_statistics").iterdir())
    frame = panel_year(data_dir, years[-1], contract)
    neighbours = panel_year(data_dir, years[-2], contract)
    dimension = judging.load_dimension(data_dir / "reference")
    _, validation = judging.judge(COUNTY_STATISTICS, contract, frame, neighbours, dimension, "scale")
    assert validation.success, validation.failures
    assert len(frame) == UNITS
    assert set(frame["synthetic"].astype(str).str.lower()) == {"true"}


@pytest.mark.independent
def test_the_projects_limits_refuse_the_panel_naming_the_rule(small):
    data_dir, _, _ = small
    year = sorted((data_dir / "raw" / "county_statistics").iterdir())[-1].name
    with pytest.raises(
        ContractError, match=r"more than 5000 rows.*limits\.max_rows in config/raw_statistics"
    ):
        panel_year(data_dir, int(year), Contract.load())


@pytest.mark.independent
def test_the_admin_units_row_count_refuses_the_universe_and_the_copy_says_it_raised_it(small):
    data_dir, project, overrides = small
    frame = frames.admin_units_frame(units_of(data_dir / "reference")).assign(source_file="scale")
    suite = "reference_admin_units.json"
    parameters = ADMIN_UNITS_PARAMETERS
    refused = validate(EXPECTATIONS_DIR / suite, frame, source_file="scale", parameters=parameters)
    assert not refused.success
    assert any("about 2,850 county-level units" in failure for failure in refused.failures)
    accepted = validate(project / "expectations" / suite, frame, source_file="scale", parameters=parameters)
    assert accepted.success, accepted.failures
    raised = json.loads((project / "expectations" / suite).read_text(encoding="utf-8"))
    bounds = raised["expectations"][0]["kwargs"]
    assert bounds == {"min_value": 4841, "max_value": 5380}  # 2700 and 3000 times 5100 / 2844
    assert set(overrides) == {
        "config/raw_statistics.yaml limits.max_file_mb",
        "config/raw_statistics.yaml limits.max_rows",
        f"expectations/{suite} row count",
    }


@pytest.mark.independent
def test_the_deployment_is_refused_inside_the_project(tmp_path):
    target = DEFAULT_DATA_DIR / "scale_universe_refused"
    with pytest.raises(ValueError, match="scratch only"):
        scale_universe.write_deployment(target, UNITS, YEARS)
    assert not target.exists()


@pytest.mark.independent
def test_a_province_holds_at_most_thirty_prefectures_of_synthetic_units():
    real = scale_universe.real_units()
    sichuan = sum(u.province_code == "51" for u in real)
    # 2,070 synthetic units a province (30 prefectures x 69): 12 copies of Sichuan's units exceed it
    assert sichuan * 11 < 2070 < sichuan * 12
    scale_universe.synthetic_rows(real, len(real) * 11)
    with pytest.raises(ValueError, match="province 51: more than 2070 synthetic units"):
        scale_universe.synthetic_rows(real, len(real) * 12)
