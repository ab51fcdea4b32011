"""The raw county statistics: every file under data/raw/county_statistics/<year>/, in canonical units.

The raw files are never modified; each row keeps the path and sha256 of its file and its line there.
"""

from dagster import AssetExecutionContext, AssetKey, Failure, MaterializeResult, MetadataValue, asset

from dagster_project.checks import expectation_check
from dagster_project.lib.provenance import SourceFile
from dagster_project.reference.admin_units import ADMIN_UNITS
from dagster_project.resources import DataDirectory, Warehouse

COUNTY_STATISTICS = AssetKey(["raw", "county_statistics"])
SOURCE = "county_statistics"
ACCEPTED_SUFFIXES = (".csv", ".xlsx")
# Beyond this year-over-year factor a value is flagged (a warning); beyond the second it is refused:
# a jump of about 10,000 is a 万元/亿元 mix-up, not growth.
YOY_WARNING_FACTOR = 3.0
YOY_ERROR_FACTOR = 1000.0


@asset(
    key=COUNTY_STATISTICS,
    deps=[ADMIN_UNITS],
    group_name="raw",
    kinds={"csv", "xlsx", "duckdb"},
    description=(
        "County-level raw statistics, one row per unit and data year, converted to the canonical units of "
        "config/raw_statistics.yaml. The bundled files are a SYNTHETIC demo panel (synthetic = true)."
    ),
    metadata={"contract": "docs/data-contract.md", "suite": "expectations/raw_county_statistics.json"},
)
def county_statistics(
    context: AssetExecutionContext, data_dir: DataDirectory, warehouse: Warehouse
) -> MaterializeResult:
    import pandas as pd  # loaded when the asset runs, not when the definitions load

    from dagster_project.lib import warehouse as tables
    from dagster_project.raw import frames
    from dagster_project.raw.contract import Contract, ContractError

    contract = Contract.load()
    folder = data_dir.root / "raw" / SOURCE
    paths = sorted(p for p in folder.glob("*/*") if p.suffix.lower() in ACCEPTED_SUFFIXES)
    if not paths:
        raise Failure(f"{folder}: no .csv or .xlsx file under <year>/ folders")
    parts, sources = [], []
    for path in paths:
        source = SourceFile.of(path, data_dir.root)
        try:
            frame = frames.to_canonical(frames.read_cells(path), contract, source.relative_path)
        except ContractError as error:
            raise Failure(str(error)) from error
        parts.append(frame.assign(folder_year=int(path.parent.name), **source.columns(context.run.run_id)))
        sources.append(source)
    frame = frames.year_over_year(pd.concat(parts, ignore_index=True), contract.amounts)
    with warehouse.get_connection() as con:
        universes = con.execute(f'select adcode, universe from "{ADMIN_UNITS.path[0]}".admin_units').df()
        frame = frame.merge(universes, on="adcode", how="left")
        tables.write_table(con, *COUNTY_STATISTICS.path, frame)
    return MaterializeResult(
        metadata={
            "rows": len(frame),
            "data_years": MetadataValue.json(sorted(int(y) for y in frame["data_year"].dropna().unique())),
            "synthetic": bool(frame["synthetic"].any()),
            "source_files": MetadataValue.json({s.relative_path: s.sha256 for s in sources}),
            "preview": MetadataValue.md(
                frame[["adcode", "data_year", "name", "gdp", "va_industry", "population_resident"]]
                .head(10)
                .to_markdown(index=False)
            ),
        }
    )


county_statistics_check = expectation_check(
    COUNTY_STATISTICS,
    "raw_county_statistics",
    {"yoy_warning_factor": YOY_WARNING_FACTOR, "yoy_error_factor": YOY_ERROR_FACTOR},
)
