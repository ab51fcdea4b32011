"""`county-industry validate FILE`: an input's expectation suite run on a file before it is dropped in.

The same reading, unit conversion, name resolution and suite as the pipeline's ingest asset and check
(raw files: the same code, dagster_project/raw/judging.py), without touching the warehouse: a data engineer
learns every problem of a file before a run does.
"""

from __future__ import annotations

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
from dagster_project.resources import EXPECTATIONS_DIR

# Files waiting to be checked: data/incoming/<input>/<year>/ mirrors data/raw/; no run reads it.
INCOMING = "incoming"


def inputs_by_name() -> dict[str, ReferenceInput]:
    return {spec.table: spec for spec in reference_inputs()}


def raw_by_name() -> dict[str, RawSource]:
    return {source.name: source for source in RAW_SOURCES}


def input_of(path: Path, data_dir: Path) -> str:
    """Which input a file inside the data directory is, from where it sits."""
    try:
        relative = path.resolve().relative_to(data_dir.resolve())
    except ValueError:
        relative = None
    if relative is not None and relative.parts[0] in ("raw", INCOMING) and relative.parts[1] in raw_by_name():
        return relative.parts[1]
    if relative is not None and relative.parts[0] == "reference":
        for name, spec in inputs_by_name().items():
            if Path("reference", spec.file) == relative:
                return name
    known = ", ".join([*raw_by_name(), *inputs_by_name()])
    raise ValueError(f"{path}: cannot tell which input this is; pass --input, one of: {known}")


def validate_file(
    path: Path, data_dir: Path, input_name: str | None = None, year: int | None = None
) -> Validation:
    name = input_name or input_of(path, data_dir)
    if name in raw_by_name():
        return _validate_raw(path, data_dir, raw_by_name()[name], year)
    spec = inputs_by_name().get(name)
    if spec is None:
        known = ", ".join([*raw_by_name(), *inputs_by_name()])
        raise ValueError(f"unknown input {name!r}: one of {known}")
    reference = data_dir / "reference"
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


def _validate_raw(path: Path, data_dir: Path, source: RawSource, year: int | None) -> Validation:
    """The file judged as a run would judge its year: with the other files of that year already in
    data/raw/ (one of the same name is the file it replaces), beside the years around it on disk."""
    from dagster_project.raw import judging  # pandas and great-expectations: loaded when judging

    contract = Contract.load(source.contract)
    if year is None:
        if not path.parent.name.isdigit():
            raise ValueError(f"{path}: not in a folder named by its data year; pass --year")
        year = int(path.parent.name)
    folder = data_dir / "raw" / source.name
    in_place = [
        p
        for p in judging.year_files(folder / str(year))
        if p.name != path.name and p.resolve() != path.resolve()
    ]
    frame = judging.read_year([path, *in_place], year, contract)
    neighbours = pd.DataFrame()
    if source.year_over_year or source.admin_units:
        around = [
            judging.read_year(judging.year_files(folder / str(y)), y, contract) for y in (year - 1, year + 1)
        ]
        neighbours = pd.concat(
            [part for part in around if not part.empty] or [pd.DataFrame()], ignore_index=True
        )
    dimension = judging.load_dimension(data_dir / "reference") if source.admin_units else None
    _, validation = judging.judge(source, contract, frame, neighbours, dimension, str(path))
    return validation


def validate_command(path: Path, data_dir: Path, input_name: str | None, year: int | None) -> int:
    """`county-industry validate FILE`: every problem printed, one line each (at most 20 rows per rule);
    exit 1 if any blocks. The summary counts breaches, failing rows and rules apart from the lines."""
    try:
        path = confined(path, data_dir)
    except OutsideDataDirectory as error:
        print(f"{error}: copy it under {data_dir / INCOMING}/ first (not read by any run)", file=sys.stderr)
        return 2
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    try:
        validation = validate_file(path, data_dir, input_name, year)
    except (ValueError, FileNotFoundError) as error:  # an unknown input, a refused header, a file too large
        print(error, file=sys.stderr)
        return 1
    lines = 0
    for kind, problems in (("FAILED", validation.failures), ("WARNING", validation.warnings)):
        for problem in problems:
            print(f"{kind} {problem}")
            lines += 1
    verdict = "passed" if validation.success else "failed"
    print(
        f"{path}: suite {validation.suite} {verdict}: {validation.summary()}; "
        f"{plural(lines, 'line')} above; {validation.evaluated} expectations"
    )
    return 0 if validation.success else 1
