"""The indicators of the indicator system (config/raw_statistics.yaml, `indicators`), as Python.

The catalogue model in dbt, the weights asset (which indicators each AHP matrix must judge) and the tables
of the documentation read the indicators here; the measures of the same file are read by
dagster_project.raw.contract. A formula is checked before anything runs it: it is arithmetic over the
measures the same file declares, so it can go into SQL as it is written.

`python -m dagster_project.engine.indicator_system` rewrites the generated tables of docs/data-contract.md
and docs/methodology.md; tests/test_indicator_system.py fails while they differ from the file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from dagster_project.raw.contract import CONTRACT_FILE, Contract
from dagster_project.resources import PROJECT_DIR

MISSING_TREATMENTS = ("median", "zero", "reweight")
# where a gap is a value unknown, not none: the treatments an analyst may defend either way, and so the
# only ones `missing_alternatives` may name (docs/methodology.md §2a, §9)
JUDGED_TREATMENTS = ("median", "reweight")
OUTLIER_TREATMENTS = ("jrc", "none")
UNIVERSES = ("county", "district")
_ARITHMETIC = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.USub,
    ast.Load,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
)


class IndicatorSystemError(ValueError):
    pass


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    name_en: str
    formula: str
    inputs: tuple[str, ...]  # the measures of the formula, in order of first appearance
    unit: str
    direction: int
    dimensions: dict[str, str]  # index -> its dimension in that index
    universes: tuple[str, ...]
    missing: str  # the engine's treatment of a missing value, the central one of the uncertainty analysis
    missing_alternatives: tuple[str, ...]  # the others defensible for it, varied by that analysis (§9)
    outlier: str


def formula_inputs(where: str, formula: str, measures: set[str]) -> tuple[str, ...]:
    """The measures a formula reads; anything but numbers, measures, + - * / and parentheses is refused."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as error:
        raise IndicatorSystemError(f"{where}: formula {formula!r} is not arithmetic: {error.msg}") from None
    names: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in measures:
                raise IndicatorSystemError(f"{where}: formula reads {node.id!r}, which is not a measure")
            names.append((node.col_offset, node.id))
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise IndicatorSystemError(f"{where}: formula holds {node.value!r}, not a number")
        elif not isinstance(node, _ARITHMETIC):
            raise IndicatorSystemError(f"{where}: formula {formula!r} holds {type(node).__name__}")
    return tuple(dict.fromkeys(name for _, name in sorted(names)))


def missing_alternatives(where: str, spec: dict) -> tuple[str, ...]:
    """The treatments besides its own that an indicator declares defensible for a missing value: a median
    or leaving it out, where the value is unknown; none where `missing: zero` says no value means none."""
    alternatives = spec.get("missing_alternatives", [])
    if not isinstance(alternatives, list):
        raise IndicatorSystemError(f"{where}: missing_alternatives {alternatives!r} is not a list")
    for name in alternatives:
        if name not in MISSING_TREATMENTS:
            raise IndicatorSystemError(
                f"{where}: missing_alternatives names {name!r}, which is not one of {MISSING_TREATMENTS}"
            )
    if alternatives and spec["missing"] not in JUDGED_TREATMENTS:
        raise IndicatorSystemError(
            f"{where}: missing is {spec['missing']!r} (no value means none), which has no alternative; "
            f"missing_alternatives {alternatives} must go"
        )
    if not set(alternatives) <= set(JUDGED_TREATMENTS):
        raise IndicatorSystemError(
            f"{where}: missing_alternatives {alternatives} may name only {JUDGED_TREATMENTS}: zero would "
            "score an unknown value as none"
        )
    if spec["missing"] in alternatives or len(set(alternatives)) != len(alternatives):
        raise IndicatorSystemError(
            f"{where}: missing_alternatives {alternatives} repeats a treatment or the declared "
            f"{spec['missing']!r}"
        )
    return tuple(alternatives)


def load_indicators(path: Path = CONTRACT_FILE) -> dict[str, Indicator]:
    """Every indicator of the file, checked: formula, direction, universes, treatments."""
    contract = Contract.load(path)
    indicators = {}
    for id_, spec in contract.indicators.items():
        where = f"{contract.name}: indicators.{id_}"
        for key, allowed in (
            ("direction", (1, -1)),
            ("missing", MISSING_TREATMENTS),
            ("outlier", OUTLIER_TREATMENTS),
        ):
            if spec.get(key, "jrc" if key == "outlier" else None) not in allowed:
                raise IndicatorSystemError(f"{where}: {key} {spec.get(key)!r} is not one of {allowed}")
        universes = tuple(spec["universes"])
        if not universes or not set(universes) <= set(UNIVERSES):
            raise IndicatorSystemError(f"{where}: universes {universes} are not among {UNIVERSES}")
        indicators[id_] = Indicator(
            id_,
            spec["zh"],
            spec["en"],
            spec["formula"],
            formula_inputs(where, spec["formula"], set(contract.measures)),
            spec["unit"],
            spec["direction"],
            dict(spec.get("dimensions") or {}),
            universes,
            spec["missing"],
            missing_alternatives(where, spec),
            spec.get("outlier", "jrc"),
        )
    return indicators


def members(indicators: dict[str, Indicator], index: str) -> dict[str, list[str]]:
    """dimension -> the indicators the file puts under it in `index`: what its AHP matrix must judge."""
    grouped: dict[str, list[str]] = {}
    for indicator in indicators.values():
        if index in indicator.dimensions:
            grouped.setdefault(indicator.dimensions[index], []).append(indicator.id)
    return grouped


def _lineage(path: Path) -> dict[str, str]:
    from dagster_project.lib.provenance import SourceFile

    source = SourceFile.of(path, PROJECT_DIR if path.is_relative_to(PROJECT_DIR) else path.parent)
    return {"source_file": source.relative_path, "source_sha256": source.sha256}


def measure_rows(path: Path = CONTRACT_FILE) -> list[dict]:
    """The panel's measures as the dbt model stg_engine__measure_catalogue stores them: the unit an amount
    is held in once ingested (its contract's canonical unit), with the file's lineage."""
    lineage = _lineage(path)
    return [
        {"measure": m.column, "name_zh": m.name_zh, "kind": m.kind, "unit": m.unit, **lineage}
        for m in Contract.load(path).measures.values()
    ]


def catalogue_rows(path: Path = CONTRACT_FILE) -> list[dict]:
    """The catalogue as the dbt model stg_engine__indicator_catalogue stores it, with the file's lineage."""
    lineage = _lineage(path)
    return [
        {
            "indicator": i.id,
            "name_zh": i.name_zh,
            "name_en": i.name_en,
            "formula": i.formula,
            "unit": i.unit,
            "direction": i.direction,
            "universes": list(i.universes),
            "missing_treatment": i.missing,
            "missing_alternatives": list(i.missing_alternatives),
            "outlier_treatment": i.outlier,
            **lineage,
        }
        for i in load_indicators(path).values()
    ]


# ---------------------------------------------------------------------------------------------------------
# The generated tables of the documentation
# ---------------------------------------------------------------------------------------------------------

DOCS = {
    "measures": PROJECT_DIR / "docs" / "data-contract.md",
    "indicators": PROJECT_DIR / "docs" / "methodology.md",
}
MISSING_WORDS = {
    "median": "median of province, else universe",
    "zero": "zero",
    "reweight": "left out, re-weighted",
}


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def measures_table(path: Path = CONTRACT_FILE) -> list[str]:
    contract = Contract.load(path)
    lines = [
        _row(["column", "中文", "kind", "canonical unit", "units accepted", "non-negative", "required"]),
        _row(["---"] * 7),
    ]
    for m in contract.measures.values():
        lines.append(
            _row(
                [
                    f"`{m.column}`",
                    m.name_zh,
                    m.kind,
                    m.unit,
                    ", ".join(contract.factors[m.unit]),
                    "yes" if m.nonnegative else "no (may be negative)",
                    "yes" if m.required else "no (optional)",
                ]
            )
        )
    return lines


def indicators_table(path: Path = CONTRACT_FILE) -> list[str]:
    lines = [
        _row(
            [
                "id",
                "中文",
                "formula",
                "unit",
                "direction",
                "dimensions",
                "if missing",
                "alternatives (§9)",
                "outliers",
            ]
        ),
        _row(["---"] * 9),
    ]
    for i in load_indicators(path).values():
        dimensions = ", ".join(f"{index}: {dimension}" for index, dimension in i.dimensions.items())
        formula = i.formula.replace("*", "×").replace(" - ", " − ")
        lines.append(
            _row(
                [
                    i.id,
                    i.name_zh,
                    formula,
                    i.unit,
                    "+" if i.direction == 1 else "−",
                    dimensions or "—",
                    MISSING_WORDS[i.missing],
                    "; ".join(MISSING_WORDS[a] for a in i.missing_alternatives) or "—",
                    i.outlier,
                ]
            )
        )
    return lines


def _markers(name: str) -> tuple[str, str]:
    return (
        f"<!-- generated from config/raw_statistics.yaml ({name}): "
        "python -m dagster_project.engine.indicator_system -->",
        f"<!-- end of the generated {name} table -->",
    )


def rendered(name: str, text: str, path: Path = CONTRACT_FILE) -> str:
    """`text` with its generated table replaced by the one the file gives now."""
    begin, end = _markers(name)
    if text.count(begin) != 1 or text.count(end) != 1:
        raise IndicatorSystemError(f"the {name} table needs one {begin!r} and one {end!r}")
    table = measures_table(path) if name == "measures" else indicators_table(path)
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    return head + begin + "\n" + "\n".join(table) + "\n" + end + tail


def write_docs(path: Path = CONTRACT_FILE, docs: dict[str, Path] = DOCS) -> list[Path]:
    """Rewrite the generated tables; the documents that changed."""
    changed = []
    for name, doc in docs.items():
        text = doc.read_text(encoding="utf-8")
        new = rendered(name, text, path)
        if new != text:
            doc.write_text(new, encoding="utf-8")
            changed.append(doc)
    return changed


if __name__ == "__main__":
    for doc in write_docs():
        print(f"rewrote {doc.relative_to(PROJECT_DIR)}")
