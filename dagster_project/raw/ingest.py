"""One factory for the raw statistics, partitioned by data year: an ingest asset and its blocking check.

Each source is a folder data/raw/<source>/<year>/ of CSV or XLSX files. A run for some years replaces
exactly those years' rows in raw.<source>; the files are never modified, and each row keeps the path and
sha256 of its file, its line there, and when and by which run it was loaded.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    PartitionsDefinition,
    asset,
)

from dagster_project.checks import check_result, files_label, for_each_partition
from dagster_project.partitions import SINGLE_RUN
from dagster_project.reference.admin_units import ADMIN_UNITS
from dagster_project.resources import (
    NATIONAL_TOTALS_CONTRACT,
    PROJECT_DIR,
    RAW_FOLDER,
    RAW_STATISTICS_CONTRACT,
    REFERENCE_FOLDER,
    DataDirectory,
    Warehouse,
)

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
    measure_rules: bool = (
        False  # judge each measure by the rules its contract implies (not negative, reported)
    )
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> AssetKey:
        return AssetKey(["raw", self.name])


COUNTY_STATISTICS = RawSource(
    name="county_statistics",
    contract=RAW_STATISTICS_CONTRACT,
    suite="raw_county_statistics",
    description=(
        "County-level raw statistics, one row per unit and data year, converted to the canonical units of "
        "config/raw_statistics.yaml. The bundled files are a SYNTHETIC demo panel (synthetic = true)."
    ),
    preview=["adcode", "data_year", "name", "gdp", "va_industry", "population_resident"],
    year_over_year=True,
    admin_units=True,
    measure_rules=True,
    parameters={"yoy_warning_factor": YOY_WARNING_FACTOR, "yoy_error_factor": YOY_ERROR_FACTOR},
)
NATIONAL_TOTALS = RawSource(
    name="national_totals",
    contract=NATIONAL_TOTALS_CONTRACT,
    suite="raw_national_totals",
    description=(
        "National totals per data year (GDP, industrial value added, population, above-scale profit, "
        "exports, retail sales, R&D), real, from the NBS statistical communiqués; canonical units."
    ),
    preview=["data_year", "gdp", "va_industry", "population_resident", "source"],
)
RAW_SOURCES = (COUNTY_STATISTICS, NATIONAL_TOTALS)


def build_raw_asset(source: RawSource, years: PartitionsDefinition) -> AssetsDefinition:
    """The ingest judges the years' rows with the suite before it writes them: a blocking failure writes
    nothing (the warehouse keeps what it had) and fails the step, and shows as the failed asset check."""

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
        check_specs=[
            AssetCheckSpec(
                source.suite,
                asset=source.key,
                blocking=True,
                partitions_def=years,
                description=(
                    f"great-expectations suite expectations/{source.suite}.json on the rows of the years "
                    "a run loads, judged before they are written."
                ),
            )
        ],
    )
    def _ingest(context: AssetExecutionContext, data_dir: DataDirectory, warehouse: Warehouse):
        from dagster_project.lib.expectations import Breach, Validation  # pandas: when the asset runs
        from dagster_project.raw.contract import ContractError

        loaded = [int(year) for year in context.partition_keys]
        try:
            frame, sources, validation = ingest(source, loaded, data_dir.root, warehouse, context.run.run_id)
        except ContractError as error:  # a file the suite cannot even read: refused as the check's failure
            refused = Validation(
                source.suite, 0, [Breach("the file follows its contract", True, [], [str(error)])]
            )
            yield from for_each_partition(
                context, check_result(refused, [source.key.to_user_string()], 0, source.parameters)
            )
            raise Failure(str(error)) from error
        files = [s.relative_path for s in sources]
        if validation.success:
            for year in loaded:  # each year's page: its own files and rows (a run may load several)
                own = {
                    s.relative_path: s.sha256
                    for s in sources
                    if Path(s.relative_path).parent.name == str(year)
                }
                rows = frame[frame["source_file"].isin(own)]
                context.add_asset_metadata(
                    {
                        "rows": len(rows),
                        "synthetic": bool(rows["synthetic"].any()),
                        "source_files": MetadataValue.json(own),
                        **_carried(rows),
                        "preview": MetadataValue.md(rows[source.preview].head(10).to_markdown(index=False)),
                    },
                    partition_key=str(year),
                )
            yield MaterializeResult(metadata={"loaded_in_this_run": MetadataValue.json(loaded)})
        yield from for_each_partition(context, check_result(validation, files, len(frame), source.parameters))
        if not validation.success:
            raise Failure(
                f"{source.key.to_user_string()} {loaded}: the suite {source.suite} refused the rows "
                f"({validation.summary()}); nothing was written, the warehouse keeps what it had"
            )

    return _ingest


def _carried(frame) -> dict[str, Any]:
    """How many rows were printed with a code that a same-area change (code_changes.csv) carried."""
    if "adcode_as_printed" not in frame:
        return {}
    return {"adcodes_carried": int((frame["adcode"] != frame["adcode_as_printed"]).sum())}


def ingest(source: RawSource, years: list[int], data_root: Path, warehouse: Warehouse, run_id: str):
    """Read the years' files and judge them beside the neighbouring years in the warehouse; replace those
    years' rows, in one transaction, only if no blocking rule fails."""
    # pandas and great-expectations load when the asset runs, not when the definitions load
    import pandas as pd

    from dagster_project.lib import warehouse as tables
    from dagster_project.lib.provenance import SourceFile
    from dagster_project.raw import frames, judging
    from dagster_project.raw.contract import Contract, ContractError

    contract = Contract.load(source.contract)
    folder = data_root / RAW_FOLDER / source.name
    parts, sources = [], []
    for year in years:
        paths = judging.year_files(folder / str(year))
        if not paths:
            raise ContractError(f"{folder / str(year)}: no .csv or .xlsx file for data year {year}")
        for path in paths:
            file = SourceFile.of(path, data_root)
            read = frames.read_file(path, contract, file.relative_path)
            parts.append(read.assign(folder_year=year, **file.columns(run_id)))
            sources.append(file)
    frame = pd.concat(parts, ignore_index=True)
    dimension = judging.load_dimension(data_root / REFERENCE_FOLDER) if source.admin_units else None
    with warehouse.get_connection() as con:
        neighbours = tables.read_years(con, *source.key.path, judging.neighbour_years(years))
        label = files_label([s.relative_path for s in sources])
        frame, validation = judging.judge(source, contract, frame, neighbours, dimension, label)
        if validation.success:
            tables.replace_years(con, *source.key.path, judging.for_the_warehouse(frame), years)
    return frame, sources, validation
