"""One factory for every printed reference table: an ingest asset and its blocking expectation check.

A table is read as printed and every row resolved to an adcode; rows that do not resolve are kept
with the reason, so that the check can name them. Nothing is dropped.
"""

from dataclasses import dataclass, field
from typing import Any

from dagster import (
    AssetChecksDefinition,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)

from dagster_project.checks import expectation_check
from dagster_project.lib.divisions import Resolver, read_aliases, read_prefectures, read_provinces
from dagster_project.lib.provenance import SourceFile
from dagster_project.reference.admin_units import ADCODES_FILE, ADMIN_UNITS, PROVINCES_FILE
from dagster_project.resources import DataDirectory, Warehouse

ALIASES_FILE = "divisions/name_aliases.csv"


@dataclass(frozen=True)
class ReferenceInput:
    table: str  # the warehouse table reference.<table>, and the asset key [reference, <table>]
    file: str  # relative to data/reference/
    description: str
    columns: list[str]  # the columns the file must have
    resolve: str  # the function of reference/frames.py that resolves its rows (frames loads pandas)
    suite: str  # expectations/<suite>.json
    parameters: dict[str, Any] = field(default_factory=dict)
    preview: list[str] = field(default_factory=list)

    @property
    def key(self) -> AssetKey:
        return AssetKey(["reference", self.table])


def build_input_asset(spec: ReferenceInput) -> AssetsDefinition:
    @asset(
        key=spec.key,
        deps=[ADMIN_UNITS],
        group_name="reference",
        kinds={"csv", "duckdb"},
        description=spec.description,
        metadata={"source": f"data/reference/{spec.file}", "suite": f"expectations/{spec.suite}.json"},
    )
    def _asset(
        context: AssetExecutionContext, data_dir: DataDirectory, warehouse: Warehouse
    ) -> MaterializeResult:
        from dagster_project.lib import warehouse as tables  # pandas: loaded when the asset runs
        from dagster_project.reference import frames

        source = SourceFile.of(data_dir.reference / spec.file, data_dir.root)
        printed = frames.read_csv_strictly(source.path, spec.columns)
        provinces = read_provinces(data_dir.reference / PROVINCES_FILE)
        aliases = read_aliases(data_dir.reference / ALIASES_FILE)
        prefectures = read_prefectures(data_dir.reference / ADCODES_FILE, provinces)
        with warehouse.get_connection() as con:
            units = frames.admin_units_from_table(tables.read_table(con, *ADMIN_UNITS.path))
            resolve = getattr(frames, spec.resolve)
            frame = resolve(printed, Resolver(units, provinces, aliases, prefectures))
            frame = frame.assign(**source.columns(context.run.run_id))
            tables.write_table(con, *spec.key.path, frame)
        return MaterializeResult(
            metadata={
                "rows": len(frame),
                "unresolved_rows": int(frame["resolution_error"].notna().sum()),
                "source_file": source.relative_path,
                "source_sha256": source.sha256,
                "preview": MetadataValue.md(frame[spec.preview].head(10).to_markdown(index=False)),
            }
        )

    return _asset


def build_input_check(spec: ReferenceInput) -> AssetChecksDefinition:
    return expectation_check(spec.key, spec.suite, spec.parameters or None)
