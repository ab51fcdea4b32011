"""Exports: every mart as Parquet, the lists in the report's layout as CSV and XLSX."""

import csv
import json
import shutil

import duckdb
import pandas as pd

from dagster_project.resources import DEFAULT_DATA_DIR


def test_every_mart_is_exported_as_parquet(published, pipeline_run):
    parquet = pipeline_run.published.parent / "parquet"
    tables = [
        t
        for (t,) in published.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
    ]
    assert sorted(p.stem for p in parquet.glob("*.parquet")) == tables
    for table in tables:
        from_parquet = duckdb.sql(f"select * from '{parquet / (table + '.parquet')}'").df()
        from_duckdb = published.execute(f'select * from marts."{table}"').df()
        pd.testing.assert_frame_equal(from_parquet, from_duckdb, check_dtype=False)


def test_published_lists_follow_the_reports_table_layout(pipeline_run):
    exports = pipeline_run.published.parent / "exports"
    reference = DEFAULT_DATA_DIR / "reference" / "rankings" / "2022_industrial_county.csv"
    with reference.open(encoding="utf-8") as f:
        printed = list(csv.DictReader(f))
    table = pd.read_csv(exports / "published_2022_industrial_county.csv", encoding="utf-8-sig", dtype=str)
    assert list(table.columns) == ["排名", "省（区、市）", "地级市", "县（市）"]
    expected = [
        [row["rank"], row["province"], row["prefecture"], row["name"] + ("★" if row["star"] == "1" else "")]
        for row in printed
    ]
    assert table.values.tolist() == expected
    workbook = pd.read_excel(exports / "published_2022_industrial_county.xlsx", sheet_name=None, dtype=str)
    assert list(workbook) == ["2022年工业百强县（市）"]
    assert workbook["2022年工业百强县（市）"].values.tolist() == expected
    districts = pd.read_csv(exports / "published_2024_industrial_district.csv", encoding="utf-8-sig", nrows=1)
    assert list(districts.columns)[-1] == "市辖区"


def test_computed_lists_say_they_are_synthetic(pipeline_run):
    exports = pipeline_run.published.parent / "exports"
    computed = sorted(p.name for p in exports.glob("computed*"))
    assert len(computed) == 2 * 3 * 3 and all(
        name.startswith("computed_synthetic_demo_") for name in computed
    )
    table = pd.read_csv(exports / "computed_synthetic_demo_2024_industrial_county.csv", encoding="utf-8-sig")
    assert len(table) == 100 and table["数据说明"].str.startswith("合成演示数据").all()


def test_dbt_docs_are_generated_beside_the_published_file(pipeline_run):
    docs = pipeline_run.published.parent / "docs"
    assert sorted(p.name for p in docs.iterdir()) == sorted(
        ["static_index.html", "index.html", "manifest.json", "catalog.json", ".fingerprint"]
    )
    catalog = json.loads((docs / "catalog.json").read_text(encoding="utf-8"))
    documented = {node["metadata"]["name"] for node in catalog["nodes"].values()}
    assert {"computed_rankings", "source_files", "published_rankings"} <= documented
    assert "computed_ranking_movements" in (docs / "static_index.html").read_text(encoding="utf-8")


def test_dbt_docs_are_regenerated_only_when_the_schema_or_manifest_changed(pipeline_run, tmp_path):
    """The fingerprint the site keeps is that of the warehouse it describes; a changed column comment (a
    schema change, no data change) changes it, so the next run regenerates the site."""
    from dagster_project.dbt_docs import FINGERPRINT, fingerprint
    from dagster_project.resources import WAREHOUSE_FILE
    from dagster_project.transform import dbt_project

    manifest = dbt_project().manifest_path
    kept = (pipeline_run.published.parent / "docs" / FINGERPRINT).read_text(encoding="utf-8")
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline_run.data_dir / WAREHOUSE_FILE, warehouse)
    assert fingerprint(manifest, warehouse) == kept
    with duckdb.connect(str(warehouse)) as con:
        con.execute("comment on column marts.computed_rankings.rank is 'another description'")
    assert fingerprint(manifest, warehouse) != kept
