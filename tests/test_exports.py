"""Exports: every mart as Parquet, the lists in the report's layout as CSV and XLSX."""

import csv
import json
import shutil

import duckdb
import openpyxl
import pandas as pd
import pytest

from dagster_project.resources import DEFAULT_DATA_DIR

pytestmark = pytest.mark.consistency  # the exports hold what the marts hold


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


@pytest.mark.independent
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


@pytest.mark.independent
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
    """The fingerprint the site keeps is that of the warehouse it describes, and a changed column comment (a
    schema change, no data change) changes it: the docs asset compares the two to decide whether to
    regenerate. Not exercised here: that decision, a changed manifest, and a data change alone leaving the
    fingerprint as it was."""
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


# The report's lists: each one's title (the sheet's name, after the edition) and its unit column's header.
LIST_TITLES = {
    "industrial_county": ("工业百强县（市）", "县（市）"),
    "innovation_county": ("创新百强县（市）", "县（市）"),
    "industrial_district": ("工业百强区", "市辖区"),
}
# (file stem's prefix, edition): the published editions (one ranking file each, <edition>_<list>.csv), and
# the editions computed from the demo panel's data years (edition = data year + 1), read from the bundled
# files the session run copies
RANKING_FILES = (DEFAULT_DATA_DIR / "reference" / "rankings").glob("*.csv")
PUBLISHED_EDITIONS = sorted({int(path.name[:4]) for path in RANKING_FILES})
DATA_YEARS = (DEFAULT_DATA_DIR / "raw" / "county_statistics").iterdir()
COMPUTED_EDITIONS = sorted(int(year.name) + 1 for year in DATA_YEARS)
LIST_EXPORTS = [("published", e, name) for e in PUBLISHED_EDITIONS for name in LIST_TITLES] + [
    ("computed_synthetic_demo", e, name) for e in COMPUTED_EDITIONS for name in LIST_TITLES
]


def in_report_layout(rows: list[tuple]) -> list[list]:
    """排名, 省（区、市）, 地级市, and the unit with ★ after it when it is the first (best-ranked) of its
    province in the list, decided here from the rows' own ranks and provinces."""
    seen, table = set(), []
    for rank, province, prefecture, name in sorted(rows):
        table.append([rank, province, prefecture, name + ("" if province in seen else "★")])
        seen.add(province)
    return table


@pytest.mark.independent
def test_the_exports_are_the_lists_of_each_edition(pipeline_run):
    exports = pipeline_run.published.parent / "exports"
    expected = {f"{kind}_{e}_{name}.{ext}" for kind, e, name in LIST_EXPORTS for ext in ("csv", "xlsx")}
    assert {p.name for p in exports.iterdir()} == expected


@pytest.mark.parametrize(("kind", "edition", "list_name"), LIST_EXPORTS, ids=lambda v: str(v))
def test_list_exports_hold_the_mart_rows_in_the_reports_layout(
    published, pipeline_run, kind, edition, list_name
):
    """The CSV (read with the csv module) and the XLSX (with openpyxl) of a list hold its 100 mart rows in
    rank order: the names and places as the report printed them for a published list, the unit's for a
    computed one, which also says in a last column that it is synthetic."""
    computed = kind != "published"
    mart = published.execute(
        "select rank, province, prefecture, name from marts.computed_rankings "
        "where edition_year = ? and list = ?"
        if computed
        else "select rank, province_printed, prefecture_printed, name from marts.published_rankings "
        "where edition_year = ? and list = ?",
        [edition, list_name],
    ).fetchall()
    assert len(mart) == 100
    expected = in_report_layout(mart)
    assert [row[0] for row in expected] == list(range(1, 101))
    title, unit_column = LIST_TITLES[list_name]
    header = ["排名", "省（区、市）", "地级市", unit_column] + (["数据说明"] if computed else [])
    path = pipeline_run.published.parent / "exports" / f"{kind}_{edition}_{list_name}"

    with path.with_suffix(".csv").open(encoding="utf-8-sig", newline="") as f:
        csv_rows = list(csv.reader(f))
    with path.with_suffix(".csv").open("rb") as f:
        assert f.read(3) == b"\xef\xbb\xbf", "UTF-8 with BOM, for Excel"
    workbook = openpyxl.load_workbook(path.with_suffix(".xlsx"), read_only=True)
    assert workbook.sheetnames == [f"{edition}年{title}"]
    xlsx_rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()

    for rows, rank in ((csv_rows, str), (xlsx_rows, int)):
        assert rows[0] == header
        assert [[rank(r[0]), *r[1:4]] for r in rows[1:]] == [[rank(e[0]), *e[1:]] for e in expected]
        if computed:
            notes = {r[4] for r in rows[1:]}
            assert len(notes) == 1 and notes.pop().startswith("合成演示数据")
        assert all(len(r) == len(header) for r in rows)
