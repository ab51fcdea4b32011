"""Asset checks that run a great-expectations suite on what an ingest asset loaded.

They are blocking: a failed suite stops everything downstream of the asset in the same run.
"""

from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    PartitionsDefinition,
    asset_check,
)

from dagster_project.resources import EXPECTATIONS_DIR, Warehouse


def expectation_check(
    asset_key: AssetKey,
    suite: str,
    parameters: dict[str, Any] | None = None,
    partitions_def: PartitionsDefinition | None = None,
) -> AssetChecksDefinition:
    """With partitions (data years), the check judges the rows of the years its run loaded."""
    suite_path = EXPECTATIONS_DIR / f"{suite}.json"

    @asset_check(
        asset=asset_key,
        name=suite,
        blocking=True,
        partitions_def=partitions_def,
        description=f"great-expectations suite expectations/{suite}.json on the loaded rows.",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
        # pandas and great-expectations load when a check runs, never when the definitions load
        from dagster_project.lib.expectations import validate
        from dagster_project.lib.warehouse import read_table, read_years

        with warehouse.get_connection() as con:
            if partitions_def is None:
                frame = read_table(con, *asset_key.path)
            else:
                frame = read_years(con, *asset_key.path, [int(key) for key in context.partition_keys])
        files = sorted(frame["source_file"].unique()) if len(frame) else [asset_key.to_user_string()]
        source_file = files[0] if len(files) == 1 else f"{len(files)} files"
        validation = validate(suite_path, frame, source_file=source_file, parameters=parameters)
        problems = validation.failures or validation.warnings
        return AssetCheckResult(
            passed=not problems,
            severity=AssetCheckSeverity.ERROR if validation.failures else AssetCheckSeverity.WARN,
            description="; ".join(problems[:3]) if problems else None,
            metadata={
                "suite": f"expectations/{suite}.json",
                "source_files": MetadataValue.json(files),
                "rows": len(frame),
                "expectations_evaluated": validation.evaluated,
                "failure_count": len(validation.failures),
                "failures": MetadataValue.md(_bullets(validation.failures)),
                "warning_count": len(validation.warnings),
                "warnings": MetadataValue.md(_bullets(validation.warnings)),
                **({"parameters": MetadataValue.json(parameters)} if parameters else {}),
            },
        )

    return _check


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines) or "none"
