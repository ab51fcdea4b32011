"""AHP weights: the eigenvector, the consistency ratio, and the refusal of an inconsistent matrix."""

import shutil

import numpy as np
import pytest
import yaml
from dagster import materialize

from dagster_project.engine.weights import indicator_weights
from dagster_project.lib.ahp import InconsistentMatrixError, judge, parse_matrix
from dagster_project.resources import PROJECT_DIR, EngineConfig, Warehouse

pytestmark = pytest.mark.independent  # the AHP literature's values and matrices built by hand

WEIGHTS_DIR = PROJECT_DIR / "config" / "weights"


def test_a_consistent_matrix_gives_its_exact_weights():
    # a_ij = w_i / w_j for w = (4, 2, 1)/7: perfectly consistent, λmax = n, CR = 0
    matrix = parse_matrix("textbook", ["a", "b", "c"], [[1, 2, 4], ["1/2", 1, 2], ["1/4", "1/2", 1]])
    judged = judge("textbook", ["a", "b", "c"], matrix)
    assert np.allclose(judged.weights, [4 / 7, 2 / 7, 1 / 7], atol=1e-12)
    assert judged.lambda_max == pytest.approx(3.0, abs=1e-12)
    assert judged.consistency_ratio == pytest.approx(0.0, abs=1e-12)


def test_saatys_example_has_the_consistency_ratio_of_the_literature():
    # the classic 3 x 3 example: weights 0.637, 0.258, 0.105; λmax = 3.0385, CI = 0.0193, CR = 0.033
    matrix = parse_matrix("saaty", ["a", "b", "c"], [[1, 3, 5], ["1/3", 1, 3], ["1/5", "1/3", 1]])
    judged = judge("saaty", ["a", "b", "c"], matrix)
    assert judged.lambda_max == pytest.approx(3.0385, abs=1e-4)
    assert judged.consistency_ratio == pytest.approx(0.0332, abs=1e-4)
    assert np.allclose(judged.weights, [0.6370, 0.2583, 0.1047], atol=1e-4)


def test_an_inconsistent_matrix_is_refused_with_its_name():
    # a > b, b > c, yet c > a: circular judgements
    matrix = parse_matrix("circular", ["a", "b", "c"], [[1, 5, "1/5"], ["1/5", 1, 5], [5, "1/5", 1]])
    with pytest.raises(InconsistentMatrixError, match=r"circular: consistency ratio CR = .* exceeds 0.10"):
        judge("circular", ["a", "b", "c"], matrix)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([[1, 2], [2, 1]], "not reciprocal"),
        ([[1, 10], ["1/10", 1]], "not on Saaty's 1-9 scale"),
        ([[2, 1], [1, 1]], "diagonal must be 1"),
        ([[1, 2]], "must be 2 x 2"),
    ],
)
def test_malformed_matrices_are_refused(rows, message):
    with pytest.raises(ValueError, match=message):
        parse_matrix("bad", ["a", "b"], rows)


def test_the_weights_asset_refuses_an_inconsistent_configuration(tmp_path):
    weights_dir = tmp_path / "weights"
    shutil.copytree(WEIGHTS_DIR, weights_dir)
    config = yaml.safe_load((weights_dir / "innovation.yaml").read_text(encoding="utf-8"))
    config["indicators"]["carriers"]["matrix"] = [[1, 5, "1/5"], ["1/5", 1, 5], [5, "1/5", 1]]
    (weights_dir / "innovation.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = materialize(
        [indicator_weights],
        resources={
            "engine_config": EngineConfig(weights_dir=str(weights_dir)),
            "warehouse": Warehouse(database=str(tmp_path / "warehouse.duckdb")),
        },
        raise_on_error=False,
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "innovation.yaml: indicators of carriers: consistency ratio CR" in str(
        failure.step_failure_data.error
    )


def test_the_bundled_matrices_are_consistent_and_their_weights_sum_to_one(tmp_path):
    result = materialize(
        [indicator_weights],
        resources={
            "engine_config": EngineConfig(),
            "warehouse": Warehouse(database=str(tmp_path / "warehouse.duckdb")),
        },
    )
    assert result.success
    import duckdb

    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        totals = con.execute(
            'select "index", level, parent, sum(local_weight), max(consistency_ratio) '
            "from engine.indicator_weights group by all"
        ).fetchall()
        by_index = con.execute(
            'select "index", sum(global_weight) from engine.indicator_weights '
            "where level = 'indicator' group by 1"
        ).fetchall()
    assert all(abs(total - 1) < 1e-12 and cr <= 0.10 for *_, total, cr in totals)
    assert sorted(by_index) == [("industrial", pytest.approx(1.0)), ("innovation", pytest.approx(1.0))]
