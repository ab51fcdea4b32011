"""Special topics against what the 2022 edition states about its cluster tables (产业集群专题)."""


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
    """At least 22 county clusters of 1000-2000 亿元, one of 三千亿级 (张家港), 五千亿级 (昆山)."""
    assert _counts(published, "100bn", "scale") == {"千亿级": 22, "二千亿级": 2, "三千亿级": 1, "五千亿级": 1}


def test_cluster_hosts_join_the_lists(published):
    hosts = published.execute(
        "select name, count(*) from marts.cluster_hosts where edition_year = 2022 and table_name = '100bn' "
        "group by name order by 2 desc, 1 limit 3"
    ).fetchall()
    assert hosts == [("常熟市", 3), ("江阴市", 3), ("福清市", 3)]
