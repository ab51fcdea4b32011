"""The pipeline's marts against an independent pandas/numpy implementation of docs/methodology.md.

tests/independent/engine.py was written from the method text alone, never from the dbt SQL, so agreement
means the method is implemented as written. Tests named test_published_* compare one mart of the published
file (the `published` fixture runs the pipeline once); the others test the engine's own pieces on hand-checked
examples and run without the pipeline: `pytest tests/test_engine_independent.py -k "not published"`.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import scipy.stats

from dagster_project.resources import DBT_PROJECT_DIR, WAREHOUSE_FILE, dbt_env
from tests.independent import engine as eng

pytestmark = pytest.mark.independent  # tests/independent/engine.py and hand-checked examples

WEIGHT_TOL = 1e-12
VALUE_TOL = 1e-9


# ---------------------------------------------------------------------------------------------------------
# Fixtures and helpers for the comparisons
# ---------------------------------------------------------------------------------------------------------


def inputs_behind(con: duckdb.DuckDBPyConnection) -> eng.Inputs:
    """The inputs of the run that wrote the published file: <data_dir>/published/<file>.duckdb.

    Its raw statistics if the run's data directory has them, else the repository's (the same files).
    """
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    data_dir = Path(path[0]).resolve().parent.parent
    defaults = eng.Inputs()
    raw_dir = data_dir / "raw" / "county_statistics"
    divisions = data_dir / "reference" / "divisions"
    return eng.Inputs(
        raw_dir=raw_dir if raw_dir.is_dir() else defaults.raw_dir,
        divisions_dir=divisions if divisions.is_dir() else defaults.divisions_dir,
    )


@pytest.fixture(scope="module")
def mine(published: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    return eng.run_engine(inputs_behind(published))


def mart(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    return con.execute(f"select * from marts.{name}").df()


def normalise_keys(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Integer keys as int64 and text keys as str, so both sides merge whatever their storage types."""
    frame = frame.copy()
    for key in keys:
        if key in {"data_year", "edition_year", "rank", "tier"}:
            frame[key] = frame[key].astype("int64")
        else:
            frame[key] = frame[key].astype(str)
    return frame


def matched(mine: pd.DataFrame, theirs: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Both tables side by side on their keys, after requiring exactly the same set of keys."""
    a, b = normalise_keys(mine, keys), normalise_keys(theirs, keys)
    assert not b.duplicated(keys).any(), f"published rows are not unique on {keys}"
    only_mine = a.merge(b[keys], on=keys, how="left", indicator=True).query("_merge == 'left_only'")
    only_theirs = b[keys].merge(a[keys], on=keys, how="left", indicator=True).query("_merge == 'left_only'")
    assert only_mine.empty and only_theirs.empty, (
        f"key sets differ on {keys}: {len(only_mine)} rows only in the engine, e.g.\n"
        f"{only_mine[keys].head().to_string()}\n{len(only_theirs)} only published, e.g.\n"
        f"{only_theirs[keys].head().to_string()}"
    )
    return a.merge(b, on=keys, suffixes=("_mine", "_published"), validate="1:1")


def floats(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def assert_close(frame: pd.DataFrame, column: str, tol: float, *, relative: bool = False) -> None:
    """|mine − published| ≤ tol (× max(1, |published|) when relative); null must match null."""
    a, b = floats(frame[f"{column}_mine"]), floats(frame[f"{column}_published"])
    scale = np.maximum(1.0, np.abs(b)) if relative else 1.0
    with np.errstate(invalid="ignore"):
        ok = (np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= tol * scale)
    assert ok.all(), (
        f"{column}: {(~ok).sum()} of {len(ok)} rows differ, e.g.\n{frame.loc[~ok].head(10).to_string()}"
    )


def assert_equal(frame: pd.DataFrame, column: str) -> None:
    a, b = frame[f"{column}_mine"], frame[f"{column}_published"]
    ok = (a.astype(str) == b.astype(str)).to_numpy()
    assert ok.all(), (
        f"{column}: {(~ok).sum()} of {len(ok)} rows differ, e.g.\n{frame.loc[~ok].head(10).to_string()}"
    )


def as_bool(series: pd.Series) -> pd.Series:
    return series.astype(bool)


# ---------------------------------------------------------------------------------------------------------
# Comparisons with the published marts
# ---------------------------------------------------------------------------------------------------------


def test_published_weights_agree(mine, published):
    both = matched(
        mine["indicator_weights"], mart(published, "indicator_weights"), ["index", "level", "element"]
    )
    assert_equal(both, "parent")
    for column in ("local_weight", "global_weight", "consistency_ratio"):
        assert_close(both, column, WEIGHT_TOL)


def test_published_indicator_values_agree(mine, published):
    keys = ["data_year", "universe", "adcode", "indicator"]
    both = matched(mine["indicator_values"], mart(published, "indicator_values"), keys)
    assert_close(both, "raw_value", VALUE_TOL, relative=True)
    assert_close(both, "treated_value", VALUE_TOL, relative=True)
    assert_close(both, "normalized_value", VALUE_TOL)
    both["synthetic_mine"], both["synthetic_published"] = (
        as_bool(both.synthetic_mine),
        as_bool(both.synthetic_published),
    )
    assert_equal(both, "synthetic")
    assert_equal(both, "is_imputed")
    for side in ("mine", "published"):  # reported: no treatment, whether None or NaN on either side
        both[f"missing_treatment_{side}"] = both[f"missing_treatment_{side}"].fillna("reported")
    assert_equal(both, "missing_treatment")


def published_treatments(mine, published) -> pd.DataFrame:
    both = matched(
        mine["indicator_treatments"],
        mart(published, "indicator_treatments"),
        ["data_year", "universe", "indicator"],
    )
    for side in ("mine", "published"):  # no points winsorised: 0 or NULL say the same
        both[f"points_winsorised_{side}"] = floats(both[f"points_winsorised_{side}"])
        both[f"points_winsorised_{side}"] = both[f"points_winsorised_{side}"].fillna(0).astype(int)
    return both


def test_published_treatments_agree(mine, published):
    both = published_treatments(mine, published)
    assert_equal(both, "treatment")
    assert_equal(both, "points_winsorised")
    assert_equal(both, "n_values")
    assert_close(both, "skewness_before", VALUE_TOL, relative=True)
    assert_close(both, "kurtosis_before", VALUE_TOL, relative=True)


def test_published_treatment_statistics_after_agree(mine, published):
    """After treatment: of the treated series (for `none` the same as before)."""
    both = published_treatments(mine, published)
    assert_close(both, "skewness_after", VALUE_TOL, relative=True)
    assert_close(both, "kurtosis_after", VALUE_TOL, relative=True)


def test_published_admin_units_agree(mine, published):
    """The engine reads the code table with rules of its own: the same units, provinces and universes."""
    theirs = published.execute(
        "select adcode, name as unit_name, province, universe from marts.admin_units"
    ).df()
    ours = eng.admin_units(inputs_behind(published))
    both = matched(ours, theirs, ["adcode"])
    for column in ("unit_name", "province", "universe"):
        assert_equal(both, column)


SCORE_COLUMNS = {
    "composite_scores": ["quality", "innovation", "coordination", "green", "openness", "sharing"],
    "innovation_scores": ["input", "output", "actors", "carriers"],
}


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("composite_scores", ["data_year", "universe", "adcode"]),
        ("innovation_scores", ["data_year", "adcode"]),
    ],
)
def test_published_scores_agree(mine, published, name, keys):
    both = matched(mine[name], mart(published, name), keys)
    for column in [f"{d}_score" for d in SCORE_COLUMNS[name]] + ["index_score"]:
        assert_close(both, column, VALUE_TOL)
    both["synthetic_mine"], both["synthetic_published"] = (
        as_bool(both.synthetic_mine),
        as_bool(both.synthetic_published),
    )
    assert_equal(both, "synthetic")


def test_published_rankings_agree(mine, published):
    both = matched(
        mine["computed_rankings"], mart(published, "computed_rankings"), ["data_year", "list", "rank"]
    )
    for column in ("edition_year", "adcode", "tier", "province", "name"):
        assert_equal(both, column)
    both["star_mine"], both["star_published"] = as_bool(both.star_mine), as_bool(both.star_published)
    assert_equal(both, "star")
    assert_close(both, "index_score", VALUE_TOL)


def test_published_tier_breaks_agree(mine, published):
    keys = ["data_year", "list", "tier"]
    both = matched(mine["tier_breaks"], mart(published, "tier_breaks"), keys)
    assert_equal(both, "edition_year")
    assert_equal(both, "unit_count")
    assert_close(both, "lower_score", VALUE_TOL)
    assert_close(both, "upper_score", VALUE_TOL)
    members = ["data_year", "list", "tier", "adcode"]
    theirs = normalise_keys(mart(published, "computed_rankings")[members], members)
    ours = normalise_keys(mine["computed_rankings"][members], members)
    assert sorted(map(tuple, theirs.to_numpy().tolist())) == sorted(map(tuple, ours.to_numpy().tolist()))


# ---------------------------------------------------------------------------------------------------------
# The z-score option (dbt var normalisation: zscore), built by dbt on a copy of the run's warehouse
# ---------------------------------------------------------------------------------------------------------


# The marts the z-score tests compare with the engine's, built with the per-year models they derive from,
# and nothing downstream of them (the robustness analyses are a third of a build's time).
ZSCORE_MARTS = ("indicator_values", "composite_scores", "computed_rankings")


@pytest.fixture(scope="module")
def zscore_marts(pipeline_run, tmp_path_factory) -> duckdb.DuckDBPyConnection:
    folder = tmp_path_factory.mktemp("zscore")
    warehouse = folder / "county_industry.duckdb"
    shutil.copy(pipeline_run.data_dir / WAREHOUSE_FILE, warehouse)
    subprocess.run(
        [Path(sys.executable).parent / "dbt", "run", "--quiet", "--select"]
        + [f"tag:per_year,+{mart}" for mart in ZSCORE_MARTS]
        + [
            "--exclude",
            "tag:cross_year",
            "--vars",
            json.dumps({"normalisation": "zscore"}),
            "--target-path",
            folder / "target",
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, **dbt_env(warehouse)},
        check=True,
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def mine_zscore(published) -> dict[str, pd.DataFrame]:
    return eng.run_engine(inputs_behind(published), normalisation="zscore")


def test_zscore_option_standardises_each_indicator(zscore_marts):
    """Mean 0 within each year, universe and indicator (a unit left without a value has no score)."""
    means = zscore_marts.execute(
        "select max(abs(mean)), max(spread) from (select avg(normalized_value) as mean,"
        " max(abs(normalized_value)) as spread from marts.indicator_values"
        " group by data_year, universe, indicator)"
    ).fetchone()
    assert means[0] < 1e-9 and means[1] > 1  # not min-max's 0..100


def test_zscore_option_agrees(mine_zscore, zscore_marts):
    values = matched(
        mine_zscore["indicator_values"],
        mart(zscore_marts, "indicator_values"),
        ["data_year", "universe", "adcode", "indicator"],
    )
    assert_close(values, "normalized_value", VALUE_TOL)
    scores = matched(
        mine_zscore["composite_scores"],
        mart(zscore_marts, "composite_scores"),
        ["data_year", "universe", "adcode"],
    )
    assert_close(scores, "index_score", VALUE_TOL)
    rankings = matched(
        mine_zscore["computed_rankings"],
        mart(zscore_marts, "computed_rankings"),
        ["data_year", "list", "rank"],
    )
    assert_equal(rankings, "adcode")
    assert_equal(rankings, "tier")


# ---------------------------------------------------------------------------------------------------------
# The engine's own pieces, on hand-checked examples (no pipeline needed)
# ---------------------------------------------------------------------------------------------------------


def test_ahp_textbook_matrix():
    """Saaty's classic 3×3 example: weights 0.637/0.258/0.105, λmax 3.039, CR 0.033.

    For n = 3 the principal eigenvector equals the normalised row geometric means and
    λmax = 1 + (b/ac)^(1/3) + (ac/b)^(1/3) (a = a12, b = a13, c = a23): exact checks.
    """
    result = eng.ahp([[1, 3, 5], ["1/3", 1, 3], ["1/5", "1/3", 1]])
    assert np.allclose(result.weights, [0.6370, 0.2583, 0.1047], atol=5e-5)
    geometric = np.array([15, 1, 1 / 15]) ** (1 / 3)
    assert np.allclose(result.weights, geometric / geometric.sum(), atol=1e-14, rtol=0)
    lam = 1 + (5 / 9) ** (1 / 3) + (9 / 5) ** (1 / 3)
    assert result.lambda_max == pytest.approx(lam, abs=1e-12)
    assert result.consistency_index == pytest.approx((lam - 3) / 2, abs=1e-12)
    assert result.consistency_ratio == pytest.approx((lam - 3) / 2 / 0.58, abs=1e-12)
    assert round(result.consistency_ratio, 3) == 0.033


def test_ahp_recovers_the_weights_of_a_consistent_matrix():
    w = np.array([0.4, 0.25, 0.2, 0.1, 0.05])
    result = eng.ahp(np.outer(w, 1 / w))
    assert np.allclose(result.weights, w, atol=1e-14, rtol=0)
    assert result.lambda_max == pytest.approx(5, abs=1e-12)
    assert abs(result.consistency_ratio) < 1e-12


def test_ahp_two_by_two_has_zero_cr_and_rejects_non_reciprocal_matrices():
    result = eng.ahp([[1, 2], ["1/2", 1]])
    assert np.allclose(result.weights, [2 / 3, 1 / 3], atol=1e-15) and result.consistency_ratio == 0
    with pytest.raises(ValueError, match="reciprocal"):
        eng.ahp([[1, 2], [2, 1]])


def test_inconsistent_matrix_stops_the_build():
    """A cyclic judgement (A > B > C > A) has CR far above 0.10: the engine refuses it, naming the matrix."""
    cyclic = [[1, 5, "1/5"], ["1/5", 1, 5], [5, "1/5", 1]]
    assert eng.ahp(cyclic).consistency_ratio > eng.CR_LIMIT
    with pytest.raises(eng.InconsistentMatrixError, match=r"demo\.dimensions"):
        eng.index_weights(
            {
                "index": "demo",
                "dimensions": {"elements": ["a", "b", "c"], "matrix": cyclic},
                "indicators": {x: {"elements": [f"{x}1"], "matrix": [[1]]} for x in "abc"},
            }
        )


def test_configured_weights_are_consistent_and_sum_to_one():
    weights = pd.concat([eng.index_weights(c) for c in eng.read_weight_configs(eng.Inputs()).values()])
    assert (weights["consistency_ratio"] <= eng.CR_LIMIT).all()
    indicators = weights[weights["level"] == "indicator"]
    assert np.allclose(indicators.groupby("index")["global_weight"].sum(), 1.0, atol=1e-12)
    assert np.allclose(indicators.groupby(["index", "parent"])["local_weight"].sum(), 1.0, atol=1e-12)


def test_jenks_on_hand_checked_examples():
    # {0, 1} | {3}: SSD 0.5 beats {0} | {1, 3}: SSD 2.
    assert eng.jenks_sizes([3, 0, 1], 2) == [2, 1]
    # {1, 2, 4} | {7, 8}: 14/3 + 1/2 = 5.17 beats {1, 2} | {4, 7, 8}: 1/2 + 26/3 = 9.17.
    assert eng.jenks_sizes([8, 1, 7, 2, 4], 2) == [3, 2]
    assert eng.jenks_sizes([1, 2, 3, 10, 11, 20, 21, 22, 40], 4) == [3, 2, 3, 1]
    assert eng.jenks_sizes([5.0, 6.0], 2) == [1, 1]


def brute_force_sizes(x: list[float], k: int) -> tuple[float, list[int]]:
    x = sorted(x)
    best = (math.inf, [])
    for cuts in itertools.combinations(range(1, len(x)), k - 1):
        bounds = [0, *cuts, len(x)]
        parts = [np.array(x[a:b]) for a, b in itertools.pairwise(bounds)]
        cost = sum(float(((p - p.mean()) ** 2).sum()) for p in parts)
        if cost < best[0] - 1e-12:
            best = (cost, [len(p) for p in parts])
    return best


def test_jenks_agrees_with_brute_force():
    rng = np.random.default_rng(20240601)
    for _ in range(30):
        x = list(rng.lognormal(3, 1, size=int(rng.integers(5, 11))))
        for k in (2, 3, 4):
            assert eng.jenks_sizes(x, k) == brute_force_sizes(x, k)[1]


def test_skewness_and_kurtosis_are_the_bias_corrected_estimators():
    """Hand-computed from methodology §3, and SciPy's bias-corrected estimators (not DuckDB's, which the
    dbt SQL uses).

    [0, 0, 0, 1]: x̄ = 1/4, m2 = 3/16, m3 = 3/32, m4 = 21/256; g = √12/2 · (3/32) / (3/16)^1.5 = 2 and
    k = 3/2 · (5 · (21/256) / (9/256) − 9) = 4. [1, 2, 3, 4, 5]: m2 = 2, m3 = 0, m4 = 34/5; g = 0 and
    k = 4/6 · (6 · 6.8 / 4 − 12) = −1.2.
    """
    assert eng.skewness_kurtosis(np.array([0.0, 0.0, 0.0, 1.0])) == pytest.approx((2.0, 4.0), abs=1e-12)
    assert eng.skewness_kurtosis(np.arange(1.0, 6.0)) == pytest.approx((0.0, -1.2), abs=1e-12)
    x = np.random.default_rng(7).lognormal(0, 1, size=50)
    g, k = eng.skewness_kurtosis(x)
    assert g == pytest.approx(scipy.stats.skew(x, bias=False), rel=1e-9)
    assert k == pytest.approx(scipy.stats.kurtosis(x, fisher=True, bias=False), rel=1e-9)
    assert all(math.isnan(v) for v in eng.skewness_kurtosis(np.array([2.0, 2.0, 2.0, 2.0])))


def test_jrc_rule_winsorises_then_logs():
    # One outlier in 1..20 fails (g ≈ 4.5, k ≈ 20); capping it at 20 passes: winsorised, 1 point.
    x = np.append(np.arange(1.0, 21.0), 1000.0)
    treated, t = eng.jrc_treat(x)
    assert (t.treatment, t.points_winsorised, t.n_values) == ("winsorised", 1, 21)
    assert eng.fails_jrc(t.skewness_before, t.kurtosis_before)
    assert treated.max() == 20.0 and (treated[:20] == x[:20]).all()
    # Negative skew: the smallest values are raised instead.
    treated, t = eng.jrc_treat(-x)
    assert t.treatment == "winsorised" and treated.min() == -20.0
    # Seven equal outliers cannot be winsorised away in 5 points: log, keeping the order.
    y = np.append(np.arange(1.0, 61.0), [5000.0] * 7)
    treated, t = eng.jrc_treat(y)
    assert t.treatment == "log"
    assert np.allclose(treated, np.log(1 + y - y.min())) and not eng.fails_jrc(
        t.skewness_after, t.kurtosis_after
    )
    # A well-behaved or short series is left alone.
    assert eng.jrc_treat(np.arange(10.0))[1].treatment == "none"
    assert eng.jrc_treat(np.array([1.0, 1.0, 100.0]))[1].treatment == "none"


def test_min_max_direction_constant_and_missing_values():
    """§4: a unit left without a value (§2a) has no score; a constant series scores 0 everywhere else."""
    t = pd.Series([1.0, 3.0, np.nan, 5.0])
    assert eng.min_max(t, 1).fillna(-1).tolist() == [0.0, 50.0, -1, 100.0]
    assert eng.min_max(t, -1).fillna(-1).tolist() == [100.0, 50.0, -1, 0.0]
    assert eng.min_max(pd.Series([2.0, 2.0, np.nan]), 1).fillna(-1).tolist() == [0.0, 0.0, -1]


def test_ties_are_ranked_by_adcode_and_stars_mark_each_provinces_best():
    scores = pd.DataFrame(
        {
            "data_year": 2023,
            "adcode": ["320583", "320582", "330281", "320581", "110101"],
            "index_score": [50.0, 60.0, 60.0, 10.0, 5.0],
            "synthetic": True,
        }
    )
    units = pd.DataFrame(
        {
            "adcode": ["320583", "320582", "330281", "320581", "110101"],
            "unit_name": ["a", "b", "c", "d", "e"],
            "province": ["江苏省", "江苏省", "浙江省", "江苏省", "北京市"],
        }
    )
    ranked = eng.ranked_list(scores, units, "industrial_county", 2)
    assert ranked["adcode"].tolist() == ["320582", "330281", "320583", "320581", "110101"]
    assert ranked["star"].tolist() == [True, True, False, False, True]
    assert ranked["tier"].tolist() == [1, 1, 1, 2, 2] and (ranked["edition_year"] == 2024).all()


def test_engine_units_are_the_documented_universes():
    """README (Administrative divisions): 1,869 县（市）, 902 districts, 73 districts of the four
    municipalities; 2,844 in all, as the 2024 edition cites from 民政部."""
    units = eng.admin_units(eng.Inputs())
    assert units["universe"].value_counts().to_dict() == {
        "county": 1869,
        "district": 902,
        "municipal_district": 73,
    }
    assert len(units) == 2844 and units["adcode"].is_unique
    universe = dict(zip(units["adcode"], units["universe"], strict=True))
    # 神农架林区 and 六枝特区 are counties; 万柏林区 is a 市辖区 of 太原市; 东城区 a district of 北京市
    assert [universe[c] for c in ("429021", "520203", "140109", "110101")] == [
        "county",
        "county",
        "district",
        "municipal_district",
    ]
    assert not {"320576", "232761"} & set(universe), "苏州工业园区 and 加格达奇区 are not real units"


def test_engine_runs_end_to_end_on_the_bundled_raw_files():
    if not eng.Inputs().raw_dir.is_dir():
        pytest.skip("no raw county statistics in the repository yet")
    result = eng.run_engine()
    ranking = result["computed_rankings"]
    for (_, _), one in ranking.groupby(["data_year", "list"]):
        assert one["rank"].tolist() == list(range(1, len(one) + 1))
        assert one["index_score"].is_monotonic_decreasing
        assert one["tier"].is_monotonic_increasing and one["tier"].nunique() == eng.TIER_COUNT
        assert one.groupby("province")["star"].sum().eq(1).all()
    values = result["indicator_values"]["normalized_value"]
    assert values.between(0, 100 + 1e-9).all()  # 100·(max − min)/(max − min) may round to 100 + 1 ulp


# ---------------------------------------------------------------------------------------------------------
# The contract's header rules: both implementations refuse the same files
# ---------------------------------------------------------------------------------------------------------

CONTRACT = eng.load_yaml(eng.Inputs().indicator_system)
FULL_HEADER = ["adcode", "data_year", *(f"{c}[{spec['unit']}]" for c, spec in CONTRACT["columns"].items())]


@pytest.mark.parametrize(
    "header",
    [
        pytest.param([c for c in FULL_HEADER if not c.startswith("rd_expenditure[")], id="a-measure-lacking"),
        pytest.param([c.split("[")[0] if c.startswith("gdp[") else c for c in FULL_HEADER], id="a-bare-name"),
        pytest.param([*FULL_HEADER, "gross[万元]"], id="an-unknown-column"),
    ],
)
def test_both_engines_refuse_a_file_the_contract_refuses(header):
    """docs/data-contract.md: a file lacking a measure's column, or with a column not declared as
    `measure[unit]`, is refused; a value not reported is an empty cell. The pipeline and the independent
    engine agree (a lacking column used to be 'missing' to one and refused by the other)."""
    from dagster_project.raw.contract import Contract, ContractError

    with pytest.raises(ContractError):
        Contract.load().read_header("f.csv", header)
    table = pd.DataFrame([["110101", 2023, *["1"] * (len(header) - 2)]], columns=header)
    with pytest.raises(ValueError, match="f.csv"):
        eng.canonical_table(table, CONTRACT, Path("f.csv"))


def test_both_engines_read_a_file_with_every_measure_declared():
    """The same full header passes both (so the refusals above are the edits', not the header's)."""
    from dagster_project.raw.contract import Contract

    Contract.load().read_header("f.csv", FULL_HEADER)
    table = pd.DataFrame([["110101", 2023, *["1"] * (len(FULL_HEADER) - 2)]], columns=FULL_HEADER)
    assert len(eng.canonical_table(table, CONTRACT, Path("f.csv"))) == 1
