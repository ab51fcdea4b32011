"""Every 图 and 表 of the editions (data/reference/report_items.csv) beside the report site's outline: the
README's table of what the platform reproduces, and the claims ledger's totals by status.

The outline says which mart and figure stand behind an item; the inventory says which items the editions
print. Both are read here, never copied, so the README's table is regenerated, not edited:

    python -m dagster_project.report_site.inventory --write-readme
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dagster_project.claims import STATUSES
from dagster_project.publish import figure_key
from dagster_project.report_site import outline
from dagster_project.resources import DEFAULT_DATA_DIR, PROJECT_DIR, PUBLISHED_FILE, REFERENCE_FOLDER

INVENTORY_FILE = DEFAULT_DATA_DIR / REFERENCE_FOLDER / "report_items.csv"
README_FILE = PROJECT_DIR / "README.md"
COLUMNS = ["edition_year", "number", "title_zh", "no_data_basis"]
KINDS = {"图": "figures", "表": "tables"}
REPRODUCED, NOT_YET, NO_DATA_BASIS = "reproduced", "not yet", "no data basis"
WRITE_COMMAND = "python -m dagster_project.report_site.inventory --write-readme"
# The README's generated blocks: the items (from the outline and the inventory) and the claims' totals
# (from a published file).
ITEMS_BLOCK = "report-items"
CLAIMS_BLOCK = "claims-totals"


@dataclass(frozen=True)
class PrintedItem:
    edition_year: int
    number: str  # 图N or 表N, as printed
    title_zh: str  # the caption, as printed
    no_data_basis: str  # why nothing here can compute it; empty if something can


@dataclass(frozen=True)
class Row:
    item: PrintedItem
    marts: tuple[str, ...]
    figure_asset: str | None
    figure_shows_latest: bool  # the figure draws the latest edition, not necessarily this one
    status: str  # REPRODUCED, NOT_YET or NO_DATA_BASIS


def read_inventory(path: Path = INVENTORY_FILE) -> list[PrintedItem]:
    """The items in the order the editions print them. Refused, naming the row or number: one not 图N or
    表N, one listed twice, or a gap (an edition's 图 and 表 are numbered 1..N, so a gap is an item lost)."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{path}: columns {reader.fieldnames}, expected {COLUMNS}")
        items = [
            PrintedItem(int(r["edition_year"]), r["number"], r["title_zh"], r["no_data_basis"])
            for r in reader
        ]
    seen: set[tuple[int, str]] = set()
    for line, item in enumerate(items, start=2):
        if not outline.NUMBER.fullmatch(item.number):
            raise ValueError(f"{path}: line {line}: number {item.number!r} is not 图N or 表N")
        if (item.edition_year, item.number) in seen:
            raise ValueError(f"{path}: line {line}: {item.edition_year} {item.number} is listed twice")
        seen.add((item.edition_year, item.number))
    for (edition, kind), numbers in sorted(_numbers_by_kind(items).items()):
        missing = sorted(set(range(1, len(numbers) + 1)) - set(numbers))
        if missing:
            raise ValueError(
                f"{path}: {edition}'s {kind} are not numbered 1..N: {kind}{missing[0]} is missing"
            )
    return items


def _numbers_by_kind(items: list[PrintedItem]) -> dict[tuple[int, str], list[int]]:
    numbers: dict[tuple[int, str], list[int]] = {}
    for item in items:
        numbers.setdefault((item.edition_year, item.number[0]), []).append(int(item.number[1:]))
    return numbers


def problems(items: list[PrintedItem], editions: tuple[outline.Edition, ...]) -> list[str]:
    """Where the outline and the inventory disagree: an outline item the edition does not print, or one it
    reproduces that the inventory says has no data basis."""
    printed = {(item.edition_year, item.number): item for item in items}
    found = []
    for edition in editions:
        for entry in edition.items:
            item = printed.get((edition.edition, entry.number))
            if item is None:
                found.append(
                    f"{outline.OUTLINE_FILE.name}: {edition.edition} {entry.number} is not in the inventory"
                )
            elif item.no_data_basis:
                found.append(
                    f"{edition.edition} {entry.number}: reproduced by the outline, but marked no_data_basis "
                    f"({item.no_data_basis})"
                )
    return found


def rows(items: list[PrintedItem], editions: tuple[outline.Edition, ...]) -> list[Row]:
    """Each printed item with what the outline puts behind it: its marts, its figure's asset and a status."""
    found = problems(items, editions)
    if found:
        raise ValueError("; ".join(found))
    reproduced = {(e.edition, entry.number): entry for e in editions for entry in e.items}
    result = []
    for item in items:
        entry = reproduced.get((item.edition_year, item.number))
        if entry is None:
            result.append(Row(item, (), None, False, NO_DATA_BASIS if item.no_data_basis else NOT_YET))
            continue
        marts = tuple(dict.fromkeys(table.mart for table in entry.tables))
        figure = figure_key(entry.figure).to_user_string() if entry.figure else None
        result.append(Row(item, marts, figure, entry.figure_shows_latest, REPRODUCED))
    return result


def render_items(items: list[PrintedItem], editions: tuple[outline.Edition, ...]) -> str:
    """The README's table, then a line of totals per edition."""
    table = [
        "| edition | number | caption (as printed) | marts | figure asset | status |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    all_rows = rows(items, editions)
    for row in all_rows:
        item = row.item
        marts = ", ".join(f"`marts.{mart}`" for mart in row.marts) or "—"
        figure = f"`{row.figure_asset}`" if row.figure_asset else "—"
        if row.figure_shows_latest:
            figure += " (the latest edition)"
        status = f"{NO_DATA_BASIS}: {item.no_data_basis}" if row.status == NO_DATA_BASIS else row.status
        table.append(
            f"| {item.edition_year} | {item.number} | {item.title_zh} | {marts} | {figure} | {status} |"
        )
    return "\n".join([*table, "", *_totals(all_rows)])


def _totals(all_rows: list[Row]) -> list[str]:
    lines = []
    for edition in dict.fromkeys(row.item.edition_year for row in all_rows):
        own = [row for row in all_rows if row.item.edition_year == edition]
        printed = Counter(row.item.number[0] for row in own)
        status = Counter(row.status for row in own)
        lines.append(
            f"- {edition}: {' and '.join(f'{printed[k]} {kind}' for k, kind in KINDS.items())}: "
            f"**{', '.join(f'{status[s]} {s}' for s in (REPRODUCED, NOT_YET, NO_DATA_BASIS))}**"
        )
    return lines


def render_claims(con: duckdb.DuckDBPyConnection) -> str:
    """The claims ledger (marts.claims of a published file) by status and by the edition it is about."""
    counts = Counter(
        {
            (status, edition): n
            for status, edition, n in con.execute(
                "select status, edition_year, count(*) from marts.claims group by all"
            ).fetchall()
        }
    )
    editions = sorted({edition for _, edition in counts})
    lines = [
        f"| status | {' | '.join(str(e) for e in editions)} | all |",
        f"| --- |{' ---: |' * (len(editions) + 1)}",
    ]
    for status in STATUSES:  # bare: README's table of test kinds is its rows opening with a `name`
        cells = [counts[status, edition] for edition in editions]
        lines.append(f"| {status} | {' | '.join(map(str, cells))} | {sum(cells)} |")
    cells = [sum(counts[status, edition] for status in STATUSES) for edition in editions]
    lines.append(f"| all | {' | '.join(map(str, cells))} | {sum(cells)} |")
    return "\n".join(lines)


def block(text: str, name: str) -> str:
    """The README's block `name`, between its two marker comments (a ValueError if they are missing)."""
    found = _block_pattern(name).search(text)
    if found is None:
        raise ValueError(
            f"{README_FILE.name}: no block between <!-- {name}:begin --> and <!-- {name}:end -->"
        )
    return found.group("body")


def with_block(text: str, name: str, body: str) -> str:
    block(text, name)  # present
    return _block_pattern(name).sub(lambda m: m.group("begin") + body + m.group("end"), text)


def _block_pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<begin><!-- {name}:begin -->\n)(?P<body>.*?\n?)(?P<end><!-- {name}:end -->)", re.S
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The README's table of every 图 and 表 of the editions.")
    parser.add_argument(
        "--write-readme", action="store_true", help=f"rewrite the blocks of {README_FILE.name}"
    )
    parser.add_argument(
        "--published",
        type=Path,
        default=DEFAULT_DATA_DIR / PUBLISHED_FILE,
        help="the published file whose marts.claims gives the claims' totals (if absent, they are kept)",
    )
    arguments = parser.parse_args(argv)
    items = render_items(read_inventory(), outline.load()) + "\n"
    claims = None
    if arguments.published.exists():
        with duckdb.connect(str(arguments.published), read_only=True) as con:
            claims = render_claims(con) + "\n"
    if not arguments.write_readme:
        print(items + (claims or ""), end="")
        return 0
    text = with_block(README_FILE.read_text(encoding="utf-8"), ITEMS_BLOCK, items)
    if claims is None:
        print(f"{arguments.published} not found: the claims' totals are left as they are", file=sys.stderr)
    else:
        text = with_block(text, CLAIMS_BLOCK, claims)
    README_FILE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
