"""Each great-expectations suite shown to fail: one deliberately broken input per blocking rule.

The suites of the reference tables (the six published ranking tables included) and of the national totals,
judged as `county-industry validate` judges a file (the administrative dimension as its asset builds it), on
a scratch copy of the committed inputs with one edit. Each case names the one rule that must break (or the
few a single edit must break together) and a fragment of the line it must print, written by hand: the row,
the column, and the value where the rule shows one. The raw county statistics have theirs in
tests/test_suite_rules_raw_county_statistics.py.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from dagster_project.lib import registry
from dagster_project.lib.divisions import read_admin_units, read_provinces
from dagster_project.lib.expectations import FILE_COLUMN, ROW_COLUMN, Validation, validate
from dagster_project.reference import frames
from dagster_project.reference.admin_units import ADCODES_FILE, ADMIN_UNITS_PARAMETERS, PROVINCES_FILE
from dagster_project.resources import DEFAULT_DATA_DIR, EXPECTATIONS_DIR, REFERENCE_FOLDER
from dagster_project.validate import validate_file
from tests.conftest import copy_latest_years

pytestmark = pytest.mark.independent  # the rule and the line each edit must print, by hand

REFERENCE = DEFAULT_DATA_DIR / REFERENCE_FOLDER  # the committed inputs, which every run copies

NATIONAL_TOTALS = "raw/national_totals/2022/national_totals_2022.csv"
TABLE4 = "reference/clusters/2022_table4_national_clusters.csv"
TABLE5 = "reference/clusters/2022_table5_100bn_clusters.csv"
CITY_CLUSTERS = "reference/city_clusters/city_cluster_members.csv"
SMART_FACTORIES = "reference/smart_factories/2024_smart_factories.csv"
FIGURES = "reference/report_figures.csv"
TIER_BOUNDS = "reference/published_tier_bounds.csv"
STATED_REGIONS = "reference/stated_region_counts.csv"
ADCODES = f"reference/{ADCODES_FILE}"
PROVINCES = f"reference/{PROVINCES_FILE}"
RANKINGS = [
    f"reference/{registry.ranking_file(e, name)}"
    for e in registry.editions_present(REFERENCE)
    for name in registry.ranking_lists()
]
COUNTIES_2024 = "reference/rankings/2024_industrial_county.csv"
DISTRICTS_2024 = "reference/rankings/2024_industrial_district.csv"
# The first data lines of the files edited below, as committed.
TOTALS_2022 = "2022,国家统计局《中华人民共和国2022年国民经济和社会发展统计公报》；规上工业企业营业收入"
TOTALS_2022_SOURCE_END = "zgyAPEC051.htm,"  # the last page its source names
# fiscal_revenue[亿元], above_scale_employment[万人], land_area[万平方公里]
TOTALS_2022_ADDED = ",203703,,960\n"
CHANGSHA = "2022,1,先进制造业集群,长沙市工程机械集群,长沙县,1"
KUNSHAN = "2022,1,昆山市,电子信息产业集群,五千亿级,5000"
BEIJING = "city_cluster,京津冀城市群,北京市,北京市,,official,《京津冀协同发展规划纲要》(2015)"
NATIONAL_TOTAL = "2024,national_demonstration,national_total,,421,,2024 edition 专题篇 二(一) 正文"
EAST = "2024,national_demonstration,region,东部,45,"
PROVINCE_TOTAL = (
    "a province-wide total is a provincial province row's and holds the factories counted in its counties"
)
CITIES_2022 = "2022,industrial_county,county report prose §四(一),unit_type_count,县级市,75,,"
# 2021 东部 of the 工业百强县（市）, line 2: 66 = 70 − 4 (2022 edition, 图9 and its prose)
EAST_2021 = "2021,industrial_county,东部,66,2022,图9,"
JIANGSU = "32,江苏省,江苏,东部"
KUNSHAN_CODE = "320583000000,昆山市,"
ZHANGJIAGANG = "2024,industrial_county,4,江苏省,苏州市,张家港市,0"  # line 5, rank 4, no ★ (江苏 is 昆山's)
RANK_100 = "2024,industrial_county,100,山东省,枣庄市,滕州市,0"  # line 101, the last


@dataclass(frozen=True)
class Broken:
    """One edit of one committed file (the first occurrence of `old`), and what the suite must say."""

    case: str
    file: str  # relative to the data directory
    old: str
    new: str
    rules: tuple[str, ...]  # every rule the edit breaks; the first is the one it is aimed at
    printed: str  # a fragment of the first rule's line: row and value
    also: tuple[tuple[str, str, str], ...] = ()  # further edits (file, old, new) the case needs

    @property
    def rule(self) -> str:
        return self.rules[0]


def cut(file: str, marker: str) -> tuple[str, str]:
    """The edit that ends a file just before the first occurrence of `marker`."""
    text = (DEFAULT_DATA_DIR / file).read_text(encoding="utf-8")
    return text[text.index(marker) :], "\n"


def line(file: str, number: int) -> str:
    """A line of the committed file (the header is line 1)."""
    return (DEFAULT_DATA_DIR / file).read_text(encoding="utf-8").splitlines()[number - 1]


def empty(case: str, file: str, rule: str) -> Broken:
    """Its header and no row."""
    return Broken(case, file, *cut(file, "\n"), (rule,), "table breaks rule")


NOT_EMPTY = "the table is not empty"
CASES = [
    # raw_national_totals: identity, text cells, parsing, values, pairs
    empty("totals-no-row", NATIONAL_TOTALS, "the files hold at least one row"),
    Broken(
        "totals-no-year",
        NATIONAL_TOTALS,
        "\n2022,",
        "\nabc,",
        # the folder rule skips a row without a data year (it cannot compare it): the not-null rule names it
        ("every row has an integer data_year", "every measure cell is a number or empty"),
        f"{TOTALS_2022_SOURCE_END[:-1]}): column data_year (数据年份) (data_year=None)",
    ),
    Broken(
        "totals-year-of-another-folder",
        NATIONAL_TOTALS,
        "\n2022,",
        "\n2021,",
        ("data_year is the year of the folder the file sits in",),
        "row 2 (2021 ",
    ),
    Broken(
        "totals-two-rows",
        NATIONAL_TOTALS,
        TOTALS_2022,
        f"{line(NATIONAL_TOTALS, 2)}\n{TOTALS_2022}",
        ("one row per data year",),
        f"row 3 ({TOTALS_2022.replace(',', ' ')}",
    ),
    Broken(
        "totals-no-source",
        NATIONAL_TOTALS,
        line(NATIONAL_TOTALS, 2).split(TOTALS_2022_SOURCE_END)[0] + TOTALS_2022_SOURCE_END,
        "2022,,",
        ("every row names its source",),
        "row 2 (2022)",
    ),
    Broken(
        "totals-placeholder",
        NATIONAL_TOTALS,
        ",1210207,",
        ",—,",
        ("every measure cell is a number or empty", "GDP is given"),
        f"{TOTALS_2022_SOURCE_END[:-1]}): column gdp[亿元] = '—'",
    ),
    Broken(
        "totals-control-character",
        NATIONAL_TOTALS,
        TOTALS_2022_SOURCE_END,
        TOTALS_2022_SOURCE_END.replace(",", "\x00,"),
        ("a text cell holds no control character (NUL, tab, line break)",),
        ": row 2 ",
    ),
    Broken("totals-no-gdp", NATIONAL_TOTALS, ",1210207,", ",,", ("GDP is given",), "gdp=None"),
    Broken(
        "totals-negative-gdp",
        NATIONAL_TOTALS,
        ",1210207,",
        ",-1210207,",
        (
            "GDP is not negative",
            "industrial value added ≤ GDP",
            "R&D expenditure < GDP",
            "fiscal revenue < GDP",
        ),
        "gdp=-12102070000)",
    ),
    Broken(
        "totals-population-in-people",
        NATIONAL_TOTALS,
        ",141175,",
        ",1411750000,",
        ("population is in 万人 (about 141,000)",),
        "population_resident=1411750000)",
    ),
    Broken(
        "totals-industry-above-gdp",
        NATIONAL_TOTALS,
        ",401644,",
        ",1401644,",
        ("industrial value added ≤ GDP",),
        "va_industry=14016440000)",
    ),
    Broken(
        "totals-rd-above-gdp",
        NATIONAL_TOTALS,
        ",30870,",
        ",1210207,",
        ("R&D expenditure < GDP",),
        "rd_expenditure=12102070000)",
    ),
    Broken(
        "totals-negative-fiscal-revenue",
        NATIONAL_TOTALS,
        TOTALS_2022_ADDED,
        TOTALS_2022_ADDED.replace(",203703,", ",-203703,"),
        ("fiscal revenue is not negative",),
        "fiscal_revenue=-2037030000)",
    ),
    Broken(
        "totals-fiscal-revenue-above-gdp",
        NATIONAL_TOTALS,
        TOTALS_2022_ADDED,
        TOTALS_2022_ADDED.replace(",203703,", ",1210207,"),
        ("fiscal revenue < GDP",),
        "fiscal_revenue=12102070000)",
    ),
    Broken(
        "totals-profit-above-revenue",
        NATIONAL_TOTALS,
        ",1379100,84039,",
        ",84039,1379100,",
        ("above-scale profit < above-scale revenue",),
        "above_scale_profit=13791000000)",
    ),
    Broken(
        "totals-employment-above-population",
        NATIONAL_TOTALS,
        TOTALS_2022_ADDED,
        TOTALS_2022_ADDED.replace(",203703,,", ",203703,141176,"),
        ("above-scale employment < population",),
        "above_scale_employment=141176)",
    ),
    Broken(
        "totals-area-in-10k-km2-as-km2",
        NATIONAL_TOTALS,
        "land_area[万平方公里]",
        "land_area[平方公里]",
        ("land area is in 平方公里 (about 9.6 million)",),
        "land_area=960)",
    ),
    # reference_national_clusters (表4)
    empty("table4-no-row", TABLE4, NOT_EMPTY),
    Broken(
        "table4-seq-not-a-number",
        TABLE4,
        CHANGSHA,
        CHANGSHA.replace(",1,", ",一,", 1),
        ("every row has an integer sequence number",),
        "row 2 ",
    ),
    Broken(
        "table4-county-count-not-a-number",
        TABLE4,
        CHANGSHA,
        CHANGSHA[:-1] + "一",
        # the count rule skips a row without a count (it cannot compare it): the not-null rule names it
        ("every row has an integer number of counties",),
        "row 2 (1 长沙市工程机械集群 长沙县): column n_counties (n_counties=None)",
    ),
    Broken(
        "table4-no-cluster-name",
        TABLE4,
        CHANGSHA,
        CHANGSHA.replace("长沙市工程机械集群", ""),
        ("every row names its cluster",),
        "row 2 (1  长沙县): column cluster_name (cluster_name='')",
    ),
    Broken(
        "table4-a-district",
        TABLE4,
        CHANGSHA,
        CHANGSHA.replace("长沙县", "芙蓉区"),
        ("every county resolves to an adcode",),
        "no county named '芙蓉区' anywhere",
    ),
    Broken(
        "table4-county-twice",
        TABLE4,
        "永康市、缙云县、武义县",
        "永康市、永康市、武义县",
        ("a county appears once per cluster",),
        "row 4 (3 金华市现代五金集群 永康市): column seq/adcode (seq=3, adcode='330784')",
    ),
    Broken(
        "table4-wrong-county-count",
        TABLE4,
        CHANGSHA,
        CHANGSHA[:-1] + "2",
        ("the stated number of counties equals the counties listed",),
        "row 2 (1 长沙市工程机械集群 长沙县)",
    ),
    # reference_100bn_clusters (表5)
    empty("table5-no-row", TABLE5, NOT_EMPTY),
    Broken(
        "table5-seq-twice",
        TABLE5,
        "2022,2,昆山市",
        "2022,1,昆山市",
        ("each sequence number appears once",),
        "seq=1",
    ),
    Broken(
        "table5-a-district",
        TABLE5,
        KUNSHAN,
        KUNSHAN.replace("昆山市", "姑苏区"),
        ("every county resolves to an adcode",),
        "no county named '姑苏区' anywhere",
    ),
    Broken(
        "table5-cluster-twice",
        TABLE5,
        "2022,2,昆山市,装备制造产业集群",
        "2022,2,昆山市,电子信息产业集群",
        ("a cluster appears once per county",),
        "column adcode/cluster_name (adcode='320583', cluster_name='电子信息产业集群')",
    ),
    Broken(
        "table5-scale-not-a-band",
        TABLE5,
        KUNSHAN,
        KUNSHAN.replace("五千亿级", "百亿级"),
        ("the scale is a 千亿级 band",),
        "scale='百亿级'",
    ),
    Broken(
        "table5-floor-below-1000",
        TABLE5,
        KUNSHAN,
        KUNSHAN.replace(",5000", ",500"),
        ("a 千亿级 cluster's floor is at least 1000 亿元",),
        "scale_floor_100m_yuan=500",
    ),
    # reference_city_cluster_members
    empty("city-clusters-no-row", CITY_CLUSTERS, NOT_EMPTY),
    Broken(
        "city-clusters-unknown-area-type",
        CITY_CLUSTERS,
        BEIJING,
        BEIJING.replace("city_cluster", "megaregion", 1),
        ("an area is a city cluster or a metropolitan area",),
        "area_type='megaregion'",
    ),
    Broken(
        "city-clusters-unknown-prefecture",
        CITY_CLUSTERS,
        "河北省,石家庄市,,",
        "河北省,石家庄,,",
        ("every member is a prefecture or county-level unit of the code table",),
        "no prefecture named '石家庄' in 河北省",
    ),
    Broken(
        "city-clusters-unknown-certainty",
        CITY_CLUSTERS,
        BEIJING,
        BEIJING.replace("official", "likely"),
        ("certainty is official, partial or uncertain",),
        "certainty='likely'",
    ),
    Broken(
        "city-clusters-no-source",
        CITY_CLUSTERS,
        BEIJING,
        BEIJING.replace("《京津冀协同发展规划纲要》(2015)", ""),
        ("every membership names its planning document",),
        "row 2 (京津冀城市群 北京市 北京市 ): column source (source='')",
    ),
    Broken(
        "city-clusters-member-twice",
        CITY_CLUSTERS,
        BEIJING,
        f"{BEIJING}\n{BEIJING}",
        ("a member appears once per area",),
        "row 3 (京津冀城市群 北京市 北京市 ): column area/province/prefecture/county (area='京津冀城市群', ",
    ),
    # reference_tier_bounds: the 2022 edition's rows, lines 2-5 (1-6, 7-36, 37-80, 81-100; 图11)
    empty("bounds-no-row", TIER_BOUNDS, NOT_EMPTY),
    Broken(
        "bounds-list-not-registered",
        TIER_BOUNDS,
        "2022,industrial_county,1,",
        "2022,industrial_city,1,",
        ("list is a list of the registry",),
        "row 2 (2022 industrial_city 1 1 6)",
        # the edition's four tiers moved together, so that they still follow each other
        also=tuple(
            (TIER_BOUNDS, f"2022,industrial_county,{t},", f"2022,industrial_city,{t},") for t in (2, 3, 4)
        ),
    ),
    Broken(
        "bounds-no-edition",
        TIER_BOUNDS,
        "2022,industrial_county,1,",
        ",industrial_county,1,",
        ("every row has an integer edition_year",),
        "row 2 (",
        also=tuple(
            (TIER_BOUNDS, f"2022,industrial_county,{t},", f",industrial_county,{t},") for t in (2, 3, 4)
        ),
    ),
    Broken(
        "bounds-no-tier",
        TIER_BOUNDS,
        "2022,industrial_county,2,7,36,",
        "2022,industrial_county,,7,36,",
        # without its tier the row sorts last: tier 3 no longer follows 6, nor the row 100
        (
            "every row has an integer tier",
            "a list's first tier starts at rank 1 and each next tier at the rank after the one before",
        ),
        "row 3 (2022 industrial_county",
    ),
    Broken(
        "bounds-no-last-rank",
        TIER_BOUNDS,
        "2022,industrial_county,4,81,100,",
        "2022,industrial_county,4,81,,",
        ("every row has integer first and last ranks",),
        "row 5 (2022 industrial_county 4 81",
    ),
    Broken(
        "bounds-tier-twice",
        TIER_BOUNDS,
        "2022,industrial_county,4,81,100,",
        "2022,industrial_county,3,81,100,",
        # two tiers 3, the last of which ends at 100: the first one, ending at 80, is then a last tier too
        ("one row per edition, list and tier", "a list's last tier ends at its top_n"),
        "2022 industrial_county 3",
    ),
    Broken(
        "bounds-last-before-first",
        TIER_BOUNDS,
        "2022,industrial_county,2,7,36,",
        "2022,industrial_county,2,36,7,",
        (
            "a tier's last rank is not before its first",
            "a list's first tier starts at rank 1 and each next tier at the rank after the one before",
        ),
        "row 3 (2022 industrial_county 2 36 7)",
    ),
    Broken(
        "bounds-gap",
        TIER_BOUNDS,
        "2022,industrial_county,3,37,80,",
        "2022,industrial_county,3,38,80,",
        ("a list's first tier starts at rank 1 and each next tier at the rank after the one before",),
        "row 4 (2022 industrial_county 3 38 80)",
    ),
    Broken(
        "bounds-short-of-top-n",
        TIER_BOUNDS,
        "2022,industrial_county,4,81,100,",
        "2022,industrial_county,4,81,99,",
        ("a list's last tier ends at its top_n",),
        "row 5 (2022 industrial_county 4 81 99)",
    ),
    Broken(
        "bounds-no-source",
        TIER_BOUNDS,
        "2022,industrial_county,1,1,6,2022 edition 第一篇 四(二) 图11",
        "2022,industrial_county,1,1,6,",
        ("every row cites where the edition states it",),
        "row 2 (2022 industrial_county 1 1 6)",
    ),
    # reference_smart_factories
    empty("smart-factories-no-row", SMART_FACTORIES, NOT_EMPTY),
    Broken(
        "smart-factories-unknown-scope",
        SMART_FACTORIES,
        NATIONAL_TOTAL,
        NATIONAL_TOTAL.replace("national_demonstration", "national"),
        ("scope is national_demonstration or provincial",),
        "scope='national'",
    ),
    Broken(
        "smart-factories-unknown-level",
        SMART_FACTORIES,
        NATIONAL_TOTAL,
        NATIONAL_TOTAL.replace("national_total", "nation"),
        ("level is national_total, county_total, region or province",),
        "level='nation'",
    ),
    Broken(
        "smart-factories-unknown-region",
        SMART_FACTORIES,
        EAST,
        EAST.replace("东部", "东南"),
        ("every area is a known province or region",),
        "unknown region '东南'",
    ),
    Broken(
        "smart-factories-count-not-a-number",
        SMART_FACTORIES,
        NATIONAL_TOTAL,
        NATIONAL_TOTAL.replace(",421,", ",四百二十一,"),
        ("every row has an integer count",),
        "row 2 (national_demonstration national_total ): column factory_count (factory_count=None)",
    ),
    Broken(
        "smart-factories-negative-count",
        SMART_FACTORIES,
        NATIONAL_TOTAL,
        NATIONAL_TOTAL.replace(",421,", ",-421,"),
        ("counts are not negative",),
        "factory_count=-421",
    ),
    Broken(
        "smart-factories-share-in-percent",
        SMART_FACTORIES,
        ",115,0.273,",
        ",115,27.3,",
        ("a share is between 0 and 1",),
        "share_in_counties=27.3",
    ),
    Broken(
        "smart-factories-total-on-a-national-row",
        SMART_FACTORIES,
        f"{NATIONAL_TOTAL},\n",
        f"{NATIONAL_TOTAL},421\n",
        (PROVINCE_TOTAL,),
        "row 2 (national_demonstration national_total ): a province-wide total on a national_demonstration "
        "national_total row",
    ),
    Broken(
        "smart-factories-total-below-its-counties",
        SMART_FACTORIES,
        "江苏省,122,0.315,2024 edition 专题篇 二(二) 图25,387",
        "江苏省,122,0.315,2024 edition 专题篇 二(二) 图25,120",
        (PROVINCE_TOTAL,),
        "(provincial province 江苏省): 122 counted in counties > the province-wide total 120",
    ),
    Broken(
        "smart-factories-row-twice",
        SMART_FACTORIES,
        EAST,
        f"{EAST}\n{EAST}",
        ("one row per scope, level and area",),
        "column scope/level/area (scope='national_demonstration', level='region', area='东部')",
    ),
    # reference_stated_region_counts: lines 2-5 the 2021 edition (66, 23, 10, 1), stated by the 2022 edition
    empty("stated-regions-no-row", STATED_REGIONS, NOT_EMPTY),
    Broken(
        "stated-regions-unknown-region",
        STATED_REGIONS,
        EAST_2021,
        EAST_2021.replace("东部", "华东"),
        ("list is a list of the registry and region one of the four",),
        "row 2 (2021 industrial_county 华东 66 unknown region '华东')",
    ),
    Broken(
        "stated-regions-unknown-list",
        STATED_REGIONS,
        EAST_2021,
        EAST_2021.replace("industrial_county", "industrial_city"),
        # the list's rows no longer add up: 66 alone under industrial_city, 34 under industrial_county
        (
            "list is a list of the registry and region one of the four",
            "an edition's regions add up to its list's top_n",
        ),
        "unknown list 'industrial_city'",
    ),
    Broken(
        "stated-regions-no-edition",
        STATED_REGIONS,
        EAST_2021,
        EAST_2021.replace("2021", "", 1),
        # the row leaves the 2021 series, which then adds up to 34
        ("every row has an integer edition_year", "an edition's regions add up to its list's top_n"),
        "row 2 (",
    ),
    Broken(
        "stated-regions-count-not-a-number",
        STATED_REGIONS,
        EAST_2021,
        EAST_2021.replace(",66,", ",六十六,"),
        ("every row has an integer count",),
        "row 2 (2021 industrial_county 东部): column unit_count (unit_count=None)",
    ),
    Broken(
        "stated-regions-negative-count",
        STATED_REGIONS,
        EAST_2021,
        EAST_2021.replace(",66,", ",-66,"),
        ("counts are not negative", "an edition's regions add up to its list's top_n"),
        "unit_count=-66",
    ),
    Broken(
        "stated-regions-no-stating-edition",
        STATED_REGIONS,
        EAST_2021,
        EAST_2021.replace(",2022,", ",,"),
        ("every row names the edition that states it",),
        "row 2 (2021 industrial_county 东部 66): column stated_in (stated_in=None)",
    ),
    Broken(
        "stated-regions-stated-by-its-own-edition",
        STATED_REGIONS,
        EAST_2021,
        EAST_2021.replace(",2022,", ",2021,"),
        ("a count is stated by a later edition",),
        "row 2 (2021 industrial_county 东部 66): column stated_in/edition_year",
    ),
    Broken(
        "stated-regions-no-figure",
        STATED_REGIONS,
        EAST_2021,
        EAST_2021.replace(",图9,", ",,"),
        ("every row cites the 图 or 表 it belongs to",),
        "column figure (figure='')",
    ),
    Broken(
        "stated-regions-no-source",
        STATED_REGIONS,
        line(STATED_REGIONS, 2),
        EAST_2021,
        ("every row cites where the edition states it",),
        "row 2 (2021 industrial_county 东部 66): column source (source='')",
    ),
    Broken(
        "stated-regions-row-twice",
        STATED_REGIONS,
        line(STATED_REGIONS, 2),
        f"{line(STATED_REGIONS, 2)}\n{line(STATED_REGIONS, 2)}",
        ("one row per edition, list and region", "an edition's regions add up to its list's top_n"),
        "column edition_year/list/region (edition_year=2021, list='industrial_county', region='东部')",
    ),
    Broken(
        "stated-regions-do-not-add-up",
        STATED_REGIONS,
        EAST_2021,
        EAST_2021.replace(",66,", ",67,"),
        ("an edition's regions add up to its list's top_n",),
        "row 2 (2021 industrial_county 东部 67): column regions_total/top_n (regions_total=101, top_n=100)",
    ),
    # reference_report_figures
    empty("figures-no-row", FIGURES, "the register is not empty"),
    Broken(
        "figures-unknown-edition",
        FIGURES,
        CITIES_2022,
        CITIES_2022.replace("2022", "2020", 1),
        ("a figure is about the 2022 or the 2024 edition, or the edition before either (较上年)",),
        "edition_year=2020",
    ),
    Broken(
        "figures-unknown-list",
        FIGURES,
        CITIES_2022,
        CITIES_2022.replace("industrial_county", "industrial_city"),
        ("a figure is about one of the three lists",),
        "list='industrial_city'",
    ),
    Broken(
        "figures-unknown-measure",
        FIGURES,
        CITIES_2022,
        CITIES_2022.replace("unit_type_count", "unit_count"),
        ("the measure is one the claims ledger evaluates",),
        "unknown measure 'unit_count'",
    ),
    Broken(
        "figures-no-source",
        FIGURES,
        CITIES_2022,
        CITIES_2022.replace("county report prose §四(一)", ""),
        ("every figure cites where the edition states it",),
        "row 2 (2022 industrial_county unit_type_count 县级市): column source (source='')",
    ),
    Broken(
        "figures-value-not-a-number",
        FIGURES,
        CITIES_2022,
        CITIES_2022.replace(",75,", ",七十五,"),
        ("the published value is a number (or a rank range for tier bounds)",),
        "published_value='七十五'",
    ),
    Broken(
        "figures-figure-twice",
        FIGURES,
        CITIES_2022,
        f"{CITIES_2022}\n{CITIES_2022}",
        ("one figure per edition, list, measure and key",),
        "row 3 ",
    ),
    # reference_admin_units: the code table and provinces.csv as its asset reads them
    Broken(
        "admin-units-too-few",  # the code table cut off at 昆山市's line: about 500 units
        ADCODES,
        *cut(ADCODES, "\n320583000000,"),
        ("mainland China has about 2,850 county-level units",),
        "[expect_table_row_count_to_be_between]: observed ",
    ),
    Broken(
        "admin-units-code-outside-the-mainland",
        PROVINCES,
        JIANGSU,
        f"{JIANGSU}\n91,海外省,海外,东部",
        ("an adcode is 6 digits of a mainland province",),
        "adcode='910101'",
        also=((ADCODES, "latitude\n", "latitude\n910100000000,海外市,,\n910101000000,海外区,,\n"),),
    ),
    Broken(
        "admin-units-code-twice",
        ADCODES,
        KUNSHAN_CODE,
        KUNSHAN_CODE.replace("320583", "320582"),
        ("no adcode twice",),
        "adcode='320582'",
    ),
    Broken(
        "admin-units-unknown-region",
        PROVINCES,
        JIANGSU,
        JIANGSU.replace("东部", "华东"),
        ("every unit lies in one of the four NBS regions",),
        "region='华东'",
    ),
    Broken(
        "admin-units-no-province-name",
        PROVINCES,
        JIANGSU,
        JIANGSU.replace("江苏省", ""),
        ("every unit has a province",),
        "(320102 玄武区 南京市 ): column province (province='')",
    ),
    # reference_published_ranking: one list of one edition (2024 表1, and 表3 for the other universe)
    Broken(
        "ranking-99-rows",  # the last row (rank 100, 滕州市) lost
        COUNTIES_2024,
        *cut(COUNTIES_2024, f"\n{RANK_100}"),
        ("a list has 100 rows",),
        "table breaks rule 'a list has 100 rows' [expect_table_row_count_to_equal]: observed 99",
    ),
    Broken(
        "ranking-row-of-another-edition",
        COUNTIES_2024,
        ZHANGJIAGANG,
        ZHANGJIAGANG.replace("2024", "2022", 1),
        ("edition_year is the edition the file is named for",),
        "row 5 (4 江苏省 苏州市 张家港市): column edition_year (edition_year=2022)",
    ),
    Broken(
        "ranking-row-of-another-list",
        COUNTIES_2024,
        ZHANGJIAGANG,
        ZHANGJIAGANG.replace("industrial_county", "innovation_county"),
        ("list is the list the file is named for",),
        "row 5 (4 江苏省 苏州市 张家港市): column list (list='innovation_county')",
    ),
    Broken(
        "ranking-rank-not-a-number",
        COUNTIES_2024,
        ZHANGJIAGANG,
        ZHANGJIAGANG.replace(",4,", ",四,"),
        # a row without a rank has no first_in_province: the ★ rule skips it, the not-null rule names it
        ("every row has an integer rank",),
        "row 5 (江苏省 苏州市 张家港市): column rank (rank=None)",
    ),
    Broken(
        "ranking-rank-above-100",
        COUNTIES_2024,
        RANK_100,
        RANK_100.replace(",100,", ",101,"),
        ("ranks run from 1 to 100",),
        "row 101 (101 山东省 枣庄市 滕州市): column rank (rank=101)",
    ),
    Broken(
        "ranking-rank-twice",  # 张家港市 printed at 5 like 慈溪市
        COUNTIES_2024,
        ZHANGJIAGANG,
        ZHANGJIAGANG.replace(",4,", ",5,"),
        ("each rank appears once",),
        "row 5 (5 江苏省 苏州市 张家港市): column rank (rank=5)",
    ),
    Broken(
        "ranking-unknown-name",
        COUNTIES_2024,
        "无锡市,江阴市",
        "无锡市,江阳市",
        ("every row resolves to an adcode",),
        "row 3 (2 江苏省 无锡市 江阳市 no unit named '江阳市' in 江苏省 无锡市): column adcode (adcode=None)",
    ),
    Broken(
        "ranking-unit-twice",  # 昆山市 (rank 1) printed again at 4
        COUNTIES_2024,
        ZHANGJIAGANG,
        ZHANGJIAGANG.replace("张家港市", "昆山市"),
        ("no unit appears twice",),
        "row 5 (4 江苏省 苏州市 昆山市): column adcode (adcode='320583')",
    ),
    Broken(
        "ranking-a-district-in-the-county-list",
        COUNTIES_2024,
        "无锡市,江阴市",
        "无锡市,惠山区",
        ("every unit belongs to the list's universe (counties or districts)",),
        "row 3 (2 江苏省 无锡市 惠山区): column universe (universe='district')",
    ),
    Broken(
        "ranking-a-county-in-the-district-list",
        DISTRICTS_2024,
        "宁波市,鄞州区",
        "宁波市,余姚市",
        ("every unit belongs to the list's universe (counties or districts)",),
        "row 17 (16 浙江省 宁波市 余姚市): column universe (universe='county')",
    ),
    Broken(
        "ranking-star-a-character",  # ★ copied from the report instead of 1
        COUNTIES_2024,
        "昆山市,1",
        "昆山市,★",
        ("every row has an integer star (1 for ★, 0 for none)",),
        "row 2 (1 江苏省 苏州市 昆山市): column star (star=None)",
    ),
    Broken(
        "ranking-star-neither-1-nor-0",
        COUNTIES_2024,
        "昆山市,1",
        "昆山市,2",
        # a star that is neither 1 nor 0 is never first_in_province (1 or 0): the ★ rule breaks with it
        ("star is 1 (★) or 0", "★ marks exactly the first unit of its province in this list"),
        "row 2 (1 江苏省 苏州市 昆山市): column star (star=2)",
    ),
    Broken(
        "ranking-province-leader-without-star",
        COUNTIES_2024,
        "昆山市,1",
        "昆山市,0",
        ("★ marks exactly the first unit of its province in this list",),
        "row 2 (1 江苏省 苏州市 昆山市): column star/first_in_province (star=0, first_in_province=1)",
    ),
    Broken(
        "ranking-star-on-a-second-unit",
        COUNTIES_2024,
        "江阴市,0",
        "江阴市,1",
        ("★ marks exactly the first unit of its province in this list",),
        "row 3 (2 江苏省 无锡市 江阴市): column star/first_in_province (star=1, first_in_province=0)",
    ),
]


def scratch_inputs(root: Path) -> Path:
    """The reference data and the national totals in a data directory of the test's own."""
    data_dir = root / "data"
    shutil.copytree(DEFAULT_DATA_DIR / "reference", data_dir / "reference")
    copy_latest_years(DEFAULT_DATA_DIR / "raw" / "national_totals", data_dir / "raw" / "national_totals")
    return data_dir


def scratch_edit(data_dir: Path, case: Broken) -> None:
    for file, old, new in ((case.file, case.old, case.new), *case.also):
        path = data_dir / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def judge_admin_units(data_dir: Path) -> Validation:
    """The dimension as the asset reference/admin_units builds it, judged by its suite as its check does."""
    reference = data_dir / "reference"
    units = read_admin_units(reference / ADCODES_FILE, read_provinces(reference / PROVINCES_FILE))
    frame = frames.admin_units_frame(units).assign(**{FILE_COLUMN: ADCODES})
    suite = EXPECTATIONS_DIR / "reference_admin_units.json"
    return validate(suite, frame, source_file=ADCODES, parameters=ADMIN_UNITS_PARAMETERS)


def judge(data_dir: Path, file: str) -> Validation:
    if file in (ADCODES, PROVINCES):
        return judge_admin_units(data_dir)
    return validate_file(data_dir / file, data_dir)


def broken_rules(validation: Validation) -> set[str]:
    return {b.rule for b in validation.breaches if b.blocking}


@pytest.mark.parametrize(
    "file",
    [
        NATIONAL_TOTALS,
        TABLE4,
        TABLE5,
        CITY_CLUSTERS,
        SMART_FACTORIES,
        FIGURES,
        TIER_BOUNDS,
        STATED_REGIONS,
        ADCODES,
        *RANKINGS,
    ],
)
def test_the_committed_file_passes(file, tmp_path):
    """The baseline of every case below: unedited, the file breaks no rule."""
    validation = judge(scratch_inputs(tmp_path), file)
    assert validation.breaches == [], validation.failures + validation.warnings


@pytest.mark.parametrize("case", CASES, ids=[c.case for c in CASES])
def test_a_broken_input_breaks_its_rule(case, tmp_path):
    data_dir = scratch_inputs(tmp_path)
    scratch_edit(data_dir, case)
    validation = judge(data_dir, case.file)
    assert not validation.success
    assert broken_rules(validation) == set(case.rules), validation.failures
    assert validation.warnings == []
    lines = [line for line in validation.failures if f"breaks rule '{case.rule}'" in line]
    assert any(case.printed in line for line in lines), lines
    source = ADCODES if case.file in (ADCODES, PROVINCES) else str(data_dir / case.file)
    assert all(line.startswith(f"{source}: ") for line in lines), lines


@pytest.mark.consistency
def test_every_blocking_rule_of_these_suites_has_a_case():
    """A rule added to a suite without a broken input to show it can fail is a rule never seen to fail."""
    suites = [
        "raw_national_totals",
        "reference_national_clusters",
        "reference_100bn_clusters",
        "reference_city_cluster_members",
        "reference_smart_factories",
        "reference_report_figures",
        "reference_admin_units",
        "reference_published_ranking",
        "reference_tier_bounds",
        "reference_stated_region_counts",
    ]
    rules = {
        e["meta"]["rule"]
        for suite in suites
        for e in json.loads((EXPECTATIONS_DIR / f"{suite}.json").read_text(encoding="utf-8"))["expectations"]
        if e["meta"].get("severity") != "warning"
    }
    assert rules == {c.rule for c in CASES}


def test_a_star_printed_as_a_character_names_its_row(tmp_path):
    """The report prints ★; a transcriber copying it instead of 1 must be told which row."""
    data_dir = scratch_inputs(tmp_path)
    scratch_edit(data_dir, Broken("", COUNTIES_2024, "昆山市,1", "昆山市,★", (), ""))
    validation = judge(data_dir, COUNTIES_2024)
    assert not validation.success
    assert any(": row 2 (1 江苏省 苏州市 昆山市): column star" in line for line in validation.failures)


def test_a_rule_that_cannot_be_evaluated_says_so_and_why(tmp_path):
    """A null in a pair rule that does not skip nulls: great-expectations raises while evaluating it
    ('boolean value of NA is ambiguous') and reports the error nested under the metric it was computing,
    with no observed value. validate says the rule could not be evaluated, on which columns and why, and
    counts it as broken by the table (no row): never a table-level 'breaks rule … observed None'."""
    suite = tmp_path / "pair.json"
    rule = "★ marks exactly the first unit of its province in this list"
    pair = {"column_A": "star", "column_B": "first_in_province"}
    expectation = {"type": "expect_column_pair_values_to_be_equal", "kwargs": pair, "meta": {"rule": rule}}
    suite.write_text(json.dumps({"name": "pair", "expectations": [expectation]}), encoding="utf-8")
    frame = pd.DataFrame(
        {
            "star": pd.array([1, None], dtype="Int64"),
            "first_in_province": pd.array([1, 0], dtype="Int64"),
            FILE_COLUMN: "ranking.csv",
            ROW_COLUMN: [2, 3],
        }
    )
    validation = validate(suite, frame, source_file="ranking.csv")
    assert not validation.success
    assert validation.failures == [
        f"ranking.csv: rule '{rule}' [expect_column_pair_values_to_be_equal] could not be evaluated "
        "on column star/first_in_province: boolean value of NA is ambiguous"
    ]
    assert validation.summary().startswith("1 failure (0 rows, 1 rule)")


@pytest.mark.consistency
def test_every_pair_rule_skips_a_row_missing_either_value():
    """great-expectations cannot compare a null in a pair rule (the rule raises, above): every pair rule
    of every suite skips such a row, left to a not-null rule of its suite that names it."""
    pair_rules = [
        (path.name, e["meta"]["rule"], e["kwargs"].get("ignore_row_if"))
        for path in sorted(EXPECTATIONS_DIR.glob("*.json"))
        for e in json.loads(path.read_text(encoding="utf-8"))["expectations"]
        if e["type"].startswith("expect_column_pair_values")
    ]
    assert pair_rules
    assert [r for r in pair_rules if r[2] != "either_value_is_missing"] == []
