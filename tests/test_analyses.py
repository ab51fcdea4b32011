"""The analyses over the computed lists, recomputed apart from dbt from the raw files and the list members."""

import pandas as pd
import pytest

from tests.independent import engine as independent

MONEY = ["gdp", "va_industry", "exports", "retail_sales", "rd_expenditure", "above_scale_profit"]


@pytest.fixture(scope="module")
def members(published, pipeline_run):
    """The computed lists' members beside their raw statistics, read from the files the run used."""
    raw = independent.read_raw_statistics(
        independent.Inputs(raw_dir=pipeline_run.data_dir / "raw" / "county_statistics")
    )
    lists = published.execute("select data_year, list, rank, adcode, name from marts.computed_rankings").df()
    return lists.merge(raw.drop(columns=["name"]), on=["data_year", "adcode"], how="left")


def test_shares_of_national_totals(published, members):
    shares = published.execute("select data_year, list, measure, share from marts.computed_list_shares").df()
    national = published.execute("select * from marts.national_totals").df().set_index("data_year")
    for (year, name), group in members.groupby(["data_year", "list"]):
        got = shares[(shares.data_year == year) & (shares.list == name)].set_index("measure")["share"]
        for measure in MONEY + ["population_resident"]:
            expected = group[measure].sum() / national.loc[year, measure]
            assert got[measure] == pytest.approx(expected, rel=1e-12), (year, name, measure)
        assert got["units"] == pytest.approx(100 / 2844)
        assert pd.isna(got["above_scale_revenue"]), "no national total transcribed, so no share"


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


def test_threshold_lists_name_their_members_in_rank_order(published, members):
    exports = published.execute(
        "select data_year, list, unit_count, units from marts.computed_list_thresholds "
        "where threshold_id = 'exports_500'"
    ).df()
    for row in exports.itertuples():
        group = members[(members.data_year == row.data_year) & (members.list == row.list)].sort_values("rank")
        above = group[group["exports"] > 5_000_000]["name"].tolist()
        assert row.unit_count == len(above)
        assert (row.units or "") == "、".join(above)
