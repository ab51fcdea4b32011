"""The analyses over the computed lists, recomputed apart from dbt from the raw files and the list members."""

import csv

import pandas as pd
import pytest
import yaml

from tests.independent import engine as independent
from tests.independent.engine import REPO_ROOT

pytestmark = pytest.mark.independent  # recomputed from the raw files (the independent engine's formulas)

MONEY = ["gdp", "va_industry", "exports", "retail_sales", "rd_expenditure", "above_scale_profit"]


@pytest.fixture(scope="module")
def raw(pipeline_run):
    """The raw statistics of every data year, read from the files the run used."""
    return independent.read_raw_statistics(
        independent.Inputs(raw_dir=pipeline_run.data_dir / "raw" / "county_statistics")
    )


@pytest.fixture(scope="module")
def members(published, raw):
    """The computed lists' members beside their raw statistics."""
    lists = published.execute("select data_year, list, rank, adcode, name from marts.computed_rankings").df()
    return lists.merge(raw.drop(columns=["name"]), on=["data_year", "adcode"], how="left")


# The amounts of the national totals the shares divide by (config/national_totals.yaml, by hand): every
# measure there but the growth rate.
SHARED = MONEY + [
    "population_resident",
    "above_scale_enterprises",
    "above_scale_revenue",
    "above_scale_employment",
    "fiscal_revenue",
    "land_area",
]


def test_shares_of_national_totals(published, members):
    shares = published.execute("select data_year, list, measure, share from marts.computed_list_shares").df()
    national = published.execute("select * from marts.national_totals").df().set_index("data_year")
    missing = set()
    for (year, name), group in members.groupby(["data_year", "list"]):
        got = shares[(shares.data_year == year) & (shares.list == name)].set_index("measure")["share"]
        assert sorted(got.index) == sorted(SHARED + ["units"]), (year, name)
        for measure in SHARED:
            if pd.isna(national.loc[year, measure]):  # not transcribed: no share
                assert pd.isna(got[measure]), (year, name, measure)
                missing.add(measure)
                continue
            expected = group[measure].sum() / national.loc[year, measure]
            assert got[measure] == pytest.approx(expected, rel=1e-12), (year, name, measure)
        assert got["units"] == pytest.approx(100 / 2844)
    assert "above_scale_enterprises" in missing, "the case of a national total not transcribed is seen"


def test_each_share_names_the_unit_of_its_totals(published):
    """docs/data-contract.md, the measures' canonical units: the shares' totals are in these."""
    units = dict(
        published.execute("select distinct measure, unit from marts.computed_list_shares").fetchall()
    )
    assert {m: units[m] for m in ("gdp", "population_resident", "land_area", "above_scale_enterprises")} == {
        "gdp": "万元",
        "population_resident": "万人",
        "land_area": "平方公里",
        "above_scale_enterprises": "个",
    }
    assert units["units"] == "个" and len(units) == len(SHARED) + 1


def test_growth_overview(published, members):
    growth = published.execute("select * from marts.computed_list_growth").df()
    national = published.execute("select data_year, industry_va_growth from marts.national_totals").df()
    rates = dict(national.values)
    for row in growth.itertuples():
        group = members[(members.data_year == row.data_year) & (members.list == row.list)][
            "industry_va_growth"
        ]
        assert row.units == 100
        assert row.units_growing == (group > 0).sum()
        assert row.units_above_national == (group > rates[row.data_year]).sum()
        assert row.units_growing_10_percent == (group >= 10).sum()


# The threshold lists the marts must hold: the seed is their specification (which measure, above what),
# not their computation, which is recomputed below from the raw files.
with (REPO_ROOT / "dbt" / "seeds" / "analysis_thresholds.csv").open(encoding="utf-8", newline="") as f:
    THRESHOLDS = list(csv.DictReader(f))


def measured(frame: pd.DataFrame, measure: str) -> pd.Series:
    """A measure of each row, from its raw statistics: the independent engine's formula, or the raw column."""
    return independent.FORMULAS.get(measure, lambda raw: raw[measure])(frame)


def passes(value: pd.Series, spec: dict) -> pd.Series:
    """Above the threshold as the report words it: 以上 (>=) or 超过 (>)."""
    threshold = float(spec["threshold"])
    return value >= threshold if spec["comparison"] == ">=" else value > threshold


@pytest.mark.consistency
def test_every_threshold_of_the_seed_is_tested():
    """The seed holds the 32 thresholds the test below is parametrised over, so each is tested: a count kept
    by hand, so that a row dropped from or added to the seed shows here. It checks the seed against itself,
    not any threshold's value."""
    assert len(THRESHOLDS) == 32


@pytest.mark.parametrize("spec", THRESHOLDS, ids=[t["threshold_id"] for t in THRESHOLDS])
def test_threshold_lists_name_their_members_in_rank_order(published, members, spec):
    """Each list's members whose measure, computed from their raw statistics (the independent engine's
    formulas: R&D intensity 100 × rd_expenditure / gdp, invention patents per 10k people; the raw columns
    in their canonical units), is above the threshold (超过: strictly; 以上: at or above), counted and
    named in rank order; and the same members, with their values, in computed_list_threshold_units."""
    rows = published.execute(
        "select data_year, list, measure, threshold, unit_count, units from marts.computed_list_thresholds "
        "where threshold_id = ?",
        [spec["threshold_id"]],
    ).df()
    assert sorted(zip(rows.data_year, rows.list, strict=True)) == sorted(
        members[["data_year", "list"]].drop_duplicates().itertuples(index=False, name=None)
    ), "one row per list and data year"
    threshold = float(spec["threshold"])
    for row in rows.itertuples():
        assert (row.measure, row.threshold) == (spec["measure"], threshold)
        group = members[(members.data_year == row.data_year) & (members.list == row.list)].sort_values("rank")
        value = measured(group, spec["measure"])
        # a value a rounding away from the threshold would be counted by the order of operations; one on
        # it is not above it (members with exactly 100 and 800 high-tech enterprises test that)
        assert not ((abs(value - threshold) <= 1e-9 * threshold) & (value != threshold)).any()
        above_threshold = passes(value, spec)
        above = group[above_threshold]["name"].tolist()
        assert row.unit_count == len(above), (row.data_year, row.list)
        listed = published.execute(
            "select name, value from marts.computed_list_threshold_units "
            "where threshold_id = ? and data_year = ? and list = ? order by rank",
            [spec["threshold_id"], row.data_year, row.list],
        ).fetchall()
        assert [name for name, _ in listed] == above
        assert [v for _, v in listed] == pytest.approx(value[above_threshold].tolist(), rel=1e-12)
        assert (row.units if row.unit_count else "") == "、".join(above), (row.data_year, row.list)
        assert row.unit_count or pd.isna(row.units), "no names when no unit is above"


# which measures and how many (2022 图30, 图31): the dbt vars are the specification
DBT_VARS = yaml.safe_load((REPO_ROOT / "dbt" / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
LEADER_MEASURES, LEADER_COUNT = DBT_VARS["leader_measures"], DBT_VARS["leader_count"]


@pytest.mark.parametrize("measure", LEADER_MEASURES)
def test_leaders_are_the_first_twenty_by_value_ties_by_rank(published, members, measure):
    """Each list's first 20 members by the measure computed from their raw statistics (the independent
    engine's formula), largest first, equal values in the list's rank order; a missing value never placed."""
    rows = published.execute(
        "select data_year, list, position, name, value from marts.computed_list_leaders where measure = ? "
        "order by data_year, list, position",
        [measure],
    ).df()
    for (year, name), group in members.groupby(["data_year", "list"]):
        ranked = group.assign(value=measured(group, measure)).dropna(subset=["value"])
        expected = ranked.sort_values(["value", "rank"], ascending=[False, True]).head(LEADER_COUNT)
        got = rows[(rows.data_year == year) & (rows.list == name)]
        assert got["position"].tolist() == list(range(1, len(expected) + 1))
        assert got["name"].tolist() == expected["name"].tolist(), (year, name)
        assert got["value"].tolist() == pytest.approx(expected["value"].tolist(), rel=1e-12)


@pytest.mark.parametrize("spec", THRESHOLDS, ids=[t["threshold_id"] for t in THRESHOLDS])
def test_threshold_areas_count_the_members_by_region_and_province(published, members, spec):
    """The members above each threshold, counted again by the region and province the code table gives
    (marts.admin_units), from the raw files."""
    units = published.execute("select adcode, province, region from marts.admin_units").df()
    placed = members.merge(units, on="adcode", how="left")
    above = placed[passes(measured(placed, spec["measure"]), spec)]
    areas = published.execute(
        "select data_year, list, area_type, area, unit_count from marts.computed_list_threshold_areas "
        "where threshold_id = ?",
        [spec["threshold_id"]],
    ).df()
    for area_type in ("region", "province"):
        expected = above.groupby(["data_year", "list", area_type]).size().to_dict()
        got = areas[areas.area_type == area_type]
        keys = zip(got.data_year, got.list, got.area, strict=True)
        assert dict(zip(keys, got.unit_count, strict=True)) == expected, area_type


with (REPO_ROOT / "dbt" / "seeds" / "national_comparisons.csv").open(encoding="utf-8", newline="") as f:
    COMPARISONS = list(csv.DictReader(f))


@pytest.mark.parametrize("spec", COMPARISONS, ids=[c["comparison_id"] for c in COMPARISONS])
def test_national_comparisons_from_the_raw_files(published, members, spec):
    """Each list's ratio (its members' totals), the nation's (marts.national_totals), and the members above
    the nation, counted, named and with their ratios (2022 图33, 图34), recomputed from the raw files:
    members missing either value left out."""
    national = published.execute("select * from marts.national_totals").df().set_index("data_year")
    numerator, denominator, scale = spec["numerator"], spec["denominator"], float(spec["scale"])
    rows = published.execute(
        "select data_year, list, list_value, national_value, units_above_national, units "
        "from marts.computed_list_national_comparisons where comparison_id = ?",
        [spec["comparison_id"]],
    ).df()
    assert len(rows) == members[["data_year", "list"]].drop_duplicates().shape[0]
    for row in rows.itertuples():
        group = members[(members.data_year == row.data_year) & (members.list == row.list)].dropna(
            subset=[numerator, denominator]
        )
        nation = scale * national.loc[row.data_year, numerator] / national.loc[row.data_year, denominator]
        ratio = scale * group[numerator] / group[denominator]
        above = group.assign(ratio=ratio)[ratio > nation].sort_values(
            ["ratio", "rank"], ascending=[False, True]
        )
        assert row.list_value == pytest.approx(
            scale * group[numerator].sum() / group[denominator].sum(), rel=1e-12
        )
        assert row.national_value == pytest.approx(nation, rel=1e-12)
        assert row.units_above_national == len(above)
        assert (row.units if len(above) else "") == "、".join(above["name"]), (row.data_year, row.list)
        listed = published.execute(
            "select name, ratio from marts.computed_list_national_comparison_units "
            "where comparison_id = ? and data_year = ? and list = ? order by ratio desc, rank",
            [spec["comparison_id"], row.data_year, row.list],
        ).fetchall()
        assert [name for name, _ in listed] == above["name"].tolist()
        assert [ratio for _, ratio in listed] == pytest.approx(above["ratio"].tolist(), rel=1e-12)


@pytest.fixture(scope="module")
def two_years(members, raw):
    """The members beside their raw statistics of the year before the data year (suffix _previous; none
    where the run holds no such year or row)."""
    previous = raw[["data_year", "adcode", "industry_va_growth", "above_scale_profit"]].assign(
        data_year=raw["data_year"] + 1
    )
    return members.merge(previous, on=["data_year", "adcode"], how="left", suffixes=("", "_previous"))


def geometric_two_year_growth(first: pd.Series, second: pd.Series) -> pd.Series:
    """docs/methodology.md §14: 100 · (√((1 + g₁/100)(1 + g₂/100)) − 1)."""
    return 100 * (((1 + first / 100) * (1 + second / 100)) ** 0.5 - 1)


def test_two_year_growth_counts_from_the_raw_files(published, two_years):
    """Each list's members by their geometric two-year average growth, from the raw files of both years and
    the national rates of both years; the run's first data year has no year before it: its members count
    in units and in no growth count."""
    national = published.execute("select data_year, industry_va_growth from marts.national_totals").df()
    rates = dict(national.values)
    rows = published.execute("select * from marts.computed_list_growth_two_years").df()
    assert len(rows) == two_years[["data_year", "list"]].drop_duplicates().shape[0]
    for row in rows.itertuples():
        group = two_years[(two_years.data_year == row.data_year) & (two_years.list == row.list)]
        growth, previous = group["industry_va_growth"], group["industry_va_growth_previous"]
        average = geometric_two_year_growth(previous, growth)
        nation = geometric_two_year_growth(
            pd.Series([rates.get(row.data_year - 1, float("nan"))]), pd.Series([rates[row.data_year]])
        )[0]
        assert row.units == len(group) == 100
        assert row.units_with_two_years == average.notna().sum()
        assert row.units_growing == (average > 0).sum()
        assert row.units_growing_10_percent == (average >= 10).sum()
        assert row.units_growing_both_years == ((previous > 0) & (growth > 0)).sum()
        if pd.isna(nation):
            assert pd.isna(row.units_above_national) and pd.isna(row.national_growth)
        else:
            assert row.units_above_national == (average > nation).sum()
            assert row.national_growth == pytest.approx(nation, rel=1e-12)
        assert row.median_growth == pytest.approx(average.median(), rel=1e-12, nan_ok=True)
    first = rows[rows.data_year == rows.data_year.min()]
    assert (first.units_with_two_years == 0).all() and (first.units_growing == 0).all()
    assert (rows[rows.data_year > rows.data_year.min()].units_with_two_years == 100).all()


def test_profit_by_region_from_the_raw_files(published, two_years):
    """The list's and each region's mean of the members' two-year mean profit (the mean of both years'
    profit), its sum, the members above the dbt var profit_threshold (strictly) and the mean of the members'
    margins of the data year (100 × profit / revenue, each member's, then their mean), from the raw files."""
    units = published.execute("select adcode, region from marts.admin_units").df()
    placed = two_years.merge(units, on="adcode", how="left")
    placed = placed.assign(
        two_year_profit=(placed["above_scale_profit"] + placed["above_scale_profit_previous"]) / 2,
        margin=measured(placed, "profit_margin"),
    )
    threshold = float(DBT_VARS["profit_threshold"])
    rows = published.execute("select * from marts.computed_list_profit_by_region").df()
    expected_keys = set()
    for (year, name), group in placed.groupby(["data_year", "list"]):
        expected_keys |= {(year, name, "全部"), *((year, name, r) for r in group["region"].unique())}
    assert set(zip(rows.data_year, rows.list, rows.area, strict=True)) == expected_keys
    for row in rows.itertuples():
        group = placed[(placed.data_year == row.data_year) & (placed.list == row.list)]
        if row.area_type == "region":
            group = group[group.region == row.area]
        else:
            assert row.area == "全部"
        profit = group["two_year_profit"]
        assert row.units == len(group)
        assert row.units_with_two_years == profit.notna().sum()
        assert row.mean_two_year_profit == pytest.approx(profit.mean(), rel=1e-12, nan_ok=True)
        assert row.total_two_year_profit == pytest.approx(profit.sum(min_count=1), rel=1e-12, nan_ok=True)
        assert row.profit_threshold == threshold
        assert row.units_above_profit_threshold == (profit > threshold).sum()
        assert row.units_with_margin == group["margin"].notna().sum()
        assert row.mean_profit_margin == pytest.approx(group["margin"].mean(), rel=1e-12)
