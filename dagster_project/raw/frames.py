"""The pandas side of the raw ingest: reading a file in any accepted format into canonical units.

Imported inside asset bodies, so that pandas loads when an asset runs, not when definitions load.
Whatever a cell holds that the contract refuses is kept, as text, in a problem column (`unparseable`,
`control_characters`) that names the header cell and the value, for the suite to report row by row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dagster_project.lib.expectations import CONTROL_CHARACTERS, FILE_COLUMN, ROW_COLUMN
from dagster_project.lib.paths import RAW_SUFFIXES
from dagster_project.raw.contract import Contract, ContractError

ENCODINGS = ("utf-8-sig", "gbk")  # UTF-8 with or without BOM, else GBK as Chinese yearbooks export it
MEGABYTE = 1024 * 1024
# python-calamine (Rust) reads a year's sheet in 0.2 s where openpyxl took 1 s, the same cells as text; a
# file in place is read again by every run and validation that judges a neighbouring year
XLSX_READER = "calamine"


def read_file(path: Path, contract: Contract, label: str) -> pd.DataFrame:
    """One file in canonical columns and units; `label` is how rows name the file (source_file)."""
    return to_canonical(read_cells(path, contract), contract, label).assign(**{FILE_COLUMN: label})


def read_cells(path: Path, contract: Contract) -> pd.DataFrame:
    """Every cell as text; rows numbered by their line (CSV) or spreadsheet row (XLSX), header = 1.

    The contract's limits are checked first: the file's size before it is opened, its row count while
    it is parsed (never more than one row beyond the limit), so an oversized file is refused at once."""
    suffix = path.suffix.lower()
    if suffix not in RAW_SUFFIXES:
        raise ContractError(f"{path}: only .csv and .xlsx files are accepted")
    size = path.stat().st_size
    if size > contract.max_file_mb * MEGABYTE:
        raise ContractError(
            f"{path}: {size / MEGABYTE:.1f} MB, more than the {contract.max_file_mb:g} MB a file may hold "
            f"(limits.max_file_mb in {contract.name}: {contract.limits_why})"
        )
    empty = ContractError(f"{path}: the file is empty: no header row, no rows")
    if size == 0:
        raise empty
    if suffix == ".xlsx":
        frame = _read_xlsx(path, contract.max_rows + 1)
    else:
        frame = _read_csv(path, contract.max_rows + 1, empty)
    if frame.columns.empty:
        raise empty
    if len(frame) > contract.max_rows:
        raise ContractError(
            f"{path}: more than {contract.max_rows} rows, the most a file may hold "
            f"(limits.max_rows in {contract.name}: {contract.limits_why})"
        )
    frame.insert(0, ROW_COLUMN, range(2, len(frame) + 2))
    return frame


def _read_xlsx(path: Path, rows: int) -> pd.DataFrame:
    from python_calamine import CalamineError

    try:
        return pd.read_excel(
            path, sheet_name=0, dtype=str, keep_default_na=False, nrows=rows, engine=XLSX_READER
        )
    except CalamineError as error:
        raise ContractError(f"{path}: not a workbook an XLSX reader can open ({error})") from None


def _read_csv(path: Path, rows: int, empty: ContractError) -> pd.DataFrame:
    for encoding in ENCODINGS:
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, nrows=rows)
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            raise empty from None
    with path.open("rb") as handle:
        utf16 = handle.read(2) in (b"\xff\xfe", b"\xfe\xff")  # its byte-order mark
    found = "UTF-16 text (Excel's 'Unicode text')" if utf16 else "text in neither UTF-8 nor GBK"
    raise ContractError(f"{path}: {found}: save it as CSV UTF-8 (or GBK)")


def to_canonical(cells: pd.DataFrame, contract: Contract, source: str) -> pd.DataFrame:
    """Canonical columns and units. A measure cell that is not a number is kept as null and named, with
    its value, in `unparseable`; a text cell holding a control character, in `control_characters`."""
    header = contract.read_header(source, [c for c in cells.columns if c != ROW_COLUMN])
    frame = pd.DataFrame({ROW_COLUMN: cells[ROW_COLUMN]})
    problems = {"unparseable": [], "control_characters": []}
    for cell, (column, factor) in header.items():
        text = cells[cell].str.strip()
        if contract.identity.get(column, {}).get("type") == "text":
            frame[column] = text.replace("", None)
            problems["control_characters"].append(_named(cell, text, text.str.contains(CONTROL_CHARACTERS)))
        elif column == "synthetic":
            frame[column] = text.str.lower().isin(["true", "1", "yes", "是"])
        else:
            numbers = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
            problems["unparseable"].append(_named(cell, text, numbers.isna() & (text != "")))
            frame[column] = numbers if column == "data_year" else numbers * factor
    frame["data_year"] = frame["data_year"].astype("Int64")
    for column in contract.measures:  # an optional measure the file lacks: not reported by any row
        if column not in frame:
            frame[column] = np.nan
    if "synthetic" not in frame:
        frame["synthetic"] = False
    if contract.synthetic_source and "source" in frame:
        said = frame["source"].fillna("").str.contains(contract.synthetic_source, case=False, regex=True)
        frame["synthetic"] = frame["synthetic"] | said
    for name, named in problems.items():
        frame[name] = _joined(named, frame.index)
    return frame


def _jumping(jump: pd.DataFrame, largest: pd.Series, levels: tuple[float, ...]) -> pd.Series:
    names = jump.fillna(-1.0).idxmax(axis=1).where(largest.notna())
    reached = [level for level in sorted(levels) if (largest >= level).any()]
    if not reached:
        return names
    level = pd.Series(np.nan, index=largest.index)
    for factor in reached:
        level = level.mask(largest >= factor, factor)
    for row in level.dropna().index:
        row_jumps = jump.loc[row]
        over = row_jumps[row_jumps >= level[row]].sort_values(ascending=False, kind="stable")
        names[row] = ", ".join(over.index)
    return names


def _joined(named: list[pd.Series], index: pd.Index) -> pd.Series:
    """Each row's problems in one text, `; `-separated; null for a row without any."""
    joined = pd.Series(None, index=index, dtype=object)
    if named:
        stacked = pd.concat(named, axis=1)
        bad = stacked.notna().any(axis=1)
        joined[bad] = stacked[bad].apply(lambda row: "; ".join(row.dropna()), axis=1)
    return joined


def _named(cell: str, text: pd.Series, bad: pd.Series) -> pd.Series:
    """`column gdp[万元] = '—'` where a cell is bad, else null: the header cell as printed, and the value."""
    return ("column " + cell + " = " + text.map(repr)).where(bad, None)


def year_over_year(frame: pd.DataFrame, columns: list[str], levels: tuple[float, ...] = ()) -> pd.DataFrame:
    """Each row's largest jump against the unit's previous or next year, and in which columns: a unit mix-up
    shows on the row that has it, whichever year arrived first. A jump is the larger of the ratio of the
    magnitudes and its inverse, so a sign change (a loss turned gain) is judged on sizes too. A zero beside
    a non-zero neighbour has no ratio: it is named apart (yoy_zero_column), to be looked at, not refused.

    yoy_jump_column names, largest jump first, every column that jumps as far as the highest of `levels`
    (the rules' factors) the row reaches, so that one pass shows every column of a mix-up; a row that
    reaches none, its largest jump's column."""
    ordered = frame.sort_values(["adcode", "data_year"])
    size = ordered[columns].abs()
    jumps, zeros = [], []
    for neighbour in (1, -1):
        other = size.groupby(ordered["adcode"]).shift(neighbour)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = size / other
            jumps.append(np.maximum(ratio, 1 / ratio).replace([np.inf, -np.inf], np.nan))
        zeros.append(size.notna() & other.notna() & ((size == 0) != (other == 0)))
    jump = np.fmax(jumps[0], jumps[1])
    ordered["yoy_max_jump"] = jump.max(axis=1, skipna=True)
    ordered["yoy_jump_column"] = _jumping(jump, ordered["yoy_max_jump"], levels)
    zero = zeros[0] | zeros[1]
    ordered["yoy_zero_column"] = zero.idxmax(axis=1).where(zero.any(axis=1))
    return ordered.sort_index()
