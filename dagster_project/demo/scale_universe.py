"""A SYNTHETIC scale deployment (合成扩展单位，非真实区划): today's universe grown to many times its units.

The scale bench (bench/timings.py `--only scale`) asks how a refresh grows with the units: a township-level
universe is about ten times today's 2,844 county-level units. No such table exists, so this module invents
one, in a scratch folder only (never under the project):

- the data directory: the real reference data with the code table extended by synthetic units. Every real
  unit is kept, so that the rankings, clusters and aliases still resolve and every reference check runs as
  today; the added units copy a real unit's province and type in turn (so the universes keep their
  proportions), under codes no real division uses (prefecture digits `60`-`89`; real codes use `01`-`53`,
  `90` and `99`) and names that say what they are (`合成00001县`, `合成00002区`, prefectures `合成地级单位`);
  the raw panel is the demo generator's (dagster_project/demo/synthetic_panel.py) over that universe, as
  synthetic as the demo (`synthetic = true` on every row, `synthetic_demo_…` file names);
- a copy of the project whose only differences are the limits such a universe exceeds, each scaled by the
  same factor and listed in `OVERRIDES`: the raw contract's `limits` (config/raw_statistics.yaml) and the
  admin-units suite's row count (expectations/reference_admin_units.json). The project's own files keep
  refusing the scale panel; the bench says which limits its copy raised.
"""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from dagster_project.demo import synthetic_panel
from dagster_project.lib.divisions import AdminUnit, read_admin_units, read_provinces
from dagster_project.partitions import PANEL_SOURCE, copy_latest_years
from dagster_project.reference.admin_units import ADCODES_FILE, PROVINCES_FILE
from dagster_project.resources import (
    CONFIG_DIR,
    DBT_PROJECT_DIR,
    DEFAULT_DATA_DIR,
    EXPECTATIONS_DIR,
    PROJECT_DIR,
    RAW_FOLDER,
    RAW_STATISTICS_CONTRACT,
    REFERENCE_FOLDER,
)

SCALE_PREFECTURES = range(60, 90)  # prefecture digits of the synthetic units: no real code uses them
# County digits 01-69: 00 is the prefecture itself and 7x reads as a development zone (lib/divisions.py).
UNITS_PER_PREFECTURE = 69
UNIT_NAME = "合成{serial:05d}{suffix}"
PREFECTURE_NAME = "合成地级单位{code}"
# The name suffix that gives a synthetic unit its model's type (lib/divisions.unit_type_of); 林区 needs a unit
# with no prefecture, which a synthetic one always has: it becomes a 县.
SUFFIXES = {"县级市": "市", "市辖区": "区", "林区": "县"}
ADMIN_UNITS_SUITE = "reference_admin_units.json"
ROW_COUNT_RULE = "expect_table_row_count_to_be_between"
NOTE = (
    "SYNTHETIC scale universe (合成扩展单位): the code table is the real one with synthetic units added "
    "(prefecture codes 60-89, names 合成…); the raw statistics are a synthetic demo panel. Not real data.\n"
)


@dataclass(frozen=True)
class ScaleDeployment:
    data_dir: Path
    project: Path  # the copy of the project with the raised limits (PYTHONPATH for its runs)
    units: int
    overrides: dict[str, str]  # what the copy changed (file and setting) -> "old -> new"


def inside_project(path: Path) -> bool:
    return path.resolve().is_relative_to(PROJECT_DIR.resolve())


def scratch_only(path: Path) -> None:
    if inside_project(path):
        raise ValueError(f"{path}: the scale deployment is written in scratch only, never in the project")


def real_units(reference_dir: Path = DEFAULT_DATA_DIR / REFERENCE_FOLDER) -> list[AdminUnit]:
    return read_admin_units(reference_dir / ADCODES_FILE, read_provinces(reference_dir / PROVINCES_FILE))


def synthetic_rows(units: list[AdminUnit], count: int) -> list[dict[str, str]]:
    """`count` synthetic county-level units and their prefectures, as rows of the code table. The i-th
    copies the province and type of the real unit i mod n (by adcode); codes are handed out per province in
    order: prefecture 60 + k // 69, county 1 + k % 69."""
    per_province: dict[str, int] = {}
    prefectures: dict[str, dict[str, str]] = {}
    rows = []
    for serial in range(1, count + 1):
        model = units[(serial - 1) % len(units)]
        k = per_province.get(model.province_code, 0)
        per_province[model.province_code] = k + 1
        if k // UNITS_PER_PREFECTURE >= len(SCALE_PREFECTURES):
            capacity = len(SCALE_PREFECTURES) * UNITS_PER_PREFECTURE
            raise ValueError(f"province {model.province_code}: more than {capacity} synthetic units")
        prefecture = SCALE_PREFECTURES[k // UNITS_PER_PREFECTURE]
        prefecture_code = f"{model.province_code}{prefecture}00"
        if prefecture_code not in prefectures:
            name = PREFECTURE_NAME.format(code=prefecture_code)
            prefectures[prefecture_code] = row(prefecture_code, name)
        suffix = SUFFIXES.get(model.unit_type, model.unit_type)
        code = f"{model.province_code}{prefecture}{1 + k % UNITS_PER_PREFECTURE:02d}"
        rows.append(row(code, UNIT_NAME.format(serial=serial, suffix=suffix)))
    return [*prefectures.values(), *rows]


def row(code: str, name: str) -> dict[str, str]:
    return {"adcode": f"{code}000000", "name": name, "longitude": "", "latitude": ""}


def write_reference(target: Path, units: int) -> list[AdminUnit]:
    """The real reference data with the code table extended to `units` county-level units."""
    real = real_units()
    if units < len(real):
        raise ValueError(f"{units} units: the scale universe keeps the {len(real)} real ones")
    shutil.copytree(DEFAULT_DATA_DIR / REFERENCE_FOLDER, target)
    table = target / ADCODES_FILE
    with table.open("a", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["adcode", "name", "longitude", "latitude"], lineterminator="\n")
        writer.writerows(synthetic_rows(real, units - len(real)))
    (table.parent / "SYNTHETIC_SCALE_UNIVERSE.txt").write_text(NOTE, encoding="utf-8")
    return real_units(target)


def write_panel(data_dir: Path, years: int, seed: int = synthetic_panel.SEED) -> list[Path]:
    """The demo panel over the data directory's universe, its latest `years` data years, beside the
    bundled files of the other raw sources (national totals) for the same years."""
    for source in (DEFAULT_DATA_DIR / RAW_FOLDER).iterdir():
        if source.is_dir() and source.name != PANEL_SOURCE:
            copy_latest_years(source, data_dir / RAW_FOLDER / source.name, years)
    contract = synthetic_panel.read_contract()
    ctx, panel = synthetic_panel.generate(seed, data_dir / REFERENCE_FOLDER)
    problems = synthetic_panel.violations(synthetic_panel.canonical_frames(ctx, panel, contract), contract)
    if problems:
        raise ValueError("the scale panel breaks plausibility rules:\n" + "\n".join(problems))
    latest = synthetic_panel.PANEL_YEARS[-years:]
    return synthetic_panel.write_files(ctx, panel, data_dir / RAW_FOLDER, contract, latest)


def scaled(value: float, factor: float, up: bool = True) -> int:
    return math.ceil(value * factor) if up else math.floor(value * factor)


def write_project(target: Path, factor: float) -> dict[str, str]:
    """A copy of the code, configuration and dbt project with the limits a universe `factor` times today's
    exceeds scaled by `factor` (bounds above rounded up, below down); returns what changed."""
    for folder in ("dagster_project", CONFIG_DIR.name, EXPECTATIONS_DIR.name, "docs"):
        shutil.copytree(PROJECT_DIR / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(DBT_PROJECT_DIR, target / "dbt", ignore=shutil.ignore_patterns("target", "logs"))
    for file in ("pyproject.toml", "dagster_instance.yaml", "README.md"):
        shutil.copy(PROJECT_DIR / file, target)
    contract = target / RAW_STATISTICS_CONTRACT.relative_to(PROJECT_DIR)
    spec = yaml.safe_load(contract.read_text(encoding="utf-8"))
    limits = spec["limits"]
    raised = {key: scaled(limits[key], factor) for key in ("max_file_mb", "max_rows")}
    text = contract.read_text(encoding="utf-8")
    for key, value in raised.items():
        text = text.replace(f"  {key}: {limits[key]}\n", f"  {key}: {value}\n", 1)
    contract.write_text(text, encoding="utf-8")
    if {k: yaml.safe_load(text)["limits"][k] for k in raised} != raised:
        raise ValueError(f"{contract}: could not raise its limits to {raised}")
    overrides = {
        f"{RAW_STATISTICS_CONTRACT.relative_to(PROJECT_DIR)} limits.{key}": f"{limits[key]} -> {value}"
        for key, value in raised.items()
    }
    suite_path = target / EXPECTATIONS_DIR.name / ADMIN_UNITS_SUITE
    suite = json.loads(suite_path.read_text(encoding="utf-8"))
    rule = next(e for e in suite["expectations"] if e["type"] == ROW_COUNT_RULE)
    old = dict(rule["kwargs"])
    rule["kwargs"] = {key: scaled(value, factor, key.startswith("max")) for key, value in old.items()}
    suite_path.write_text(json.dumps(suite, ensure_ascii=False, indent=2), encoding="utf-8")
    overrides[f"expectations/{ADMIN_UNITS_SUITE} row count"] = f"{old} -> {rule['kwargs']}"
    return overrides


def parse_dbt(project: Path) -> None:
    """The copy's dbt manifest, which the definitions load (as `make setup` parses the project's)."""
    dbt = Path(sys.executable).parent / "dbt"
    parse = [str(dbt), "parse", "--quiet", "--profiles-dir", ".", "--target-path", "target"]
    env = {**os.environ, "PYTHONPATH": str(project)}
    subprocess.run(parse, cwd=project / "dbt", env=env, check=True, capture_output=True)


def write_deployment(root: Path, units: int, years: int) -> ScaleDeployment:
    """The scale deployment under `root` (scratch): root/data, and root/project, the project's copy."""
    scratch_only(root)
    data_dir = root / "data"
    universe = write_reference(data_dir / REFERENCE_FOLDER, units)
    write_panel(data_dir, years)
    overrides = write_project(root / "project", units / len(real_units()))
    parse_dbt(root / "project")
    return ScaleDeployment(data_dir, root / "project", len(universe), overrides)
