"""The input contract of the raw county statistics (config/raw_statistics.yaml), as Python.

A file names each measure with its declared unit, `gdp[亿元]`; the contract says which units a column
accepts and how each converts to the canonical unit stored in the warehouse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from dagster_project.resources import PROJECT_DIR

CONTRACT_FILE = PROJECT_DIR / "config" / "raw_statistics.yaml"
HEADER = re.compile(r"^\s*(?P<column>[a-z0-9_]+)\s*(?:\[(?P<unit>[^\]]+)\])?\s*$")


class ContractError(ValueError):
    pass


@dataclass(frozen=True)
class Measure:
    column: str
    name_zh: str
    unit: str
    nonnegative: bool


@dataclass(frozen=True)
class Contract:
    identity: dict[str, dict]
    measures: dict[str, Measure]
    factors: dict[str, dict[str, float]]  # canonical unit -> declared unit -> factor

    @classmethod
    def load(cls, path: Path = CONTRACT_FILE) -> Contract:
        """A source's contract: config/raw_statistics.yaml (counties) or config/national_totals.yaml."""
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        measures = {
            column: Measure(column, spec["zh"], spec["unit"], spec.get("nonnegative", True))
            for column, spec in raw["columns"].items()
        }
        return cls(raw["identity"], measures, raw["units"])

    @property
    def amounts(self) -> list[str]:
        """Measures that are amounts (money, people, energy): the ones a year-over-year jump is judged on.

        Growth rates and small counts legitimately change by large factors (0.5% to 5%, 1 to 4 labs)."""
        return [m.column for m in self.measures.values() if m.unit not in ("%", "个", "件")]

    def read_header(self, source: str, header: list[str]) -> dict[str, tuple[str, float]]:
        """Each header cell -> (canonical column, factor to the canonical unit); errors name the cell."""
        columns: dict[str, tuple[str, float]] = {}
        problems = []
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
            elif unit not in self.factors[self.measures[column].unit]:
                accepted = ", ".join(self.factors[self.measures[column].unit])
                problems.append(
                    f"column {position} {cell!r}: unit {unit!r} is not accepted for {column} ({accepted})"
                )
            else:
                columns[cell] = (column, self.factors[self.measures[column].unit][unit])
        present = {column for column, _ in columns.values()}
        required = [c for c, spec in self.identity.items() if spec.get("required", True)] + list(
            self.measures
        )
        problems += [f"missing column {c!r}" for c in required if c not in present]
        if problems:
            raise ContractError(f"{source}: " + "; ".join(problems))
        return columns
