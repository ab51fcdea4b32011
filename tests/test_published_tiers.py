"""Each unit's 梯队 in marts.published_rankings: the tier bounds its edition states, read per unit."""

import pytest

# 2024 edition, 第一篇 三(二): the first tier's eight 县（市）, named in order
FIRST_TIER_2024 = ["昆山市", "江阴市", "晋江市", "张家港市", "慈溪市", "常熟市", "宜兴市", "长沙县"]


@pytest.mark.independent  # the eight units the report names
def test_the_first_tier_of_2024_is_the_eight_units_the_report_names(published):
    rows = published.execute(
        "select name from marts.published_rankings "
        "where edition_year = 2024 and list = 'industrial_county' and tier = 1 order by rank"
    ).fetchall()
    assert [name for (name,) in rows] == FIRST_TIER_2024


@pytest.mark.consistency  # two marts read from the same bounds
def test_the_units_tiers_add_up_to_the_tiers_counts_by_region(published):
    by_unit = published.execute(
        "select edition_year, list, tier, region, count(*) from marts.published_rankings "
        "where tier is not null group by all order by all"
    ).fetchall()
    counted = published.execute(
        "select edition_year, list, tier, area, unit_count from marts.published_ranking_tiers "
        "where area_type = 'region' and unit_count > 0 order by all"
    ).fetchall()
    assert by_unit == counted


@pytest.mark.independent  # the four NBS regions, written here
def test_every_region_is_in_every_tier_with_0_where_it_has_no_unit(published):
    """2024: 东北 has no unit in tiers 1, 2 and 4 (its one unit ranks in tier 3): rows of 0, not gaps."""
    rows = published.execute(
        "select tier, area, unit_count from marts.published_ranking_tiers "
        "where edition_year = 2024 and list = 'industrial_county' and area_type = 'region'"
    ).fetchall()
    assert sorted((tier, area) for tier, area, _ in rows) == sorted(
        (tier, area) for tier in (1, 2, 3, 4) for area in ("东部", "中部", "西部", "东北")
    )
    northeast = {tier: count for tier, area, count in rows if area == "东北"}
    assert northeast == {1: 0, 2: 0, 3: 1, 4: 0}


@pytest.mark.independent  # the reports state tiers of the industrial counties only
def test_a_list_whose_tiers_no_edition_states_has_none(published):
    tiered = published.execute(
        "select distinct list from marts.published_rankings where tier is not null order by 1"
    ).fetchall()
    assert tiered == [("industrial_county",)]
