"""`county-industry validate FILE`: an input's expectation suite run on a file before it is dropped in.

The same reading, unit conversion, name resolution and suite as the pipeline's ingest asset and check,
without touching the warehouse: a data engineer learns every problem of a file before a run does.
"""

from __future__ import annotations

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
from dagster_project.raw import frames as raw_frames
from dagster_project.raw.contract import Contract
from dagster_project.raw.county_statistics import SOURCE, YOY_ERROR_FACTOR, YOY_WARNING_FACTOR
from dagster_project.raw.national_totals import CONTRACT_FILE as NATIONAL_CONTRACT
from dagster_project.reference import frames as reference_frames
from dagster_project.reference.admin_units import ADCODES_FILE, PROVINCES_FILE
from dagster_project.reference.catalogue import reference_inputs
from dagster_project.reference.inputs import ALIASES_FILE, ReferenceInput
from dagster_project.resources import EXPECTATIONS_DIR

RAW_SOURCES = ("county_statistics", "national_totals")


def inputs_by_name() -> dict[str, ReferenceInput]:
    return {spec.table: spec for spec in reference_inputs()}


def input_of(path: Path, data_dir: Path) -> str:
    """Which input a file inside the data directory is, from where it sits."""
    try:
        relative = path.resolve().relative_to(data_dir.resolve())
    except ValueError:
        relative = None
    if relative is not None and relative.parts[0] == "raw" and relative.parts[1] in RAW_SOURCES:
        return relative.parts[1]
    if relative is not None and relative.parts[0] == "reference":
        for name, spec in inputs_by_name().items():
            if Path("reference", spec.file) == relative:
                return name
    known = ", ".join([*RAW_SOURCES, *inputs_by_name()])
    raise ValueError(f"{path}: cannot tell which input this is; pass --input, one of: {known}")


def validate_file(
    path: Path, data_dir: Path, input_name: str | None = None, year: int | None = None
) -> Validation:
    name = input_name or input_of(path, data_dir)
    reference = data_dir / "reference"
    provinces = read_provinces(reference / PROVINCES_FILE)
    units = read_admin_units(reference / ADCODES_FILE, provinces)
    if name in RAW_SOURCES:
        return _validate_raw(path, data_dir, name, year, units)
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


def _validate_raw(path: Path, data_dir: Path, source: str, year: int | None, units: list) -> Validation:
    """The file's rows, judged beside the other years already in place (for the year-over-year rules)."""
    contract = Contract.load() if source == SOURCE else Contract.load(NATIONAL_CONTRACT)
    frame = raw_frames.to_canonical(raw_frames.read_cells(path), contract, str(path))
    folder_year = year if year is not None else int(path.parent.name) if path.parent.name.isdigit() else None
    frame = frame.assign(folder_year=folder_year, **{FILE_COLUMN: str(path)})
    if source != SOURCE:
        return validate(EXPECTATIONS_DIR / "raw_national_totals.json", frame, source_file=str(path))
    others = [
        raw_frames.to_canonical(raw_frames.read_cells(p), contract, str(p)).assign(**{FILE_COLUMN: str(p)})
        for p in sorted((data_dir / "raw" / source).glob("*/*"))
        if p.suffix.lower() in (".csv", ".xlsx")
        and p.resolve() != path.resolve()
        and p.parent.name != str(folder_year)
    ]
    judged = raw_frames.year_over_year(pd.concat([*others, frame], ignore_index=True), contract.amounts)
    judged = judged[judged[FILE_COLUMN] == str(path)]
    universes = pd.DataFrame({"adcode": [u.adcode for u in units], "universe": [u.universe for u in units]})
    judged = judged.merge(universes, on="adcode", how="left")
    parameters = {"yoy_warning_factor": YOY_WARNING_FACTOR, "yoy_error_factor": YOY_ERROR_FACTOR}
    return validate(
        EXPECTATIONS_DIR / "raw_county_statistics.json", judged, source_file=str(path), parameters=parameters
    )
