"""A seeded generator of a SYNTHETIC demo panel of county-level raw statistics (合成演示数据).

No real county statistics ship with the project, yet the pipeline, its checks and its dashboards need
inputs to run on. This module invents them: one row per real county-level unit of mainland China and
data year, in the file format of `config/raw_statistics.yaml`, every row flagged `synthetic = true`.
The numbers are not statistics of any place. They are drawn from a few latent factors per unit (size,
industrial intensity, innovation propensity, openness, income level) with province and region effects,
so that the panel has the skew, correlations and year-to-year persistence that real data have, and its
county totals are scaled to figures the 县域工业经济发展报告 state (see `TARGETS` and data/raw/README.md).

A unit's place in the published 百强 lists nudges its latent strength, with noise, so that the demo
looks plausible; nothing here reproduces, or tries to reproduce, the published rankings.

    .venv/bin/python -m dagster_project.demo.synthetic_panel --out data/raw

The same command with the same seed writes byte-identical files: no clock, no unseeded randomness.
"""

from __future__ import annotations

import argparse
import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from dagster_project.lib.divisions import AdminUnit, Resolver, read_admin_units, read_provinces
from dagster_project.lib.xlsx import FIXED_TIME, pin_times
from dagster_project.reference.admin_units import ADCODES_FILE, PROVINCES_FILE
from dagster_project.resources import (
    DEFAULT_DATA_DIR,
    RANKINGS_FOLDER,
    RAW_FOLDER,
    RAW_STATISTICS_CONTRACT,
    REFERENCE_FOLDER,
)

REFERENCE_DIR = DEFAULT_DATA_DIR / REFERENCE_FOLDER

SEED = 20260101
YEARS = (2021, 2022, 2023)  # the years drawn from the latent factors
ANCHOR = YEARS.index(2022)  # most report figures describe 2022: levels are drawn there, the other years grown
# The years before, grown backwards from 2021 (the reports' overview figures run from 2012 or 2013), each
# by its own seeded stream so that the years drawn first keep their values whatever is added before them.
HISTORY_YEARS = tuple(range(2012, YEARS[0]))
PANEL_YEARS = (*HISTORY_YEARS, *YEARS)
HISTORY_STREAM, ADDED_MEASURES_STREAM = 1, 2

Panel = dict[str, np.ndarray]  # measure -> (units x years) array, canonical units of the contract
Frames = dict[int, pd.DataFrame]  # data year -> one row per unit, canonical units, with universe/region


# --------------------------------------------------------------------------------------------------
# Calibration targets: what the reports state, and how close the demo's totals must come.
# --------------------------------------------------------------------------------------------------

E24 = "县域工业经济发展报告（2024 年）"
E22 = "中国县域工业经济发展报告（2022）"


@dataclass(frozen=True)
class Target:
    """A total the demo is held to: `value ± tolerance` in `unit`, in one data year.

    `calibrated` targets are hit by scaling the generated levels; the others are only checked, and
    hold because of how the panel is built (growth rates, structure).
    """

    name: str
    year: int
    value: float
    tolerance: float
    unit: str
    calibrated: bool
    cited: str  # the stated figure, or how the value is derived from stated figures
    source: str  # edition, section, figure and page


REGION_GDP_SHARES_2020 = {"东部": 40.6, "中部": 29.8, "西部": 25.1, "东北": 4.5}
# 2013: the 2020 shares less the changes the 2022 edition states (-1.8, +4.7, +1.8, -4.7 points since 2013)
REGION_GDP_SHARES_2013 = {"东部": 42.4, "中部": 25.1, "西部": 23.3, "东北": 9.2}

# fmt: off
TARGETS: tuple[Target, ...] = (
    Target("county_gdp", 2022, 46.7, 0.47, "万亿元", True,
           "县（市）GDP 46.7 万亿元 (2022)", f"{E24} 第一篇 一(一), 图1, p. 2"),
    Target("county_secondary_share", 2022, 42.6, 0.3, "%", True,
           "第二产业增加值占 GDP 42.6% (2022)", f"{E24} 第一篇 一(一), 图1, p. 2"),
    Target("county_secondary_share", 2021, 41.4, 1.2, "%", False,
           "between 40.2% (2020) and 42.6% (2022)", f"{E24} 第一篇 一(一), 图1, p. 2"),
    Target("county_gdp", 2021, 42.94, 3.76, "万亿元", False,
           "between 39.18 万亿元 (2020) and 46.7 万亿元 (2022)", f"{E22} 第一篇 一(一), 图1; {E24} 图1"),
    *(Target(f"county_gdp_share_{region}", 2022, share, 0.5, "%", True,
             f"{region} {share}% of county GDP (2020, applied to 2022)", f"{E22} 第一篇 一(二), 图1")
      for region, share in REGION_GDP_SHARES_2020.items()),
    Target("all_units_gdp", 2022, 120.6, 2.4, "万亿元", True,
           "工业百强县 12.3 万亿元 = 10.2% of national GDP", f"{E24} 第一篇 三(一), 图5, p. 12"),
    Target("county_above_scale_enterprises", 2022, 22.1, 0.22, "万家", True,
           "县（市）规上工业企业 22.1 万家 (2022)", f"{E24} 第一篇 一(四), 图4, p. 5"),
    *(Target("county_enterprise_share", year, 49.5, 0.5, "%", year == 2022,
             "县（市）share of all 规上工业企业 49%-50% since 2019", f"{E24} 第一篇 一(四), 图4, p. 5")
      for year in (2019, 2020, *YEARS)),
    Target("county_population", 2021, 8.9, 0.18, "亿人", True,
           "GDP 39.18 万亿元 / 4.4 万元 per head (2020)", f"{E22} 第一篇 一(一), 一(三), 图1, 图2"),
    Target("counties_below_150k", 2021, 394, 12, "个", True,
           "394 县（市）below 15 万 residents (census 2020)", f"{E24} 第一篇 一(二), 图2, p. 3"),
    Target("county_urbanisation", 2021, 49.59, 0.3, "%", True,
           "48.74% (census 2020) + 0.85 pp (our assumption)", f"{E24} 第一篇 一(三), p. 3-4"),
    Target("county_household_savings", 2021, 37.18, 0.74, "万亿元", True,
           "33.8 万亿元 (2020) + 10% (our assumption)", f"{E22} 第一篇 一(四), 图5"),
    Target("county_loans", 2021, 37.07, 0.74, "万亿元", True,
           "33.7 万亿元 (2020) + 10% (our assumption)", f"{E22} 第一篇 一(四), 图6"),
    Target("county_loans_share_东部", 2021, 46.9, 1.0, "%", True,
           "东部 46.9% of county loans (2020)", f"{E22} 第一篇 一(四), 图6"),
    Target("all_units_high_tech_enterprises", 2022, 40.0, 1.2, "万家", True,
           "全国 40 万家国家高新技术企业", f"{E24} 第一篇 三(四), 图14, p. 23"),
    Target("all_units_little_giants", 2023, 12146, 364, "个", True,
           "工业百强区 4223 家 = 34.77% of the national total", f"{E24} 第二篇 三(二), p. 42-43"),
    Target("county_smart_factories", 2023, 115, 0, "个", True,
           "县（市）115 家国家级智能工厂 (end 2023)", f"{E24} 专题篇 二(一), 图24, p. 53"),
    Target("all_units_smart_factories", 2023, 421, 0, "个", True,
           "421 家国家级智能工厂 in all", f"{E24} 专题篇 二(一), p. 51-53"),
    Target("all_units_retail_sales", 2022, 44.0, 1.3, "万亿元", True,
           "工业百强县 3.74 万亿元 = 8.5% of the national total", f"{E24} 第一篇 三(六), 图18, p. 27"),
    # The history (HISTORY_YEARS): each county total scaled, year by year, to a path through these figures.
    Target("county_gdp", 2012, 27.8, 0.28, "万亿元", True,
           "县（市）GDP 27.8 万亿元 (2012)", f"{E24} 第一篇 一(一), p. 2"),
    *(Target("county_gdp", year, value, value / 100, "万亿元", True,
             f"县（市）生产总值 {value} 万亿元 ({year})", f"{E22} 第一篇 一(一), 图1")
      for year, value in ((2013, 29.14), (2017, 34.70), (2020, 39.18))),
    *(Target(f"county_gdp_share_{region}", 2013, share, 0.5, "%", True,
             f"{region} {share}% of county GDP (2013: the 2020 share and its stated change)",
             f"{E22} 第一篇 一(二)")
      for region, share in REGION_GDP_SHARES_2013.items()),
    *(Target(f"county_gdp_share_{region}", 2020, share, 0.5, "%", True,
             f"{region} {share}% of county GDP (2020)", f"{E22} 第一篇 一(二)")
      for region, share in REGION_GDP_SHARES_2020.items()),
    *(Target("county_secondary_share", year, value, 0.3, "%", True,
             f"第二产业增加值占 GDP {value}% ({year})", f"{E24} 第一篇 一(一), 图1, p. 2")
      for year, value in ((2013, 52.5), (2020, 40.2))),
    Target("county_above_scale_enterprises", 2013, 21.0, 0.5, "万家", True,
           "县（市）规上工业企业近 21 万家 (2013)", f"{E24} 第一篇 一(四), 图4, p. 5"),
    Target("county_above_scale_enterprises", 2019, 18.4, 0.2, "万家", True,
           "县（市）规上工业企业约 18.4 万家 (2019)", f"{E24} 第一篇 一(四), 图4, p. 5"),
    *(Target("county_household_savings", year, value, value / 50, "万亿元", True,
             f"县（市）住户储蓄余额 {value} 万亿元 ({year})", f"{E22} 第一篇 一(四), 图5")
      for year, value in ((2013, 16.9), (2017, 24.3), (2020, 33.8))),
    *(Target("county_loans", year, value, value / 50, "万亿元", True,
             f"县（市）金融机构贷款余额 {value} 万亿元 ({year})", f"{E22} 第一篇 一(四), 图6")
      for year, value in ((2013, 15.9), (2017, 24.1), (2020, 33.7))),
)
# fmt: on

# Levels the reports do not state; order-of-magnitude assumptions so that shares look sensible.
NATIONAL_POPULATION_2021 = 14.13e4  # 万人, NBS year-end resident population (assumption, not a report figure)
ASSUMED_TOTALS_2022 = {  # all units, canonical units
    "exports": 24.0e8,  # 万元
    "foreign_capital_used": 1.89e7,  # 万美元
    "energy_consumption": 54.0e4,  # 万吨标准煤
    "engineering_centres_national": 350,
    "engineering_centres_provincial": 25000,
    "key_labs_national": 530,
    "key_labs_provincial": 10000,
    "incubators": 15000,
}
ASSUMED_TOTALS_2021 = {  # all units, 万元: national household deposits and loans, roughly (assumption)
    "household_savings": 103.0e8,
    "loans_outstanding": 192.0e8,
}
GREEN_FACTORIES_2023 = 5000  # all units (assumption)
# 专题篇 图24: the provinces it names, then the rest of each region (below)
# fmt: off
SMART_FACTORIES_COUNTY_2023 = {
    "43": 12, "35": 11, "33": 10, "37": 9, "32": 8,  # 湖南 福建 浙江 山东 江苏
    "41": 8, "13": 6, "15": 6, "14": 6,  # 河南 河北 内蒙古 山西
}
# fmt: on
SMART_FACTORIES_REGION_2023 = {"东部": 45, "中部": 39, "西部": 28, "东北": 3}


def target(name: str, year: int) -> Target:
    return next(t for t in TARGETS if t.name == name and t.year == year)


# --------------------------------------------------------------------------------------------------
# Units, province effects and latent factors
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceEffect:
    """Log-scale (or z-scale) offsets of a province's units: priors from general knowledge, not data."""

    prod: float  # labour productivity (GDP per capita)
    ind: float  # industrial intensity
    inno: float  # innovation propensity
    open: float  # openness (exports, foreign capital)
    pop: float  # unit size in residents
    resource: float  # heavy / resource industry: energy use, large plants


# (prod, ind, inno, open, pop, resource) by province code
PROVINCE_EFFECTS: dict[str, ProvinceEffect] = {
    "11": ProvinceEffect(0.55, -1.0, 1.4, 0.4, 0.5, 0.0),  # 北京
    "12": ProvinceEffect(0.25, 0.4, 0.5, 0.6, 0.1, 0.2),  # 天津
    "13": ProvinceEffect(-0.05, 0.3, -0.2, -0.2, 0.25, 0.4),  # 河北
    "14": ProvinceEffect(-0.15, 0.6, -0.4, -0.6, -0.25, 1.0),  # 山西
    "15": ProvinceEffect(0.2, 0.6, -0.5, -0.7, -0.7, 1.0),  # 内蒙古
    "21": ProvinceEffect(-0.1, 0.2, -0.1, -0.1, -0.2, 0.5),  # 辽宁
    "22": ProvinceEffect(-0.25, 0.0, -0.3, -0.4, -0.15, 0.3),  # 吉林
    "23": ProvinceEffect(-0.4, -0.4, -0.4, -0.5, -0.1, 0.3),  # 黑龙江
    "31": ProvinceEffect(0.6, -0.3, 1.3, 1.3, 0.6, 0.0),  # 上海
    "32": ProvinceEffect(0.5, 0.6, 0.8, 0.9, 0.3, 0.0),  # 江苏
    "33": ProvinceEffect(0.35, 0.5, 0.8, 1.0, 0.1, -0.1),  # 浙江
    "34": ProvinceEffect(0.0, 0.35, 0.35, 0.0, 0.35, 0.1),  # 安徽
    "35": ProvinceEffect(0.45, 0.5, 0.3, 0.7, 0.0, 0.0),  # 福建
    "36": ProvinceEffect(0.0, 0.45, 0.0, 0.1, 0.1, 0.1),  # 江西
    "37": ProvinceEffect(0.15, 0.4, 0.25, 0.45, 0.45, 0.3),  # 山东
    "41": ProvinceEffect(-0.1, 0.35, -0.1, -0.2, 0.55, 0.3),  # 河南
    "42": ProvinceEffect(0.1, 0.3, 0.25, -0.1, 0.15, 0.1),  # 湖北
    "43": ProvinceEffect(0.05, 0.25, 0.15, -0.1, 0.3, 0.0),  # 湖南
    "44": ProvinceEffect(0.05, 0.3, 0.8, 1.2, 0.35, -0.2),  # 广东
    "45": ProvinceEffect(-0.3, 0.0, -0.4, 0.0, 0.2, 0.2),  # 广西
    "46": ProvinceEffect(-0.05, -1.0, -0.4, 0.1, -0.3, -0.2),  # 海南
    "50": ProvinceEffect(0.0, 0.15, 0.15, 0.1, 0.45, 0.0),  # 重庆
    "51": ProvinceEffect(-0.1, 0.0, 0.0, -0.2, 0.2, 0.1),  # 四川
    "52": ProvinceEffect(-0.25, 0.05, -0.3, -0.6, 0.1, 0.4),  # 贵州
    "53": ProvinceEffect(-0.2, -0.1, -0.4, -0.3, -0.15, 0.3),  # 云南
    "54": ProvinceEffect(-0.2, -1.0, -1.0, -1.0, -1.6, -0.3),  # 西藏
    "61": ProvinceEffect(0.1, 0.5, 0.0, -0.4, -0.15, 0.8),  # 陕西
    "62": ProvinceEffect(-0.45, -0.1, -0.5, -0.9, -0.45, 0.4),  # 甘肃
    "63": ProvinceEffect(-0.1, 0.1, -0.7, -1.0, -1.3, 0.8),  # 青海
    "64": ProvinceEffect(0.0, 0.6, -0.4, -0.7, -0.5, 1.0),  # 宁夏
    "65": ProvinceEffect(0.0, 0.25, -0.7, -0.4, -0.6, 0.9),  # 新疆
}
# 广东's counties lag far behind its districts (the 2022 edition notes its low county output per head).
GUANGDONG_COUNTY_PROD = -0.25

# Correlation of the latent factors: size, industrial intensity, innovation, openness, income.
LATENT = ("size", "ind", "inno", "open", "inc")
LATENT_CORRELATION = np.array(
    [
        [1.00, 0.10, 0.20, 0.10, 0.00],
        [0.10, 1.00, 0.45, 0.35, 0.25],
        [0.20, 0.45, 1.00, 0.45, 0.50],
        [0.10, 0.35, 0.45, 1.00, 0.45],
        [0.00, 0.25, 0.50, 0.45, 1.00],
    ]
)


@dataclass(frozen=True)
class Context:
    """Everything the measure generators share: who the units are and their latent traits."""

    units: list[AdminUnit]
    county: np.ndarray  # bool: universe county (县（市）), the universe the report totals describe
    universe: np.ndarray
    region: np.ndarray
    province: np.ndarray  # 2-digit code
    effect: dict[str, np.ndarray]  # ProvinceEffect field -> per unit
    z: dict[str, np.ndarray]  # latent factor -> per unit, standard normal
    strength_ind: np.ndarray  # >= 0: noisy evidence of industrial strength from the published lists
    strength_inno: np.ndarray  # >= 0: the same from the innovation list

    @property
    def n(self) -> int:
        return len(self.units)

    def by_universe(self, county: float, district: float, municipal: float) -> np.ndarray:
        return np.select(
            [self.universe == "county", self.universe == "district"], [county, district], municipal
        ).astype(float)


def load_units(reference_dir: Path = REFERENCE_DIR) -> tuple[list[AdminUnit], Resolver]:
    provinces = read_provinces(reference_dir / PROVINCES_FILE)
    units = read_admin_units(reference_dir / ADCODES_FILE, provinces)
    return units, Resolver(units, provinces)


def list_strengths(
    units: list[AdminUnit], resolver: Resolver, rng: np.random.Generator, rankings_dir: Path
) -> tuple[np.ndarray, np.ndarray]:
    """Noisy strength from the published lists: listed units lean strong, by rank, but only lean.

    A rank r maps to 1.2 + 1.6 (100 - r) / 99 (2.8 for the first, 1.2 for the hundredth), averaged
    over the editions that list the unit, then multiplied by log-normal noise; the latent factors add
    their own noise on top, so the demo's order is not the lists' order.
    """
    index = {u.adcode: i for i, u in enumerate(units)}
    scores: dict[str, list[list[float]]] = {
        "industrial": [[] for _ in units],
        "innovation": [[] for _ in units],
    }
    for path in sorted(rankings_dir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                adcode = resolver.resolve(row["province"], row["prefecture"], row["name"]).adcode
                if adcode is None:
                    continue  # an unresolved name only loses its nudge
                kind = "innovation" if row["list"].startswith("innovation") else "industrial"
                scores[kind][index[adcode]].append(1.2 + 1.6 * (100 - int(row["rank"])) / 99)
    strengths = []
    for kind in ("industrial", "innovation"):
        mean = np.array([np.mean(s) if s else 0.0 for s in scores[kind]])
        strengths.append(mean * np.clip(rng.lognormal(0.0, 0.2, len(units)), 0.7, 1.3))
    return strengths[0], strengths[1]


def build_context(rng: np.random.Generator, reference_dir: Path = REFERENCE_DIR) -> Context:
    units, resolver = load_units(reference_dir)
    province = np.array([u.province_code for u in units])
    effect = {
        field: np.array([getattr(PROVINCE_EFFECTS[p], field) for p in province])
        for field in ("prod", "ind", "inno", "open", "pop", "resource")
    }
    universe = np.array([u.universe for u in units])
    effect["prod"] = effect["prod"] + np.where(
        (province == "44") & (universe == "county"), GUANGDONG_COUNTY_PROD, 0
    )
    draws = rng.standard_normal((len(units), len(LATENT))) @ np.linalg.cholesky(LATENT_CORRELATION).T
    strength_ind, strength_inno = list_strengths(units, resolver, rng, reference_dir / RANKINGS_FOLDER)
    return Context(
        units=units,
        county=universe == "county",
        universe=universe,
        region=np.array([u.region for u in units]),
        province=province,
        effect=effect,
        z={name: draws[:, i] for i, name in enumerate(LATENT)},
        strength_ind=strength_ind,
        strength_inno=strength_inno,
    )


# --------------------------------------------------------------------------------------------------
# Small numerical helpers
# --------------------------------------------------------------------------------------------------


def grow(anchor: np.ndarray, back: np.ndarray, forward: np.ndarray) -> np.ndarray:
    """Three years from the 2022 level and the log growth into 2022 and out of it."""
    return np.column_stack([anchor * np.exp(-back), anchor, anchor * np.exp(forward)])


def log_growth(
    rng: np.random.Generator, n: int, mean: float, sd: float, lo: float = 0.6, hi: float = 1.6
) -> np.ndarray:
    """Log growth around `mean` (a ratio), clipped to [lo, hi] so no year jumps implausibly."""
    return np.clip(rng.normal(np.log(mean), sd, n), np.log(lo), np.log(hi))


def soft_cap(z: np.ndarray, cap: float) -> np.ndarray:
    """Compress the upper tail of a normal draw towards `cap`: no county of ten million people."""
    return np.where(z > 0, cap * np.tanh(z / cap), z)


def logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def scale_to(values: np.ndarray, mask: np.ndarray, year: int, total: float) -> None:
    """Scale the masked units' values in every year so that their total in `year` is `total`."""
    column = YEARS.index(year)
    values[mask] *= total / values[mask, column].sum()


def bisect(f: Callable[[float], float], goal: float, lo: float, hi: float, steps: int = 60) -> float:
    """The x in [lo, hi] with f(x) = goal, for an increasing f."""
    for _ in range(steps):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) < goal else (lo, mid)
    return (lo + hi) / 2


def stochastic_round(rng: np.random.Generator, x: np.ndarray) -> np.ndarray:
    """Round up with probability equal to the fraction: small counts move too, without bias."""
    return np.floor(x + rng.random(x.shape))


def allocate(rng: np.random.Generator, total: int, weights: np.ndarray) -> np.ndarray:
    """Exactly `total` items spread over units with probabilities proportional to `weights`."""
    return rng.multinomial(total, weights / weights.sum()).astype(float)


def poisson_total(rng: np.random.Generator, total: float, weights: np.ndarray) -> np.ndarray:
    """Counts with expected total `total`, each unit Poisson with mean proportional to its weight."""
    return rng.poisson(total * weights / weights.sum()).astype(float)


def stock_path(
    rng: np.random.Generator, anchor: np.ndarray, back_keep: float, forward_rate: float
) -> np.ndarray:
    """Counts of a stock (designations, patents) that only accumulate: thin backwards, add forwards."""
    anchor = anchor.astype(np.int64)
    before = rng.binomial(anchor, back_keep)
    after = anchor + rng.poisson(anchor * forward_rate)
    return np.column_stack([before, anchor, after]).astype(float)


# --------------------------------------------------------------------------------------------------
# The measures, in dependency order
# --------------------------------------------------------------------------------------------------


def population(ctx: Context, rng: np.random.Generator) -> np.ndarray:
    """Residents (万人): log-normal by universe and province, counties calibrated on two report figures.

    The dispersion of the counties is solved so that, at the stated county total, the number of
    counties below 15 万 residents matches the census count; counties shrink slowly, districts grow.
    """
    n = ctx.n
    base = np.log(ctx.by_universe(33.0, 40.0, 80.0)) + ctx.effect["pop"] + 0.15 * ctx.strength_ind
    size = soft_cap(ctx.z["size"], 1.5)
    east = (ctx.region == "东部").astype(float)
    back = np.where(ctx.county, rng.normal(-0.004, 0.006, n), rng.normal(0.006 + 0.004 * east, 0.01, n))
    forward = np.where(ctx.county, rng.normal(-0.004, 0.006, n), rng.normal(0.005 + 0.004 * east, 0.01, n))
    back, forward = np.clip(back, -0.05, 0.05), np.clip(forward, -0.05, 0.05)

    total = target("county_population", 2021).value * 1e4
    small = target("counties_below_150k", 2021).value

    def panel(sigma: float) -> np.ndarray:
        values = grow(np.exp(base + sigma * size), back, forward)
        scale_to(values, ctx.county, 2021, total)
        return values

    sigma = bisect(lambda s: float((panel(s)[ctx.county, 0] < 15.0).sum()), small, 0.2, 1.6)
    values = panel(sigma)
    rest = NATIONAL_POPULATION_2021 - total
    scale_to(values, ~ctx.county, 2021, rest)
    return values


def gdp(ctx: Context, rng: np.random.Generator, pop: np.ndarray) -> np.ndarray:
    """GDP (万元) = residents (万人) x GDP per head (元).

    Heads are richer in the east, in districts and in listed units; the counties' totals by region are
    then scaled to the stated regional shares, and the districts' to national GDP minus the counties.
    """
    n = ctx.n
    z = ctx.z
    log_per_head = (
        np.log(ctx.by_universe(45000, 110000, 130000))
        + ctx.effect["prod"]
        + 0.2 * z["inc"]
        + 0.2 * z["ind"]
        + 0.08 * z["inno"]
        + 0.35 * ctx.strength_ind
        + rng.normal(0, 0.22, n)
    )
    northeast = (ctx.region == "东北").astype(float)
    west = (ctx.region == "西部").astype(float)
    resource = ctx.effect["resource"]
    back = log_growth(rng, n, 1.06, 0.025, 0.85, 1.25) + 0.01 * z["ind"] - 0.02 * northeast
    back += 0.005 * west + 0.02 * resource  # coal and energy prices lifted resource areas in 2022
    forward = log_growth(rng, n, 1.05, 0.025, 0.85, 1.25) + 0.005 * z["inno"] - 0.01 * northeast
    forward -= 0.015 * resource
    values = grow(pop[:, ANCHOR] * np.exp(log_per_head), back, forward)
    county_total = target("county_gdp", 2022).value * 1e8
    for region, share in REGION_GDP_SHARES_2020.items():
        scale_to(values, ctx.county & (ctx.region == region), 2022, county_total * share / 100)
    scale_to(values, ~ctx.county, 2022, (target("all_units_gdp", 2022).value * 1e8) - county_total)
    return values


def secondary_and_industry(
    ctx: Context, rng: np.random.Generator, gdp_: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Second-industry and industrial value added (万元), and 规上工业增加值增速 (%).

    The share of the second industry is logistic in industrial intensity; its intercept is solved
    so the counties' GDP-weighted share in 2022 is the stated one (districts: national minus counties,
    about 38.4%). Industry is most of the second industry, less where construction dominates.
    """
    n = ctx.n
    z = ctx.z
    unit = 0.55 * z["ind"] + 0.45 * ctx.effect["ind"] + 0.25 * ctx.strength_ind + rng.normal(0, 0.3, n)
    year_shift = np.column_stack([rng.normal(-0.045, 0.04, n), np.zeros(n), rng.normal(0.01, 0.04, n)])

    def shares(intercept: np.ndarray) -> np.ndarray:
        return np.clip(logistic(intercept[:, None] + unit[:, None] + year_shift), 0.03, 0.9)

    def weighted(mask: np.ndarray, a: float) -> float:
        s = shares(np.full(n, a))[mask, ANCHOR]
        return float((s * gdp_[mask, ANCHOR]).sum() / gdp_[mask, ANCHOR].sum())

    a_county = bisect(
        lambda a: weighted(ctx.county, a), target("county_secondary_share", 2022).value / 100, -4, 4
    )
    a_district = bisect(lambda a: weighted(~ctx.county, a), 0.384, -4, 4)
    secondary = gdp_ * shares(np.where(ctx.county, a_county, a_district))

    fraction = logit(0.8) + 0.25 * z["ind"] + 0.3 * ctx.effect["ind"] + rng.normal(0, 0.3, n)
    fraction = np.clip(logistic(fraction[:, None] + rng.normal(0, 0.03, (n, 3))), 0.35, 0.97)
    industry = secondary * fraction

    nominal = 100 * (industry[:, 1:] / industry[:, :-1] - 1)
    real = np.empty((n, 3))
    real[:, 0] = rng.normal(9.6, 4.5, n) + 1.5 * z["ind"]  # no 2020 level: drawn around the national rate
    for column, national in ((1, 3.6), (2, 4.6)):  # real growth: nominal minus a common deflator
        change = nominal[:, column - 1]
        real[:, column] = change - np.median(change) + national + rng.normal(0, 2.5, n)
    return secondary, industry, np.clip(real, -30.0, 40.0)


def fiscal(
    ctx: Context, rng: np.random.Generator, pop: np.ndarray, gdp_: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """一般公共预算收入 about 6% of GDP; 支出 per head (元), topped up by transfers in the west.

    Most counties spend several times what they collect; the gap is what transfers pay for.
    """
    n = ctx.n
    z = ctx.z
    ratio = np.exp(
        np.log(ctx.by_universe(0.058, 0.065, 0.07)) + 0.15 * z["inc"] + 0.1 * z["ind"] + rng.normal(0, 0.3, n)
    )
    year = np.array([1.0, 0.97, 1.02]) * np.exp(rng.normal(0, 0.04, (n, 3)))  # 2022: VAT credit refunds
    revenue = gdp_ * ratio[:, None] * year
    transfers = np.select([ctx.province == "54", ctx.province == "63"], [1.0, 0.7], 0.0)
    transfers += 0.3 * (ctx.region == "西部") + 0.15 * (ctx.region == "东北")
    per_head = np.exp(np.log(7500) + transfers + 0.15 * z["inc"] + rng.normal(0, 0.25, n))  # 元
    spending = pop[:, ANCHOR] * per_head
    spending = grow(spending, log_growth(rng, n, 1.04, 0.03), log_growth(rng, n, 1.04, 0.03))
    # Rich units remit to higher levels and can spend less than they collect, but not much less.
    return revenue, np.maximum(spending, revenue * rng.uniform(0.8, 1.3, n)[:, None])


def enterprises(
    ctx: Context, rng: np.random.Generator, industry: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """规上工业企业: their number, revenue and profit.

    The count follows industrial value added over a value added per enterprise (higher where plants
    are large: resource provinces), scaled to the stated county count in 2022 and to the stated
    county share of all enterprises. Every unit keeps at least one, and revenue at least the
    2,000 万元 threshold per enterprise; a loss-making unit stays loss-making across the years.
    """
    n = ctx.n
    z = ctx.z
    per_enterprise = np.exp(
        np.log(6500) + 0.3 * ctx.effect["resource"] - 0.1 * z["open"] + rng.normal(0, 0.25, n)
    )
    expected = industry[:, ANCHOR] / per_enterprise
    county_total = target("county_above_scale_enterprises", 2022).value * 1e4
    share = target("county_enterprise_share", 2022).value / 100
    expected[ctx.county] *= county_total / expected[ctx.county].sum()
    expected[~ctx.county] *= county_total * (1 - share) / share / expected[~ctx.county].sum()
    anchor = np.maximum(rng.poisson(expected), 1).astype(float)
    back = np.clip(rng.normal(0.055, 0.04, n), -0.1, 0.25)
    forward = np.clip(rng.normal(0.04, 0.04, n), -0.1, 0.25)
    count = np.maximum(stochastic_round(rng, grow(anchor, back, forward)), 1)

    multiple = np.exp(np.log(3.2) + 0.1 * z["ind"] + rng.normal(0, 0.3, n))
    revenue = industry * multiple[:, None] * np.exp(rng.normal(0, 0.03, (n, 3)))
    revenue = np.maximum(revenue, count * 2200.0)

    margin = rng.normal(0.058, 0.03, n) + 0.01 * z["inno"] + 0.006 * z["ind"]
    margin = np.where(np.abs(margin) < 0.005, 0.005, margin)
    yearly = margin[:, None] + np.array([0.008, 0.0, -0.003]) + rng.normal(0, 0.008, (n, 3))
    # Same sign every year, within a factor 1.35 of the unit's own margin: profit never flips or jumps.
    low, high = np.minimum(margin / 1.35, margin * 1.35), np.maximum(margin / 1.35, margin * 1.35)
    yearly = np.clip(yearly, low[:, None], high[:, None])
    profit = revenue * np.clip(yearly, -0.15, 0.25)
    profit = np.sign(profit) * np.maximum(np.abs(profit), 300.0)
    return count, revenue, profit


def investment(ctx: Context, rng: np.random.Generator, industry: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """工业固定资产投资 (万元) and its growth (%), the growth being that of the panel's own levels."""
    n = ctx.n
    ratio = np.exp(np.log(0.5) + 0.15 * ctx.effect["resource"] + 0.1 * ctx.z["ind"] + rng.normal(0, 0.45, n))
    back = log_growth(rng, n, 1.10, 0.18, 0.6, 1.7)
    forward = log_growth(rng, n, 1.09, 0.18, 0.6, 1.7)
    level = np.maximum(grow(industry[:, ANCHOR] * ratio, back, forward), 500.0)
    growth = np.empty((n, 3))
    growth[:, 0] = 100 * (np.exp(log_growth(rng, n, 1.114, 0.2, 0.6, 1.7)) - 1)  # into 2021: no 2020 level
    growth[:, 1:] = 100 * (level[:, 1:] / level[:, :-1] - 1)
    return level, growth


def innovation(
    ctx: Context, rng: np.random.Generator, pop: np.ndarray, gdp_: np.ndarray, firms: np.ndarray
) -> Panel:
    """R&D, patents and innovation carriers: sparse and skewed, concentrated in districts and leaders."""
    n = ctx.n
    z = ctx.z
    talent = z["inno"] + 0.5 * ctx.effect["inno"] + 0.6 * ctx.strength_inno + 0.15 * ctx.strength_ind
    district = ctx.by_universe(0.0, 1.0, 1.2)
    out: Panel = {}

    intensity = np.exp(
        np.log(0.009) + 0.55 * talent + 0.2 * z["ind"] + 0.5 * district + rng.normal(0, 0.4, n)
    )
    intensity = np.clip(intensity, 0.0005, 0.065)[:, None] * np.array([0.96, 1.0, 1.04])
    out["rd_expenditure"] = np.maximum(gdp_ * intensity, 300.0)

    per_10k = np.exp(np.log(1.5) + 0.9 * talent + 1.2 * district + rng.normal(0, 0.5, n))
    stock = rng.poisson(pop[:, ANCHOR] * per_10k).astype(float)
    out["invention_patents"] = stock_path(rng, stock, 0.87, 0.14)
    grants = np.exp(np.log(8.0) + 0.7 * talent + 0.3 * z["ind"] + 0.8 * district + rng.normal(0, 0.4, n))
    grants = pop * grants[:, None] * np.array([1.05, 1.0, 0.93]) * np.exp(rng.normal(0, 0.08, (n, 3)))
    out["patent_grants"] = rng.poisson(grants).astype(float)

    share = np.minimum(np.exp(np.log(0.3) + 0.35 * talent + 1.2 * district + rng.normal(0, 0.3, n)), 2.5)
    expected = firms[:, ANCHOR] * share
    expected *= target("all_units_high_tech_enterprises", 2022).value * 1e4 / expected.sum()
    anchor = rng.poisson(expected).astype(float)
    back, forward = rng.normal(0.17, 0.06, n), rng.normal(0.12, 0.06, n)
    out["high_tech_enterprises"] = stochastic_round(rng, grow(anchor, back, forward))

    weight = np.power(out["high_tech_enterprises"][:, 2] + 1, 0.9) * np.exp(0.3 * talent)
    giants = allocate(rng, int(target("all_units_little_giants", 2023).value), weight)
    after = giants.astype(np.int64)
    mid = rng.binomial(after, 0.72)
    out["little_giants"] = np.column_stack([rng.binomial(mid, 0.55), mid, after]).astype(float)

    hte = out["high_tech_enterprises"][:, ANCHOR] + 1
    carriers = {  # name: (weight, yearly change) -- national carriers are a closed list: no change
        "engineering_centres_national": (hte * np.exp(1.2 * talent) * ctx.by_universe(1, 3, 4), 0.0),
        "key_labs_national": (np.exp(2.2 * talent) * ctx.by_universe(1, 12, 30), 0.0),
        "engineering_centres_provincial": (np.power(hte, 0.8) * np.exp(0.5 * talent), 0.05),
        "key_labs_provincial": (np.power(hte, 0.6) * np.exp(0.9 * talent) * ctx.by_universe(1, 2, 3), 0.04),
        "incubators": (np.sqrt(pop[:, ANCHOR]) * np.power(hte, 0.4) * np.exp(0.5 * talent), 0.05),
    }
    for name, (weight, rate) in carriers.items():
        anchor = poisson_total(rng, ASSUMED_TOTALS_2022[name], weight)
        out[name] = stock_path(rng, anchor, 1 / (1 + rate), rate) if rate else np.tile(anchor[:, None], 3)
    return out


def factories(ctx: Context, rng: np.random.Generator, firms: np.ndarray, talent_hint: np.ndarray) -> Panel:
    """国家级智能工厂 (county counts by province and region as the 2024 edition states) and 绿色工厂."""
    weight = np.power(firms[:, 2], 0.8) * np.exp(0.6 * talent_hint)
    smart = np.zeros(ctx.n)
    named = set(SMART_FACTORIES_COUNTY_2023)
    for code, count in SMART_FACTORIES_COUNTY_2023.items():
        mask = ctx.county & (ctx.province == code)
        smart[mask] = allocate(rng, count, weight[mask])
    for region, count in SMART_FACTORIES_REGION_2023.items():
        in_region = ctx.county & (ctx.region == region)
        rest = count - int(smart[in_region].sum())
        mask = in_region & ~np.isin(ctx.province, list(named))
        smart[mask] = allocate(rng, rest, weight[mask])
    districts = ~ctx.county
    smart[districts] = allocate(
        rng, int(target("all_units_smart_factories", 2023).value - smart.sum()), weight[districts]
    )
    after = smart.astype(np.int64)
    mid = rng.binomial(after, 0.5)
    green_after = poisson_total(rng, GREEN_FACTORIES_2023, weight * np.exp(0.3 * ctx.z["ind"])).astype(
        np.int64
    )
    green_mid = rng.binomial(green_after, 0.75)
    return {
        "smart_factories_national": np.column_stack([rng.binomial(mid, 0.5), mid, after]).astype(float),
        "green_factories_national": np.column_stack(
            [rng.binomial(green_mid, 0.7), green_mid, green_after]
        ).astype(float),
    }


def openness(ctx: Context, rng: np.random.Generator, gdp_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """出口 (万元) as a share of GDP driven by openness; 实际使用外资 (万美元) loosely tied to exports."""
    n = ctx.n
    z = ctx.z
    drive = 0.8 * z["open"] + 0.9 * ctx.effect["open"] + 0.3 * ctx.strength_ind
    ratio = np.clip(
        np.exp(np.log(0.05) + drive + 0.3 * ctx.by_universe(0, 1, 1) + rng.normal(0, 0.6, n)), 0.002, 1.2
    )
    exports = gdp_[:, ANCHOR] * ratio
    exports = grow(exports, log_growth(rng, n, 1.08, 0.1, 0.65, 1.5), log_growth(rng, n, 1.0, 0.1, 0.65, 1.5))
    scale_to(exports, np.ones(n, bool), 2022, ASSUMED_TOTALS_2022["exports"])
    fdi = exports[:, ANCHOR] / 7.0 * np.exp(np.log(0.05) + 0.5 * z["open"] + rng.normal(0, 0.8, n))
    fdi = grow(fdi, log_growth(rng, n, 1.05, 0.2, 0.6, 1.6), log_growth(rng, n, 0.9, 0.2, 0.6, 1.6))
    scale_to(fdi, np.ones(n, bool), 2022, ASSUMED_TOTALS_2022["foreign_capital_used"])
    return np.maximum(exports, 500.0), np.maximum(fdi, 10.0)


def households(ctx: Context, rng: np.random.Generator, pop: np.ndarray, gdp_: np.ndarray) -> Panel:
    """Incomes (元), urbanisation (%), retail sales, savings and loans (万元; per head in 元 x 万人)."""
    n = ctx.n
    z = ctx.z
    wealth = 0.3 * z["inc"] + 0.6 * ctx.effect["prod"] + 0.1 * ctx.strength_ind
    out: Panel = {}

    urban = np.exp(
        np.log(38000) + 0.6 * wealth + np.log(ctx.by_universe(1.0, 1.18, 1.3)) + rng.normal(0, 0.08, n)
    )
    out["urban_income_per_capita"] = np.rint(
        grow(urban, rng.normal(0.045, 0.01, n), rng.normal(0.05, 0.01, n))
    )
    gap = logit(0.48) + 0.35 * z["inc"] + 0.3 * ctx.effect["prod"] + rng.normal(0, 0.2, n)
    rural = urban * np.clip(logistic(gap), 0.3, 0.85)
    rural = grow(rural, rng.normal(0.065, 0.012, n), rng.normal(0.075, 0.012, n))
    out["rural_income_per_capita"] = np.rint(np.minimum(rural, 0.92 * out["urban_income_per_capita"]))

    position = 0.5 * z["inc"] + 0.3 * z["size"] + 0.25 * ctx.effect["prod"] + rng.normal(0, 0.35, n)
    steps = np.column_stack([np.zeros(n), rng.normal(0.8, 0.3, n), rng.normal(0.8, 0.3, n)]).cumsum(axis=1)

    def rate(intercept: float, mask: np.ndarray) -> np.ndarray:
        return np.clip(100 * logistic(intercept + position[mask])[:, None] + steps[mask], 8.0, 100.0)

    goal = target("county_urbanisation", 2021).value
    weights = pop[ctx.county, 0]
    a = bisect(lambda a: float((rate(a, ctx.county)[:, 0] * weights).sum() / weights.sum()), goal, -4, 4)
    urbanisation = np.empty((n, 3))
    urbanisation[ctx.county] = rate(a, ctx.county)
    urbanisation[~ctx.county] = rate(logit(0.84), ~ctx.county)
    out["urbanisation_rate"] = urbanisation

    retail = pop[:, ANCHOR] * np.exp(
        np.log(16000) + 0.5 * wealth + 0.7 * ctx.by_universe(0, 1, 1) + rng.normal(0, 0.25, n)
    )
    out["retail_sales"] = grow(retail, log_growth(rng, n, 1.0, 0.03), log_growth(rng, n, 1.07, 0.03))
    scale_to(out["retail_sales"], np.ones(n, bool), 2022, target("all_units_retail_sales", 2022).value * 1e8)

    savings = pop[:, ANCHOR] * np.exp(
        np.log(40000) + 0.6 * wealth + 0.5 * ctx.by_universe(0, 1, 1) + rng.normal(0, 0.3, n)
    )
    out["household_savings"] = grow(savings, log_growth(rng, n, 1.13, 0.03), log_growth(rng, n, 1.12, 0.03))
    county_savings = target("county_household_savings", 2021).value * 1e8
    scale_to(out["household_savings"], ctx.county, 2021, county_savings)
    scale_to(
        out["household_savings"], ~ctx.county, 2021, ASSUMED_TOTALS_2021["household_savings"] - county_savings
    )

    loans = gdp_[:, ANCHOR] * np.exp(np.log(0.8) + 0.25 * z["ind"] + 0.2 * z["open"] + rng.normal(0, 0.35, n))
    out["loans_outstanding"] = grow(loans, log_growth(rng, n, 1.10, 0.03), log_growth(rng, n, 1.10, 0.03))
    county_loans = target("county_loans", 2021).value * 1e8
    east_share = target("county_loans_share_东部", 2021).value / 100
    east = ctx.region == "东部"
    scale_to(out["loans_outstanding"], ctx.county & east, 2021, county_loans * east_share)
    scale_to(out["loans_outstanding"], ctx.county & ~east, 2021, county_loans * (1 - east_share))
    scale_to(
        out["loans_outstanding"], ~ctx.county, 2021, ASSUMED_TOTALS_2021["loans_outstanding"] - county_loans
    )
    return out


def energy(ctx: Context, rng: np.random.Generator, gdp_: np.ndarray) -> np.ndarray:
    """综合能源消费量 (万吨标准煤): GDP x an energy intensity that heavy, resource-based units multiply."""
    n = ctx.n
    intensity = np.exp(
        np.log(0.38) + 0.45 * ctx.z["ind"] + 0.5 * ctx.effect["resource"] + rng.normal(0, 0.4, n)
    )
    intensity = np.clip(intensity, 0.05, 6.0)[:, None] * np.array([1.03, 1.0, 0.97])
    values = gdp_ * intensity / 1e4
    scale_to(values, np.ones(n, bool), 2022, ASSUMED_TOTALS_2022["energy_consumption"])
    return values


def generate(seed: int = SEED, reference_dir: Path = REFERENCE_DIR) -> tuple[Context, Panel]:
    """The whole panel in canonical units, before rounding."""
    rng = np.random.default_rng(seed)
    ctx = build_context(rng, reference_dir)
    panel: Panel = {"population_resident": population(ctx, rng)}
    panel["gdp"] = gdp(ctx, rng, panel["population_resident"])
    panel["va_secondary"], panel["va_industry"], panel["industry_va_growth"] = secondary_and_industry(
        ctx, rng, panel["gdp"]
    )
    panel["fiscal_revenue"], panel["fiscal_expenditure"] = fiscal(
        ctx, rng, panel["population_resident"], panel["gdp"]
    )
    firms, revenue, profit = enterprises(ctx, rng, panel["va_industry"])
    panel |= {"above_scale_enterprises": firms, "above_scale_revenue": revenue, "above_scale_profit": profit}
    panel["industrial_fai"], panel["industrial_fai_growth"] = investment(ctx, rng, panel["va_industry"])
    panel |= innovation(ctx, rng, panel["population_resident"], panel["gdp"], firms)
    panel |= factories(ctx, rng, firms, ctx.z["inno"] + 0.8 * ctx.strength_inno)
    panel["exports"], panel["foreign_capital_used"] = openness(ctx, rng, panel["gdp"])
    panel |= households(ctx, rng, panel["population_resident"], panel["gdp"])
    panel["energy_consumption"] = energy(ctx, rng, panel["gdp"])
    panel = history(ctx, panel, seed)
    return ctx, panel | added_measures(ctx, panel, seed)


# --------------------------------------------------------------------------------------------------
# The history: the years before 2021, grown backwards from the units' 2021 values
# --------------------------------------------------------------------------------------------------

# Nominal GDP growth into each year 2013..2021 at the median (log, order of magnitude: an assumption,
# not a report figure); the county totals are then scaled to the reports' path anyway.
HISTORY_GDP_GROWTH = (0.095, 0.085, 0.07, 0.08, 0.10, 0.095, 0.075, 0.03, 0.12)


def chain_back(level: np.ndarray, growth: np.ndarray) -> np.ndarray:
    """The years before a level: growth[:, j] is the log growth into year j + 1 (the last: into 2021)."""
    return level[:, None] * np.exp(-np.cumsum(growth[:, ::-1], axis=1)[:, ::-1])


def yearly_growth(
    rng: np.random.Generator, n: int, mean: float | np.ndarray, unit_sd: float, year_sd: float
) -> np.ndarray:
    """Log growth per unit and year: a persistent unit effect and yearly noise, at most +-35% a year."""
    h = len(HISTORY_YEARS)
    draw = np.asarray(mean, float) + rng.normal(0, unit_sd, n)[:, None] + rng.normal(0, year_sd, (n, h))
    return np.clip(draw, np.log(0.75), np.log(1.35))


def stated_path(points: dict[int, float]) -> np.ndarray:
    """A total per history year through stated points, log-linear between them, flat before the first."""
    years = sorted(points)
    return np.exp(np.interp(HISTORY_YEARS, years, [np.log(points[y]) for y in years]))


def stated_points(name: str, scale: float) -> dict[int, float]:
    """The history targets of one name, in canonical units."""
    return {t.year: t.value * scale for t in TARGETS if t.name == name and t.year in HISTORY_YEARS}


def fit_totals(values: np.ndarray, mask: np.ndarray, totals: np.ndarray) -> None:
    """Scale the masked units of each history year so that they add up to that year's total."""
    values[mask] *= totals / values[mask].sum(axis=0)


def thin_back(rng: np.random.Generator, latest: np.ndarray, keep: tuple[float, ...]) -> np.ndarray:
    """A stock counted backwards: each year keeps a share of the next year's items (keep[j]: year j)."""
    out = np.empty((len(latest), len(HISTORY_YEARS)))
    after = latest.astype(np.int64)
    for j in range(len(HISTORY_YEARS) - 1, -1, -1):
        after = rng.binomial(after, keep[j])
        out[:, j] = after
    return out


def since(first_year: int, keep: float) -> tuple[float, ...]:
    """Keep shares of a designation first awarded in `first_year`: none before it."""
    return tuple(keep if year >= first_year else 0.0 for year in HISTORY_YEARS)


def history(ctx: Context, panel: Panel, seed: int) -> Panel:
    """Every measure's history years, from its 2021 values: growth, shares and stocks run backwards.

    County totals follow the reports' path (GDP and its regional shares, the second industry's share,
    enterprises, savings, loans: `TARGETS` of HISTORY_YEARS); everything else grows at assumed rates.
    """
    rng = np.random.default_rng([seed, HISTORY_STREAM])
    n, h = ctx.n, len(HISTORY_YEARS)
    latest = {name: values[:, 0] for name, values in panel.items()}
    out: Panel = {}
    county, east = ctx.county, (ctx.region == "东部").astype(float)

    pop_growth = np.where(county, -0.004, 0.008 + 0.004 * east)[:, None]
    out["population_resident"] = chain_back(
        latest["population_resident"], yearly_growth(rng, n, pop_growth, 0.004, 0.003)
    )

    growth = (
        np.array(HISTORY_GDP_GROWTH) - 0.02 * (ctx.region == "东北")[:, None] + 0.01 * ctx.z["ind"][:, None]
    )
    gdp_ = chain_back(latest["gdp"], yearly_growth(rng, n, growth, 0.015, 0.02))
    totals = stated_path({**stated_points("county_gdp", 1e8), YEARS[0]: latest["gdp"][county].sum()})
    regions = {region: county & (ctx.region == region) for region in REGION_GDP_SHARES_2020}
    shares = {
        region: stated_path(
            {
                **stated_points(f"county_gdp_share_{region}", 1 / 100),
                YEARS[0]: latest["gdp"][mask].sum() / latest["gdp"][county].sum(),
            }
        )
        for region, mask in regions.items()
    }
    for region, mask in regions.items():
        fit_totals(gdp_, mask, totals * shares[region] / sum(shares.values()))
    out["gdp"] = gdp_

    share_2021 = latest["va_secondary"] / latest["gdp"]
    drift = rng.normal(0, 0.05, (n, h)).cumsum(axis=1)[:, ::-1] * 0.3

    def secondary_share(shift: float, mask: np.ndarray, j: int) -> np.ndarray:
        return np.clip(
            logistic(np.log(share_2021[mask] / (1 - share_2021[mask])) + shift + drift[mask, j]), 0.03, 0.9
        )

    path = stated_path(
        {
            **stated_points("county_secondary_share", 1 / 100),
            YEARS[0]: float((latest["va_secondary"][county]).sum() / latest["gdp"][county].sum()),
        }
    )
    secondary = np.empty((n, h))
    for j in range(h):
        weights = gdp_[county, j]
        shift = bisect(
            lambda a, j=j, w=weights: float((secondary_share(a, county, j) * w).sum() / w.sum()),
            path[j],
            -4,
            4,
        )
        secondary[county, j] = gdp_[county, j] * secondary_share(shift, county, j)
        secondary[~county, j] = gdp_[~county, j] * secondary_share(0.7 * shift, ~county, j)
    out["va_secondary"] = secondary
    fraction = np.clip(
        (latest["va_industry"] / latest["va_secondary"])[:, None] * np.exp(rng.normal(0, 0.03, (n, h))),
        0.35,
        0.97,
    )
    out["va_industry"] = secondary * fraction
    industry = np.column_stack([out["va_industry"], latest["va_industry"]])
    real = 100 * (industry[:, 1:-1] / industry[:, :-2] - 1) - 2.0 + rng.normal(0, 2.5, (n, h - 1))
    out["industry_va_growth"] = np.clip(np.column_stack([rng.normal(10.0, 4.5, n), real]), -30.0, 40.0)

    ratio = latest["fiscal_revenue"] / latest["gdp"]
    out["fiscal_revenue"] = gdp_ * ratio[:, None] * np.exp(rng.normal(0, 0.04, (n, h)))
    spending = chain_back(latest["fiscal_expenditure"], yearly_growth(rng, n, 0.07, 0.02, 0.03))
    out["fiscal_expenditure"] = np.maximum(spending, 0.8 * out["fiscal_revenue"])

    firms = chain_back(latest["above_scale_enterprises"], yearly_growth(rng, n, 0.0, 0.03, 0.04))
    county_firms = stated_path(
        {
            **stated_points("county_above_scale_enterprises", 1e4),
            YEARS[0]: latest["above_scale_enterprises"][county].sum(),
        }
    )
    fit_totals(firms, county, county_firms)
    share = target("county_enterprise_share", 2022).value / 100
    fit_totals(firms, ~county, county_firms * (1 - share) / share)
    out["above_scale_enterprises"] = np.maximum(stochastic_round(rng, firms), 1)
    revenue = chain_back(latest["above_scale_revenue"], yearly_growth(rng, n, 0.06, 0.02, 0.04))
    out["above_scale_revenue"] = np.maximum(revenue, out["above_scale_enterprises"] * 2200.0)
    margin = latest["above_scale_profit"] / latest["above_scale_revenue"]
    margin = margin[:, None] * np.clip(np.exp(rng.normal(0, 0.12, (n, h))), 1 / 1.3, 1.3)
    profit = out["above_scale_revenue"] * margin
    out["above_scale_profit"] = np.sign(profit) * np.maximum(np.abs(profit), 300.0)

    level = np.maximum(chain_back(latest["industrial_fai"], yearly_growth(rng, n, 0.08, 0.03, 0.12)), 500.0)
    out["industrial_fai"] = level
    fai_growth = 100 * (np.exp(np.clip(rng.normal(np.log(1.15), 0.15, n), np.log(0.6), np.log(1.7))) - 1)
    out["industrial_fai_growth"] = np.column_stack([fai_growth, 100 * (level[:, 1:] / level[:, :-1] - 1)])

    years_back = np.array([YEARS[0] - y for y in HISTORY_YEARS], float)
    intensity = latest["rd_expenditure"] / latest["gdp"]
    rd = gdp_ * intensity[:, None] * np.exp(-0.03 * years_back + rng.normal(0, 0.03, (n, h)))
    out["rd_expenditure"] = np.minimum(np.maximum(rd, 300.0), 0.5 * gdp_)
    out["invention_patents"] = thin_back(rng, latest["invention_patents"], (0.87,) * h)
    grants = np.maximum(latest["patent_grants"], 0.5)[:, None] * np.power(0.93, years_back)
    out["patent_grants"] = rng.poisson(grants * np.exp(rng.normal(0, 0.08, (n, h)))).astype(float)
    out["high_tech_enterprises"] = thin_back(rng, latest["high_tech_enterprises"], (0.81,) * h)
    out["little_giants"] = thin_back(rng, latest["little_giants"], since(2019, 0.5))
    for name in ("engineering_centres_national", "key_labs_national"):  # closed lists: no change
        out[name] = np.tile(latest[name][:, None], h)
    for name, keep in (
        ("engineering_centres_provincial", 0.95),
        ("key_labs_provincial", 0.96),
        ("incubators", 0.9),
    ):
        out[name] = thin_back(rng, latest[name], (keep,) * h)
    out["smart_factories_national"] = thin_back(rng, latest["smart_factories_national"], since(2018, 0.5))
    out["green_factories_national"] = thin_back(rng, latest["green_factories_national"], since(2017, 0.65))

    out["exports"] = chain_back(latest["exports"], yearly_growth(rng, n, 0.06, 0.03, 0.08))
    out["foreign_capital_used"] = chain_back(
        latest["foreign_capital_used"], yearly_growth(rng, n, 0.03, 0.05, 0.12)
    )

    urban = np.rint(chain_back(latest["urban_income_per_capita"], yearly_growth(rng, n, 0.075, 0.008, 0.008)))
    rural = chain_back(latest["rural_income_per_capita"], yearly_growth(rng, n, 0.09, 0.01, 0.01))
    out["urban_income_per_capita"] = urban
    out["rural_income_per_capita"] = np.rint(np.minimum(rural, 0.92 * urban))
    steps = np.clip(rng.normal(0.85, 0.3, (n, h)), 0.0, 2.0)
    out["urbanisation_rate"] = np.clip(
        latest["urbanisation_rate"][:, None] - steps[:, ::-1].cumsum(axis=1)[:, ::-1], 8.0, 100.0
    )
    out["retail_sales"] = chain_back(latest["retail_sales"], yearly_growth(rng, n, 0.08, 0.02, 0.03))

    for name, growth_ in (("household_savings", 0.11), ("loans_outstanding", 0.12)):
        values = chain_back(latest[name], yearly_growth(rng, n, growth_, 0.02, 0.02))
        stated = "county_household_savings" if name == "household_savings" else "county_loans"
        fit_totals(
            values, county, stated_path({**stated_points(stated, 1e8), YEARS[0]: latest[name][county].sum()})
        )
        out[name] = values
    energy_intensity = latest["energy_consumption"] / latest["gdp"]
    out["energy_consumption"] = (
        gdp_ * energy_intensity[:, None] * np.exp(0.04 * years_back + rng.normal(0, 0.03, (n, h)))
    )
    return {name: np.column_stack([out[name], values]) for name, values in panel.items()}


ADDED_MEASURES = ("above_scale_employment", "land_area", "listed_manufacturers", "trade_total")
ASSUMED_LAND_AREA = 9.56e6  # km², all units: 960 万 km² less 台湾, 香港 and 澳门 (roughly; an assumption)
ASSUMED_LISTED_MANUFACTURERS_2023 = 3500  # all units: A-share listed manufacturers, order of magnitude


def added_measures(ctx: Context, panel: Panel, seed: int) -> Panel:
    """The optional measures (`required: false`) the demo fills, every year, from its own seeded stream."""
    rng = np.random.default_rng([seed, ADDED_MEASURES_STREAM])
    n, z = ctx.n, ctx.z
    years = np.array(PANEL_YEARS, float)
    out: Panel = {}
    # 规上工业从业人员 (万人): three quarters of industry's value added over a productivity rising 6% a year
    productivity = np.exp(
        np.log(25.0) + 0.3 * ctx.effect["resource"] + 0.15 * z["ind"] + rng.normal(0, 0.25, n)
    )
    per_person = productivity[:, None] * np.exp(0.06 * (years - 2022)) * 1e4  # 万元 per 万人
    employment = np.minimum(0.75 * panel["va_industry"] / per_person, 0.3 * panel["population_resident"])
    out["above_scale_employment"] = np.maximum(employment, 0.05)
    # 行政区域面积 (km²): the same every year; vast in the thinly peopled west and north
    vast = np.select(
        [np.isin(ctx.province, ["54", "65", "63"]), np.isin(ctx.province, ["15", "62", "23"])],
        [2.0, 1.0],
        0.0,
    )
    area = np.exp(
        np.log(ctx.by_universe(2000, 500, 800)) + vast - 0.5 * ctx.effect["pop"] + rng.normal(0, 0.6, n)
    )
    out["land_area"] = np.tile((area * ASSUMED_LAND_AREA / area.sum())[:, None], len(PANEL_YEARS))
    # 制造业上市公司数: few, where enterprises and innovation concentrate; they accumulate
    weight = np.power(panel["above_scale_enterprises"][:, -1], 0.8) * np.exp(
        0.8 * z["inno"] + 0.5 * ctx.strength_ind
    )
    listed = np.empty((n, len(PANEL_YEARS)))
    listed[:, -1] = poisson_total(rng, ASSUMED_LISTED_MANUFACTURERS_2023, weight)
    for j in range(len(PANEL_YEARS) - 2, -1, -1):
        listed[:, j] = rng.binomial(listed[:, j + 1].astype(np.int64), 0.935)
    out["listed_manufacturers"] = listed
    # 进出口总额 (万元): exports and imports at a unit's own ratio to exports
    imports = np.clip(np.exp(rng.normal(np.log(0.6), 0.5, n)), 0.05, 3.0)
    out["trade_total"] = panel["exports"] * (
        1 + imports[:, None] * np.exp(rng.normal(0, 0.05, (n, len(PANEL_YEARS))))
    )
    return out


# --------------------------------------------------------------------------------------------------
# Files: declared units, rounding, writing
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contract:
    """The parts of config/raw_statistics.yaml a file writer needs."""

    identity: tuple[str, ...]
    # measure -> canonical unit, in contract order: the required measures, which every file must carry, and
    # the optional ones the demo fills (ADDED_MEASURES); another optional one (a measure added later) is left
    # out of the demo files, as a real file may leave it out
    columns: dict[str, str]
    factors: dict[str, dict[str, float]]  # canonical unit -> declared unit -> factor to canonical


def read_contract(path: Path = RAW_STATISTICS_CONTRACT) -> Contract:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Contract(
        identity=tuple(spec["identity"]),
        columns={
            name: column["unit"]
            for name, column in spec["columns"].items()
            if column.get("required", True) or name in ADDED_MEASURES
        },
        factors={unit: {k: float(v) for k, v in table.items()} for unit, table in spec["units"].items()},
    )


@dataclass(frozen=True)
class FileSpec:
    """One demo file: its year, format, encoding and the units it declares (varied on purpose)."""

    year: int
    suffix: str  # "csv" | "xlsx"
    encoding: str | None  # text encoding of a CSV
    declared: dict[str, str]  # canonical unit -> declared unit, where a file departs from canonical
    declared_columns: dict[str, str]  # column -> declared unit, overriding the above

    @property
    def relative_path(self) -> Path:
        name = f"synthetic_demo_county_statistics_{self.year}.{self.suffix}"
        return Path("county_statistics") / str(self.year) / name


ENTERPRISE_COUNTS = ("above_scale_enterprises", "high_tech_enterprises", "little_giants")
FILE_SPECS = (
    *(FileSpec(year, "csv", "utf-8-sig", {}, {}) for year in HISTORY_YEARS),
    FileSpec(2021, "csv", "utf-8-sig", {}, {}),
    FileSpec(2022, "csv", "gbk", {"万元": "亿元"}, dict.fromkeys(ENTERPRISE_COUNTS, "家")),
    FileSpec(2023, "xlsx", None, {"万人": "人"}, {}),
)
SYNTHETIC_COLUMN = "synthetic"
SHEET_NAME = "data"
GROWTH_COLUMNS = ("industry_va_growth", "industrial_fai_growth")


def declared_unit(spec: FileSpec, column: str, canonical: str) -> str:
    return spec.declared_columns.get(column, spec.declared.get(canonical, canonical))


def decimals(column: str, declared: str) -> int:
    """Money to 2 decimals, growth rates to 1, counts, incomes and people to none."""
    if column in GROWTH_COLUMNS:
        return 1
    if declared in ("个", "家", "件", "元", "人"):
        return 0
    return 2


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    factor: float  # declared value x factor = canonical value
    decimals: int


def file_columns(spec: FileSpec, contract: Contract) -> list[Column]:
    columns = []
    for name, canonical in contract.columns.items():
        unit = declared_unit(spec, name, canonical)
        factor = contract.factors[canonical][unit]
        columns.append(Column(name, f"{name}[{unit}]", factor, decimals(name, unit)))
    return columns


def declared_values(panel: Panel, spec: FileSpec, contract: Contract) -> dict[str, np.ndarray]:
    """Each measure of the year in the file's declared unit, rounded as the file will show it."""
    column = PANEL_YEARS.index(spec.year)
    out = {}
    for col in file_columns(spec, contract):
        out[col.header] = np.round(panel[col.name][:, column] / col.factor, col.decimals) + 0.0  # no -0.0
    return out


def header(spec: FileSpec, contract: Contract) -> list[str]:
    return [*contract.identity, SYNTHETIC_COLUMN, *(c.header for c in file_columns(spec, contract))]


def rows(ctx: Context, panel: Panel, spec: FileSpec, contract: Contract) -> list[list[object]]:
    """Typed rows: adcode, name and the flag as text, the year as an integer, numbers as int or float."""
    values = declared_values(panel, spec, contract)
    columns = file_columns(spec, contract)
    out = []
    for i, unit in enumerate(ctx.units):
        row: list[object] = [unit.adcode, spec.year, unit.name, "true"]
        for col in columns:
            v = values[col.header][i]
            row.append(int(v) if col.decimals == 0 else float(v))
        out.append(row)
    return out


def csv_bytes(table: list[list[object]], head: list[str], columns: list[Column], encoding: str) -> bytes:
    """Plain CSV, "\\n" line ends; floats with exactly their column's decimals (no 1e+06, no 0.30000004)."""
    places = [None] * (len(head) - len(columns)) + [c.decimals for c in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head)
    for row in table:
        writer.writerow(
            [f"{v:.{d}f}" if isinstance(v, float) else v for v, d in zip(row, places, strict=True)]
        )
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(table: list[list[object]], head: list[str], year: int) -> bytes:
    """An XLSX with fixed properties and fixed zip entry times, so that it is byte-reproducible."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(head)
    for row in table:
        sheet.append(row)
    props = workbook.properties
    props.creator = "dagster_project.demo.synthetic_panel"
    props.title = f"SYNTHETIC demo county statistics {year} (合成演示数据, not real statistics)"
    props.created = props.modified = FIXED_TIME
    raw = io.BytesIO()
    # Not workbook.save(): openpyxl's save_workbook stamps the clock into the file's properties.
    ExcelWriter(workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    return pin_times(raw.getvalue())  # and the zip entries' times (lib/xlsx.py, as the exports)


def write_files(
    ctx: Context, panel: Panel, out: Path, contract: Contract, years: tuple[int, ...] = PANEL_YEARS
) -> list[Path]:
    written = []
    for spec in (s for s in FILE_SPECS if s.year in years):
        table = rows(ctx, panel, spec, contract)
        head = header(spec, contract)
        if spec.encoding:
            data = csv_bytes(table, head, file_columns(spec, contract), spec.encoding)
        else:
            data = xlsx_bytes(table, head, spec.year)
        path = out / spec.relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


# --------------------------------------------------------------------------------------------------
# Checks: the plausibility rules and the calibration targets, on what the files say
# --------------------------------------------------------------------------------------------------

MAY_BE_NEGATIVE = ("above_scale_profit", "industry_va_growth", "industrial_fai_growth")


def canonical_frames(ctx: Context, panel: Panel, contract: Contract) -> Frames:
    """What an ingest reads back from the files: rounded in the declared unit, converted to canonical."""
    frames = {}
    for spec in FILE_SPECS:
        values = declared_values(panel, spec, contract)
        frame = pd.DataFrame({c.name: values[c.header] * c.factor for c in file_columns(spec, contract)})
        frames[spec.year] = with_units(frame, ctx.units, spec.year)
    return frames


def with_units(frame: pd.DataFrame, units: list[AdminUnit], year: int) -> pd.DataFrame:
    frame = frame.copy()
    frame.insert(0, "adcode", [u.adcode for u in units])
    frame.insert(1, "data_year", year)
    frame["universe"] = [u.universe for u in units]
    frame["region"] = [u.region for u in units]
    return frame


def amount_columns(contract: Contract) -> list[str]:
    """Money, people, energy, incomes: amounts that should not jump between years (counts and rates may)."""
    return [name for name, unit in contract.columns.items() if unit not in ("%", "个", "件")]


def violations(frames: Frames, contract: Contract) -> list[str]:
    """Every broken plausibility rule, as text; empty when the panel is fit to ship."""
    found = []
    for year, f in frames.items():
        measures = list(contract.columns)
        nonnegative = [m for m in measures if m not in MAY_BE_NEGATIVE]
        rules = {
            "negative amount or count": (f[nonnegative] < 0).any(axis=1),
            "va_industry > va_secondary": f["va_industry"] > f["va_secondary"],
            "va_secondary > gdp": f["va_secondary"] > f["gdp"],
            "rd_expenditure >= gdp": f["rd_expenditure"] >= f["gdp"],
            "profit > revenue": f["above_scale_profit"] > f["above_scale_revenue"],
            "rural income > urban income": f["rural_income_per_capita"] > f["urban_income_per_capita"],
            "urbanisation outside [0, 100]": ~f["urbanisation_rate"].between(0, 100),
            "missing value": f[measures].isna().any(axis=1),
        }
        for rule, broken in rules.items():
            if broken.any():
                found.append(f"{year}: {rule}: {list(f.loc[broken, 'adcode'][:5])}")
        if f["adcode"].duplicated().any():
            found.append(f"{year}: duplicate adcode")
    for before, after in zip(PANEL_YEARS, PANEL_YEARS[1:], strict=False):
        for column in amount_columns(contract):
            ratio = frames[after][column] / frames[before][column]
            broken = ~ratio.between(1 / 3, 3)
            if broken.any():
                codes = list(frames[after].loc[broken, "adcode"][:5])
                found.append(f"{before}->{after}: {column} ratio outside [1/3, 3]: {codes}")
    return found


def _counties(f: pd.DataFrame) -> pd.DataFrame:
    return f[f["universe"] == "county"]


def _total(f: pd.DataFrame, column: str, scale: float = 1.0) -> float:
    return float(f[column].sum()) / scale


def _share(f: pd.DataFrame, column: str, part: pd.Series) -> float:
    return 100 * float(f.loc[part, column].sum()) / float(f[column].sum())


def _weighted_urbanisation(f: pd.DataFrame) -> float:
    return float(np.average(f["urbanisation_rate"], weights=f["population_resident"]))


# How each target's achieved value is measured on one year's canonical frame.
MEASURES: dict[str, Callable[[pd.DataFrame], float]] = {
    "county_gdp": lambda f: _total(_counties(f), "gdp", 1e8),
    "county_secondary_share": lambda f: (
        100 * _total(_counties(f), "va_secondary") / _total(_counties(f), "gdp")
    ),
    **{
        f"county_gdp_share_{region}": lambda f, r=region: _share(_counties(f), "gdp", f["region"] == r)
        for region in REGION_GDP_SHARES_2020
    },
    "all_units_gdp": lambda f: _total(f, "gdp", 1e8),
    "county_above_scale_enterprises": lambda f: _total(_counties(f), "above_scale_enterprises", 1e4),
    "county_enterprise_share": lambda f: _share(f, "above_scale_enterprises", f["universe"] == "county"),
    "county_population": lambda f: _total(_counties(f), "population_resident", 1e4),
    "counties_below_150k": lambda f: float((_counties(f)["population_resident"] < 15).sum()),
    "county_urbanisation": lambda f: _weighted_urbanisation(_counties(f)),
    "county_household_savings": lambda f: _total(_counties(f), "household_savings", 1e8),
    "county_loans": lambda f: _total(_counties(f), "loans_outstanding", 1e8),
    "county_loans_share_东部": lambda f: _share(_counties(f), "loans_outstanding", f["region"] == "东部"),
    "all_units_high_tech_enterprises": lambda f: _total(f, "high_tech_enterprises", 1e4),
    "all_units_little_giants": lambda f: _total(f, "little_giants"),
    "county_smart_factories": lambda f: _total(_counties(f), "smart_factories_national"),
    "all_units_smart_factories": lambda f: _total(f, "smart_factories_national"),
    "all_units_retail_sales": lambda f: _total(f, "retail_sales", 1e8),
}


def achieved(frames: Frames) -> list[tuple[Target, float]]:
    return [(t, float(MEASURES[t.name](frames[t.year]))) for t in TARGETS]


def summary(frames: Frames) -> str:
    lines = [f"{'target':38} {'year':>4} {'cited':>10} {'achieved':>10}  unit"]
    for t, value in achieved(frames):
        flag = "" if abs(value - t.value) <= t.tolerance + 1e-9 else "  <-- OUT OF TOLERANCE"
        lines.append(f"{t.name:38} {t.year:>4} {t.value:>10.2f} {value:>10.2f}  {t.unit}{flag}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the SYNTHETIC demo panel of county statistics.")
    parser.add_argument("--out", type=Path, default=DEFAULT_DATA_DIR / RAW_FOLDER, help="default: data/raw")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    contract = read_contract()
    ctx, panel = generate(args.seed)
    if set(panel) != set(contract.columns):
        raise SystemExit(f"generator and contract disagree: {sorted(set(panel) ^ set(contract.columns))}")
    frames = canonical_frames(ctx, panel, contract)
    problems = violations(frames, contract)
    if problems:
        raise SystemExit("the synthetic panel breaks plausibility rules:\n" + "\n".join(problems))
    for path in write_files(ctx, panel, args.out, contract):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    print(summary(frames))


if __name__ == "__main__":
    main()
