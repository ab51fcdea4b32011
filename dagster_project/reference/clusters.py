"""Clusters: the industrial-cluster tables of the 2022 edition (表4, 表5) and city-cluster membership."""

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

CITY_CLUSTER_MEMBERS = ReferenceInput(
    table="city_cluster_members",
    file="city_clusters/city_cluster_members.csv",
    description=(
        "Membership of the national city clusters (城市群) and metropolitan areas (都市圈): whole "
        "prefectures or named counties, each with its planning document and a certainty (official, "
        "partial, uncertain)."
    ),
    columns=["area_type", "area", "province", "prefecture", "county", "certainty", "source"],
    resolve="resolve_city_cluster_members",
    suite="reference_city_cluster_members",
    preview=["area", "province", "prefecture", "county", "certainty"],
)

SMART_FACTORIES = ReferenceInput(
    table="smart_factories_2024",
    file="smart_factories/2024_smart_factories.csv",
    description=(
        "2024 年版报告 专题篇: national smart factories located in counties by region and province (图24), "
        "provincial smart factories and their share in counties (图25). Real, transcribed with citation."
    ),
    columns=["edition_year", "scope", "level", "area", "factory_count", "share_in_counties", "source"],
    resolve="resolve_smart_factories",
    suite="reference_smart_factories",
    preview=["scope", "level", "area", "factory_count", "share_in_counties"],
)
