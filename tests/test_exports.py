"""Exports: every mart as Parquet; the marts an analyst cites as a workbook per edition, a CSV per sheet."""

import csv
import functools
import json
import shutil
import unicodedata

import duckdb
import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter

from dagster_project.exports import INPUTS_FILE, export_workbooks, load_layout
from dagster_project.publish import current_snapshot
from dagster_project.resources import DEFAULT_DATA_DIR
from tests.conftest import copied_data_years

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


def test_a_parquet_file_carries_its_marts_documentation_and_synthetic_label(published, pipeline_run):
    """Read with pyarrow, not DuckDB: a reader of the Parquet alone finds the mart's description, each
    column's, and whether its rows are the demo panel's (all of them for the computed lists, with the
    bundled data; published_rankings has no such flag: real)."""
    import pyarrow.parquet as pq

    def metadata(table: str) -> dict[str, str]:
        found = pq.read_schema(pipeline_run.published.parent / "parquet" / f"{table}.parquet").metadata
        return {key.decode(): value.decode() for key, value in found.items() if key.startswith(b"county_")}

    computed, printed = metadata("computed_rankings"), metadata("published_rankings")
    [(description,)] = published.execute(
        "select comment from duckdb_tables() where table_name = 'computed_rankings'"
    ).fetchall()
    assert computed["county_industry.description"] == description and description.startswith("计算榜单")
    assert computed["county_industry.synthetic"] == "all rows"
    columns = json.loads(printed["county_industry.columns"])
    assert columns["tier"].startswith("梯队. ") and list(columns)[:3] == ["edition_year", "list", "rank"]
    assert "county_industry.synthetic" not in printed


def sheet_rows(path, sheet_name: str) -> list[list]:
    """The rows of a workbook's sheet, read with openpyxl: title, source, header, then the data."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = [list(row) for row in workbook[sheet_name].iter_rows(values_only=True)]
    workbook.close()
    return rows


@pytest.mark.independent
def test_published_lists_follow_the_reports_table_layout(pipeline_run):
    exports = pipeline_run.published.parent / "exports"
    reference = DEFAULT_DATA_DIR / "reference" / "rankings" / "2022_industrial_county.csv"
    with reference.open(encoding="utf-8") as f:
        printed = list(csv.DictReader(f))
    table = pd.read_csv(exports / "published_2022.industrial_county.csv", encoding="utf-8-sig", dtype=str)
    assert list(table.columns) == ["排名", "省（区、市）", "地级市", "县（市）"]
    expected = [
        [row["rank"], row["province"], row["prefecture"], row["name"] + ("★" if row["star"] == "1" else "")]
        for row in printed
    ]
    assert table.values.tolist() == expected
    rows = sheet_rows(exports / "published_2022.xlsx", "表1 工业百强县（市）")
    assert rows[:3] == [
        ["2022年版 表1 工业百强县（市）", None, None, None],
        ["资料来源：《县域工业经济发展报告》2022年版，表1", None, None, None],
        ["排名", "省（区、市）", "地级市", "县（市）"],
    ]
    assert [[str(row[0]), *row[1:]] for row in rows[3:]] == expected
    districts = pd.read_csv(exports / "published_2024.industrial_district.csv", encoding="utf-8-sig", nrows=1)
    assert list(districts.columns)[-1] == "市辖区"


@pytest.mark.independent
def test_computed_lists_say_they_are_synthetic(pipeline_run):
    exports = pipeline_run.published.parent / "exports"
    computed = sorted(p.name for p in exports.glob("computed*.xlsx"))
    assert computed == [f"computed_synthetic_demo_{e}.xlsx" for e in COMPUTED_EDITIONS]
    path = exports / "computed_synthetic_demo_2024.industrial_county.csv"
    table = pd.read_csv(path, encoding="utf-8-sig")
    assert len(table) == 100 and table["数据说明"].str.startswith("合成演示数据").all()
    source = sheet_rows(exports / "computed_synthetic_demo_2024.xlsx", "工业百强县（市）")[1][0]
    assert "2023年县域统计数据" in source and "数据说明：合成演示数据" in source


def test_dbt_docs_are_published_with_the_snapshot(pipeline_run):
    docs = pipeline_run.published.parent / "docs"
    current = current_snapshot(pipeline_run.published).path
    assert docs.is_symlink() and docs.resolve() == (current / "docs").resolve()
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
    from dagster_project.resources import DBT_MANIFEST, WAREHOUSE_FILE

    kept = (pipeline_run.published.parent / "docs" / FINGERPRINT).read_text(encoding="utf-8")
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline_run.data_dir / WAREHOUSE_FILE, warehouse)
    assert fingerprint(DBT_MANIFEST, warehouse) == kept
    with duckdb.connect(str(warehouse)) as con:
        con.execute("comment on column marts.computed_rankings.rank is 'another description'")
    assert fingerprint(DBT_MANIFEST, warehouse) != kept


# The report's lists: each one's title (the sheet's name, after its table number in a published workbook)
# and its unit column's header.
LIST_TITLES = {
    "industrial_county": ("表1", "工业百强县（市）", "县（市）"),
    "innovation_county": ("表2", "创新百强县（市）", "县（市）"),
    "industrial_district": ("表3", "工业百强区", "市辖区"),
}
# (workbook's prefix, edition): the published editions (one ranking file each, <edition>_<list>.csv), and
# the editions computed from the demo panel's data years (edition = data year + 1), those of the bundled
# files the session run copies
RANKING_FILES = (DEFAULT_DATA_DIR / "reference" / "rankings").glob("*.csv")
PUBLISHED_EDITIONS = sorted({int(path.name[:4]) for path in RANKING_FILES})
COMPUTED_EDITIONS = [year + 1 for year in copied_data_years()]
WORKBOOKS = [("published", e) for e in PUBLISHED_EDITIONS] + [
    ("computed_synthetic_demo", e) for e in COMPUTED_EDITIONS
]
LIST_EXPORTS = [(kind, e, name) for kind, e in WORKBOOKS for name in LIST_TITLES]


def in_report_layout(rows: list[tuple]) -> list[list]:
    """排名, 省（区、市）, 地级市, and the unit with ★ after it when it is the first (best-ranked) of its
    province in the list, decided here from the rows' own ranks and provinces."""
    seen, table = set(), []
    for rank, province, prefecture, name in sorted(rows):
        table.append([rank, province, prefecture, name + ("" if province in seen else "★")])
        seen.add(province)
    return table


@pytest.mark.independent
def test_the_exports_are_a_workbook_per_edition_with_its_sheets_beside_it(pipeline_run):
    """<workbook>.xlsx for each published and computed edition and, beside it, <workbook>.<sheet>.csv for
    each of its sheets (the lists' named by their ids); and the workbooks' keys; nothing else."""
    exports = pipeline_run.published.parent / "exports"
    files = sorted(p.name for p in exports.iterdir() if p.name != INPUTS_FILE)
    assert (exports / INPUTS_FILE).is_file()
    assert [f for f in files if f.endswith(".xlsx")] == sorted(f"{kind}_{e}.xlsx" for kind, e in WORKBOOKS)
    csvs = [f.split(".") for f in files if not f.endswith(".xlsx")]
    assert all(len(parts) == 3 and parts[2] == "csv" for parts in csvs) and len(csvs) == len(files) - len(
        WORKBOOKS
    )
    for kind, edition in WORKBOOKS:
        sheets = [sheet for stem, sheet, _ in csvs if stem == f"{kind}_{edition}"]
        workbook = openpyxl.load_workbook(exports / f"{kind}_{edition}.xlsx", read_only=True)
        assert len(workbook.sheetnames) == len(sheets) and set(LIST_TITLES) <= set(sheets)
        workbook.close()


@pytest.mark.parametrize(("kind", "edition", "list_name"), LIST_EXPORTS, ids=lambda v: str(v))
def test_list_exports_hold_the_mart_rows_in_the_reports_layout(
    published, pipeline_run, kind, edition, list_name
):
    """The CSV (read with the csv module) and the sheet (with openpyxl) of a list hold its 100 mart rows in
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
    table, title, unit_column = LIST_TITLES[list_name]
    header = ["排名", "省（区、市）", "地级市", unit_column] + (["数据说明"] if computed else [])
    folder = pipeline_run.published.parent / "exports"
    path = folder / f"{kind}_{edition}.{list_name}.csv"

    with path.open(encoding="utf-8-sig", newline="") as f:
        csv_rows = list(csv.reader(f))
    with path.open("rb") as f:
        assert f.read(3) == b"\xef\xbb\xbf", "UTF-8 with BOM, for Excel"
    sheet = title if computed else f"{table} {title}"
    xlsx_rows = sheet_rows(folder / f"{kind}_{edition}.xlsx", sheet)[2:]

    for rows, rank in ((csv_rows, str), (xlsx_rows, int)):
        assert rows[0] == header
        assert [[rank(r[0]), *r[1:4]] for r in rows[1:]] == [[rank(e[0]), *e[1:]] for e in expected]
        if computed:
            notes = {r[4] for r in rows[1:]}
            assert len(notes) == 1 and notes.pop().startswith("合成演示数据")
        assert all(len(r) == len(header) for r in rows)


NUMERIC_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE"}


def cjk_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def comparable(rows: list[list]) -> list[list]:
    """Cells of a CSV or a sheet alike: numbers as floats (openpyxl reads 0.0 back as 0), the rest as text,
    an empty cell as ""."""

    def one(value):
        text = "" if value is None else str(value)
        try:
            return float(text)
        except ValueError:
            return text

    return [[one(value) for value in row] for row in rows]


@functools.cache  # read once per module run: each of the session's workbooks takes a second to load
def read_workbook(path) -> dict[str, tuple[openpyxl.worksheet.worksheet.Worksheet, list[list]]]:
    workbook = openpyxl.load_workbook(path)
    return {page.title: (page, [list(r) for r in page.iter_rows(values_only=True)]) for page in workbook}


@pytest.mark.independent
@pytest.mark.parametrize(("kind", "edition"), WORKBOOKS, ids=lambda v: str(v))
def test_every_sheet_reads_back_with_its_layout_and_its_csv(pipeline_run, kind, edition):
    """Every sheet, read with openpyxl: a title row naming the edition, a 资料来源 row (saying 合成演示数据
    in a computed workbook), the header frozen under them, each column wider than its header (a CJK
    character counting two), and one CSV beside it with BOM holding its header and rows."""
    folder = pipeline_run.published.parent / "exports"
    csvs = {}
    for path in sorted(folder.glob(f"{kind}_{edition}.*.csv")):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path
        with path.open(encoding="utf-8-sig", newline="") as f:
            csvs[path.stem] = list(csv.reader(f))
    sheets = read_workbook(folder / f"{kind}_{edition}.xlsx")
    assert len(sheets) == len(csvs)
    for name, (page, (title, source, header, *data)) in sheets.items():
        assert f"{edition}年" in title[0] and source[0].startswith("资料来源："), name
        assert kind == "published" or "合成演示数据" in source[0], name
        assert page.freeze_panes == "A4", name
        for index, text in enumerate(header, start=1):
            width = page.column_dimensions[get_column_letter(index)].width
            assert cjk_width(text) < width <= 60, (name, text, width)
        matching = [stem for stem, rows in csvs.items() if comparable(rows) == comparable([header, *data])]
        assert len(matching) == 1, f"{kind}_{edition}.xlsx, {name}: {len(matching)} CSV files hold its rows"


def mart_sheets() -> list[tuple[str, int, str, tuple[str, ...]]]:
    """(workbook, edition, mart, columns left out) of every sheet of one mart's rows (not the lists)."""
    layout = load_layout()
    return [
        (f"{kind}_{edition}", edition, sheet.mart, (*layout.omit, *sheet.omit))
        for book in layout.workbooks
        for sheet in book.sheets
        if not sheet.lists
        for kind, edition in WORKBOOKS
        if kind.startswith(book.name)
    ]


@pytest.mark.consistency
@pytest.mark.parametrize(
    ("workbook", "edition", "mart", "omitted"),
    [pytest.param(*sheet, id=f"{sheet[0]}.{sheet[2]}") for sheet in mart_sheets()],
)
def test_a_marts_sheet_holds_its_rows_of_the_edition_numbers_as_numbers(
    published, pipeline_run, workbook, edition, mart, omitted
):
    """The mart's rows of the edition (every row when it has no edition_year), its numeric columns as
    numbers in the same order; a mart with no row in the edition has no sheet."""
    columns = [
        (name, data_type)
        for name, data_type in published.execute(
            "select column_name, data_type from duckdb_columns() where schema_name = 'marts' "
            "and table_name = ? order by column_index",
            [mart],
        ).fetchall()
        if name not in omitted
    ]
    edition_filter = "where edition_year = ? " if "edition_year" in dict(columns) else ""
    selected = ", ".join(f'"{name}"' for name, _ in columns)
    expected = published.execute(
        f'select {selected} from marts."{mart}" {edition_filter}order by all',
        [edition] if edition_filter else [],
    ).fetchall()
    path = pipeline_run.published.parent / "exports" / f"{workbook}.{mart}.csv"
    if not expected:
        assert not path.exists()
        return
    with path.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    assert len(header) == len(columns) and len(rows) == len(expected)
    sheets = read_workbook(path.parent / f"{workbook}.xlsx")
    [data] = [d[3:] for _, d in sheets.values() if comparable(d[2:]) == comparable([header, *rows])]
    numeric = [i for i, (_, data_type) in enumerate(columns) if data_type in NUMERIC_TYPES]
    for index in numeric:
        cells = [row[index] for row in data]
        assert all(type(c) in (int, float) for c in cells if c is not None), (mart, columns[index][0])
        for got, mart_value in zip(cells, (row[index] for row in expected), strict=True):
            # Excel keeps 15 significant digits
            close = None not in (got, mart_value) and got == pytest.approx(mart_value, rel=1e-14)
            assert got == mart_value or close, (mart, columns[index][0])


@pytest.mark.consistency
def test_the_published_exports_are_the_bytes_a_second_export_gives(pipeline_run, tmp_path):
    published = pipeline_run.published.parent / "exports"
    again = tmp_path / "exports"
    export_workbooks(pipeline_run.published, again, pipeline_run.published.parent / "parquet")
    files = sorted(p.relative_to(published) for p in published.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert [f for f in files if (published / f).read_bytes() != (again / f).read_bytes()] == []


@pytest.mark.independent
def test_a_mart_missing_from_the_published_file_is_named(pipeline_run, tmp_path):
    copy = tmp_path / "county_industry.duckdb"
    shutil.copy(pipeline_run.published, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("drop table marts.published_100bn_clusters")
    with pytest.raises(ValueError, match=r"exports marts\.published_100bn_clusters, which .* does not have"):
        export_workbooks(copy, tmp_path / "exports", pipeline_run.published.parent / "parquet")


@pytest.mark.consistency
def test_every_code_the_layout_shows_in_chinese_is_one_a_sheet_holds(published):
    """config/workbooks.yaml, values: each code is a value of its column in some mart the layout exports."""
    layout = load_layout()
    held = {
        (column, value)
        for mart in layout.marts()
        for (column,) in published.execute(
            "select column_name from duckdb_columns() where schema_name = 'marts' and table_name = ?", [mart]
        ).fetchall()
        if column in layout.values
        for (value,) in published.execute(f'select distinct "{column}" from marts."{mart}"').fetchall()
    }
    listed = {(column, code) for column, codes in layout.values.items() for code in codes}
    assert sorted(listed - held) == []


@pytest.mark.consistency
def test_every_code_of_a_column_shown_in_chinese_has_its_chinese(published):
    """README, Exports: codes shown in Chinese. Every value of a column the layout translates (config/
    workbooks.yaml `values`, and `measure`) in every mart the layout exports has a Chinese name: a new code
    with none (the shares' measures, the clusters' universe and certainty once were) is named here."""
    layout = load_layout()
    untranslated = sorted(
        (mart, column, value)
        for mart in layout.marts()
        for (column,) in published.execute(
            "select column_name from duckdb_columns() where schema_name = 'marts' and table_name = ?", [mart]
        ).fetchall()
        if column in layout.values or column == "measure"
        for (value,) in published.execute(f'select distinct "{column}" from marts."{mart}"').fetchall()
        if value is not None
        and value not in layout.values.get(column, {})
        and not (column == "measure" and value in layout.measures)
    )
    assert untranslated == []
