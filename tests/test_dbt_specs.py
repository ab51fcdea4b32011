"""The dbt assets and checks built from the manifest without dagster-dbt (dagster_project/dbt_specs.py)
are the ones dagster-dbt's translator builds from the same manifest, field by field; and loading the
definitions imports neither dagster-dbt nor dbt, which is what building them here is for."""

import subprocess
import sys

import pytest
from dagster import AssetCheckSpec, AssetSpec

from dagster_project import dbt_specs
from dagster_project.resources import PROJECT_DIR
from dagster_project.transform import DBT_SETS

pytestmark = pytest.mark.independent  # dagster-dbt's own specs, and a stated behaviour (the imports)

# What dagster-dbt's specs carry beside the node's: its manifest, translator and project objects, which
# its runtime reads back (dbt_in_process.py hands them to it instead).
DAGSTER_DBT_OBJECTS = {"dagster_dbt/manifest", "dagster_dbt/dagster_dbt_translator", "dagster_dbt/project"}


def dagster_dbt_specs(select: str, exclude: str | None) -> tuple[list[AssetSpec], list[AssetCheckSpec]]:
    """dagster-dbt's specs of a dbt set (imported here, not at the module's top: collecting the suite need
    not import dbt)."""
    from dagster_dbt import DagsterDbtTranslator
    from dagster_dbt.asset_utils import build_dbt_specs

    class LineageTranslator(DagsterDbtTranslator):
        """The project's one rule beside dagster-dbt's: the column-lineage mart follows every other model."""

        def get_asset_spec(self, manifest, unique_id, project):
            spec = super().get_asset_spec(manifest, unique_id, project)
            if dbt_specs.LINEAGE not in manifest["nodes"].get(unique_id, {}).get("tags", []):
                return spec
            others = [
                super(LineageTranslator, self).get_asset_spec(manifest, node_id, project).key
                for node_id, node in manifest["nodes"].items()
                if node["resource_type"] == "model" and dbt_specs.LINEAGE not in node["tags"]
            ]
            return spec.replace_attributes(deps=others)

    specs, checks = build_dbt_specs(
        translator=LineageTranslator(),
        manifest=dbt_specs.manifest(),
        select=select,
        exclude=exclude or "",
        selector="",
        io_manager_key=None,
        project=None,
    )
    return list(specs), list(checks)


def comparable(spec: AssetSpec) -> AssetSpec:
    """A spec with its dependencies in one order (dagster-dbt gathers them in a set)."""
    return spec.replace_attributes(
        deps=sorted(spec.deps, key=lambda dep: dep.asset_key.to_user_string()),
        metadata={name: value for name, value in spec.metadata.items() if name not in DAGSTER_DBT_OBJECTS},
    )


@pytest.mark.parametrize("dbt_set", DBT_SETS, ids=lambda dbt_set: dbt_set.name)
def test_each_set_has_dagster_dbts_assets_and_checks(dbt_set) -> None:
    expected, expected_checks = dagster_dbt_specs(dbt_set.select, dbt_set.exclude)
    specs, checks = dbt_specs.build_specs(dbt_specs.manifest(), dbt_set.select, dbt_set.exclude)
    assert expected, "a set of no models would compare nothing"
    assert {spec.key: comparable(spec) for spec in specs} == {spec.key: comparable(spec) for spec in expected}
    assert {check.key: check for check in checks} == {check.key: check for check in expected_checks}


def test_a_dagster_meta_key_not_read_is_refused_by_name() -> None:
    manifest = dbt_specs.manifest()
    model_id = next(unique_id for unique_id in manifest["nodes"] if unique_id.startswith("model."))
    node = manifest["nodes"][model_id]
    changed = {
        **manifest,
        "nodes": {**manifest["nodes"], model_id: {**node, "meta": {"dagster": {"owners": ["x"]}}}},
    }
    with pytest.raises(ValueError, match=rf"{node['original_file_path']}: meta.dagster \['owners'\]"):
        dbt_specs.asset_spec(changed, model_id)


def test_a_selection_method_not_read_is_refused_by_name() -> None:
    refused = r"\['path:models/marts'\]: dbt_specs.py reads tag:<name> and fqn:\* only"
    with pytest.raises(ValueError, match=refused):
        dbt_specs.build_specs(dbt_specs.manifest(), "tag:per_year path:models/marts", None)


def test_loading_the_definitions_imports_neither_dagster_dbt_nor_dbt(tmp_path) -> None:
    loaded = (
        "import sys; from dagster_project.definitions import defs; defs().get_repository_def(); "
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'dagster_dbt', 'dbt'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", loaded],
        cwd=PROJECT_DIR,
        env={"PATH": "/usr/bin:/bin", "DAGSTER_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
