"""`county-industry validate FILE...`: an input's expectation suite run on files before they are dropped in.

The same reading, unit conversion, name resolution and suite as the pipeline's ingest asset and check
(raw files: the same code, dagster_project/raw/judging.py), without touching the warehouse: a data engineer
learns every problem of a file before a run does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd

from dagster_project.lib.divisions import (
    Resolver,
    read_admin_units,
    read_aliases,
    read_prefectures,
    read_provinces,
)
from dagster_project.lib.expectations import FILE_COLUMN, Validation, plural, validate
from dagster_project.lib.paths import OutsideDataDirectory, confined
from dagster_project.raw.contract import Contract
from dagster_project.raw.ingest import RAW_SOURCES, RawSource
from dagster_project.reference import frames as reference_frames
from dagster_project.reference.admin_units import ADCODES_FILE, PROVINCES_FILE
from dagster_project.reference.catalogue import reference_inputs
from dagster_project.reference.inputs import ALIASES_FILE, ReferenceInput
from dagster_project.resources import (
    DEFAULT_DATA_DIR,
    EXPECTATIONS_DIR,
    INCOMING_FOLDER,
    RAW_FOLDER,
    REFERENCE_FOLDER,
)

# Files waiting to be checked: data/incoming/<input>/<year>/ mirrors data/raw/; no run reads it.
INCOMING = INCOMING_FOLDER


def inputs_by_name(reference_dir: Path = DEFAULT_DATA_DIR / REFERENCE_FOLDER) -> dict[str, ReferenceInput]:
    """The ranking files are those present there: a new edition's files are known once dropped in."""
    return {spec.table: spec for spec in reference_inputs(reference_dir)}


def raw_by_name() -> dict[str, RawSource]:
    return {source.name: source for source in RAW_SOURCES}


def input_of(path: Path, data_dir: Path) -> str:
    """Which input a file inside the data directory is, from where it sits."""
    try:
        relative = path.resolve().relative_to(data_dir.resolve())
    except ValueError:
        relative = None
    raw_folder = relative is not None and relative.parts[0] in (RAW_FOLDER, INCOMING)
    if raw_folder and relative.parts[1] in raw_by_name():
        return relative.parts[1]
    if relative is not None and relative.parts[0] == REFERENCE_FOLDER:
        for name, spec in inputs_by_name(data_dir / REFERENCE_FOLDER).items():
            if Path(REFERENCE_FOLDER, spec.file) == relative:
                return name
    known = ", ".join([*raw_by_name(), *inputs_by_name(data_dir / REFERENCE_FOLDER)])
    raise ValueError(f"{path}: cannot tell which input this is; pass --input, one of: {known}")


def validate_file(
    path: Path, data_dir: Path, input_name: str | None = None, year: int | None = None
) -> Validation:
    return validate_files([path], data_dir, input_name, year)


def validate_files(
    paths: list[Path], data_dir: Path, input_name: str | None = None, year: int | None = None
) -> Validation:
    """Files of one input (and, for raw statistics, one data year), judged together."""
    path = paths[0]
    name = input_name or input_of(path, data_dir)
    if name in raw_by_name():
        return _validate_raw(paths, data_dir, raw_by_name()[name], year)
    spec = inputs_by_name(data_dir / REFERENCE_FOLDER).get(name)
    if spec is None:
        known = ", ".join([*raw_by_name(), *inputs_by_name(data_dir / REFERENCE_FOLDER)])
        raise ValueError(f"unknown input {name!r}: one of {known}")
    reference = data_dir / REFERENCE_FOLDER
    provinces = read_provinces(reference / PROVINCES_FILE)
    resolver = Resolver(
        read_admin_units(reference / ADCODES_FILE, provinces),
        provinces,
        read_aliases(reference / ALIASES_FILE),
        read_prefectures(reference / ADCODES_FILE, provinces),
    )
    printed = reference_frames.read_csv_strictly(path, spec.columns)
    frame = getattr(reference_frames, spec.resolve)(printed, resolver).assign(**{FILE_COLUMN: str(path)})
    return validate(
        EXPECTATIONS_DIR / f"{spec.suite}.json", frame, source_file=str(path), parameters=spec.parameters
    )


def data_year_of(path: Path, year: int | None) -> int:
    if year is not None:
        return year
    if not path.parent.name.isdigit():
        raise ValueError(f"{path}: not in a folder named by its data year; pass --year")
    return int(path.parent.name)


def _validate_raw(paths: list[Path], data_dir: Path, source: RawSource, year: int | None) -> Validation:
    """The files judged as a run would judge their year: with the other files of that year already in
    data/raw/ (one of the same name is a file it replaces), beside the years around it on disk."""
    from dagster_project.raw import judging  # pandas and great-expectations: loaded when judging

    contract = Contract.load(source.contract)
    year = data_year_of(paths[0], year)
    folder = data_dir / RAW_FOLDER / source.name
    given = {p.name for p in paths} | {p.resolve() for p in paths}
    in_place = [p for p in judging.year_files(folder / str(year)) if not {p.name, p.resolve()} & given]
    frame = judging.read_year([*paths, *in_place], year, contract)
    neighbours = pd.DataFrame()
    if source.year_over_year or source.admin_units:
        around = [
            judging.read_year(judging.year_files(folder / str(y)), y, contract) for y in (year - 1, year + 1)
        ]
        neighbours = pd.concat(
            [part for part in around if not part.empty] or [pd.DataFrame()], ignore_index=True
        )
    dimension = judging.load_dimension(data_dir / REFERENCE_FOLDER) if source.admin_units else None
    label = str(paths[0]) if len(paths) == 1 else f"{len(paths)} files of {folder.name} {year}"
    _, validation = judging.judge(source, contract, frame, neighbours, dimension, label)
    return validation


def validate_command(paths: list[Path], data_dir: Path, input_name: str | None, year: int | None) -> int:
    """`county-industry validate FILE...`: every problem printed, one line each (at most 20 rows per rule);
    exit 1 if any blocks. Raw files of one input and data year are judged together, as their run would
    judge them; each other file alone. The summary counts breaches, failing rows and rules apart from
    the lines."""
    confined_paths = []
    for path in paths:
        try:
            confined_paths.append(as_typed(confined(path, data_dir)))
        except OutsideDataDirectory as error:
            print(
                f"{error}: copy it under {data_dir / INCOMING}/ first (not read by any run)", file=sys.stderr
            )
            return 2
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
    try:
        groups = _groups(confined_paths, data_dir, input_name, year)
        outcomes = [(group, validate_files(group, data_dir, input_name, year)) for group in groups]
    except (ValueError, FileNotFoundError) as error:  # an unknown input, a refused header, a file too large
        print(error, file=sys.stderr)
        return 1
    for group, validation in outcomes:
        lines = 0
        for kind, problems in (("FAILED", validation.failures), ("WARNING", validation.warnings)):
            for problem in problems:
                print(f"{kind} {problem}")
                lines += 1
        verdict = "passed" if validation.success else "failed"
        print(
            f"{', '.join(map(str, group))}: suite {validation.suite} {verdict}: {validation.summary()}; "
            f"{plural(lines, 'line')} above; {validation.evaluated} expectations"
        )
    return 0 if all(validation.success for _, validation in outcomes) else 1


def as_typed(path: Path) -> Path:
    """A path under the working folder, relative to it, as the engineer typed it; any other absolute."""
    return Path(os.path.relpath(path)) if path.is_relative_to(Path.cwd()) else path


def _groups(paths: list[Path], data_dir: Path, input_name: str | None, year: int | None) -> list[list[Path]]:
    """Raw files grouped by input and data year (judged together); any other file alone."""
    groups: dict[tuple, list[Path]] = {}
    for path in paths:
        name = input_name or input_of(path, data_dir)
        key = (name, data_year_of(path, year)) if name in raw_by_name() else (name, str(path))
        groups.setdefault(key, []).append(path)
    return list(groups.values())
