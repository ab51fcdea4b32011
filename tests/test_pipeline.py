"""The whole graph, materialised for real, and what it leaves for analysts."""

from itertools import pairwise, product

import duckdb
import pytest
from dagster import AssetKey

from dagster_project.definitions import build_definitions
from dagster_project.lib import registry
from dagster_project.reference.rankings import ranking_inputs
from dagster_project.resources import DEFAULT_DATA_DIR, REFERENCE_FOLDER

pytestmark = pytest.mark.independent  # the reports' tables, the communiqués and stated behaviour

REFERENCE = DEFAULT_DATA_DIR / REFERENCE_FOLDER  # the committed inputs, which every run copies

MARTS = {
    "admin_units",
    "admin_unit_counts",
    "source_files",
    "published_rankings",
    "published_ranking_province_counts",
    "published_ranking_region_counts",
    "published_ranking_region_series",
    "published_ranking_unit_type_counts",
    "published_ranking_province_leaders",
    "published_ranking_rank_bands",
    "published_ranking_movements",
    "published_ranking_net_change_by_province",
    "published_ranking_net_change_by_region",
    "published_national_clusters",
    "published_100bn_clusters",
    "indicator_values",
    "indicator_treatments",
    "indicator_weights",
    "composite_scores",
    "innovation_scores",
    "computed_ranking_movements",
    "computed_rankings",
    "tier_breaks",
    "national_totals",
    "published_ranking_tiers",
    "published_ranking_coverage",
    "computed_list_shares",
    "computed_list_growth",
    "computed_list_growth_two_years",
    "computed_list_profit_by_region",
    "computed_list_thresholds",
    "computed_list_threshold_units",
    "computed_list_threshold_areas",
    "computed_list_leaders",
    "computed_list_national_comparisons",
    "computed_list_national_comparison_units",
    "published_ranking_prefecture_counts",
    "published_ranking_top_n",
    "cluster_counts",
    "cluster_hosts",
    "city_cluster_members",
    "city_cluster_counts",
    "smart_factories",
    "claims",
    "rank_uncertainty",
    "tier_probabilities",
    "rank_sensitivity",
    "index_coherence",
    "rank_change_attribution",
    "overview_county_economy",
    "overview_county_economy_by_area",
    "overview_population_classes",
    "overview_urbanisation_potential",
    "column_lineage",
}


def test_every_asset_materialises_and_every_check_passes(pipeline_run):
    result = pipeline_run.result
    materialised = {e.asset_key for e in result.get_asset_materialization_events()}
    assert AssetKey(["reference", "admin_units"]) in materialised
    assert {t.key for t in ranking_inputs(REFERENCE)} <= materialised
    assert {AssetKey(["marts", m]) for m in MARTS} <= materialised
    assert AssetKey(["published", "county_industry_duckdb"]) in materialised
    evaluations = result.get_asset_check_evaluations()
    assert evaluations and all(e.passed for e in evaluations)


@pytest.mark.consistency
def test_dbt_models_carry_row_counts_columns_and_column_lineage(pipeline_run, published):
    """What the auditor reads on a model's page, as the warehouse holds it after the run."""
    materialisations = [
        e.materialization.metadata
        for e in pipeline_run.result.get_asset_materialization_events()
        if e.asset_key == AssetKey(["marts", "computed_rankings"])
    ]
    metadata = materialisations[0]  # one run for every year: its partitions share the metadata
    assert all(m == metadata for m in materialisations)
    rows = dict(
        published.execute(
            "select data_year::varchar, count(*) from marts.computed_rankings group by all"
        ).fetchall()
    )
    assert metadata["rows_by_data_year"].value == rows
    assert metadata["dagster/row_count"].value == sum(rows.values())
    columns = [c.name for c in metadata["dagster/column_schema"].value.columns]
    assert columns == [
        d[0] for d in published.execute("select * from marts.computed_rankings limit 0").description
    ]
    lineage = metadata["dagster/column_lineage"].value.deps_by_column
    assert [(d.asset_key, d.column_name) for d in lineage["index_score"]] == [
        (AssetKey(["intermediate", "int_rankings__top100"]), "index_score")
    ]


def test_graph_leads_from_each_reference_file_through_its_check_to_the_marts():
    graph = build_definitions(DEFAULT_DATA_DIR).resolve_asset_graph()
    checks = {}
    for check in graph.asset_check_keys:
        checks.setdefault(check.asset_key, set()).add(check.name)
    for table in ranking_inputs(REFERENCE):
        downstream = _descendants(graph, table.key)
        assert AssetKey(["marts", "published_rankings"]) in downstream
        assert AssetKey(["published", "county_industry_duckdb"]) in downstream
        assert checks[table.key] == {"reference_published_ranking"}
    assert checks[AssetKey(["reference", "admin_units"])] == {"reference_admin_units"}
    assert checks[AssetKey(["reference", "clusters_2022_national"])] == {"reference_national_clusters"}
    assert checks[AssetKey(["reference", "clusters_2022_100bn"])] == {"reference_100bn_clusters"}
    raw = AssetKey(["raw", "county_statistics"])
    assert checks[raw] == {"raw_county_statistics"}
    downstream = _descendants(graph, raw)
    for mart in ("indicator_values", "composite_scores", "computed_rankings", "tier_breaks"):
        assert AssetKey(["marts", mart]) in downstream
    assert AssetKey(["marts", "computed_rankings"]) in _descendants(
        graph, AssetKey(["engine", "indicator_weights"])
    )


def _descendants(graph, key):
    seen, todo = set(), [key]
    while todo:
        for child in graph.get(todo.pop()).child_keys:
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def test_analysts_read_documented_marts_from_the_published_file(published):
    tables = {
        name: comment
        for name, comment in published.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
    }
    assert set(tables) == MARTS
    assert all(tables.values()), "every mart carries its description"
    undocumented = published.execute(
        "select table_name, column_name from duckdb_columns() where schema_name = 'marts' and comment is null"
    ).fetchall()
    assert undocumented == []
    rows = published.execute("select count(*) from marts.published_rankings").fetchone()[0]
    assert rows == registry.published_ranking_rows(REFERENCE), "each list's top_n rows in every edition"


def test_the_published_file_refuses_writes(published):
    try:
        published.execute("create table marts.scratch (x integer)")
    except duckdb.Error as error:
        assert "read-only" in str(error).lower()
    else:
        raise AssertionError("the published file opened read-only accepted a write")


def test_every_ranked_row_traces_back_to_its_file_and_hash(published, pipeline_run):
    rows = published.execute(
        "select distinct r.source_file, r.source_sha256, f.source_sha256 "
        "from marts.published_rankings r left join marts.source_files f using (source_file)"
    ).fetchall()
    assert len(rows) == len(registry.ranking_files_present(REFERENCE)), "a file per list and edition"
    import hashlib

    for source_file, sha, listed in rows:
        actual = hashlib.sha256((pipeline_run.data_dir / source_file).read_bytes()).hexdigest()
        assert sha == listed == actual


@pytest.mark.consistency
def test_star_marks_each_province_leader(published):
    mismatches = published.execute(
        """
        select r.edition_year, r.list, r.rank from marts.published_rankings r
        left join marts.published_ranking_province_leaders l
            on r.edition_year = l.edition_year and r.list = l.list and r.adcode = l.adcode
        where r.star <> (l.adcode is not null)::integer
        """
    ).fetchall()
    assert mismatches == []


@pytest.mark.consistency
def test_movements_balance(published):
    """Each list keeps its 100 units (top_n) from edition to edition, so entrants equal exits and net changes
    sum to zero."""
    rows = published.execute(
        """
        select list, sum(entrants), sum(exits), sum(net_change), sum(unit_count), sum(previous_unit_count)
        from marts.published_ranking_net_change_by_region group by list, edition_year order by all
        """
    ).fetchall()
    lists = registry.ranking_lists()
    assert len(rows) == len(lists) * (len(registry.editions_present(REFERENCE)) - 1), (
        "each list, each edition but the first"
    )
    for name, entrants, exits, net, count, previous in rows:
        assert entrants == exits and net == 0 and count == previous == lists[name].top_n


def test_movements_agree_with_each_pair_of_editions(published):
    """Recomputed apart from the dbt SQL: set differences of a list in two consecutive editions."""
    frame = published.execute("select edition_year, list, adcode, rank from marts.published_rankings").df()
    moves = published.execute(
        "select edition_year, list, adcode, movement, rank_change from marts.published_ranking_movements"
    ).df()
    editions = registry.editions_present(REFERENCE)
    pairs = list(pairwise(editions))
    assert pairs, "two editions at least"
    for (name, group), (before, after) in product(frame.groupby("list"), pairs):
        old = dict(group[group.edition_year == before][["adcode", "rank"]].values)
        new = dict(group[group.edition_year == after][["adcode", "rank"]].values)
        listed = moves[(moves.list == name) & (moves.edition_year == after)].set_index("adcode")
        assert set(listed[listed.movement == "entered"].index) == set(new) - set(old)
        assert set(listed[listed.movement == "exited"].index) == set(old) - set(new)
        for adcode in set(old) & set(new):
            assert listed.loc[adcode, "rank_change"] == old[adcode] - new[adcode]


def test_cluster_tables_place_every_county(published):
    """表4: 18 national clusters over 21 county places; 表5: 26 千亿级 clusters in 15 counties."""
    national = published.execute(
        "select count(distinct seq), count(*), count(distinct adcode) from marts.published_national_clusters"
    ).fetchone()
    assert national == (18, 21, 21)
    spans = published.execute(
        "select seq, count(*) from marts.published_national_clusters "
        "group by seq having count(*) > 1 order by 1"
    ).fetchall()
    assert spans == [(3, 3), (17, 2)]  # 金华市现代五金集群, 许昌市节能环保产业集群
    hundred_bn = published.execute(
        "select count(*), count(distinct adcode) from marts.published_100bn_clusters"
    ).fetchone()
    assert hundred_bn == (26, 15)
    assert published.execute(
        "select province from marts.published_100bn_clusters where name = '仁怀市'"
    ).fetchone() == ("贵州省",)


def test_national_totals_are_the_communiques_in_canonical_units(published):
    rows = published.execute(
        "select data_year, gdp, population_resident, source from marts.national_totals order by 1"
    ).fetchall()
    assert [r[0] for r in rows] == [2021, 2022, 2023]
    assert rows[2][1] == 1260582 * 10000  # 1,260,582 亿元 in 万元
    assert rows[2][2] == 140967
    assert "2023年国民经济和社会发展统计公报" in rows[2][3]


def test_coverage_uses_each_provinces_county_count(published):
    """2024 edition, 图12: 江苏 has 23 of its 40 县（市） in the list, 浙江 25 of 53."""
    rows = dict(
        published.execute(
            "select province, unit_count || '/' || universe_units from marts.published_ranking_coverage "
            "where edition_year = 2024 and list = 'industrial_county' and province in ('江苏省', '浙江省')"
        ).fetchall()
    )
    assert rows == {"江苏省": "23/40", "浙江省": "25/53"}


def test_movements_say_whether_their_editions_are_consecutive(published):
    """Each edition pairs with the one before it among those here; a pair that skips editions (2022 and
    2024, with no 2023 table) says so: recomputed from the editions present."""
    editions = registry.editions_present(REFERENCE)
    expected = {(after, before, after - before == 1) for before, after in pairwise(editions)}
    for mart in (
        "published_ranking_movements",
        "published_ranking_net_change_by_province",
        "published_ranking_net_change_by_region",
    ):
        pairs = published.execute(
            f"select distinct edition_year, previous_edition_year, editions_consecutive from marts.{mart}"
        ).fetchall()
        assert set(pairs) == expected, mart
