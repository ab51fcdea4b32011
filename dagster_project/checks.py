"""Asset checks that run a great-expectations suite on what an ingest asset loaded.

They are blocking: a failed suite stops everything downstream of the asset in the same run. The raw
statistics judge their rows inside the ingest asset instead (before writing them: raw/ingest.py), and
report with the same `check_result`.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dagster import (
    AssetCheckEvaluation,
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetRecordsFilter,
    MetadataValue,
    Output,
    PartitionsDefinition,
    asset_check,
)
from dagster._core.definitions.asset_checks.asset_check_evaluation import (  # the record Dagster writes
    AssetCheckEvaluationTargetMaterializationData,
)

from dagster_project.resources import EXPECTATIONS_DIR, Warehouse

if TYPE_CHECKING:  # pandas loads when a check runs, never when the definitions load
    from dagster_project.lib.expectations import Validation


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
        validation = validate(suite_path, frame, source_file=files_label(files), parameters=parameters)
        return check_result(validation, files, len(frame), parameters)

    return _check


def files_label(files: list[str]) -> str:
    """How a message that is about no single row names the files judged."""
    return files[0] if len(files) == 1 else f"{len(files)} files"


def check_result(
    validation: "Validation", files: list[str], rows: int, parameters: dict[str, Any] | None = None
) -> AssetCheckResult:
    """A suite's verdict as an asset check result: failures (blocking) or warnings, each line naming
    file, row, column and rule; the counts are of breaches, not of lines."""
    problems = validation.failures or validation.warnings
    failures, _, _ = validation.tally(True)
    warnings, _, _ = validation.tally(False)
    return AssetCheckResult(
        passed=not problems,
        severity=AssetCheckSeverity.WARN if validation.success else AssetCheckSeverity.ERROR,
        description="; ".join(problems[:3]) if problems else None,
        metadata={
            "suite": f"expectations/{validation.suite}.json",
            "source_files": MetadataValue.json(files),
            "rows": rows,
            "expectations_evaluated": validation.evaluated,
            "summary": validation.summary(),
            "failure_count": failures,
            "failures": MetadataValue.md(_bullets(validation.failures)),
            "warning_count": warnings,
            "warnings": MetadataValue.md(_bullets(validation.warnings)),
            **({"parameters": MetadataValue.json(parameters)} if parameters else {}),
        },
    )


def for_each_partition(context: AssetExecutionContext, result: AssetCheckResult) -> Iterator[Any]:
    """A check judged in an asset's run over several data years, recorded for each year it judged.

    Dagster records the result of a run over a range of partitions for none of them, so the check list
    and the Partitions tab showed each year Skipped while the run's log showed Passed. Each year gets the
    result as its own, tied to that year's materialisation as a one-year run ties it; a one-year run's
    result is Dagster's own. The asset must have this one check.
    """
    if context.has_partition_key:
        yield result
        return
    [check_key] = context.assets_def.check_keys
    yield Output(None, output_name=context.assets_def.get_output_name_for_asset_check_key(check_key))
    for partition in context.partition_keys:
        latest = context.instance.fetch_materializations(
            AssetRecordsFilter(asset_key=check_key.asset_key, asset_partitions=[partition]), limit=1
        ).records
        target = [
            AssetCheckEvaluationTargetMaterializationData(
                storage_id=record.storage_id, run_id=record.event_log_entry.run_id, timestamp=record.timestamp
            )
            for record in latest
        ]
        yield AssetCheckEvaluation(
            asset_key=check_key.asset_key,
            check_name=check_key.name,
            passed=result.passed,
            metadata=result.metadata,
            target_materialization_data=target[0] if target else None,
            severity=result.severity,
            description=result.description,
            blocking=context.assets_def.get_spec_for_check_key(check_key).blocking,
            partition=partition,
        )


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines) or "none"
