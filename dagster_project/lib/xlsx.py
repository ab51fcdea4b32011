"""Reproducible XLSX, laid out for a reader of Chinese tables.

A workbook records when it was saved, in its zip entries' times and in docProps/core.xml. Pinned to
FIXED_TIME, the same content gives the same bytes (the exports, and the demo panel's generator, whose files
are checked byte for byte). write_workbook lays each sheet out as Chinese statistical tables are: a title
row, a 资料来源 row, the header (frozen with the rows above it), then the rows, columns as wide as their
content (a CJK character takes two widths).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

FIXED_TIME = datetime(2026, 1, 1)  # never the clock
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*")

HEADER_ROW = 3  # below the title and the source rows
MAX_WIDTH = 60  # a long text (a query, a list of names) wraps past this rather than widen its column
SHEET_NAME = re.compile(r"[^\[\]:*?/\\]{1,31}")  # what Excel accepts as a sheet's name


def pin_times(data: bytes) -> bytes:
    """The XLSX data with every zip entry dated FIXED_TIME and its modification time set to FIXED_TIME
    (set the workbook's created property to FIXED_TIME before saving: openpyxl keeps that one). The
    entries keep the order openpyxl wrote them in, which depends on the content only."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    pinned = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(pinned, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp, content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            target.writestr(entry, content, compress_type=zipfile.ZIP_DEFLATED)
    return pinned.getvalue()


Cell = str | int | float | bool | None


@dataclass(frozen=True)
class Sheet:
    name: str  # the tab, as Excel allows it (SHEET_NAME)
    title: str
    source: str  # 资料来源 and, for synthetic rows, 数据说明
    headers: list[str]
    rows: list[list[Cell]]  # numbers as int or float, so that Excel stores them as numbers


def display_width(value: Cell) -> int:
    """Columns a value takes as Excel shows it to a Chinese reader: two for a wide character (CJK, and
    those of ambiguous width such as ★, wide in Chinese fonts), one otherwise; a float's 10 digits."""
    text = "" if value is None else f"{value:.10g}" if isinstance(value, float) else str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WFA" else 1 for char in text)


def column_widths(sheet: Sheet) -> list[int]:
    """Each column as wide as its widest header or cell (not the title and source rows, which run on
    across empty cells), plus a margin, at most MAX_WIDTH."""
    columns = zip(sheet.headers, *sheet.rows, strict=True)
    return [min(MAX_WIDTH, max(map(display_width, column)) + 2) for column in columns]


def write_workbook(path: Path, sheets: list[Sheet]) -> None:
    """The sheets as one workbook at path, the same bytes for the same sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    names = [sheet.name for sheet in sheets]
    bad = [name for name in names if not SHEET_NAME.fullmatch(name)]
    if bad or len(set(names)) != len(names):
        raise ValueError(f"{path.name}: sheet names Excel refuses or repeated: {bad or names}")
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for sheet in sheets:
        page = book.create_sheet(sheet.name)
        page.append([sheet.title])
        page.append([sheet.source])
        page.append(sheet.headers)
        for row in sheet.rows:
            page.append(row)
        page["A1"].font = Font(bold=True, size=14)
        for cell in page[HEADER_ROW]:
            cell.font = bold
        page.freeze_panes = page.cell(HEADER_ROW + 1, 1)
        for index, width in enumerate(column_widths(sheet), start=1):
            page.column_dimensions[get_column_letter(index)].width = width
    book.properties.created = FIXED_TIME
    saved = io.BytesIO()
    book.save(saved)
    path.write_bytes(pin_times(saved.getvalue()))
