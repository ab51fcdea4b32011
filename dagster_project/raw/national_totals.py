"""National totals per data year (real, from the NBS communiqués): the denominators of national shares."""

from dagster import AssetExecutionContext, AssetKey, Failure, MaterializeResult, MetadataValue, asset

from dagster_project.checks import expectation_check
from dagster_project.resources import PROJECT_DIR, DataDirectory, Warehouse

NATIONAL_TOTALS = AssetKey(["raw", "national_totals"])
CONTRACT_FILE = PROJECT_DIR / "config" / "national_totals.yaml"


@asset(
    key=NATIONAL_TOTALS,
    group_name="raw",
    kinds={"csv", "duckdb"},
    description=(
        "National totals per data year (GDP, industrial value added, population, above-scale profit, "
        "exports, retail sales, R&D), real, from the NBS statistical communiqués; canonical units."
    ),
    metadata={"contract": "config/national_totals.yaml", "suite": "expectations/raw_national_totals.json"},
)
def national_totals(
    context: AssetExecutionContext, data_dir: DataDirectory, warehouse: Warehouse
) -> MaterializeResult:
    # pandas loads when the asset runs, not when the definitions load
    from dagster_project.lib import warehouse as tables
    from dagster_project.raw import frames
    from dagster_project.raw.contract import Contract, ContractError

    try:
        frame, sources = frames.read_source(
            data_dir.root / "raw" / NATIONAL_TOTALS.path[-1],
            Contract.load(CONTRACT_FILE),
            data_dir.root,
            context.run.run_id,
        )
    except ContractError as error:
        raise Failure(str(error)) from error
    with warehouse.get_connection() as con:
        tables.write_table(con, *NATIONAL_TOTALS.path, frame)
    return MaterializeResult(
        metadata={
            "rows": len(frame),
            "source_files": MetadataValue.json({s.relative_path: s.sha256 for s in sources}),
            "preview": MetadataValue.md(
                frame.drop(columns=["run_id", "source_sha256"]).to_markdown(index=False)
            ),
        }
    )


national_totals_check = expectation_check(NATIONAL_TOTALS, "raw_national_totals")
