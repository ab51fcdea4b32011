"""Exports for people without DuckDB: every mart as Parquet, and the marts an analyst cites as Excel
workbooks, one per edition, each sheet also as CSV.

Both are written into the snapshot being written, from its DuckDB file, and published with it
(publish.py): a reader never finds half an export, nor an export of other data than the DuckDB file. Which
mart goes in which workbook and sheet is config/workbooks.yaml; the headers are the Chinese labels the
marts' column descriptions begin with (kept in the DuckDB file as column comments).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import yaml

from dagster_project.demo import SYNTHETIC_LIST_NOTE, SYNTHETIC_STATISTICS_NOTE
from dagster_project.lib import registry, reuse
from dagster_project.lib.provenance import sha256_of
from dagster_project.lib.sql import literal
from dagster_project.lib.xlsx import Cell, Sheet, write_workbook
from dagster_project.raw.contract import Contract
from dagster_project.resources import PROJECT_DIR, RAW_STATISTICS_CONTRACT

WORKBOOK_LAYOUT = PROJECT_DIR / "config" / "workbooks.yaml"
INPUTS_FILE = "workbook_inputs.json"  # in the snapshot's exports/: each workbook's key and its files
# What the workbooks are written with besides the marts and the layout: the code, and the notes it prints.
EXPORTING_CODE = (
    "dagster_project/exports.py",
    "dagster_project/lib/*.py",
    "dagster_project/demo/__init__.py",
    # and what the sheets' Chinese is read from besides the layout: list titles, measures' names
    "dbt/seeds/ranking_lists.csv",
    "dbt/seeds/claim_measures.csv",
    "config/raw_statistics.yaml",
)
SYNTHETIC_COLUMNS = ("synthetic", "computed_synthetic")  # true where a row comes from the demo panel
# A description's leading Chinese label: CJK characters, full-width forms and symbols (★), up to the first
# ASCII character ("报告年份, the edition" gives 报告年份).
_LABEL = re.compile(r"[\u2460-\u27bf\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


PARQUET_METADATA = "county_industry."  # the prefix of the keys each Parquet file's metadata holds


def export_parquet(published: Path, target: Path) -> dict[str, int]:
    """Every mart as target/<mart>.parquet (a new folder inside a snapshot being written), with what the
    DuckDB file documents of it in the file's key-value metadata, for readers of the Parquet alone."""
    target.mkdir()
    counts = {}
    with duckdb.connect(str(published), read_only=True) as con:
        for table in marts_in(con):
            path = target / f"{table}.parquet"
            metadata = ", ".join(
                f"{literal(k)}: {literal(v)}" for k, v in parquet_metadata(con, table).items()
            )
            con.execute(
                f'copy (select * from marts."{table}") to {literal(path.as_posix())} '
                f"(format parquet, kv_metadata {{{metadata}}})"
            )
            counts[table] = con.execute(f'select count(*) from marts."{table}"').fetchone()[0]
    return counts


def parquet_metadata(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """The mart's description, its columns' (JSON), and where it has a `synthetic` flag whether all, some
    or none of its rows come from the synthetic demo panel."""
    [description] = con.execute(
        "select comment from duckdb_tables() where schema_name = 'marts' and table_name = ?", [table]
    ).fetchone()
    columns = dict(
        con.execute(
            "select column_name, comment from duckdb_columns() "
            "where schema_name = 'marts' and table_name = ? order by column_index",
            [table],
        ).fetchall()
    )
    metadata = {"description": description or "", "columns": json.dumps(columns, ensure_ascii=False)}
    if "synthetic" in columns:
        every, some = con.execute(
            f'select bool_and(synthetic), bool_or(synthetic) from marts."{table}"'
        ).fetchone()
        metadata["synthetic"] = "all rows" if every else "some rows" if some else "no row"
    return {PARQUET_METADATA + key: value for key, value in metadata.items()}


def marts_in(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        t
        for (t,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
    ]


def chinese_label(description: str | None) -> str | None:
    """The Chinese label a description begins with, or None."""
    found = _LABEL.match(description or "")
    return found.group().rstrip("，。、；：") if found else None


@dataclass(frozen=True)
class SheetLayout:
    mart: str
    lists: str | None = None  # one of LIST_LAYOUTS: one sheet per list, in the report's layout
    title: str | None = None
    table: str | None = None
    source: str | None = None
    omit: tuple[str, ...] = ()
    numbers_in_text: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkbookLayout:
    name: str
    editions_of: str
    title: str
    source: str | None
    sheets: tuple[SheetLayout, ...]

    def marts(self) -> list[str]:
        """Every mart the workbook reads: its sheets' and the one its editions are read from."""
        return sorted({self.editions_of, *(sheet.mart for sheet in self.sheets)})


@dataclass(frozen=True)
class Layout:
    path: Path  # the file it was read from, named in errors
    report: str
    omit: tuple[str, ...]
    headers: dict[str, str]  # by column, or by mart.column
    values: dict[str, dict[str, str]]  # by column: code -> Chinese
    workbooks: tuple[WorkbookLayout, ...]
    # a `measure` column's codes -> Chinese, where they are written: the county panel's measures and
    # indicators (their contract's zh; computed_list_shares, computed_list_thresholds) and the claims
    # ledger's (its registry; claims)
    measures: dict[str, str] = field(default_factory=dict)

    def marts(self) -> list[str]:
        return sorted({mart for book in self.workbooks for mart in book.marts()})


LIST_LAYOUTS = ("as_printed", "as_computed")  # a published list's sheet is named after its table number


def measure_names() -> dict[str, str]:
    panel = Contract.load(RAW_STATISTICS_CONTRACT)
    claimed = registry.claim_measures().values()
    return (
        {m.column: m.name_zh for m in panel.measures.values()}
        | {indicator: spec["zh"] for indicator, spec in panel.indicators.items()}
        | {m.id: m.description_zh for m in claimed}
    )


def load_layout(path: Path = WORKBOOK_LAYOUT) -> Layout:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    odd = [
        s
        for book in spec["workbooks"]
        for s in book["sheets"]
        if s.get("lists", LIST_LAYOUTS[0]) not in LIST_LAYOUTS
    ]
    if odd:
        raise ValueError(
            f"{path.name}: lists is one of {LIST_LAYOUTS}, not {odd[0]['lists']!r} ({odd[0]['mart']})"
        )
    return Layout(
        path=path,
        measures=measure_names(),
        report=spec["report"],
        omit=tuple(spec["omit"]),
        headers=spec["headers"],
        values={column: {str(k): v for k, v in codes.items()} for column, codes in spec["values"].items()},
        workbooks=tuple(
            WorkbookLayout(
                name=book["name"],
                editions_of=book["editions_of"],
                title=book["title"],
                source=book.get("source"),
                sheets=tuple(
                    SheetLayout(
                        **{
                            key: tuple(value) if isinstance(value, list) else value
                            for key, value in sheet.items()
                        }
                    )
                    for sheet in book["sheets"]
                ),
            )
            for book in spec["workbooks"]
        ),
    )


class Reader:
    """The published file's marts, as sheets of one edition each."""

    def __init__(self, con: duckdb.DuckDBPyConnection, layout: Layout):
        self.con, self.layout = con, layout

    def columns(self, mart: str) -> dict[str, str | None]:
        """The mart's columns and their descriptions, in order."""
        return dict(
            self.con.execute(
                "select column_name, comment from duckdb_columns() "
                "where schema_name = 'marts' and table_name = ? order by column_index",
                [mart],
            ).fetchall()
        )

    def header(self, mart: str, column: str, description: str | None) -> str:
        headers = self.layout.headers
        found = headers.get(f"{mart}.{column}") or chinese_label(description) or headers.get(column)
        if not found:
            raise ValueError(
                f"marts.{mart}.{column} has no Chinese header: its description does not begin with one "
                f"and {self.layout.path} gives none under headers"
            )
        return found

    def rows(self, mart: str, columns: list[str], edition: int) -> list[tuple]:
        selected = ", ".join(f'"{c}"' for c in columns)
        edition_filter = "where edition_year = ? " if "edition_year" in self.columns(mart) else ""
        return self.con.execute(
            f'select {selected} from marts."{mart}" {edition_filter}order by all',
            [edition] if edition_filter else [],
        ).fetchall()

    def data_years(self, mart: str, edition: int) -> str:
        if "data_year" not in self.columns(mart):
            return ""
        years = self.con.execute(
            f'select distinct data_year from marts."{mart}" where edition_year = ? order by 1', [edition]
        ).fetchall()
        return "、".join(str(year) for (year,) in years)

    def description(self, mart: str) -> str | None:
        return self.con.execute(
            "select comment from duckdb_tables() where schema_name = 'marts' and table_name = ?", [mart]
        ).fetchone()[0]

    def synthetic(self, mart: str, edition: int) -> bool:
        """Whether the mart's rows of the edition come from the synthetic demo panel."""
        if "synthetic" not in self.columns(mart):
            return False
        return self.con.execute(
            f'select bool_or(synthetic) from marts."{mart}" where edition_year = ?', [edition]
        ).fetchone()[0]

    def editions(self, mart: str) -> list[int]:
        return [
            e
            for (e,) in self.con.execute(
                f'select distinct edition_year from marts."{mart}" order by 1'
            ).fetchall()
        ]


def cell(value: object, column: str, sheet: SheetLayout, layout: Layout, note: str) -> Cell:
    """A mart's value as the sheet shows it: list ids as the lists' titles, codes in Chinese, a synthetic
    flag as the note saying so, numbers as numbers (15 significant digits, as Excel keeps them)."""
    if column == "list":  # null: a claim about no one list
        return registry.ranking_list(value).title_zh if value else None
    if column in SYNTHETIC_COLUMNS:
        return note if value else None
    if isinstance(value, str) and value in layout.values.get(column, {}):
        return layout.values[column][value]
    if column == "measure" and value in layout.measures:
        return layout.measures[value]
    if isinstance(value, list):
        return "、".join(map(str, value))
    if column in sheet.numbers_in_text and isinstance(value, str) and _NUMBER.fullmatch(value):
        value = float(value) if "." in value else int(value)
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return float(f"{value:.15g}")  # what Excel keeps, and openpyxl writes; the CSV the same
    return value


@dataclass(frozen=True)
class Built:
    id: str  # the sheet's CSV: <id>.csv, a list id or the mart's name
    sheet: Sheet


def titled(reader: Reader, book: WorkbookLayout, name: str, edition: int) -> str:
    return book.title.format(
        edition=edition, sheet=name, data_year=reader.data_years(book.editions_of, edition)
    )


def source_row(
    reader: Reader, book: WorkbookLayout, source: str | None, edition: int, note: str | None
) -> str:
    """资料来源 (the edition and table cited, or how the rows were computed), and 数据说明 when synthetic."""
    text = source or book.source
    if not text:
        raise ValueError(f"{reader.layout.path}: a sheet of workbook {book.name} has no source")
    cited = text.format(
        report=reader.layout.report.format(edition=edition),
        edition=edition,
        data_year=reader.data_years(book.editions_of, edition),
    )
    return f"资料来源：{cited}" + (f"；数据说明：{note}" if note else "")


def mart_sheet(reader: Reader, book: WorkbookLayout, sheet: SheetLayout, edition: int) -> list[Built]:
    """The mart's rows of the edition (all its rows if it has no edition_year); none when it has none."""
    described = reader.columns(sheet.mart)
    omitted = set(reader.layout.omit) | set(sheet.omit)
    columns = [c for c in described if c not in omitted]
    headers = [reader.header(sheet.mart, c, described[c]) for c in columns]
    repeated = sorted({h for h in headers if headers.count(h) > 1})
    if repeated:
        raise ValueError(
            f"marts.{sheet.mart}: columns share the headers {repeated}; see {reader.layout.path}"
        )
    rows = reader.rows(sheet.mart, columns, edition)
    if not rows:
        return []
    label = sheet.title or chinese_label(reader.description(sheet.mart))
    if not label:
        raise ValueError(f"marts.{sheet.mart} has no title: its description begins with no Chinese label")
    name = f"{sheet.table} {label}" if sheet.table else label
    flagged = [
        headers[i] for i, c in enumerate(columns) if c in SYNTHETIC_COLUMNS and any(r[i] for r in rows)
    ]
    note = "".join(f"「{h}」列注明的数据为{SYNTHETIC_STATISTICS_NOTE}" for h in flagged) or None
    return [
        Built(
            sheet.mart,
            Sheet(
                name=name,
                title=titled(reader, book, name, edition),
                source=source_row(reader, book, sheet.source, edition, note),
                headers=headers,
                rows=[
                    [
                        cell(v, c, sheet, reader.layout, SYNTHETIC_STATISTICS_NOTE)
                        for v, c in zip(row, columns, strict=True)
                    ]
                    for row in rows
                ],
            ),
        )
    ]


def list_sheets(reader: Reader, book: WorkbookLayout, sheet: SheetLayout, edition: int) -> list[Built]:
    """One sheet per list of the edition in the report's table layout: 排名, 省（区、市）, 地级市, and the
    unit with ★ after each province's leader; the places as printed where the mart keeps them."""
    described = reader.columns(sheet.mart)
    places = [f"{c}_printed" if f"{c}_printed" in described else c for c in ("province", "prefecture")]
    flag = "synthetic" if "synthetic" in described else "false"
    headers = [reader.header(sheet.mart, c, described[c]) for c in ("rank", *places)]
    printed = sheet.lists == LIST_LAYOUTS[0]
    built = []
    for item in registry.ranking_lists().values():
        rows = reader.con.execute(
            f"select rank, {', '.join(places)}, name || if(star = 1, '★', ''), {flag} "
            f'from marts."{sheet.mart}" where edition_year = ? and list = ? order by rank',
            [edition, item.id],
        ).fetchall()
        if not rows:
            continue
        note = SYNTHETIC_LIST_NOTE if any(row[-1] for row in rows) else None
        name = f"{item.table_number} {item.title_zh}" if printed else item.title_zh
        source = sheet.source or (f"{{report}}，{item.table_number}" if printed else None)
        noted = [reader.header(sheet.mart, "synthetic", described.get("synthetic"))] if note else []
        built.append(
            Built(
                item.id,
                Sheet(
                    name=name,
                    title=titled(reader, book, name, edition),
                    source=source_row(reader, book, source, edition, note),
                    headers=[*headers, item.unit_header, *noted],
                    rows=[[*row[:-1], note] if note else list(row[:-1]) for row in rows],
                ),
            )
        )
    return built


def write_csv(path: Path, sheet: Sheet) -> None:
    """The sheet's header and rows, UTF-8 with BOM (Excel reads it as UTF-8 only with one)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(sheet.headers)
        writer.writerows(sheet.rows)


def export_workbooks(
    published: Path,
    target: Path,
    parquet: Path,
    previous: Path | None = None,
    layout_path: Path = WORKBOOK_LAYOUT,
) -> tuple[list[str], list[str]]:
    """Each workbook of the layout for each edition of its editions_of mart, as target/<stem>.xlsx and its
    sheets as target/<stem>.<sheet id>.csv, side by side (target: a new folder inside a snapshot being
    written; parquet: its marts' Parquet). The stem is <name>_<edition>, <name>_synthetic_demo_<edition>
    when that mart's rows are synthetic. A workbook whose key (its marts' Parquet and descriptions, the
    exporting code and layout) is the one it has in previous (the published exports) is linked from there.
    Returns the files, and the workbooks made anew."""
    layout = load_layout(layout_path)
    with duckdb.connect(str(published), read_only=True) as con:
        missing = sorted(set(layout.marts()) - set(marts_in(con)))
        if missing:
            named = ", ".join(f"marts.{m}" for m in missing)
            raise ValueError(f"{layout_path} exports {named}, which {published} does not have")
        reader = Reader(con, layout)
        target.mkdir()
        code = {
            **reuse.fingerprint(EXPORTING_CODE),
            "layout": sha256_of(layout_path),
            "openpyxl": _openpyxl(),
        }
        digests = reuse.mart_digests(parquet, layout.marts())
        before = reuse.previous_keys(previous, INPUTS_FILE)
        inputs, made = {}, []
        for book in layout.workbooks:
            marts = {
                mart: [digests[mart], reader.description(mart), reader.columns(mart)] for mart in book.marts()
            }
            key = reuse.digest([book.name, code, marts])
            kept = before.get(book.name, {})
            if kept.get("key") != key or not reuse.link_previous(kept["files"], previous, target):
                kept = {"files": write_book(reader, book, target)}
                made.append(book.name)
            inputs[book.name] = {"key": key, "files": kept["files"]}
    (target / INPUTS_FILE).write_text(json.dumps(inputs, indent=1, sort_keys=True), encoding="utf-8")
    return [name for entry in inputs.values() for name in entry["files"]], made


def write_book(reader: Reader, book: WorkbookLayout, target: Path) -> list[str]:
    """The workbook's files, one workbook and its sheets' CSV for each edition."""
    written = []
    for edition in reader.editions(book.editions_of):
        built = [
            done
            for sheet in book.sheets
            for done in (list_sheets if sheet.lists else mart_sheet)(reader, book, sheet, edition)
        ]
        demo = "_synthetic_demo" if reader.synthetic(book.editions_of, edition) else ""
        stem = f"{book.name}{demo}_{edition}"
        write_workbook(target / f"{stem}.xlsx", [b.sheet for b in built])
        for b in built:
            write_csv(target / f"{stem}.{b.id}.csv", b.sheet)
        written += [f"{stem}.xlsx", *(f"{stem}.{b.id}.csv" for b in built)]
    return written


def _openpyxl() -> str:
    import openpyxl

    return openpyxl.__version__
