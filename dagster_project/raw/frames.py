"""The pandas side of the raw ingest: reading a file in any accepted format into canonical units.

Imported inside asset bodies, so that pandas loads when an asset runs, not when definitions load.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dagster_project.lib.expectations import ROW_COLUMN
from dagster_project.lib.provenance import SourceFile
from dagster_project.raw.contract import Contract, ContractError

ENCODINGS = ("utf-8-sig", "gbk")  # UTF-8 with or without BOM, else GBK as Chinese yearbooks export it


def read_cells(path: Path) -> pd.DataFrame:
    """Every cell as text; rows numbered by their line (CSV) or spreadsheet row (XLSX), header = 1."""
    if path.suffix.lower() == ".xlsx":
        frame = pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False)
    elif path.suffix.lower() == ".csv":
        frame = None
        for encoding in ENCODINGS:
            try:
                frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
                break
            except UnicodeDecodeError:
                continue
        if frame is None:
            raise ContractError(f"{path}: neither UTF-8 nor GBK text")
    else:
        raise ContractError(f"{path}: only .csv and .xlsx files are accepted")
    frame.insert(0, ROW_COLUMN, range(2, len(frame) + 2))
    return frame


def to_canonical(cells: pd.DataFrame, contract: Contract, source: str) -> pd.DataFrame:
    """Canonical columns and units; a cell that is not a number is kept as null and named in `unparseable`."""
    header = contract.read_header(source, [c for c in cells.columns if c != ROW_COLUMN])
    frame = pd.DataFrame({ROW_COLUMN: cells[ROW_COLUMN]})
    unparseable = pd.Series([""] * len(cells), index=cells.index)
    for cell, (column, factor) in header.items():
        text = cells[cell].str.strip()
        if contract.identity.get(column, {}).get("type") == "text":
            frame[column] = text.replace("", None)
        elif column == "synthetic":
            frame[column] = text.str.lower().isin(["true", "1", "yes", "是"])
        else:
            numbers = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
            bad = numbers.isna() & (text != "")
            unparseable = unparseable.where(~bad, unparseable + column + " ")
            frame[column] = numbers if column == "data_year" else numbers * factor
    frame["data_year"] = frame["data_year"].astype("Int64")
    if "synthetic" not in frame:
        frame["synthetic"] = False
    frame["unparseable"] = unparseable.str.strip().replace("", None)
    return frame


def read_year(
    folder: Path, year: int, contract: Contract, data_root: Path, run_id: str
) -> tuple[pd.DataFrame, list]:
    """Every file of one data year (folder/<year>/*.csv|xlsx) in canonical units, with provenance per row."""
    paths = sorted(p for p in (folder / str(year)).glob("*") if p.suffix.lower() in (".csv", ".xlsx"))
    if not paths:
        raise ContractError(f"{folder / str(year)}: no .csv or .xlsx file for data year {year}")
    parts, sources = [], []
    for path in paths:
        source = SourceFile.of(path, data_root)
        frame = to_canonical(read_cells(path), contract, source.relative_path)
        parts.append(frame.assign(folder_year=year, **source.columns(run_id)))
        sources.append(source)
    return pd.concat(parts, ignore_index=True), sources


def year_over_year(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Each row's largest jump against the unit's previous or next year (max of ratio and its inverse),
    and in which column: a unit mix-up shows on the row that has it, whichever year arrived first."""
    ordered = frame.sort_values(["adcode", "data_year"])
    values = ordered[columns]
    jumps = []
    for neighbour in (1, -1):
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = values / ordered.groupby("adcode")[columns].shift(neighbour)
            jumps.append(np.maximum(ratio, 1 / ratio).replace([np.inf, -np.inf], np.nan))
    jump = np.fmax(jumps[0], jumps[1])
    ordered["yoy_max_jump"] = jump.max(axis=1, skipna=True)
    ordered["yoy_jump_column"] = jump.fillna(-1.0).idxmax(axis=1).where(ordered["yoy_max_jump"].notna())
    return ordered.sort_index()
