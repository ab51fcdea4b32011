"""`county-industry validate FILE`: an input's expectation suite run on a file before it is dropped in.

The same reading, unit conversion, name resolution and suite as the pipeline's ingest asset and check,
without touching the warehouse: a data engineer learns every problem of a file before a run does.
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
from dagster_project.lib.expectations import FILE_COLUMN, Validation, validate
from dagster_project.lib.paths import OutsideDataDirectory, confined
from dagster_project.raw import frames as raw_frames
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
    reference = data_dir / "reference"
    provinces = read_provinces(reference / PROVINCES_FILE)
    units = read_admin_units(reference / ADCODES_FILE, provinces)
    if name in raw_by_name():
        return _validate_raw(path, data_dir, raw_by_name()[name], year, units)
    spec = inputs_by_name().get(name)
    if spec is None:
        raise ValueError(f"unknown input {name!r}")
    resolver = Resolver(
        units,
        provinces,
        read_aliases(reference / ALIASES_FILE),
        read_prefectures(reference / ADCODES_FILE, provinces),
    )
    printed = reference_frames.read_csv_strictly(path, spec.columns)
    frame = getattr(reference_frames, spec.resolve)(printed, resolver).assign(**{FILE_COLUMN: str(path)})
    return validate(
        EXPECTATIONS_DIR / f"{spec.suite}.json", frame, source_file=str(path), parameters=spec.parameters
    )


def _validate_raw(path: Path, data_dir: Path, source: RawSource, year: int | None, units: list) -> Validation:
    """The file's rows, judged beside the other years already in place (for the year-over-year rules)."""
    contract = Contract.load(source.contract)
    frame = raw_frames.to_canonical(raw_frames.read_cells(path), contract, str(path))
    folder_year = year if year is not None else int(path.parent.name) if path.parent.name.isdigit() else None
    frame = frame.assign(folder_year=folder_year, **{FILE_COLUMN: str(path)})
    suite = EXPECTATIONS_DIR / f"{source.suite}.json"
    if source.year_over_year:
        others = [
            raw_frames.to_canonical(raw_frames.read_cells(p), contract, str(p)).assign(
                **{FILE_COLUMN: str(p)}
            )
            for p in sorted((data_dir / "raw" / source.name).glob("*/*"))
            if p.suffix.lower() in (".csv", ".xlsx")
            and p.resolve() != path.resolve()
            and p.parent.name != str(folder_year)
        ]
        judged = raw_frames.year_over_year(pd.concat([*others, frame], ignore_index=True), contract.amounts)
        frame = judged[judged[FILE_COLUMN] == str(path)]
    if source.admin_units:
        universes = pd.DataFrame(
            {"adcode": [u.adcode for u in units], "universe": [u.universe for u in units]}
        )
        frame = frame.merge(universes, on="adcode", how="left")
    return validate(suite, frame, source_file=str(path), parameters=source.parameters)


def validate_command(path: Path, data_dir: Path, input_name: str | None, year: int | None) -> int:
    """`county-industry validate FILE`: every problem printed, one line each; exit 1 if any blocks."""
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
    except ValueError as error:  # an unknown input, or a header the contract refuses
        print(error, file=sys.stderr)
        return 1
    for kind, problems in (("FAILED", validation.failures), ("WARNING", validation.warnings)):
        for problem in problems:
            print(f"{kind} {problem}")
    verdict = "failed" if validation.failures else "passed"
    print(
        f"{path}: suite {validation.suite} {verdict}: {len(validation.failures)} failures, "
        f"{len(validation.warnings)} warnings ({validation.evaluated} expectations)"
    )
    return 1 if validation.failures else 0
