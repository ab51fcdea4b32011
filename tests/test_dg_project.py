"""The project as Dagster's `dg` sees it (issue 13): the definitions by domain in dagster_project/defs/,
loaded by Dagster's defs-folder loading, so that a module dropped in a domain's folder needs no list
edited; and `dg check defs`, which loads them all and fails, naming it, on a broken definition.

The changes are made in a copy of the code (no pipeline run: loading the definitions needs the code, the
dbt manifest and the inputs only), with the copy's code first on the path, as `run_in_copy` runs it.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_project.definitions import build_definitions
from dagster_project.resources import INSTANCE_SETTINGS, PROJECT_DIR
from tests.conftest import code_copy, copy_inputs, run_in_copy

pytestmark = pytest.mark.independent  # dg's stated behaviour: what it lists, its exit code and its message

DG = Path(sys.executable).parent / "dg"
LOADED = "All definitions loaded successfully."


def instance_home(path: Path) -> Path:
    """A run history with the project's instance settings (telemetry off)."""
    path.mkdir()
    shutil.copy(INSTANCE_SETTINGS, path / "dagster.yaml")
    return path


def dg_copy(root: Path) -> Path:
    code_copy(root)
    copy_inputs(root / "data")
    instance_home(root / "dagster_home")
    return root


def drop_in(root: Path, domain: str, module: str, source: str) -> None:
    (root / "dagster_project" / "defs" / domain / f"{module}.py").write_text(source, encoding="utf-8")


def dg(root: Path, command: str) -> subprocess.CompletedProcess:
    return run_in_copy(root, f".venv/bin/dg {command}")


def listed_assets(root: Path) -> dict[str, str]:
    """Each asset `dg list defs` lists, with its group."""
    done = dg(root, "list defs --json")
    assert done.returncode == 0, done.stdout + done.stderr
    return {asset["asset_key"]: asset["group_name"] for asset in json.loads(done.stdout)["assets"]}


def project_assets(data_dir: Path) -> dict[str, str]:
    """Each asset of the project's definitions, loaded in this process, with its group."""
    graph = build_definitions(data_dir).resolve_asset_graph()
    return {node.key.to_user_string(): node.group_name for node in graph.asset_nodes}


def test_an_asset_module_dropped_in_its_domain_folder_is_loaded(tmp_path: Path) -> None:
    """dg lists the project's assets, those its definitions hold, and the one dropped in besides."""
    root = dg_copy(tmp_path)
    before = project_assets(root / "data")
    drop_in(
        root,
        "engine",
        "dropped_in",
        "from dagster import asset\n\n\n"
        '@asset(key_prefix="engine", group_name="engine")\n'
        "def dropped_in() -> None:\n"
        '    """No list names it: its module is all there is."""\n',
    )
    assert listed_assets(root) == {**before, "engine/dropped_in": "engine"}


def test_dg_check_defs_loads_the_project(tmp_path: Path) -> None:
    env = {**os.environ, "DAGSTER_HOME": str(instance_home(tmp_path / "dagster_home"))}
    done = subprocess.run([DG, "check", "defs"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert LOADED in done.stdout


# A definition broken as a domain module may break it, and what `dg check defs` says of it.
BROKEN = {
    "a resource that nothing provides": (
        "from dagster import asset\n\n\n"
        '@asset(key_prefix="engine", group_name="engine", required_resource_keys={"no_such_resource"})\n'
        "def needs_what_is_not_there() -> None: ...\n",
        "resource with key 'no_such_resource' required by op 'engine__needs_what_is_not_there' was not "
        "provided",
    ),
    "an asset key another domain defines": (
        "from dagster import asset\n\n\n"
        '@asset(key_prefix="reference", group_name="reference")\n'
        "def admin_units() -> None: ...\n",
        "Duplicate asset key: AssetKey(['reference', 'admin_units'])",
    ),
}


@pytest.mark.parametrize("broken", BROKEN)
def test_dg_check_defs_fails_on_a_broken_definition(tmp_path: Path, broken: str) -> None:
    root = dg_copy(tmp_path)
    source, message = BROKEN[broken]
    drop_in(root, "engine", "broken", source)
    done = dg(root, "check defs")
    assert done.returncode == 1, done.stdout + done.stderr
    assert LOADED not in done.stdout
    assert message in done.stdout + done.stderr
