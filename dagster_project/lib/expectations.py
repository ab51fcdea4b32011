"""Runs a great-expectations suite (a JSON file in expectations/) on a table and explains each failure.

A failure names the file, the row (its line in the file), the column, the offending value and the
rule, so that whoever dropped the file in knows exactly what to fix. Each broken rule lists at most
`max_rows_reported` rows, then says how many more break it; the counts (rows, rules, breaches) are kept
apart from the lines, so a summary never counts lines as failures.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

# Every ingested table carries, on each row, the file it came from and its line (or sheet row) there.
FILE_COLUMN = "source_file"
ROW_COLUMN = "source_row"
MAX_ROWS_REPORTED = 20
# NUL, tab, line breaks, escape, delete: never in a text cell of an input, and escaped when printed
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Breach:
    """One rule broken: by which rows (file, row), or by the table as a whole (no rows)."""

    rule: str
    blocking: bool
    rows: list[tuple[str, Any]]
    lines: list[str]  # what to print: one per row up to the cap, then "… and N more rows"

    @property
    def count(self) -> int:
        """Breaches: one per row, or one for a rule the table breaks as a whole."""
        return len(self.rows) or 1


@dataclass
class Validation:
    suite: str
    evaluated: int
    breaches: list[Breach] = field(default_factory=list)

    def add(self, breach: Breach | None, evaluated: int = 1) -> None:
        """A finding from outside the suite (a rule great-expectations cannot state), judged with it."""
        self.evaluated += evaluated
        if breach is not None:
            self.breaches.append(breach)

    def _lines(self, blocking: bool) -> list[str]:
        return [line for b in self.breaches if b.blocking == blocking for line in b.lines]

    @property
    def failures(self) -> list[str]:
        """Blocking: nothing downstream may run."""
        return self._lines(True)

    @property
    def warnings(self) -> list[str]:
        """Expectations whose meta says "severity": "warning"."""
        return self._lines(False)

    @property
    def success(self) -> bool:
        return not any(b.blocking for b in self.breaches)

    def tally(self, blocking: bool) -> tuple[int, int, int]:
        """(breaches, distinct rows, rules) of the blocking or the warning rules."""
        breaches = [b for b in self.breaches if b.blocking == blocking]
        rows = {row for b in breaches for row in b.rows}
        return sum(b.count for b in breaches), len(rows), len(breaches)

    def summary(self) -> str:
        """`3 failures (2 rows, 2 rules), 1 warning (1 row, 1 rule)`."""
        parts = []
        for blocking, noun in ((True, "failure"), (False, "warning")):
            count, rows, rules = self.tally(blocking)
            parts.append(f"{plural(count, noun)} ({plural(rows, 'row')}, {plural(rules, 'rule')})")
        return ", ".join(parts)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def load_suite_definition(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def validate(
    suite_path: Path,
    frame: pd.DataFrame,
    *,
    source_file: str,
    parameters: dict[str, Any] | None = None,
    max_rows_reported: int = MAX_ROWS_REPORTED,
    columns: dict[str, str] | None = None,
    expectations: list[dict[str, Any]] | None = None,
) -> Validation:
    """`columns` names columns in messages (`gdp (地区生产总值, money, 万元)`); by default, as they are.
    `expectations` are judged with the suite's own: rules made from a contract rather than written down."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx  # slow to import: only when a check runs, never at load

    definition = load_suite_definition(suite_path)
    definition["expectations"] += expectations or []
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
            explain = _Explainer(rows, labels, source_file, max_rows_reported, columns or {})
            validation.breaches.append(explain(outcome))
    return validation


def capped(rule: str, source_file: str, lines: list[str], total: int) -> list[str]:
    """The lines of one rule's first rows (the cap), then how many more of its `total` rows break it."""
    if total <= len(lines):
        return lines
    return [*lines, f"{source_file}: … and {total - len(lines)} more rows break rule '{rule}'"]


@dataclass
class _Explainer:
    rows: pd.DataFrame
    labels: list[str]
    source_file: str
    limit: int
    columns: dict[str, str]

    @property
    def rows_of(self) -> dict[str, int]:
        """How many rows each file gave."""
        return self.rows[FILE_COLUMN].value_counts().to_dict()

    def __call__(self, outcome: Any) -> Breach:
        config = outcome.expectation_config
        meta = config.meta or {}
        rule = meta.get("rule", config.type)
        blocking = meta.get("severity") != "warning"
        kwargs = config.kwargs
        described = "/".join(self.columns.get(c, c) for c in _columns_of(kwargs))
        raised = _raised(outcome.exception_info)
        if raised:  # no row and no observed value to show: say why the rule could not be judged
            on = f" on column {described}" if described else ""
            line = (
                f"{self.source_file}: rule '{rule}' [{config.type}] could not be evaluated{on}: "
                + "; ".join(raised)
            )
            return Breach(rule, blocking, [], [line])
        unexpected = outcome.result.get("unexpected_index_list")
        if not unexpected:
            observed = outcome.result.get("observed_value")
            line = f"{self.source_file}: table breaks rule '{rule}' [{config.type}]: observed {observed!r}"
            return Breach(rule, blocking, [], [line])
        # A suite's rows are labelled by its identity columns; a rule adds the columns it needs to be read
        # (the year-over-year rules: in which column the jump is).
        extra = meta.get("row_label_columns", [])
        if kwargs.get("column_list"):  # a key repeated: each row beside the rows it repeats, files named
            unexpected = sorted(unexpected, key=lambda entry: _by_key(entry, kwargs["column_list"]))
        where_all = [(entry.get(FILE_COLUMN), _plain(entry.get(ROW_COLUMN))) for entry in unexpected]
        whats = [self._what(entry, described, meta) for entry in unexpected]
        # a file whose every row breaks the rule in the same way (a data_year left at last year's, a column
        # of placeholders) is one line, not a line per row; repeated keys keep their rows, which say which
        repeats = "unique" in config.type
        whole = [
            file
            for file, count in Counter(where[0] for where in where_all).items()
            if not repeats
            and count > 1
            and count == self.rows_of.get(file, 0)
            and len({what for where, what in zip(where_all, whats, strict=True) if where[0] == file}) == 1
        ]
        lines = [
            f"{file}: every row ({self.rows_of[file]}) breaks rule '{rule}' [{config.type}]: "
            + next(what for where, what in zip(where_all, whats, strict=True) if where[0] == file)
            for file in whole
        ]
        rows = [(where, what) for where, what in zip(where_all, whats, strict=True) if where[0] not in whole]
        by_row = [
            f"{where[0]}: row {where[1]}{self._label(where, extra)}: {what} breaks rule '{rule}' "
            f"[{config.type}]"
            for where, what in rows[: self.limit]
        ]
        return Breach(rule, blocking, where_all, lines + capped(rule, self.source_file, by_row, len(rows)))

    @staticmethod
    def _what(entry: dict[str, Any], described: str, meta: dict[str, Any]) -> str:
        values = {k: v for k, v in entry.items() if k not in (FILE_COLUMN, ROW_COLUMN)}
        if meta.get("message_column"):  # the column holds the problem as text: print it as it is
            return "; ".join(str(_plain(v)) for v in values.values())
        return f"column {described} (" + ", ".join(f"{k}={_plain(v)!r}" for k, v in values.items()) + ")"

    def _label(self, where: tuple[str, Any], extra: list[str]) -> str:
        if not (self.labels or extra) or where not in self.rows.index:
            return ""
        record = self.rows.loc[where]
        if isinstance(record, pd.DataFrame):
            record = record.iloc[0]
        shown = [_printable(record[c]) for c in self.labels if c in record and pd.notna(record[c])]
        shown += [f"{c}={_printable(record[c])}" for c in extra if c in record and pd.notna(record[c])]
        return " (" + " ".join(shown) + ")"


def _by_key(entry: dict[str, Any], key: list[str]) -> tuple:
    """An unexpected row's key, then its file and row: the rows of one key together, in file order."""
    where = (str(entry.get(FILE_COLUMN)), _plain(entry.get(ROW_COLUMN)))
    return (*(str(_plain(entry.get(c))) for c in key), *where)


def _columns_of(kwargs: dict[str, Any]) -> list[str]:
    """The columns an expectation judges, in its order: one, a pair (A, B) or a list (compound rules)."""
    if kwargs.get("column"):
        return [str(kwargs["column"])]
    listed = [kwargs[k] for k in ("column_A", "column_B") if kwargs.get(k)]
    return [str(c) for c in [*listed, *(kwargs.get("column_list") or [])]]


def _raised(exception_info: dict[str, Any] | None) -> list[str]:
    """The messages of the errors great-expectations raised evaluating an expectation, each once.

    An error of the expectation itself is at the top of its `exception_info`; an error computing one of
    its metrics (a null a pair rule cannot compare: 'boolean value of NA is ambiguous') is nested under
    the metric's id, `{metric id: {"raised_exception": True, "exception_message": …}}`, with nothing at
    the top and no observed value.
    """
    infos = [exception_info or {}, *(v for v in (exception_info or {}).values() if isinstance(v, dict))]
    messages: list[str] = []
    for info in infos:
        message = str(info.get("exception_message") or "no message given")
        if info.get("raised_exception") and message not in messages:
            messages.append(message)
    return messages


def _printable(value: Any) -> str:
    """A label value as text; one holding a control character (a NUL, a line break) as its repr."""
    text = str(value)
    return repr(text) if CONTROL_CHARACTERS.search(text) else text


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value
