"""Judging raw statistics: the one path shared by the ingest asset and `county-industry validate`.

Both read files the same way, carry printed adcodes to today's (same-area code changes), attach each
unit's universe and check its name against the administrative dimension, compare each row with the
unit's neighbouring years, run the suite, and report units missing or new from one year to the next.
They differ only in where the neighbouring years come from: the warehouse (a run) or data/raw/ (validate).

Imported inside asset bodies and by validate: pandas and great-expectations load when judging.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from dagster_project.lib.divisions import (
    Dimension,
    read_admin_units,
    read_aliases,
    read_code_changes,
    read_provinces,
)
from dagster_project.lib.expectations import MAX_ROWS_REPORTED, Breach, Validation, capped, validate
from dagster_project.lib.paths import raw_file
from dagster_project.raw import frames
from dagster_project.raw.contract import Contract
from dagster_project.reference.admin_units import ADCODES_FILE, PROVINCES_FILE
from dagster_project.reference.inputs import ALIASES_FILE
from dagster_project.resources import EXPECTATIONS_DIR

if TYPE_CHECKING:
    from dagster_project.raw.ingest import RawSource

CODE_CHANGES_FILE = "divisions/code_changes.csv"
CONTINUITY_RULE = "units continue from year to year (missing and new units are reported, not refused)"
# Columns that hold what the suite refuses: always empty in rows that pass, so never written.
PROBLEM_COLUMNS = ["unparseable", "control_characters", "name_contradiction"]
_JUDGED = "_judged"


def load_dimension(reference: Path) -> Dimension:
    """The administrative dimension from data/reference/divisions/: units, aliases and code changes.

    Without code_changes.csv (a data directory copied before it existed) no code is carried and no change
    explained: an old code is then refused by the adcode rule, visibly, never dropped."""
    provinces = read_provinces(reference / PROVINCES_FILE)
    changes = reference / CODE_CHANGES_FILE
    return Dimension(
        read_admin_units(reference / ADCODES_FILE, provinces),
        read_aliases(reference / ALIASES_FILE),
        read_code_changes(changes) if changes.is_file() else [],
    )


def year_files(folder: Path) -> list[Path]:
    """The raw files (CSV and XLSX, no office lock file) of one year's folder, by name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if raw_file(p))


def read_year(paths: list[Path], year: int, contract: Contract) -> pd.DataFrame:
    """The files of one data year in canonical units, each row naming its file by its path."""
    if not paths:
        return pd.DataFrame()
    parts = [frames.read_file(p, contract, str(p)).assign(folder_year=year) for p in paths]
    return pd.concat(parts, ignore_index=True)


def neighbour_years(years: list[int]) -> list[int]:
    """The years around those judged that their rows are compared with."""
    return sorted({y + step for y in years for step in (-1, 1)} - set(years))


def judge(
    source: RawSource,
    contract: Contract,
    frame: pd.DataFrame,
    neighbours: pd.DataFrame,
    dimension: Dimension | None,
    source_file: str,
) -> tuple[pd.DataFrame, Validation]:
    """The rows of the judged years (`folder_year` set), ready to write, and the verdict on them.

    `neighbours` are rows of the years around, already in place; `source_file` names the judged files
    in messages that are not about one row."""
    if source.admin_units:
        frame = attach_dimension(frame, dimension)
        neighbours = carry_codes(neighbours, dimension)
    if source.year_over_year:
        both = frame.assign(**{_JUDGED: True})
        if not neighbours.empty:
            both = pd.concat([both, neighbours.assign(**{_JUDGED: False})])
        levels = tuple(source.parameters[f"yoy_{level}_factor"] for level in ("warning", "error"))
        judged = frames.year_over_year(both.reset_index(drop=True), contract.amounts, levels)
        frame = judged[judged[_JUDGED]].drop(columns=_JUDGED).reset_index(drop=True)
    validation = validate(
        EXPECTATIONS_DIR / f"{source.suite}.json",
        frame,
        source_file=source_file,
        parameters=source.parameters,
        columns=contract.describe(),
        expectations=contract.measure_expectations() if source.measure_rules else [],
    )
    if source.admin_units:
        validation.add(continuity(frame, neighbours, dimension, source_file))
    return frame, validation


def attach_dimension(frame: pd.DataFrame, dimension: Dimension) -> pd.DataFrame:
    """Today's adcode (the printed one kept in `adcode_as_printed`), the unit's universe, and whether the
    row's name contradicts the one the dimension gives that adcode."""
    frame = carry_codes(frame.assign(adcode_as_printed=frame["adcode"]), dimension)
    units = dimension.units
    frame["universe"] = frame["adcode"].map(lambda a: units[a].universe if a in units else None)
    names = frame["name"] if "name" in frame else pd.Series(None, index=frame.index)
    frame["name_contradiction"] = [
        dimension.name_contradiction(a, n if isinstance(n, str) else None)
        for a, n in zip(frame["adcode"], names, strict=True)
    ]
    return frame


def carry_codes(frame: pd.DataFrame, dimension: Dimension) -> pd.DataFrame:
    """`adcode` as today's code of what was printed: a unit keeps one code across a same-area change."""
    if frame.empty:
        return frame
    printed = frame["adcode_as_printed"] if "adcode_as_printed" in frame else frame["adcode"]
    return frame.assign(adcode=printed.map(lambda a: dimension.current(a) if isinstance(a, str) else a))


def continuity(
    frame: pd.DataFrame, neighbours: pd.DataFrame, dimension: Dimension, source_file: str
) -> Breach | None:
    """Units present in one year and missing in the next, for each judged year and its neighbours, with
    what the code changes say about them. A warning: a real panel loses and gains units."""
    units: dict[int, dict[str, str]] = {}
    for rows in (neighbours, frame):
        if rows.empty:
            continue
        for year, group in rows.dropna(subset=["adcode"]).groupby("folder_year"):
            names = group["name"] if "name" in group else group["adcode"].map(_name_in(dimension))
            units.setdefault(int(year), {}).update(zip(group["adcode"], names.fillna(""), strict=True))
    judged = sorted({int(y) for y in frame["folder_year"].dropna()})
    pairs = sorted({tuple(sorted((y, y + s))) for y in judged for s in (-1, 1) if y + s in units})
    keys, lines = [], []
    for pair in pairs:
        for present, missing in (pair, pair[::-1]):
            for adcode in sorted(set(units[present]) - set(units[missing])):
                keys.append((f"{present}-{missing}", adcode))
                explained = dimension.explain(adcode)
                because = f" ({explained})" if explained else ""
                lines.append(
                    f"{source_file}: unit {adcode} {units[present][adcode]} is in {present} but missing in "
                    f"{missing}{because} breaks rule '{CONTINUITY_RULE}'"
                )
    if not keys:
        return None
    return Breach(
        CONTINUITY_RULE,
        False,
        keys,
        capped(CONTINUITY_RULE, source_file, lines[:MAX_ROWS_REPORTED], len(lines)),
    )


def _name_in(dimension: Dimension):
    return lambda adcode: dimension.units[adcode].name if adcode in dimension.units else ""


def for_the_warehouse(frame: pd.DataFrame) -> pd.DataFrame:
    """The judged rows as stored: without the columns that only hold what the suite refuses."""
    return frame.drop(columns=[c for c in PROBLEM_COLUMNS if c in frame])
