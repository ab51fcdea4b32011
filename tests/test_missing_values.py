"""Missing values through the whole pipeline (docs/methodology.md §2a): cells of the bundled 2021 file left
empty as a real panel leaves them, the pipeline run on that copy, and marts.indicator_values, the scores
and the rankings compared with the independent engine on the same files, unit by unit, with how each gap
was treated. The bundled panel itself reports every value."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from dagster_project.resources import PUBLISHED_FILE
from tests.conftest import copy_inputs, run_pipeline
from tests.independent import engine as eng
from tests.independent.compare import assert_indicator_values_agree

pytestmark = pytest.mark.independent  # expected values from the independent engine, treatments by hand

YEAR = 2021
# measure -> the units whose cell is left empty (an adcode, or the two digits of a whole province)
EMPTY = {
    "rd_expenditure": ("320582", "65"),  # R&D intensity and spending: a median (新疆: its universe's)
    "green_factories_national": ("320583",),  # green factories and certifications: zero
    "industrial_fai_growth": ("320585",),  # industrial investment growth: left out, re-weighted
}


@pytest.fixture(scope="module")
def gaps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gaps")
    data_dir = copy_inputs(root / "data")
    [path] = (data_dir / "raw" / "county_statistics" / str(YEAR)).glob("*.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for measure, units in EMPTY.items():
        [column] = [c for c in table.columns if c.startswith(f"{measure}[")]
        table.loc[table["adcode"].str.startswith(units), column] = ""
    table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    run = run_pipeline(data_dir, root / "dagster_home")
    assert run.result.success
    return data_dir


def published(data_dir: Path, mart: str) -> pd.DataFrame:
    with duckdb.connect(str(data_dir / PUBLISHED_FILE), read_only=True) as con:
        return con.execute(f"select * from marts.{mart}").df()


@pytest.fixture(scope="module")
def mine(gaps: Path) -> dict[str, pd.DataFrame]:
    return eng.run_engine(
        eng.Inputs(raw_dir=gaps / "raw" / "county_statistics", divisions_dir=gaps / "reference" / "divisions")
    )


def test_each_gap_is_treated_as_its_indicator_declares(gaps):
    values = published(gaps, "indicator_values")
    values = values[values["data_year"] == YEAR]
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


def test_indicator_values_agree_with_the_independent_engine(gaps, mine):
    assert_indicator_values_agree(mine["indicator_values"], published(gaps, "indicator_values"))


@pytest.mark.parametrize(
    ("mart", "keys"),
    [
        ("composite_scores", ["data_year", "universe", "adcode"]),
        ("innovation_scores", ["data_year", "adcode"]),
        ("computed_rankings", ["list", "data_year", "rank"]),
    ],
)
def test_scores_and_ranks_agree_with_the_independent_engine(gaps, mine, mart, keys):
    theirs = published(gaps, mart).sort_values(keys, ignore_index=True)
    ours = mine[mart].sort_values(keys, ignore_index=True)
    assert ours["adcode"].astype(str).tolist() == theirs["adcode"].astype(str).tolist()
    for column in [c for c in ours.columns if c.endswith("_score")]:
        assert np.allclose(ours[column], theirs[column], rtol=1e-9, atol=1e-9), column
