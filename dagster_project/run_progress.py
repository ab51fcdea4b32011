"""What `county-industry run` shows while it runs: each phase of the run, its steps done of those planned,
the step running now and the time spent.

Driven by the run's own events: Dagster hands each event to a listener as the run stores it, in the run's
thread. The run plans every asset and check under its step before the first step starts, so the steps of
each phase are known ahead and none is listed that the run does not have. A terminal gets a live display;
anything else (a log file, CI, a test) gets one line when a step starts, fails or ends a phase.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from types import TracebackType

from dagster import DagsterEventType, EventLogEntry
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn
from rich.text import Text

CHECKS = "checks"  # the steps that only run asset checks
# The phase of a step that materialises assets: from the first part of their keys. A part not listed here
# is a phase of its own name.
PHASE_OF_KEY_PREFIX = {
    "reference": "inputs",
    "raw": "inputs",
    "engine": "inputs",
    "seeds": "dbt",
    "staging": "dbt",
    "intermediate": "dbt",
    "marts": "dbt",
    "published": "publish",
}
PHASES = {  # in the order a run goes through them, and what each does
    "inputs": "the reference tables, the raw statistics and the weights, into the warehouse",
    CHECKS: "the inputs' expectation suites and the claims ledger",
    "dbt": "the staging, intermediate and mart models, with their dbt tests",
    "publish": "the analysts' DuckDB file, Parquet, workbooks, figures, report site and dbt docs",
}
STEP_ENDS = {DagsterEventType.STEP_SUCCESS: True, DagsterEventType.STEP_FAILURE: False}


def elapsed(seconds: float) -> str:
    """As a clock shows a duration: 0:01:05."""
    return str(timedelta(seconds=int(seconds)))


def contents(parts: list[tuple[str, ...]]) -> str:
    """What a step makes, by the first part where its asset keys differ: "seeds (5), staging (9)" for a
    dbt step, "county_industry_duckdb, parquet, workbooks, figures (7)" for the publication."""
    unique = list(dict.fromkeys(parts))
    common = len(os.path.commonprefix(unique)) if len(unique) > 1 else len(unique[0]) - 1
    counts = Counter(path[min(common, len(path) - 1)] for path in unique)
    return ", ".join(name if n == 1 else f"{name} ({n})" for name, n in counts.items())


@dataclass
class Phase:
    name: str
    steps: list[str] = field(default_factory=list)
    done: int = 0
    failures: list[str] = field(default_factory=list)  # the steps that failed
    seconds: float = 0.0  # spent in its finished steps (the checks run between other phases' steps)
    running_since: float | None = None
    task: int | None = None  # its row in the live display

    @property
    def finished(self) -> bool:
        return self.done + len(self.failures) == len(self.steps)

    def spent(self) -> float:
        return self.seconds + (time.monotonic() - self.running_since if self.running_since else 0.0)


class SpentColumn(ProgressColumn):
    """Each phase's time in its steps, ticking while one runs (a column of rich's live display)."""

    def __init__(self, phases: dict[str, Phase]) -> None:
        super().__init__()
        self.phases = phases

    def render(self, task: Task) -> Text:
        phase = next((p for p in self.phases.values() if p.task == task.id), None)
        return Text(elapsed(phase.spent()) if phase else "", style="progress.elapsed")


class RunProgress:
    """The listener of one run's events (DagsterInstance.add_event_listener), and its display."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.started = time.monotonic()
        self.made: dict[str, list[tuple[str, ...]]] = {}  # step -> the asset keys it plans (none: checks)
        self.phases: dict[str, Phase] = {}
        self.running: set[str] = set()  # the steps started and not yet ended
        self.live = (
            Progress(
                TextColumn("{task.fields[mark]} {task.description:8}"),
                BarColumn(bar_width=24),
                MofNCompleteColumn(),
                SpentColumn(self.phases),
                TextColumn("{task.fields[now]}", markup=False),
                console=console,
                redirect_stdout=False,  # the run's own output is Dagster's to capture
                redirect_stderr=False,
            )
            if console.is_terminal
            else None
        )

    def __enter__(self) -> RunProgress:
        self._line("preparing the run (its steps are listed when it starts)")
        if self.live is not None:
            self.live.start()
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self.live is not None:
            self.live.stop()
        total = sum(len(phase.steps) for phase in self.phases.values())
        ended = sum(phase.done + len(phase.failures) for phase in self.phases.values())
        if ended < total:
            self._line(f"{total - ended} of {total} steps did not run (a step before them failed)")

    def __call__(self, entry: EventLogEntry) -> None:
        event = entry.dagster_event
        # a warning the run's code logged (not Dagster's word that a step after a failed one will not run)
        if event is None and entry.level >= logging.WARNING and entry.step_key in {None, *self.running}:
            self._line(f"WARNING {entry.step_key or 'run'}: {entry.user_message}")
        if event is None or event.step_key is None:
            return
        step, kind = event.step_key, event.event_type
        if kind == DagsterEventType.ASSET_MATERIALIZATION_PLANNED:
            self.made.setdefault(step, []).append(tuple(event.asset_key.path))
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED:
            self.made.setdefault(step, [])
        elif kind == DagsterEventType.STEP_START:
            self._started(step)
        elif kind in STEP_ENDS:
            self._ended(step, STEP_ENDS[kind])

    def phase_of(self, step: str) -> str:
        keys = self.made.get(step)
        return PHASE_OF_KEY_PREFIX.get(keys[0][0], keys[0][0]) if keys else CHECKS

    def describe(self, step: str) -> str:
        made = contents(self.made[step]) if self.made.get(step) else step
        return step if step.endswith(made) else f"{step}: {made}"

    def _plan(self) -> None:
        """Every step planned, by phase, once the first step starts (the planning is over by then)."""
        order = [*PHASES, *sorted({self.phase_of(step) for step in self.made} - set(PHASES))]
        for step in sorted(self.made, key=lambda step: order.index(self.phase_of(step))):
            self._phase(step).steps.append(step)
        counts = ", ".join(f"{phase.name} {len(phase.steps)}" for phase in self.phases.values())
        self._line(f"{sum(len(phase.steps) for phase in self.phases.values())} steps: {counts}")
        for phase in self.phases.values():
            if self.live is not None:
                self.live.update(phase.task, total=len(phase.steps))

    def _phase(self, step: str) -> Phase:
        name = self.phase_of(step)
        if name not in self.phases:
            self.phases[name] = Phase(name)
            if self.live is not None:
                about = PHASES.get(name, "")
                self.phases[name].task = self.live.add_task(name, total=None, mark=" ", now=about)
        return self.phases[name]

    def _started(self, step: str) -> None:
        if not self.phases:
            self._plan()
        phase = self._phase(step)
        if step not in phase.steps:  # never planned (no asset, no check): counted from when it starts
            phase.steps.append(step)
        phase.running_since = time.monotonic()
        self.running.add(step)
        if self.live is None:
            number = phase.done + len(phase.failures) + 1
            self._line(f"{phase.name} {number}/{len(phase.steps)}  {self.describe(step)}")
            return
        self.live.update(phase.task, total=len(phase.steps), mark="[yellow]▸[/]", now=self._now(phase, step))

    def _ended(self, step: str, succeeded: bool) -> None:
        phase = self._phase(step)
        phase.seconds, phase.running_since = phase.spent(), None
        self.running.discard(step)
        if succeeded:
            phase.done += 1
        else:
            phase.failures.append(step)
        if self.live is not None:
            mark = "[red]✗[/]" if phase.failures else "[green]✓[/]" if phase.finished else "[yellow]▸[/]"
            completed = phase.done + len(phase.failures)
            self.live.update(phase.task, completed=completed, mark=mark, now=self._now(phase, step))
            return
        if not succeeded:
            self._line(f"{phase.name} FAILED  {step}")
        if phase.finished:
            verdict = f"{len(phase.failures)} failed" if phase.failures else "done"
            self._line(f"{phase.name} {verdict}: {len(phase.steps)} steps, {phase.seconds:.1f} s")

    def _now(self, phase: Phase, step: str) -> str:
        """The live display's last column: the failed steps, else the step running or what the phase did."""
        if phase.failures:
            return f"FAILED: {', '.join(phase.failures)}"
        return PHASES.get(phase.name, "") if phase.finished else self.describe(step)

    def _line(self, text: str) -> None:
        """A line above the live display (or the next line of the log), with the run's time so far."""
        since = elapsed(time.monotonic() - self.started)
        self.console.print(f"{since}  {text}", markup=False, highlight=False)
