"""The raw county statistics: every file under data/raw/county_statistics/<year>/, in canonical units.

The raw files are never modified; each row keeps the path and sha256 of its file and its line there.
"""

from dagster import AssetExecutionContext, AssetKey, Failure, MaterializeResult, MetadataValue, asset

from dagster_project.checks import expectation_check
from dagster_project.reference.admin_units import ADMIN_UNITS
from dagster_project.resources import DataDirectory, Warehouse

COUNTY_STATISTICS = AssetKey(["raw", "county_statistics"])
SOURCE = "county_statistics"
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
    # pandas loads when the asset runs, not when the definitions load
    from dagster_project.lib import warehouse as tables
    from dagster_project.raw import frames
    from dagster_project.raw.contract import Contract, ContractError

    contract = Contract.load()
    try:
        frame, sources = frames.read_source(
            data_dir.root / "raw" / SOURCE, contract, data_dir.root, context.run.run_id
        )
    except ContractError as error:
        raise Failure(str(error)) from error
    frame = frames.year_over_year(frame, contract.amounts)
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
