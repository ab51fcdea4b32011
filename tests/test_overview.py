"""Section 一 of both editions (县（市）经济总体): the overview marts recomputed here from the raw files the
session run read (the independent engine's reading of them and of the code table), and their figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dagster_project import figures
from dagster_project.demo import SYNTHETIC_STATISTICS_NOTE
from tests.independent import engine as independent

pytestmark = pytest.mark.independent  # recomputed from the raw files here; figures as drawn

OVERVIEW_FIGURES = [f for f in figures.FIGURES if all(m.startswith("overview_") for m in f.marts)]


@pytest.fixture(scope="module")
def counties(pipeline_run) -> pd.DataFrame:
    """The 县（市） rows of the raw files the run read, with each unit's region and province."""
    inputs = independent.Inputs(raw_dir=pipeline_run.data_dir / "raw" / "county_statistics")
    raw = independent.read_raw_statistics(inputs)
    units = independent.admin_units(inputs)
    raw = raw.drop(columns=["name"]).merge(units, on="adcode")
    return raw[raw["universe"] == "county"]


def test_county_totals_and_national_shares(published, counties):
    mart = published.execute("select * from marts.overview_county_economy").df().set_index("data_year")
    national = (
        published.execute("select data_year, gdp from marts.national_totals").df().set_index("data_year")
    )
    for year, group in counties.groupby("data_year"):
        row = mart.loc[year]
        assert row["units"] == len(group)
        assert row["gdp"] == pytest.approx(group["gdp"].sum(), rel=1e-9)
        assert row["gdp_share"] == pytest.approx(group["gdp"].sum() / national.loc[year, "gdp"], rel=1e-9)
        assert row["secondary_share"] == pytest.approx(group["va_secondary"].sum() / group["gdp"].sum())
        per_head = group["gdp"].sum() / group["population_resident"].sum()  # 万元 / 万人 = 元
        assert row["gdp_per_capita"] == pytest.approx(per_head)
        for column in ("fiscal_revenue", "fiscal_expenditure", "household_savings", "loans_outstanding"):
            assert row[column] == pytest.approx(group[column].sum(), rel=1e-9), column
        assert np.isnan(row["enterprise_share"]), "no national count of enterprises is transcribed"
        assert row["synthetic"]


def test_population_classes_count_each_county_once(published, counties):
    mart = published.execute("select * from marts.overview_population_classes").df()
    for year, group in counties.groupby("data_year"):
        rows = mart[mart["data_year"] == year].sort_values("class_order")
        assert rows["units"].sum() == len(group)
        small = (group["population_resident"] < 15).sum()  # 人口小县: below 15 万 residents
        assert rows.iloc[0]["units"] == small


def test_structure_index_by_province(published, counties):
    mart = published.execute(
        "select data_year, area, secondary_share from marts.overview_county_economy_by_area "
        "where area_type = 'province'"
    ).df()
    for (year, province), group in counties.groupby(["data_year", "province"]):
        [value] = mart[(mart["data_year"] == year) & (mart["area"] == province)]["secondary_share"]
        assert value == pytest.approx(group["va_secondary"].sum() / group["gdp"].sum()), (year, province)


def test_urbanisation_potential_counts_by_province(published, counties):
    mart = published.execute("select * from marts.overview_urbanisation_potential").df()
    potential = counties[(counties["population_resident"] > 50) & (counties["urbanisation_rate"] < 50)]
    expected = potential.groupby(["data_year", "province"]).size()
    got = mart[mart["potential_units"] > 0].set_index(["data_year", "province"])["potential_units"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()


@pytest.mark.parametrize("spec", OVERVIEW_FIGURES, ids=[f.name for f in OVERVIEW_FIGURES])
def test_overview_figures_say_synthetic_and_their_years(pipeline_run, spec):
    svg = (pipeline_run.published.parent / "figures" / f"{spec.name}.svg").read_text(encoding="utf-8")
    assert SYNTHETIC_STATISTICS_NOTE in svg
    assert "数据年份：" in svg
    assert figures.reproduces(spec.name), f"{spec.name} is in no chapter of report_site/outline.yml"


def test_a_share_with_no_national_total_is_said_missing(published):
    """The national count of above-scale enterprises is not transcribed: the figure says so, no line."""
    figures.use_cjk_font()
    figure = figures.county_enterprises(published)
    assert "无全国值，占比缺" in figure.axes[0].get_title()
    assert not any(len(line.get_xdata()) for line in figure.axes[1].get_lines())
    figures.pyplot().close(figure)


def test_the_missing_years_note_names_the_years_without_a_total():
    assert figures.missing_years_note([(2012, 1.0, None), (2013, 1.0, 0.5)], 2) == "；2012 年无全国值，占比缺"
    assert figures.missing_years_note([(2013, 1.0, 0.5)], 2) == ""
