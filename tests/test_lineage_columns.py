"""Column lineage as auditors read it: the mart marts.column_lineage in the published file.

The expected rows are read by hand from the models' SQL; the expressions are compared after sqlglot has
written both sides in one spelling (it writes list() as ARRAY_AGG), never taken from the code under test.
"""

import json

import duckdb
import pytest
from sqlglot import parse_one

from dagster_project.column_lineage import STEPS, Edge, edges
from dagster_project.resources import DBT_MANIFEST, WAREHOUSE_FILE

pytestmark = pytest.mark.independent  # rows read by hand from the SQL

COLUMNS = (
    "column_position, column_name, upstream_type, upstream_schema, upstream_model, upstream_column, "
    "expression, parsed"
)


def spelled(expression: str | None) -> str | None:
    """One spelling of an expression, its steps each written out by sqlglot."""
    if expression is None:
        return None
    return STEPS.join(
        parse_one(step, dialect="duckdb").sql(dialect="duckdb") for step in expression.split(STEPS)
    )


def lineage_of(published: duckdb.DuckDBPyConnection, model: str) -> list[tuple]:
    rows = published.execute(
        f"select {COLUMNS} from marts.column_lineage where model = ? order by all", [model]
    ).fetchall()
    return [(*row[:6], spelled(row[6]), row[7]) for row in rows]


def test_the_region_counts_lineage_is_what_its_sql_says(published):
    """dbt/models/marts/published_ranking_region_counts.sql, read by hand: every list and edition
    (rankings, i.e. int_published_rankings__resolved) crossed with every region of the admin units,
    its count of units 0 where none, and the sorted distinct files of the list."""
    resolved = ("model", "intermediate", "int_published_rankings__resolved")
    assert lineage_of(published, "published_ranking_region_counts") == [
        (1, "edition_year", *resolved, "edition_year", None, True),
        (2, "list", *resolved, "list", None, True),
        (3, "region", "model", "staging", "stg_reference__admin_units", "region", None, True),
        (4, "unit_count", None, None, None, None, spelled("coalesce(counts.unit_count, 0) ← count(*)"), True),
        (
            5,
            "source_files",
            *resolved,
            "source_files",
            spelled("list_sort(list_distinct(flatten(list(rankings.source_files))))"),
            True,
        ),
    ]


def test_a_seed_and_a_source_are_upstreams_too(published):
    """computed_list_thresholds takes each threshold from the seed analysis_thresholds, column threshold;
    stg_reference__admin_units reads the ingested table reference.admin_units."""
    thresholds = {row[1]: row for row in lineage_of(published, "computed_list_thresholds")}
    assert thresholds["threshold"][2:6] == ("seed", "seeds", "analysis_thresholds", "threshold")
    admin_units = {row[1]: row for row in lineage_of(published, "stg_reference__admin_units")}
    assert admin_units["adcode"][2:6] == ("source", "reference", "admin_units", "adcode")


def test_the_python_tiers_model_is_listed_unparsed(published):
    """int_rankings__tiers is a dbt Python model: no SQL for sqlglot, so its columns, as its return
    statement builds them, with no upstream."""
    assert lineage_of(published, "int_rankings__tiers") == [
        (1, "data_year", None, None, None, None, None, False),
        (2, "list", None, None, None, None, None, False),
        (3, "adcode", None, None, None, None, None, False),
        (4, "tier", None, None, None, None, None, False),
    ]


def test_edges_of_a_small_query_by_hand():
    """A select with a pass-through, a computed column, a literal and a renamed column, over one table;
    and SQL that does not parse, whose columns come back unparsed rather than failing the build."""
    sql = "select a, a + b as total, 1 as one, b as bee from db.s.parent"
    parent = {
        '"db"."s"."parent"': (
            "model.p.parent",
            {"a": {"data_type": "INTEGER"}, "b": {"data_type": "INTEGER"}},
        )
    }
    own = {c: {"data_type": "INTEGER"} for c in ("a", "total", "one", "bee")}
    found = edges(sql, own, '"db"."s"."child"', parent, "duckdb")
    assert sorted(
        (e.column_name, e.upstream_id, e.upstream_column, spelled(e.expression), e.parsed) for e in found
    ) == [
        ("a", "model.p.parent", "a", None, True),
        ("bee", "model.p.parent", "b", None, True),
        ("one", None, None, "1", True),
        ("total", "model.p.parent", "a", spelled("parent.a + parent.b"), True),
        ("total", "model.p.parent", "b", spelled("parent.a + parent.b"), True),
    ]
    assert edges("select from where", own, '"db"."s"."child"', parent, "duckdb") == [
        Edge(column, None, None, None, parsed=False) for column in sorted(own)
    ]


@pytest.mark.consistency
def test_every_column_of_every_model_is_listed_once_in_place(pipeline_run, published):
    """Each model column of the warehouse (staging, intermediate, marts) has its rows, at its position;
    the mart itself aside, whose rows would come one run late."""
    with duckdb.connect(str(pipeline_run.data_dir / WAREHOUSE_FILE), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, ordinal_position, column_name from information_schema.columns "
            "where table_schema in ('staging', 'intermediate', 'marts') and table_name != 'column_lineage' "
            "order by all"
        ).fetchall()
    listed = published.execute(
        "select distinct model_schema, model, column_position, column_name from marts.column_lineage "
        "order by all"
    ).fetchall()
    assert listed == columns


@pytest.mark.consistency
def test_every_marts_docs_page_gives_its_column_lineage_query():
    """Each mart's dbt docs page (its description, which is also its table comment in the published
    file) ends with the query of its own rows in marts.column_lineage."""
    manifest = json.loads(DBT_MANIFEST.read_text(encoding="utf-8"))
    marts = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["config"]["schema"] == "marts"
        and node["name"] != "column_lineage"
    ]
    assert len(marts) >= 30
    missing = [
        node["name"]
        for node in marts
        if not node["description"].endswith(
            f"`select * from marts.column_lineage where model = '{node['name']}'`"
        )
    ]
    assert missing == []


def test_sql_sqlglot_cannot_follow_is_listed_unparsed_without_a_warning(caplog, capsys):
    """An UNPIVOT, which sqlglot's scopes cannot traverse: its columns are unparsed, not half-traced, and
    the console stays quiet (nothing there a user can act on)."""
    sql = "select measure, amount from (unpivot db.s.parent on a, b into name measure value amount)"
    parent = {
        '"db"."s"."parent"': (
            "model.p.parent",
            {"a": {"data_type": "INTEGER"}, "b": {"data_type": "INTEGER"}},
        )
    }
    own = {"measure": {"data_type": "VARCHAR"}, "amount": {"data_type": "INTEGER"}}
    with caplog.at_level("WARNING"):
        found = edges(sql, own, '"db"."s"."child"', parent, "duckdb")
    assert found == [
        Edge("amount", None, None, None, parsed=False),
        Edge("measure", None, None, None, parsed=False),
    ]
    assert [r for r in caplog.records if r.levelname == "WARNING"] == []
    assert capsys.readouterr().err == ""
