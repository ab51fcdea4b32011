"""The input contract of the raw county statistics (config/raw_statistics.yaml), as Python.

A file names each measure with its declared unit, `gdp[亿元]`; the contract says which units a column
accepts, how each converts to the canonical unit stored in the warehouse, what kind of quantity each
measure is, whether a file may lack it, and how large a file may be. The same file declares the indicators
(dagster_project.engine.indicator_system), and the suite's per-measure rules are made here from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dagster_project.resources import PROJECT_DIR, RAW_STATISTICS_CONTRACT

CONTRACT_FILE = RAW_STATISTICS_CONTRACT
HEADER = re.compile(r"^\s*(?P<column>[a-z0-9_]+)\s*(?:\[(?P<unit>[^\]]+)\])?\s*$")
KINDS = ("money", "people", "energy", "area", "rate", "count")
# Amounts change by small factors from year to year; rates (0.5% to 5%) and small counts (1 to 4 labs)
# legitimately do not, so the year-over-year rules judge amounts only.
AMOUNT_KINDS = ("money", "people", "energy", "area")


class ContractError(ValueError):
    pass


@dataclass(frozen=True)
class Measure:
    column: str
    name_zh: str
    kind: str
    unit: str
    nonnegative: bool
    required: bool  # a file that lacks a required measure is refused; an optional one is left empty


@dataclass(frozen=True)
class Contract:
    path: Path
    identity: dict[str, dict]
    measures: dict[str, Measure]
    factors: dict[str, dict[str, float]]  # canonical unit -> declared unit -> factor
    max_file_mb: float
    max_rows: int
    limits_why: str  # what the limits are set against, for the message that refuses a file
    synthetic_source: str | None = None  # a regular expression: rows whose source matches are synthetic
    indicators: dict[str, dict] = field(default_factory=dict)  # read by engine.indicator_system

    @classmethod
    def load(cls, path: Path = CONTRACT_FILE) -> Contract:
        """A source's contract: config/raw_statistics.yaml (counties) or config/national_totals.yaml."""
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        measures = {}
        for column, spec in raw["columns"].items():
            if spec.get("kind") not in KINDS:
                raise ContractError(f"{path}: {column}: kind {spec.get('kind')!r} is not one of {KINDS}")
            measures[column] = Measure(
                column,
                spec["zh"],
                spec["kind"],
                spec["unit"],
                spec.get("nonnegative", True),
                spec.get("required", True),
            )
        limits = raw["limits"]
        return cls(
            path,
            raw["identity"],
            measures,
            raw["units"],
            limits["max_file_mb"],
            limits["max_rows"],
            limits["why"],
            raw.get("synthetic_source"),
            raw.get("indicators", {}),
        )

    @property
    def name(self) -> str:
        """How messages cite the contract: its path in the project."""
        try:
            return self.path.relative_to(PROJECT_DIR).as_posix()
        except ValueError:
            return str(self.path)

    @property
    def amounts(self) -> list[str]:
        """Measures that are amounts (money, people, energy, area): the ones a year-over-year jump is judged
        on."""
        return [m.column for m in self.measures.values() if m.kind in AMOUNT_KINDS]

    def describe(self) -> dict[str, str]:
        """Each column as messages name it: `gdp (地区生产总值, money, 万元)`, `adcode (行政区划代码)`."""
        described = {c: f"{c} ({spec['zh']})" for c, spec in self.identity.items()}
        described.update(
            {m.column: f"{m.column} ({m.name_zh}, {m.kind}, {m.unit})" for m in self.measures.values()}
        )
        return described

    def read_header(self, source: str, header: list[str]) -> dict[str, tuple[str, float]]:
        """Each header cell -> (canonical column, factor to the canonical unit); errors name the cell."""
        columns: dict[str, tuple[str, float]] = {}
        problems, refused = [], set()  # refused: columns present whose unit is wrong, not "missing" too
        for position, cell in enumerate(header, start=1):
            match = HEADER.match(str(cell))
            if match is None:
                problems.append(f"column {position} {cell!r}: not `name` or `name[unit]`")
                continue
            column, unit = match["column"], match["unit"]
            if column in self.identity or column == "synthetic":
                columns[cell] = (column, 1.0)
            elif column not in self.measures:
                problems.append(f"column {position} {cell!r}: {column!r} is not in the contract")
            elif unit is None:
                example = f"{column}[{self.measures[column].unit}]"
                problems.append(f"column {position} {cell!r}: declare its unit, e.g. {example}")
                refused.add(column)
            elif unit not in self.factors[self.measures[column].unit]:
                accepted = ", ".join(self.factors[self.measures[column].unit])
                problems.append(
                    f"column {position} {cell!r}: unit {unit!r} is not accepted for {column} ({accepted})"
                )
                refused.add(column)
            else:
                columns[cell] = (column, self.factors[self.measures[column].unit][unit])
        present = {column for column, _ in columns.values()}
        required = [c for c, spec in self.identity.items() if spec.get("required", True)] + [
            m.column for m in self.measures.values() if m.required
        ]
        problems += [f"missing column {c!r}" for c in required if c not in present and c not in refused]
        if problems:
            raise ContractError(f"{source}: " + "; ".join(problems))
        return columns

    def measure_expectations(self) -> list[dict]:
        """The suite's rules of each measure, made from the contract so that they cannot drift from it: not
        negative (blocking) unless the contract allows it, and reported (a warning: a missing value is
        treated as its indicators declare, docs/methodology.md §2a)."""
        rules = []
        for m in self.measures.values():
            named = f"{m.column} ({m.name_zh})"
            if m.nonnegative:
                rules.append(
                    {
                        "type": "expect_column_values_to_be_between",
                        "kwargs": {"column": m.column, "min_value": 0},
                        "meta": {"rule": f"{named} is not negative"},
                    }
                )
        for m in self.measures.values():
            rules.append(
                {
                    "type": "expect_column_values_to_not_be_null",
                    "kwargs": {"column": m.column},
                    "meta": {
                        "rule": f"{m.column} ({m.name_zh}) is reported (a missing value is treated as its "
                        "indicators declare)",
                        "severity": "warning",
                    },
                }
            )
        return rules
