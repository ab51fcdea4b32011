"""Runs a great-expectations suite (a JSON file in expectations/) on a table and explains each failure.

A failure names the file, the row (its line in the file), the column, the offending value and the
rule, so that whoever dropped the file in knows exactly what to fix.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

# Every ingested table carries, on each row, the file it came from and its line (or sheet row) there.
FILE_COLUMN = "source_file"
ROW_COLUMN = "source_row"


@dataclass
class Validation:
    suite: str
    evaluated: int
    failures: list[str] = field(default_factory=list)  # blocking: nothing downstream may run
    warnings: list[str] = field(default_factory=list)  # expectations whose meta says "severity": "warning"

    @property
    def success(self) -> bool:
        return not self.failures


def load_suite_definition(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def validate(
    suite_path: Path,
    frame: pd.DataFrame,
    *,
    source_file: str,
    parameters: dict[str, Any] | None = None,
    max_rows_reported: int = 20,
) -> Validation:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx  # slow to import: only when a check runs, never at load

    definition = load_suite_definition(suite_path)
    suite = gx.ExpectationSuite(**definition)
    if len(suite.expectations) != len(definition["expectations"]):
        # GX logs and drops an invalid expectation; a guard that silently shrinks is no guard.
        raise ValueError(f"{suite_path}: some expectations are invalid for great-expectations")

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    batch = (
        context.data_sources.add_pandas("input")
        .add_dataframe_asset("table")
        .add_batch_definition_whole_dataframe("whole")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    result = batch.validate(
        suite,
        expectation_parameters=parameters or {},
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": [FILE_COLUMN, ROW_COLUMN],
        },
    )
    labels = definition.get("meta", {}).get("row_label_columns", [])
    rows = frame.set_index([FILE_COLUMN, ROW_COLUMN], drop=False)
    validation = Validation(definition["name"], len(definition["expectations"]))
    for outcome in result.results:  # GX reorders them: each carries its own configuration
        if not outcome.success:
            messages = _explain(outcome, rows, labels, source_file, max_rows_reported)
            is_warning = (outcome.expectation_config.meta or {}).get("severity") == "warning"
            (validation.warnings if is_warning else validation.failures).extend(messages)
    return validation


def _explain(
    outcome: Any,
    rows: pd.DataFrame,
    labels: list[str],
    source_file: str,
    limit: int,
) -> list[str]:
    config = outcome.expectation_config
    rule = (config.meta or {}).get("rule", config.type)
    kwargs = config.kwargs
    column = kwargs.get("column") or "/".join(
        str(kwargs[k]) for k in ("column_A", "column_B", "column_list") if k in kwargs
    )
    unexpected = outcome.result.get("unexpected_index_list")
    if outcome.exception_info and outcome.exception_info.get("raised_exception"):
        message = outcome.exception_info.get("exception_message")
        return [f"{source_file}: rule '{rule}' could not be evaluated: {message}"]
    if not unexpected:
        observed = outcome.result.get("observed_value")
        return [f"{source_file}: table breaks rule '{rule}' [{config.type}]: observed {observed!r}"]
    messages = []
    for entry in unexpected[:limit]:
        where = (entry.get(FILE_COLUMN), _plain(entry.get(ROW_COLUMN)))
        values = {k: v for k, v in entry.items() if k not in (FILE_COLUMN, ROW_COLUMN)}
        label = _row_label(rows, where, labels)
        shown = ", ".join(f"{k}={_plain(v)!r}" for k, v in values.items())
        breaks = f"breaks rule '{rule}' [{config.type}]"
        messages.append(f"{where[0]}: row {where[1]}{label}: column {column} ({shown}) {breaks}")
    if len(unexpected) > limit:
        messages.append(f"{source_file}: ... and {len(unexpected) - limit} more rows break rule '{rule}'")
    return messages


def _row_label(rows: pd.DataFrame, where: tuple[str, Any], labels: list[str]) -> str:
    if not labels or where not in rows.index:
        return ""
    record = rows.loc[where]
    if isinstance(record, pd.DataFrame):
        record = record.iloc[0]
    return " (" + " ".join(str(record[c]) for c in labels if c in record and pd.notna(record[c])) + ")"


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value
