"""Render the report site of one snapshot: its DuckDB file (read-only), its figures and its exports.

Everything shown comes from the snapshot being written: the numbers from its marts, the pictures from its
figures/ (hard-linked into the site, so the site never shows another snapshot's), the downloads from its
parquet/ and exports/, whatever files are there. Same snapshot, same bytes: no time, run or path is written.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import jinja2
import yaml

from dagster_project.demo import SYNTHETIC_STATISTICS_NOTE
from dagster_project.exports import INPUTS_FILE as WORKBOOK_INPUTS
from dagster_project.lib.registry import EDITION_LAG
from dagster_project.lib.sql import literal
from dagster_project.publish import EXPORTS, FIGURES_FOLDER, PARQUET
from dagster_project.report_site.outline import NUMBER, OUTLINE_FILE, Chapter, Edition, Item, Table, load
from dagster_project.resources import DBT_PROJECT_FILE

SCHEMA = "marts"
CLAIMS_MART = "claims"
STATED_IN = re.compile(r"(\d{4}) edition\b")  # a citation naming the edition that states the claim
RANKINGS_MART = "published_rankings"  # the editions published: those with ranking tables
INDEX = "index.html"
# The ledger's statuses (dbt: marts/claims/_claims.yml, accepted_values) as the site shows them.
CLAIM_STATUS = {
    "confirmed": ("一致", "confirmed"),
    "contradicted": ("矛盾", "contradicted"),
    "not_computable": ("无法计算", "not computable"),
    "by_construction": ("构造所致", "by construction"),
    "checked_against_statements": ("与报告其他数字相符", "consistent with the report's other figures"),
}
# How a statement bounds its value (marts/claims/_claims.yml, comparison), before the value as printed.
COMPARISON_SHOWN = {"=": "", ">": "> ", ">=": "≥ ", "<": "< ", "<=": "≤ ", "near": "近 "}
SYNTHETIC_NOTE_EN = "synthetic demo data, not real statistics"
ORDER_TERM = re.compile(r"(?P<column>[a-z0-9_]+)(?P<direction> desc)?")
LEADING_LABEL = re.compile(r"[^,.;(]*[\u4e00-\u9fff][^,.;(]*")  # the Chinese label opening a description
TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True)
class RenderedTable:
    mart: str
    sql: str
    headers: list[tuple[str, str]]  # column, its Chinese label (or "")
    rows: list[list[str]]
    parquet: Link | None
    docs: Link


@dataclass(frozen=True)
class RenderedItem:
    item: Item
    data_years: list[int]
    data_years_from_mart: bool  # False: the edition's data year by the report's convention
    synthetic: bool
    figure: Link | None
    figure_svg: Link | None
    figure_note: str
    tables: list[RenderedTable]
    claims: list[dict]


def render_site(database: Path, snapshot: Path, target: Path, outline: Path = OUTLINE_FILE) -> list[Path]:
    """The site into target (a folder of the snapshot being written): index.html and a page per chapter
    with items or claims. Fails, naming the outline's entry, on a mart or column the file does not have."""
    target.mkdir(parents=True)
    link_figures(snapshot / FIGURES_FOLDER, target / FIGURES_FOLDER)
    with duckdb.connect(str(database), read_only=True) as con:
        return Site(con, snapshot, target, database.name).write(load(outline))


def link_figures(source: Path, target: Path) -> None:
    target.mkdir()
    if not source.is_dir():
        return
    for path in sorted(source.iterdir()):
        if path.is_file():
            try:
                os.link(path, target / path.name)
            except OSError:  # another file system: a copy holds the same bytes
                shutil.copy2(path, target / path.name)


def dbt_project_name() -> str:
    return yaml.safe_load(DBT_PROJECT_FILE.read_text(encoding="utf-8"))["name"]


def cell(value: object) -> str:
    """Deterministic text of a value: floats to 4 decimals without trailing zeros, lists joined."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, list):
        return "、".join(map(cell, value))
    return str(value)


class Site:
    """One rendering: the file's column descriptions, editions and claims, read once; which claims have
    been placed on a page so far."""

    def __init__(self, con: duckdb.DuckDBPyConnection, snapshot: Path, target: Path, database_name: str):
        self.con, self.snapshot, self.target, self.database_name = con, snapshot, target, database_name
        self.dbt_project = dbt_project_name()
        self.columns: dict[str, dict[str, str]] = {}
        for table, column, comment in con.execute(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = ? "
            "order by table_name, column_index",
            [SCHEMA],
        ).fetchall():
            self.columns.setdefault(table, {})[column] = comment or ""
        self.editions_published = [
            e
            for (e,) in con.execute(
                f"select distinct edition_year from {SCHEMA}.{RANKINGS_MART} order by 1"
            ).fetchall()
        ]
        claim_columns = (
            "claim_id, edition_year, list, cited_from, measure, key, published_value, computed_value, "
            "tolerance, comparison, status, report_contradicts_own_table"
        )
        cursor = con.execute(f"select {claim_columns} from {SCHEMA}.{CLAIMS_MART} order by claim_id")
        names = [d[0] for d in cursor.description]
        self.claims = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        unknown = sorted({c["status"] for c in self.claims} - CLAIM_STATUS.keys())
        if unknown:
            raise ValueError(f"claims with a status the report site does not know: {unknown}")
        self.placed: set[str] = set()
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def write(self, outline: tuple[Edition, ...]) -> list[Path]:
        from dagster_project.figures import FIGURES as DRAWN

        editions = [e for e in outline if e.edition in self.editions_published]
        written, contents = [], []
        for edition in editions:
            chapters = []
            for chapter in edition.chapters:
                items = [self.item(edition, item) for item in chapter.items]
                claims = self.chapter_claims(edition, chapter)
                if items or claims:
                    written.append(self.page(edition, chapter, items, claims))
                chapters.append((chapter, bool(items or claims), items))
            contents.append((edition, chapters))
        unplaced = [c | self.status(c) for c in self.claims if c["claim_id"] not in self.placed]
        titles = {figure.name: figure.title_zh for figure in DRAWN}
        figures = [
            (titles.get(png.stem, png.stem), Link(png.name, f"{FIGURES_FOLDER}/{png.name}"), self.svg_of(png))
            for png in sorted((self.target / FIGURES_FOLDER).glob("*.png"))
        ]
        exports_dir = self.snapshot / EXPORTS
        exports = (
            [
                Link(
                    path.relative_to(exports_dir).as_posix(),
                    f"../{EXPORTS}/{path.relative_to(exports_dir).as_posix()}",
                )
                for path in sorted(exports_dir.rglob("*"))
                if path.is_file() and path.name != WORKBOOK_INPUTS
            ]
            if exports_dir.is_dir()
            else []
        )
        synthetic = any(i.synthetic for _, chapters in contents for _, _, items in chapters for i in items)
        index = self.target / INDEX
        index.write_text(
            self.environment.get_template("index.html").render(
                contents=contents,
                editions_unoutlined=[
                    e for e in self.editions_published if e not in {x.edition for x in editions}
                ],
                unplaced=unplaced,
                counts=self.claim_counts(),
                statuses=CLAIM_STATUS,
                figures=figures,
                exports=exports,
                database=Link(self.database_name, f"../{self.database_name}"),
                docs=self.docs_link(None),
                synthetic=synthetic,
                synthetic_note=f"{SYNTHETIC_STATISTICS_NOTE} ({SYNTHETIC_NOTE_EN})",
            ),
            encoding="utf-8",
        )
        return [index, *written]

    def page(self, edition: Edition, chapter: Chapter, items: list[RenderedItem], claims: list[dict]) -> Path:
        path = self.target / chapter.page
        path.write_text(
            self.environment.get_template("chapter.html").render(
                edition=edition,
                chapter=chapter,
                items=items,
                claims=claims,
                statuses=CLAIM_STATUS,
                synthetic_note=f"{SYNTHETIC_STATISTICS_NOTE} ({SYNTHETIC_NOTE_EN})",
                lag=EDITION_LAG,
            ),
            encoding="utf-8",
        )
        return path

    def item(self, edition: Edition, item: Item) -> RenderedItem:
        tables = [self.table(edition, item, table) for table in item.tables]
        first = item.tables[0]
        where, parameters = self.filter(edition, item, first)
        mart = f'{SCHEMA}."{first.mart}"'
        if "data_year" in self.columns[first.mart]:
            years = [
                y
                for (y,) in self.con.execute(
                    f"select distinct data_year from {mart}{where} order by 1", parameters
                ).fetchall()
            ]
            from_mart = True
        else:
            years, from_mart = [edition.edition - EDITION_LAG], False
        synthetic = any(self.synthetic(edition, item, table) for table in item.tables)
        figure, svg, note = self.figure(edition, item)
        claims = [c | self.status(c) for c in self.claims if self.cites(c, edition, item.number)]
        self.placed.update(c["claim_id"] for c in claims)
        return RenderedItem(item, years, from_mart, synthetic, figure, svg, note, tables, claims)

    def filter(self, edition: Edition, item: Item, table: Table) -> tuple[str, list]:
        """The rows of the item's edition that the outline selects: a where clause and its parameters."""
        known = self.columns.get(table.mart)
        if known is None:
            raise ValueError(f"outline {edition.edition} {item.number}: no mart {SCHEMA}.{table.mart}")
        terms = {"edition_year": edition.edition} if "edition_year" in known else {}
        terms |= table.where
        clauses, parameters = [], []
        for column, value in terms.items():
            self.known_column(edition, item, table, column)
            values = value if isinstance(value, list) else [value]
            clauses.append(f'"{column}" in ({", ".join("?" * len(values))})')
            parameters += values
        return (f" where {' and '.join(clauses)}" if clauses else ""), parameters

    def known_column(self, edition: Edition, item: Item, table: Table, column: str) -> None:
        if column not in self.columns[table.mart]:
            raise ValueError(
                f"outline {edition.edition} {item.number}: {SCHEMA}.{table.mart} has no column {column}"
            )

    def table(self, edition: Edition, item: Item, table: Table) -> RenderedTable:
        where, parameters = self.filter(edition, item, table)
        for column in table.columns:
            self.known_column(edition, item, table, column)
        order = []
        for term in table.order_by:
            matched = ORDER_TERM.fullmatch(term)
            if matched is None:
                raise ValueError(f"outline {edition.edition} {item.number}: order term {term!r}")
            self.known_column(edition, item, table, matched["column"])
            order.append(f'"{matched["column"]}"{matched["direction"] or ""}')
        columns = ", ".join(f'"{c}"' for c in table.columns)
        sql = f'select {columns} from {SCHEMA}."{table.mart}"{where} order by {", ".join(order)}'
        rows = [[cell(v) for v in row] for row in self.con.execute(sql, parameters).fetchall()]
        shown_sql = sql
        for value in parameters:  # the query as an analyst would type it
            shown_sql = shown_sql.replace("?", literal(value) if isinstance(value, str) else str(value), 1)
        headers = [(c, self.label(table.mart, c)) for c in table.columns]
        parquet = self.snapshot / PARQUET / f"{table.mart}.parquet"
        return RenderedTable(
            table.mart,
            shown_sql,
            headers,
            rows,
            Link(parquet.name, f"../{PARQUET}/{parquet.name}") if parquet.is_file() else None,
            self.docs_link(table.mart),
        )

    def label(self, mart: str, column: str) -> str:
        found = LEADING_LABEL.match(self.columns[mart][column])
        return found.group(0).strip() if found else ""

    def synthetic(self, edition: Edition, item: Item, table: Table) -> bool:
        flags = [c for c in self.columns[table.mart] if c == "synthetic" or c.endswith("_synthetic")]
        if not flags:
            return False
        where, parameters = self.filter(edition, item, table)
        anyone = " or ".join(f'coalesce(bool_or("{flag}"), false)' for flag in flags)
        return bool(
            self.con.execute(f'select {anyone} from {SCHEMA}."{table.mart}"{where}', parameters).fetchone()[0]
        )

    def figure(self, edition: Edition, item: Item) -> tuple[Link | None, Link | None, str]:
        if item.figure is None:
            return None, None, ""
        png = self.target / FIGURES_FOLDER / f"{item.figure}.png"
        if not png.is_file():
            return None, None, "本快照未绘制此图 (no drawing of this figure in this snapshot)"
        if item.figure_shows_latest:
            mart = item.tables[0].mart
            (latest,) = self.con.execute(f'select max(edition_year) from {SCHEMA}."{mart}"').fetchone()
            if latest != edition.edition:
                return (
                    None,
                    None,
                    f"此图仅绘制最新一版 ({latest}) (drawn for the latest edition, {latest}, only)",
                )
        return Link(png.name, f"{FIGURES_FOLDER}/{png.name}"), self.svg_of(png), ""

    def svg_of(self, png: Path) -> Link | None:
        svg = png.with_suffix(".svg")
        return Link(svg.name, f"{FIGURES_FOLDER}/{svg.name}") if svg.is_file() else None

    def docs_link(self, mart: str | None) -> Link:
        page = "../docs/static_index.html"
        if mart is None:
            return Link("dbt docs", page)
        return Link(f"dbt docs: {mart}", f"{page}#!/model/model.{self.dbt_project}.{mart}")

    @staticmethod
    def stated_in(claim: dict) -> int:
        """The edition whose text states a claim: the one its citation opens with ("2024 edition ..."), as a
        较上年 statement is a claim about the edition before; else the claim's own."""
        found = STATED_IN.match(claim["cited_from"])
        return int(found.group(1)) if found else claim["edition_year"]

    def cites(self, claim: dict, edition: Edition, number: str) -> bool:
        return self.stated_in(claim) == edition.edition and number in NUMBER.findall(claim["cited_from"])

    def chapter_claims(self, edition: Edition, chapter: Chapter) -> list[dict]:
        claims = [
            c | self.status(c)
            for c in self.claims
            if self.stated_in(c) == edition.edition and c["cited_from"] in chapter.claims_cited_from
        ]
        self.placed.update(c["claim_id"] for c in claims)
        return claims

    @staticmethod
    def status(claim: dict) -> dict:
        zh, en = CLAIM_STATUS[claim["status"]]
        return {
            "status_zh": zh,
            "status_en": en,
            "published_text": COMPARISON_SHOWN[claim["comparison"]] + cell(claim["published_value"]),
            "computed_text": cell(claim["computed_value"]),
        }

    def claim_counts(self) -> dict[int, dict[str, int]]:
        counts: dict[int, dict[str, int]] = {}
        for claim in self.claims:
            by_status = counts.setdefault(claim["edition_year"], dict.fromkeys(CLAIM_STATUS, 0))
            by_status[claim["status"]] += 1
        return counts
