"""The workbook writer (dagster_project/exports.py, lib/xlsx.py) on a small DuckDB file made here by hand,
read back with openpyxl and the csv module; and the layout (config/workbooks.yaml) against the marts' yml."""

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest
import yaml

from dagster_project.demo import SYNTHETIC_LIST_NOTE
from dagster_project.exports import (
    INPUTS_FILE,
    WORKBOOK_LAYOUT,
    cell,
    chinese_label,
    export_parquet,
    export_workbooks,
    load_layout,
)
from dagster_project.lib.xlsx import FIXED_TIME, display_width
from dagster_project.resources import DBT_PROJECT_DIR

pytestmark = pytest.mark.independent  # expected cells, names and widths written out by hand below

LAYOUT = {
    "report": "《报告》{edition}年版",
    "omit": ["source_files"],
    "headers": {"share": "占比", "synthetic": "数据说明", "counts.stated": "报告值"},
    "values": {"movement": {"entered": "新进"}},
    "workbooks": [
        {
            "name": "published",
            "editions_of": "published_rankings",
            "title": "{edition}年版 {sheet}",
            "sheets": [
                {"mart": "published_rankings", "lists": "as_printed"},
                {"mart": "counts", "source": "{report}，表1，按省统计", "numbers_in_text": ["stated"]},
            ],
        },
        {
            "name": "computed",
            "editions_of": "computed_rankings",
            "title": "{edition}年 计算 {sheet}（{data_year}年数据）",
            "source": "本项目计算（{data_year}年数据）",
            "sheets": [{"mart": "computed_rankings", "lists": "as_computed"}],
        },
    ],
}

MARTS = """
create schema marts;
create table marts.published_rankings (edition_year integer, list varchar, rank integer, name varchar,
    province varchar, prefecture varchar, province_printed varchar, prefecture_printed varchar, star integer,
    source_files varchar[]);
insert into marts.published_rankings values
    (2022, 'industrial_county', 2, '江阴市', '江苏省', '无锡市', '江苏', '无锡', 0, ['a.csv']),
    (2022, 'industrial_county', 1, '昆山市', '江苏省', '苏州市', '江苏', '苏州', 1, ['a.csv']),
    (2022, 'industrial_county', 3, '晋江市', '福建省', '泉州市', '福建', '泉州', 1, ['a.csv']),
    (2024, 'industrial_county', 1, '昆山市', '江苏省', '苏州市', '江苏省', '苏州市', 1, ['b.csv']);
comment on column marts.published_rankings.rank is '排名, 1-100.';
comment on column marts.published_rankings.province_printed is '省（区、市） exactly as printed.';
comment on column marts.published_rankings.prefecture_printed is '地级市 exactly as printed.';
create table marts.counts (edition_year integer, list varchar, province varchar, unit_count bigint,
    share double, stated varchar, source_files varchar[]);
comment on table marts.counts is '各省入围数量. Units of each list by province.';
comment on column marts.counts.edition_year is '报告年份.';
comment on column marts.counts.list is '榜单.';
comment on column marts.counts.province is '省（区、市）, full official name.';
comment on column marts.counts.unit_count is '入围数量, units of the list in the province.';
comment on column marts.counts.share is 'Share of the list (0-1).';
comment on column marts.counts.stated is '数量 as the edition states it.';
insert into marts.counts values
    (2022, 'industrial_county', '福建省', 1, 1 / 3, '1-3', []),
    (2022, 'industrial_county', '江苏省', 2, 0.5, '2', []),
    (2024, 'industrial_county', '江苏省', 1, 1.0, '1', []);
create table marts.computed_rankings (edition_year integer, data_year integer, list varchar, rank bigint,
    name varchar, province varchar, prefecture varchar, star integer, synthetic boolean);
comment on column marts.computed_rankings.rank is '排名 1-100.';
comment on column marts.computed_rankings.province is '省（区、市）.';
comment on column marts.computed_rankings.prefecture is '地级市.';
insert into marts.computed_rankings values
    (2024, 2023, 'industrial_county', 1, '嘉善县', '浙江省', '嘉兴市', 1, true);
"""


@pytest.fixture
def published(tmp_path: Path) -> Path:
    path = tmp_path / "published.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(MARTS)
    return path


def layout_file(tmp_path: Path, **changes) -> Path:
    path = tmp_path / "workbooks.yaml"
    path.write_text(yaml.safe_dump({**LAYOUT, **changes}, allow_unicode=True), encoding="utf-8")
    return path


def export(published: Path, tmp_path: Path, folder: str = "exports", **changes) -> Path:
    return exported(published, tmp_path, folder, **changes)[0]


def exported(
    published: Path, tmp_path: Path, folder: str, previous: Path | None = None, **changes
) -> tuple[Path, list[str]]:
    """The exports folder, and the workbooks written anew (not linked from previous)."""
    target, parquet = tmp_path / folder, tmp_path / f"{folder}.parquet"
    export_parquet(published, parquet)
    _, made = export_workbooks(published, target, parquet, previous, layout_file(tmp_path, **changes))
    return target, made


def sheet_rows(path: Path) -> dict[str, list[list]]:
    book = openpyxl.load_workbook(path)
    try:
        return {page.title: [list(row) for row in page.iter_rows(values_only=True)] for page in book}
    finally:
        book.close()


def test_each_workbook_and_sheet_is_where_the_layout_puts_it(published, tmp_path):
    target = export(published, tmp_path)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        "computed_synthetic_demo_2024.industrial_county.csv",
        "computed_synthetic_demo_2024.xlsx",
        "published_2022.counts.csv",
        "published_2022.industrial_county.csv",
        "published_2022.xlsx",
        "published_2024.counts.csv",
        "published_2024.industrial_county.csv",
        "published_2024.xlsx",
        INPUTS_FILE,
    ]
    assert openpyxl.load_workbook(target / "published_2022.xlsx").sheetnames == [
        "表1 工业百强县（市）",
        "各省入围数量",
    ]


def test_a_sheet_has_a_title_a_source_row_chinese_headers_and_numbers_as_numbers(published, tmp_path):
    sheets = sheet_rows(export(published, tmp_path) / "published_2022.xlsx")
    listed, counted = sheets["表1 工业百强县（市）"], sheets["各省入围数量"]
    assert listed == [
        ["2022年版 表1 工业百强县（市）", None, None, None],
        ["资料来源：《报告》2022年版，表1", None, None, None],
        ["排名", "省（区、市）", "地级市", "县（市）"],
        [1, "江苏", "苏州", "昆山市★"],
        [2, "江苏", "无锡", "江阴市"],
        [3, "福建", "泉州", "晋江市★"],
    ]
    assert counted == [
        ["2022年版 各省入围数量", None, None, None, None, None],
        ["资料来源：《报告》2022年版，表1，按省统计", None, None, None, None, None],
        ["报告年份", "榜单", "省（区、市）", "入围数量", "占比", "报告值"],
        [2022, "工业百强县（市）", "江苏省", 2, 0.5, 2],
        [2022, "工业百强县（市）", "福建省", 1, 0.333333333333333, "1-3"],  # Excel's 15 digits
    ]
    assert all(type(row[3]) is int and type(row[4]) is float for row in counted[3:])


def test_the_header_is_frozen_and_columns_fit_their_widest_cell(published, tmp_path):
    book = openpyxl.load_workbook(export(published, tmp_path) / "published_2022.xlsx")
    listed, counted = book["表1 工业百强县（市）"], book["各省入围数量"]
    assert listed.freeze_panes == counted.freeze_panes == "A4"
    # widest cell + 2, a CJK character counting 2: 排名 4; 省（区、市） 12; 地级市 6; 县（市） 8
    assert [listed.column_dimensions[c].width for c in "ABCD"] == [6, 14, 8, 10]
    # 报告年份 8; 工业百强县（市） 16; 省（区、市） 12; 入围数量 8; 0.3333333333 12 (as Excel shows it);
    # 报告值 6
    assert [counted.column_dimensions[c].width for c in "ABCDEF"] == [10, 18, 14, 10, 14, 8]


def test_each_sheet_is_also_a_csv_with_bom_and_the_same_headers_and_rows(published, tmp_path):
    path = export(published, tmp_path) / "published_2022.counts.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["报告年份", "榜单", "省（区、市）", "入围数量", "占比", "报告值"],
            ["2022", "工业百强县（市）", "江苏省", "2", "0.5", "2"],
            ["2022", "工业百强县（市）", "福建省", "1", "0.333333333333333", "1-3"],
        ]


def test_computed_lists_from_the_demo_panel_say_so_in_the_name_source_row_and_a_column(published, tmp_path):
    target = export(published, tmp_path)
    assert sheet_rows(target / "computed_synthetic_demo_2024.xlsx") == {
        "工业百强县（市）": [
            ["2024年 计算 工业百强县（市）（2023年数据）", None, None, None, None],
            [f"资料来源：本项目计算（2023年数据）；数据说明：{SYNTHETIC_LIST_NOTE}", None, None, None, None],
            ["排名", "省（区、市）", "地级市", "县（市）", "数据说明"],
            [1, "浙江省", "嘉兴市", "嘉善县★", SYNTHETIC_LIST_NOTE],
        ]
    }


@pytest.mark.consistency
def test_the_same_inputs_give_the_same_bytes(published, tmp_path):
    first, second = export(published, tmp_path, "first"), export(published, tmp_path, "second")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    with zipfile.ZipFile(io.BytesIO((first / "published_2022.xlsx").read_bytes())) as book:
        assert {entry.date_time for entry in book.infolist()} == {FIXED_TIME.timetuple()[:6]}


def inodes(folder: Path, prefix: str) -> dict[str, int]:
    """The workbooks' files (not their keys) by name, and their inodes."""
    return {p.name: p.stat().st_ino for p in folder.glob(f"{prefix}*") if p.name != INPUTS_FILE}


def test_unchanged_inputs_link_the_workbooks_and_a_changed_mart_rewrites_its_own(published, tmp_path):
    first, made = exported(published, tmp_path, "first")
    assert made == ["published", "computed"]
    again, made = exported(published, tmp_path, "again", previous=first)
    assert made == []
    assert inodes(again, "") == inodes(first, "")  # the same files, linked

    with duckdb.connect(str(published)) as con:  # a mart of the computed workbook only
        con.execute("update marts.computed_rankings set name = '嘉善县（改）'")
    changed, made = exported(published, tmp_path, "changed", previous=again)
    assert made == ["computed"]
    assert inodes(changed, "published") == inodes(first, "published")
    assert inodes(changed, "computed").keys() == inodes(first, "computed").keys()
    assert set(inodes(changed, "computed").values()).isdisjoint(inodes(first, "computed").values())
    rows = sheet_rows(changed / "computed_synthetic_demo_2024.xlsx")["工业百强县（市）"]
    assert "嘉善县（改）★" in rows[3]


def test_a_changed_description_a_changed_layout_or_a_file_gone_rewrites_the_workbook(published, tmp_path):
    """A header is a column's description, kept in the DuckDB file but not in the Parquet: it is an input."""
    first, _ = exported(published, tmp_path, "first")
    with duckdb.connect(str(published)) as con:
        con.execute("comment on column marts.counts.unit_count is '上榜数量, units of the list.'")
    described, made = exported(published, tmp_path, "described", previous=first)
    assert made == ["published"]
    assert "上榜数量" in sheet_rows(described / "published_2022.xlsx")["各省入围数量"][2]
    relaid, made = exported(published, tmp_path, "relaid", previous=described, report="《报告》{edition}")
    assert made == ["published", "computed"]
    (relaid / "computed_synthetic_demo_2024.industrial_county.csv").unlink()
    _, made = exported(published, tmp_path, "again", previous=relaid, report="《报告》{edition}")
    assert made == ["computed"]


def test_a_mart_missing_from_the_published_file_is_named(published, tmp_path):
    with duckdb.connect(str(published)) as con:
        con.execute("drop table marts.counts")
    with pytest.raises(ValueError, match=r"exports marts\.counts, which .*published\.duckdb does not have"):
        export(published, tmp_path)
    assert not (tmp_path / "exports").exists()


def test_a_column_without_a_chinese_header_is_named(published, tmp_path):
    headers = {"synthetic": "数据说明", "counts.stated": "报告值"}
    with pytest.raises(ValueError, match=r"marts\.counts\.share has no Chinese header"):
        export(published, tmp_path, headers=headers)


def test_two_columns_with_one_header_are_refused(published, tmp_path):
    headers = {"share": "占比", "synthetic": "数据说明"}  # stated is then 数量, as unit_count is not
    export(published, tmp_path, "unique", headers=headers)
    with pytest.raises(ValueError, match=r"marts\.counts: columns share the headers \['占比'\]"):
        export(published, tmp_path, headers={**headers, "counts.stated": "占比"})


def test_a_list_layout_other_than_as_printed_or_as_computed_is_refused(published, tmp_path):
    books = [{**LAYOUT["workbooks"][1], "sheets": [{"mart": "computed_rankings", "lists": True}]}]
    with pytest.raises(ValueError, match=r"lists is one of .*, not True \(computed_rankings\)"):
        export(published, tmp_path, workbooks=books)


@pytest.mark.parametrize(
    ("description", "label"),
    [
        ("报告年份, the edition (2022, 2024).", "报告年份"),
        ("省（区、市）, full official name.", "省（区、市）"),
        ("县（市）or 市辖区, the name as printed.", "县（市）"),
        ("★, 1 where the table marks the unit.", "★"),
        ("名称。", "名称"),
        ("The unit's name in the current code table.", None),
        (None, None),
    ],
)
def test_the_chinese_label_is_what_a_description_begins_with(description, label):
    assert chinese_label(description) == label


@pytest.mark.parametrize(
    ("value", "column", "shown"),
    [
        ("industrial_district", "list", "工业百强区"),
        (True, "synthetic", "note"),
        (False, "synthetic", None),
        ("0.30000000000000004", "stated", 0.3),  # a number in text, to Excel's 15 digits
        ("12", "stated", 12),
        ("1-6", "stated", "1-6"),
        ("12", "adcode", "12"),  # not a column of numbers in text: stays text
        (Decimal("2.0"), "unit_count", 2),
        (2 / 3, "share", 0.666666666666667),
        (["a.csv", "b.csv"], "files", "a.csv、b.csv"),
        ("entered", "movement", "新进"),
        ("arrived", "movement", "arrived"),  # a code the layout does not list: as it is
        ("entered", "status", "entered"),  # a code of another column
    ],
)
def test_a_marts_value_is_shown_as_an_analyst_reads_it(tmp_path, value, column, shown):
    layout = load_layout(layout_file(tmp_path))
    sheet = layout.workbooks[0].sheets[1]  # counts: numbers_in_text [stated]
    assert cell(value, column, sheet, layout, "note") == shown
    assert type(cell(value, column, sheet, layout, "note")) is type(shown)


def test_a_cjk_character_takes_two_widths_and_a_float_the_digits_excel_shows():
    values = ("ab", "昆山市", "省（区、市）", "★", 0.25, 2 / 3, 12, None)
    assert [display_width(v) for v in values] == [2, 6, 12, 2, 4, 12, 2, 0]


def mart_descriptions() -> dict[str, dict[str, str | None]]:
    """Each mart's column descriptions, read from the yml files of dbt/models/marts."""
    found = {}
    for path in sorted((DBT_PROJECT_DIR / "models" / "marts").rglob("*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            found[model["name"]] = {c["name"]: c.get("description") for c in model.get("columns", [])}
    return found


@pytest.mark.consistency
def test_every_header_the_layout_gives_is_needed():
    """A header by column serves a column whose description begins with no Chinese label; one by
    mart.column replaces a label with another. Neither is a second copy of a description's label."""
    layout, described = load_layout(), mart_descriptions()
    exported = {
        (sheet.mart, column): description
        for book in layout.workbooks
        for sheet in book.sheets
        for column, description in described[sheet.mart].items()
        if column not in (*layout.omit, *sheet.omit)
    }
    unlabelled = {column for (_, column), description in exported.items() if not chinese_label(description)}
    for key, header in layout.headers.items():
        mart, _, column = key.rpartition(".")
        if mart:
            assert (mart, column) in exported, f"{WORKBOOK_LAYOUT.name}: {key} is not exported"
            assert chinese_label(exported[mart, column]) != header, f"{key} repeats its description's label"
        else:
            assert column in unlabelled, f"{WORKBOOK_LAYOUT.name}: headers.{key} serves no column"
