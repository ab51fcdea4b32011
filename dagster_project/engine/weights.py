"""Indicator weights by the analytic hierarchy process, from the matrices in config/weights/.

A matrix whose consistency ratio exceeds 0.10 stops the build here, before anything is scored.
"""

from pathlib import Path

import yaml
from dagster import AssetExecutionContext, AssetKey, Failure, MaterializeResult, MetadataValue, asset

from dagster_project.engine.indicator_system import Indicator, IndicatorSystemError, load_indicators, members
from dagster_project.lib.ahp import InconsistentMatrixError, judge, parse_matrix
from dagster_project.lib.provenance import SourceFile
from dagster_project.raw.contract import CONTRACT_FILE
from dagster_project.resources import PROJECT_DIR, EngineConfig, Warehouse

INDICATOR_WEIGHTS = AssetKey(["engine", "indicator_weights"])


def weight_rows(path: Path, catalogue: dict[str, Indicator]) -> list[dict]:
    """One index's hierarchy as rows: its dimensions, then each dimension's indicators. Each matrix judges
    exactly the indicators the indicator system puts under its dimension, no more, no fewer."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    index, universes = config["index"], ";".join(config["universes"])
    top = config["dimensions"]
    expected = members(catalogue, index)
    unknown = sorted(set(expected) - set(top["elements"]))
    if unknown:
        raise ValueError(f"{path.name}: {CONTRACT_FILE.name} puts indicators under dimensions {unknown}")
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
    for dimension, dimension_weight in zip(dimensions.elements, dimensions.weights, strict=True):
        spec = config["indicators"][dimension]
        name = f"{path.name}: indicators of {dimension}"
        for element in spec["elements"]:
            if element not in catalogue:
                raise ValueError(f"{name}: {element!r} is not an indicator of {CONTRACT_FILE.name}")
            if catalogue[element].dimensions.get(index) != dimension:
                raise ValueError(
                    f"{name}: {CONTRACT_FILE.name} puts {element!r} under "
                    f"{catalogue[element].dimensions.get(index)!r} for {index}"
                )
        unjudged = [i for i in expected.get(dimension, []) if i not in spec["elements"]]
        if unjudged:
            raise ValueError(
                f"{name}: {CONTRACT_FILE.name} puts {unjudged} here, and the matrix does not judge them"
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

    try:
        catalogue = load_indicators()
    except IndicatorSystemError as error:
        raise Failure(str(error)) from error
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
