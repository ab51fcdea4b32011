from dagster import Definitions, definitions

from dagster_project.partitions import DATA_YEARS
from dagster_project.raw.ingest import RAW_SOURCES, build_raw_asset


@definitions
def defs() -> Definitions:
    return Definitions(assets=[build_raw_asset(source, DATA_YEARS) for source in RAW_SOURCES])
