"""The indicator system file (config/raw_statistics.yaml): what is derived from it agrees with it, each of
its rules refuses what it should, and a missing value is treated as its indicator declares (methodology
§2a), computed by hand on a small panel. Runs without the pipeline, but for the last test."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from dagster_project.engine import indicator_system as system
from dagster_project.engine.weights import weight_rows
from dagster_project.raw.contract import CONTRACT_FILE, Contract, ContractError
from dagster_project.resources import PROJECT_DIR, WAREHOUSE_FILE
from tests.independent import engine as eng

WEIGHTS = sorted((PROJECT_DIR / "config" / "weights").glob("*.yaml"))


def edited(tmp_path: Path, edit) -> Path:
    """A copy of the indicator system file with `edit` applied to its parsed content."""
    spec = yaml.safe_load(CONTRACT_FILE.read_text(encoding="utf-8"))
    edit(spec)
    path = tmp_path / "raw_statistics.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------------------
# What is derived from the file agrees with it
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.consistency
@pytest.mark.parametrize("name", sorted(system.DOCS))
def test_the_documented_tables_are_the_files(name):
    """docs/data-contract.md (measures) and docs/methodology.md (indicators) carry the tables the file gives;
    `python -m dagster_project.engine.indicator_system` rewrites them."""
    text = system.DOCS[name].read_text(encoding="utf-8")
    assert system.rendered(name, text) == text, "run: python -m dagster_project.engine.indicator_system"


@pytest.mark.independent
def test_a_documented_table_that_differs_from_the_file_is_found(tmp_path):
    """The check above fails when the file changes and the documents do not: a unit renamed shows."""

    def rename(spec):
        spec["indicators"]["gdp_per_capita"]["unit"] = "元/常住人口"

    changed = edited(tmp_path, rename)
    text = system.DOCS["indicators"].read_text(encoding="utf-8")
    assert (
        "| gdp_per_capita | 人均地区生产总值 | gdp / population_resident | 元/常住人口 |"
        in system.rendered("indicators", text, changed)
    )
    assert system.rendered("indicators", text, changed) != text


@pytest.mark.consistency
def test_the_matrices_judge_exactly_the_files_indicators():
    """Every indicator the file puts under a dimension of an index is judged by that dimension's matrix."""
    catalogue = system.load_indicators()
    judged = {
        (row["index"], row["parent"], row["element"])
        for path in WEIGHTS
        for row in weight_rows(path, catalogue)
        if row["level"] == "indicator"
    }
    declared = {(index, d, i.id) for i in catalogue.values() for index, d in i.dimensions.items()}
    assert judged == declared


@pytest.mark.independent
def test_a_matrix_that_leaves_out_an_indicator_of_its_dimension_stops_the_build(tmp_path):
    """An indicator put under 绿色 in the file but not judged by the green matrix is named."""

    def add(spec):
        spec["indicators"]["industry_energy_intensity"] = {
            **spec["indicators"]["energy_intensity"],
            "formula": "10000 * energy_consumption / va_industry",
        }

    catalogue = system.load_indicators(edited(tmp_path, add))
    with pytest.raises(
        ValueError, match=r"indicators of green: .*'industry_energy_intensity'.* does not judge"
    ):
        weight_rows(PROJECT_DIR / "config" / "weights" / "industrial.yaml", catalogue)


@pytest.mark.independent
def test_a_matrix_that_judges_an_indicator_the_file_puts_elsewhere_stops_the_build(tmp_path):
    def move(spec):
        spec["indicators"]["green_factories"]["dimensions"] = {"industrial": "openness"}

    catalogue = system.load_indicators(edited(tmp_path, move))
    with pytest.raises(ValueError, match=r"puts 'green_factories' under 'openness' for industrial"):
        weight_rows(PROJECT_DIR / "config" / "weights" / "industrial.yaml", catalogue)


# ---------------------------------------------------------------------------------------------------------
# The file's own rules
# ---------------------------------------------------------------------------------------------------------

MEASURES = set(Contract.load().measures)


@pytest.mark.independent
def test_a_formula_reads_its_measures_in_order():
    assert system.formula_inputs("x", "100 * va_industry / gdp", MEASURES) == ("va_industry", "gdp")
    assert system.formula_inputs("x", "-(gdp - gdp) / gdp", MEASURES) == ("gdp",)


@pytest.mark.independent
@pytest.mark.parametrize(
    ("formula", "says"),
    [
        ("gdp / populaton_resident", "'populaton_resident', which is not a measure"),
        ("ln(gdp)", "holds Call"),
        ("gdp.real", "holds Attribute"),
        ("gdp ** 2", "holds Pow"),
        ("'gdp'", "not a number"),
        ("gdp; drop table raw.county_statistics", "is not arithmetic"),
    ],
)
def test_a_formula_that_is_not_arithmetic_over_measures_is_refused(formula, says):
    """A formula goes into SQL as written: anything but numbers, measures, + − × ÷ and parentheses is
    refused."""
    with pytest.raises(
        system.IndicatorSystemError, match=r"indicators\.x: formula .*" + says.replace("(", r"\(")
    ):
        system.formula_inputs("indicators.x", formula, MEASURES)


@pytest.mark.independent
@pytest.mark.parametrize(
    ("key", "value"),
    [("direction", 0), ("missing", "mean"), ("outlier", "trim"), ("universes", ["municipal_district"])],
)
def test_an_indicator_with_an_unknown_treatment_or_direction_is_refused(tmp_path, key, value):
    def spoil(spec):
        spec["indicators"]["rd_intensity"][key] = value

    with pytest.raises(system.IndicatorSystemError, match=rf"indicators\.rd_intensity: {key}"):
        system.load_indicators(edited(tmp_path, spoil))


@pytest.mark.independent
@pytest.mark.parametrize(
    ("indicator", "alternatives", "says"),
    [
        ("rd_intensity", ["mean"], r"missing_alternatives names 'mean', which is not one of"),
        ("rd_intensity", "reweight", r"missing_alternatives 'reweight' is not a list"),
        ("rd_intensity", ["zero"], r"may name only \('median', 'reweight'\): zero would score"),
        ("rd_intensity", ["median"], r"repeats a treatment or the declared 'median'"),
        ("rd_intensity", ["reweight", "reweight"], r"repeats a treatment"),
        (
            "green_factories",
            ["median"],
            r"missing is 'zero' \(no value means none\), which has no alternative",
        ),
    ],
)
def test_a_missing_alternative_that_is_not_defensible_is_refused(tmp_path, indicator, alternatives, says):
    """`missing_alternatives` names treatments the uncertainty analysis may vary (methodology §9): known
    ones, a median or leaving out only where the value is unknown, never a zero count's; the message names
    the indicator."""

    def spoil(spec):
        spec["indicators"][indicator]["missing_alternatives"] = alternatives

    with pytest.raises(system.IndicatorSystemError, match=rf"indicators\.{indicator}: .*{says}"):
        system.load_indicators(edited(tmp_path, spoil))


@pytest.mark.independent
def test_the_declared_treatment_stays_the_catalogues_and_the_alternatives_ride_beside_it(tmp_path):
    """An indicator without the key has no alternative; one with it keeps its `missing` as the engine's
    treatment (the catalogue's missing_treatment, which int_indicators__raw reads)."""

    def declare(spec):
        spec["indicators"]["industry_va_growth"].pop("missing_alternatives", None)
        spec["indicators"]["rd_intensity"]["missing_alternatives"] = ["reweight"]

    rows = {row["indicator"]: row for row in system.catalogue_rows(edited(tmp_path, declare))}
    assert (
        rows["industry_va_growth"]["missing_treatment"],
        rows["industry_va_growth"]["missing_alternatives"],
    ) == (
        "reweight",
        [],
    )
    assert (rows["rd_intensity"]["missing_treatment"], rows["rd_intensity"]["missing_alternatives"]) == (
        "median",
        ["reweight"],
    )


@pytest.mark.independent
def test_an_optional_measure_may_be_lacking_and_a_required_one_may_not(tmp_path):
    """docs/data-contract.md: a file that lacks a required measure's column is refused; one that lacks an
    optional measure's column is read, with that column empty. Both engines read files so."""

    def optional(spec):
        spec["columns"]["rd_expenditure"]["required"] = False

    path = edited(tmp_path, optional)
    header = ["adcode", "data_year", *(f"{c}[{m.unit}]" for c, m in Contract.load().measures.items())]
    lacking = [h for h in header if not h.startswith("rd_expenditure[")]
    with pytest.raises(ContractError, match="missing column 'rd_expenditure'"):
        Contract.load().read_header("f.csv", lacking)
    assert "rd_expenditure" not in {c for c, _ in Contract.load(path).read_header("f.csv", lacking).values()}
    table = pd.DataFrame([["110101", 2023, *["1"] * (len(lacking) - 2)]], columns=lacking)
    with pytest.raises(ValueError, match="no column for"):
        eng.canonical_table(table, eng.load_yaml(CONTRACT_FILE), Path("f.csv"))
    read = eng.canonical_table(table, eng.load_yaml(path), Path("f.csv"))
    assert math.isnan(read.loc[0, "rd_expenditure"]) and read.loc[0, "gdp"] == 1.0


# ---------------------------------------------------------------------------------------------------------
# Missing values (methodology §2a), by hand
# ---------------------------------------------------------------------------------------------------------

# Province 32 has three county units, province 33 one, province 34 one; R&D intensity is declared
# `median`, green factories `zero`, industrial investment growth `reweight`.
PANEL = pd.DataFrame(
    {
        "data_year": 2023,
        "universe": "county",
        "adcode": ["320581", "320582", "320583", "330281", "340121"],
        "province": ["江苏省", "江苏省", "江苏省", "浙江省", "安徽省"],
        "synthetic": True,
        "rd_intensity": [2.0, np.nan, 3.0, 5.0, np.nan],
        "green_factories": [1.0, np.nan, 4.0, 2.0, 3.0],
        "industrial_fai_growth": [7.0, 6.0, np.nan, 5.0, 4.0],
    }
)
DECLARED = {"rd_intensity": "median", "green_factories": "zero", "industrial_fai_growth": "reweight"}


@pytest.fixture
def treated() -> pd.DataFrame:
    long = PANEL.melt(
        id_vars=["data_year", "universe", "adcode", "province", "synthetic"],
        var_name="indicator",
        value_name="raw_value",
    )
    return eng.treat_missing(long, DECLARED).set_index(["indicator", "adcode"])


@pytest.mark.independent
def test_a_missing_value_is_treated_as_its_indicator_declares(treated):
    """320582 lacks R&D: the median of the other two of 江苏 (2 and 3) is 2.5. 340121 lacks it and is alone
    in 安徽: the median of the universe's reported values (2, 3, 5) is 3. A missing green-factory count is
    0; a missing growth rate stays missing (left out). Reported values are left alone."""
    expected = {
        ("rd_intensity", "320582"): (2.5, True, "median_province"),
        ("rd_intensity", "340121"): (3.0, True, "median_universe"),
        ("green_factories", "320582"): (0.0, True, "zero"),
        ("industrial_fai_growth", "320583"): (math.nan, False, "reweight"),
        ("rd_intensity", "320581"): (2.0, False, None),
        ("green_factories", "340121"): (3.0, False, None),
    }
    for key, (value, imputed, how) in expected.items():
        row = treated.loc[key]
        assert row.raw_value == value or (math.isnan(value) and math.isnan(row.raw_value)), key
        done = None if pd.isna(row.missing_treatment) else row.missing_treatment
        assert (bool(row.is_imputed), done) == (imputed, how), key
    assert treated["is_imputed"].sum() == 3 and treated["missing_treatment"].notna().sum() == 4


@pytest.mark.independent
def test_an_indicator_left_out_gives_its_weight_to_the_others_of_its_dimension():
    """Weights 0.5, 0.3, 0.2 in one dimension; a unit scoring 80, 60 and nothing: (0.5·80 + 0.3·60) / 0.8 =
    72.5, not the 58 that scoring the gap as 0 gives. A unit with no score in the dimension scores 0."""
    values = pd.DataFrame(
        {
            "data_year": 2023,
            "universe": "county",
            "adcode": ["320581"] * 3 + ["320582"] * 3 + ["320583"] * 3,
            "indicator": ["a", "b", "c"] * 3,
            "normalized_value": [80.0, 60.0, np.nan, 80.0, 60.0, 100.0, np.nan, np.nan, np.nan],
            "synthetic": True,
        }
    )
    weights = pd.DataFrame(
        {
            "index": "industrial",
            "level": ["dimension", "indicator", "indicator", "indicator"],
            "parent": ["industrial", "green", "green", "green"],
            "element": ["green", "a", "b", "c"],
            "local_weight": [1.0, 0.5, 0.3, 0.2],
        }
    )
    scores = eng.index_scores(values, weights, "industrial", "county").set_index("adcode")
    expected = {"320581": 72.5, "320582": 78.0, "320583": 0.0}
    assert scores["green_score"].to_dict() == pytest.approx(expected, abs=1e-12)
    assert scores["index_score"].to_dict() == pytest.approx(expected, abs=1e-12)  # the only dimension


# ---------------------------------------------------------------------------------------------------------
# The staging view follows the file
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.consistency
def test_the_staging_columns_are_the_files_measures(pipeline_run):
    """stg_raw__county_statistics lists no measure: its columns follow the raw table, which follows the
    file."""
    with duckdb.connect(str(pipeline_run.data_dir / WAREHOUSE_FILE), read_only=True) as con:
        columns = {
            name
            for (name,) in con.execute(
                "select column_name from duckdb_columns() "
                "where schema_name = 'staging' and table_name = 'stg_raw__county_statistics'"
            ).fetchall()
        }
    keys = {"data_year", "adcode", "universe", "synthetic", "source_file", "source_sha256", "source_row"}
    assert columns == keys | set(Contract.load().measures)
