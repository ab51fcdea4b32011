"""Special topics: the cluster tables against what the 2022 edition states about them (产业集群专题); the
2024 edition's smart factories as transcribed."""

import pytest

pytestmark = pytest.mark.independent  # counts of the transcribed tables against the editions' text


def _counts(published, table_name, dimension):
    return dict(
        published.execute(
            "select category, cluster_count from marts.cluster_counts where table_name = ? and dimension = ?",
            [table_name, dimension],
        ).fetchall()
    )


def test_national_clusters_by_region_as_the_2022_edition_states(published):
    """18 national clusters located in counties: 东部 11, 中部 5, 西部 2 (2022 edition, special topic)."""
    assert _counts(published, "national", "region") == {"东部": 11, "中部": 5, "西部": 2}


def test_100bn_clusters_by_scale_band(published):
    """The text: at least 22 (至少22个) county clusters of 1000-2000 亿元, 2 of 二千亿级, one of
    三千亿级 (张家港) and one of 五千亿级 (昆山). 表5 as transcribed has exactly 22 in its lowest band,
    which it prints 千亿级: the band goes by the range the text gives it, so that 千亿级 is not two things."""
    assert _counts(published, "100bn", "scale") == {
        "千亿级（1000-2000亿元）": 22,
        "二千亿级": 2,
        "三千亿级": 1,
        "五千亿级": 1,
    }


def test_every_100bn_cluster_counts_under_the_tables_name(published):
    """The text: 县（市）千亿级产业集群至少在 26 个以上（见表5）; 表5 lists 26, in 15 counties (counted by
    hand in the table). An analyst asking for 千亿级 gets all of them, not the lowest band."""
    rows = published.execute(
        "select dimension, cluster_count, county_count from marts.cluster_counts "
        "where table_name = '100bn' and category = '千亿级'"
    ).fetchall()
    assert rows == [("all", 26, 15)]


def test_cluster_hosts_join_the_lists(published):
    """The units of the 2022 工业百强县（市） hosting the most clusters of 表5, 3 each (counted by hand in
    the table)."""
    hosts = published.execute(
        "select name, count(*) from marts.cluster_hosts where edition_year = 2022 and table_name = '100bn' "
        "group by name order by 2 desc, 1 limit 3"
    ).fetchall()
    assert hosts == [("常熟市", 3), ("江阴市", 3), ("福清市", 3)]


@pytest.mark.by_construction
def test_smart_factories_as_the_2024_edition_states_them(published):
    """115 national smart factories in counties: 东部 45, 中部 39, 西部 28, 东北 3 (专题篇, 图24). The mart's
    published_count is data/reference/smart_factories/2024_smart_factories.csv, transcribed from these very
    statements, carried through: its agreement shows the transcription carried, not the report confirmed.
    The four regions adding up to the stated 115 is the report agreeing with itself."""
    regions = dict(
        published.execute(
            "select area, published_count from marts.smart_factories "
            "where scope = 'national_demonstration' and level = 'region'"
        ).fetchall()
    )
    assert regions == {"东部": 45, "中部": 39, "西部": 28, "东北": 3}
    assert sum(regions.values()) == 115


def test_smart_factories_computed_from_the_panel_are_labelled_synthetic(published):
    rows = published.execute(
        "select computed_count, computed_synthetic from marts.smart_factories where level = 'county_total'"
    ).fetchall()
    assert rows and all(synthetic for _, synthetic in rows)


@pytest.mark.parametrize(
    ("alias", "area"),
    # 2022 edition §二(一) "长三角县（市）", 2024 edition §3(三) "长三角两翼"; both editions' 珠三角
    [("长三角", "长江三角洲城市群"), ("珠三角", "珠三角城市群")],
)
def test_the_short_names_the_reports_use_find_the_area(published, alias, area):
    found = published.execute(
        "select distinct area from marts.city_cluster_counts where list_contains(area_aliases, ?)", [alias]
    ).fetchall()
    assert found == [(area,)]
    members = published.execute(
        "select count(*) from marts.city_cluster_members where list_contains(area_aliases, ?)", [alias]
    ).fetchone()[0]
    assert (
        members
        == published.execute(
            "select count(*) from marts.city_cluster_members where area = ?", [area]
        ).fetchone()[0]
    )


def test_city_cluster_members_expand_whole_prefectures(published):
    suzhou = published.execute(
        "select count(*) from marts.city_cluster_members "
        "where area = '长江三角洲城市群' and prefecture = '苏州市'"
    ).fetchone()[0]
    assert suzhou == 9  # 苏州市's 5 districts and 4 county-level cities


@pytest.mark.by_construction  # the mart carries the totals as transcribed from the same text
def test_the_provincial_smart_factories_of_each_province_in_all(published):
    """2024 edition, 专题篇 二(二): the province-wide totals beside the counts in counties."""
    rows = dict(
        published.execute(
            "select area, province_total from marts.smart_factories where scope = 'provincial' "
            "and level = 'province'"
        ).fetchall()
    )
    assert rows == {
        "江苏省": 387, "浙江省": 205, "河南省": 182, "安徽省": 150,
        "辽宁省": 115, "吉林省": 42, "云南省": 40, "陕西省": 19,
    }  # fmt: skip


def test_the_counties_share_the_text_gives_as_a_bound_follows_from_the_counts(published):
    """安徽: 超过 40% (no point value, so no share_in_counties); its transcribed counts, 63 of 150, say so."""
    [(share,)] = published.execute(
        "select published_count / province_total from marts.smart_factories "
        "where scope = 'provincial' and area = '安徽省'"
    ).fetchall()
    assert share > 0.40
