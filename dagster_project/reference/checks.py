"""Asset checks that run a great-expectations suite on what an ingest asset loaded.

They are blocking: a failed suite stops everything downstream of the asset in the same run.
"""

from typing import Any

from dagster import AssetCheckResult, AssetChecksDefinition, AssetKey, MetadataValue, asset_check

from dagster_project.resources import EXPECTATIONS_DIR, Warehouse


def expectation_check(
    asset_key: AssetKey, suite: str, parameters: dict[str, Any] | None = None
) -> AssetChecksDefinition:
    table = asset_key.path[-1]
    suite_path = EXPECTATIONS_DIR / f"{suite}.json"

    @asset_check(
        asset=asset_key,
        name=suite,
        blocking=True,
        description=f"great-expectations suite expectations/{suite}.json on the loaded rows.",
    )
    def _check(warehouse: Warehouse) -> AssetCheckResult:
        # pandas and great-expectations load when a check runs, never when the definitions load
        from dagster_project.lib.expectations import validate
        from dagster_project.reference.frames import read_table

        with warehouse.get_connection() as con:
            frame = read_table(con, table)
        source_file = frame["source_file"].iloc[0] if len(frame) else table
        validation = validate(suite_path, frame, source_file=source_file, parameters=parameters)
        failures = "\n".join(f"- {f}" for f in validation.failures) or "none"
        return AssetCheckResult(
            passed=validation.success,
            description="; ".join(validation.failures[:3]) if validation.failures else None,
            metadata={
                "suite": f"expectations/{suite}.json",
                "source_file": source_file,
                "rows": len(frame),
                "expectations_evaluated": validation.evaluated,
                "failure_count": len(validation.failures),
                "failures": MetadataValue.md(failures),
                **({"parameters": MetadataValue.json(parameters)} if parameters else {}),
            },
        )

    return _check
