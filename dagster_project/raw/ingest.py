"""One factory for the raw statistics, partitioned by data year: an ingest asset and its blocking check.

Each source is a folder data/raw/<source>/<year>/ of CSV or XLSX files. A run for some years replaces
exactly those years' rows in raw.<source>; the files are never modified, and each row keeps the path and
sha256 of its file, its line there, and when and by which run it was loaded.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dagster import (
    AssetChecksDefinition,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    PartitionsDefinition,
    asset,
)

from dagster_project.checks import expectation_check
from dagster_project.partitions import SINGLE_RUN
from dagster_project.reference.admin_units import ADMIN_UNITS
from dagster_project.resources import PROJECT_DIR, DataDirectory, Warehouse

# Beyond this year-over-year factor a value is flagged (a warning); beyond the second it is refused:
# a jump of about 10,000 is a 万元/亿元 mix-up, not growth.
YOY_WARNING_FACTOR = 3.0
YOY_ERROR_FACTOR = 1000.0


@dataclass(frozen=True)
class RawSource:
    name: str  # the folder data/raw/<name>/, the table raw.<name> and the asset key [raw, <name>]
    contract: Path
    suite: str  # expectations/<suite>.json
    description: str
    preview: list[str]
    year_over_year: bool = False  # judge each row against the unit's neighbouring years
    admin_units: bool = False  # rows are county-level units: attach their universe
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> AssetKey:
        return AssetKey(["raw", self.name])


COUNTY_STATISTICS = RawSource(
    name="county_statistics",
    contract=PROJECT_DIR / "config" / "raw_statistics.yaml",
    suite="raw_county_statistics",
    description=(
        "County-level raw statistics, one row per unit and data year, converted to the canonical units of "
        "config/raw_statistics.yaml. The bundled files are a SYNTHETIC demo panel (synthetic = true)."
    ),
    preview=["adcode", "data_year", "name", "gdp", "va_industry", "population_resident"],
    year_over_year=True,
    admin_units=True,
    parameters={"yoy_warning_factor": YOY_WARNING_FACTOR, "yoy_error_factor": YOY_ERROR_FACTOR},
)
NATIONAL_TOTALS = RawSource(
    name="national_totals",
    contract=PROJECT_DIR / "config" / "national_totals.yaml",
    suite="raw_national_totals",
    description=(
        "National totals per data year (GDP, industrial value added, population, above-scale profit, "
        "exports, retail sales, R&D), real, from the NBS statistical communiqués; canonical units."
    ),
    preview=["data_year", "gdp", "va_industry", "population_resident", "source"],
)
RAW_SOURCES = (COUNTY_STATISTICS, NATIONAL_TOTALS)


def build_raw_asset(source: RawSource, years: PartitionsDefinition) -> AssetsDefinition:
    @asset(
        key=source.key,
        deps=[ADMIN_UNITS] if source.admin_units else [],
        partitions_def=years,
        backfill_policy=SINGLE_RUN,
        group_name="raw",
        kinds={"csv", "xlsx", "duckdb"},
        description=source.description,
        metadata={
            "contract": source.contract.relative_to(PROJECT_DIR).as_posix(),
            "suite": f"expectations/{source.suite}.json",
            "folder": f"data/raw/{source.name}/<year>/",
        },
    )
    def _ingest(
        context: AssetExecutionContext, data_dir: DataDirectory, warehouse: Warehouse
    ) -> MaterializeResult:
        loaded = [int(year) for year in context.partition_keys]
        frame, sources = ingest(source, loaded, data_dir.root, warehouse, context.run.run_id)
        return MaterializeResult(
            metadata={
                "rows": len(frame),
                "data_years": MetadataValue.json(loaded),
                "synthetic": bool(frame["synthetic"].any()),
                "source_files": MetadataValue.json({s.relative_path: s.sha256 for s in sources}),
                "preview": MetadataValue.md(frame[source.preview].head(10).to_markdown(index=False)),
            }
        )

    return _ingest


def ingest(source: RawSource, years: list[int], data_root: Path, warehouse: Warehouse, run_id: str):
    """Read the years' files, judge them, and replace those years' rows in one transaction."""
    # pandas loads when the asset runs, not when the definitions load
    import pandas as pd

    from dagster_project.lib import warehouse as tables
    from dagster_project.raw import frames
    from dagster_project.raw.contract import Contract, ContractError

    contract = Contract.load(source.contract)
    folder = data_root / "raw" / source.name
    try:
        parts = [frames.read_year(folder, year, contract, data_root, run_id) for year in years]
    except ContractError as error:
        raise Failure(str(error)) from error
    frame = pd.concat([part for part, _ in parts], ignore_index=True)
    sources = [s for _, year_sources in parts for s in year_sources]
    with warehouse.get_connection() as con:
        if source.year_over_year:
            neighbours = {y + step for y in years for step in (-1, 1)} - set(years)
            kept = tables.read_years(con, *source.key.path, sorted(neighbours))
            judged = frames.year_over_year(pd.concat([frame, kept], ignore_index=True), contract.amounts)
            frame = judged[judged["folder_year"].isin(years)].drop(columns=["universe"], errors="ignore")
        if source.admin_units:
            universes = con.execute(f'select adcode, universe from "{ADMIN_UNITS.path[0]}".admin_units').df()
            frame = frame.merge(universes, on="adcode", how="left")
        tables.replace_years(con, *source.key.path, frame, years)
    return frame, sources


def build_raw_check(source: RawSource, years: PartitionsDefinition) -> AssetChecksDefinition:
    return expectation_check(source.key, source.suite, source.parameters, years)
