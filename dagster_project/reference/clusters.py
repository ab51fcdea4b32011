"""The industrial-cluster tables of the 2022 edition (real): 表4 and 表5."""

from dagster_project.reference.inputs import ReferenceInput

CLUSTER_INPUTS = [
    ReferenceInput(
        table="clusters_2022_national",
        file="clusters/2022_table4_national_clusters.csv",
        description=(
            "2022 年版报告 表4 县（市）国家级产业集群情况 (as of end 2021): one row per cluster and county "
            "it lies in, each county resolved to an adcode. Real."
        ),
        columns=["edition_year", "seq", "cluster_type", "cluster_name", "counties", "n_counties"],
        resolve="resolve_national_clusters",
        suite="reference_national_clusters",
        preview=["seq", "cluster_type", "cluster_name", "county_printed", "adcode"],
    ),
    ReferenceInput(
        table="clusters_2022_100bn",
        file="clusters/2022_table5_100bn_clusters.csv",
        description=(
            "2022 年版报告 表5 部分代表性县（市）千亿级产业集群情况 (as of end 2021), each county resolved "
            "to an adcode. Real."
        ),
        columns=["edition_year", "seq", "county", "cluster_name", "scale", "scale_floor_100m_yuan"],
        resolve="resolve_100bn_clusters",
        suite="reference_100bn_clusters",
        preview=["seq", "county_printed", "cluster_name", "scale", "adcode"],
    ),
]
