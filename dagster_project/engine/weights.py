"""Indicator weights by the analytic hierarchy process, from the matrices in config/weights/.

A matrix whose consistency ratio exceeds 0.10 stops the build here, before anything is scored.
"""

import csv
from pathlib import Path

import yaml
from dagster import AssetExecutionContext, AssetKey, Failure, MaterializeResult, MetadataValue, asset

from dagster_project.lib.ahp import InconsistentMatrixError, judge, parse_matrix
from dagster_project.lib.provenance import SourceFile
from dagster_project.resources import DBT_PROJECT_DIR, PROJECT_DIR, EngineConfig, Warehouse

INDICATOR_WEIGHTS = AssetKey(["engine", "indicator_weights"])
CATALOGUE_FILE = DBT_PROJECT_DIR / "seeds" / "indicator_catalogue.csv"


def weight_rows(path: Path, catalogue: dict[str, dict[str, str]]) -> list[dict]:
    """One index's hierarchy as rows: its dimensions, then each dimension's indicators."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    index, universes = config["index"], ";".join(config["universes"])
    top = config["dimensions"]
    dimensions = judge(
        f"{path.name}: dimensions",
        top["elements"],
        parse_matrix(f"{path.name}: dimensions", top["elements"], top["matrix"]),
    )
    rows = [
        {
            "index": index,
            "level": "dimension",
            "parent": index,
            "element": element,
            "local_weight": weight,
            "global_weight": weight,
            "consistency_ratio": dimensions.consistency_ratio,
            "universes": universes,
        }
        for element, weight in zip(dimensions.elements, dimensions.weights, strict=True)
    ]
    column = f"{index}_dimension"
    for dimension, dimension_weight in zip(dimensions.elements, dimensions.weights, strict=True):
        spec = config["indicators"][dimension]
        name = f"{path.name}: indicators of {dimension}"
        for element in spec["elements"]:
            if element not in catalogue:
                raise ValueError(f"{name}: {element!r} is not in {CATALOGUE_FILE.name}")
            if catalogue[element][column] != dimension:
                raise ValueError(
                    f"{name}: the catalogue puts {element!r} under {catalogue[element][column]!r} for {index}"
                )
        judged = judge(name, spec["elements"], parse_matrix(name, spec["elements"], spec["matrix"]))
        rows += [
            {
                "index": index,
                "level": "indicator",
                "parent": dimension,
                "element": element,
                "local_weight": weight,
                "global_weight": dimension_weight * weight,
                "consistency_ratio": judged.consistency_ratio,
                "universes": universes,
            }
            for element, weight in zip(judged.elements, judged.weights, strict=True)
        ]
    return rows


@asset(
    key=INDICATOR_WEIGHTS,
    group_name="engine",
    kinds={"python", "duckdb"},
    description=(
        "AHP weights of every dimension and indicator (principal eigenvector of each Saaty matrix in "
        "config/weights/), with each matrix's consistency ratio; CR > 0.10 stops the build."
    ),
)
def indicator_weights(
    context: AssetExecutionContext, engine_config: EngineConfig, warehouse: Warehouse
) -> MaterializeResult:
    import pandas as pd  # loaded when the asset runs, not when the definitions load

    from dagster_project.lib import warehouse as tables

    with CATALOGUE_FILE.open(encoding="utf-8", newline="") as f:
        catalogue = {row["indicator"]: row for row in csv.DictReader(f)}
    rows, sources = [], []
    for path in sorted(Path(engine_config.weights_dir).glob("*.yaml")):
        # the project's matrices as config/weights/<index>.yaml; others relative to their folder's parent
        source = SourceFile.of(path, PROJECT_DIR if path.is_relative_to(PROJECT_DIR) else path.parent.parent)
        try:
            rows += [{**row, **source.columns(context.run.run_id)} for row in weight_rows(path, catalogue)]
        except (InconsistentMatrixError, ValueError) as error:
            raise Failure(str(error)) from error
        sources.append(source)
    frame = pd.DataFrame(rows)
    frame.insert(0, "source_row", range(1, len(frame) + 1))
    with warehouse.get_connection() as con:
        tables.write_table(con, *INDICATOR_WEIGHTS.path, frame)
    shown = frame[
        ["index", "level", "parent", "element", "local_weight", "global_weight", "consistency_ratio"]
    ]
    return MaterializeResult(
        metadata={
            "rows": len(frame),
            "max_consistency_ratio": float(frame["consistency_ratio"].max()),
            "source_files": MetadataValue.json({s.relative_path: s.sha256 for s in sources}),
            "weights": MetadataValue.md(shown.round(4).to_markdown(index=False)),
        }
    )
