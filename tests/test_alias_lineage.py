"""A ranking row whose printed name resolves only through data/reference/divisions/name_aliases.csv keeps
its lineage: the mart row names the file and line it came from, with that file's sha256.

No committed ranking row needs an alias (README), so the test prints one: 邹平市 (371681, 撤县设市 in 2018)
as 邹平县 in the 2022 工业百强县 table, with its alias. It re-runs only that table's ingest (with its
blocking check), the stack of ranking tables and the dbt models from it to marts.published_rankings, on a
copy of the session run's warehouse.
"""

import csv
import hashlib
import shutil

import duckdb
import pytest
from dagster import AssetKey, AssetSelection

from dagster_project.reference.rankings import PUBLISHED_RANKINGS
from dagster_project.resources import PUBLISHED_FILE, WAREHOUSE_FILE
from tests.conftest import run_pipeline

pytestmark = pytest.mark.independent  # line and sha256 read from the edited file itself (csv, hashlib)

RANKING_FILE = "reference/rankings/2022_industrial_county.csv"
ALIASES_FILE = "reference/divisions/name_aliases.csv"
TABLE = AssetKey(["reference", "rankings_2022_industrial_county"])
# the mart and the views between it and the table: selected without the views, the mart's dbt step would not
# wait for the table's ingest (Dagster orders a subset's steps by the selected assets' own dependencies)
STEPS_AFTER = [
    PUBLISHED_RANKINGS,  # every ranking table stacked (not a dbt model: the stack dbt reads)
    AssetKey(["staging", "stg_reference__published_rankings"]),
    AssetKey(["intermediate", "int_published_rankings__resolved"]),
    AssetKey(["marts", "published_rankings"]),
]


def test_a_row_resolved_through_an_alias_keeps_its_lineage(pipeline_run, tmp_path):
    data_dir = tmp_path / "data"
    for folder in ("reference", "raw"):
        shutil.copytree(pipeline_run.data_dir / folder, data_dir / folder)
    (data_dir / WAREHOUSE_FILE).parent.mkdir()
    shutil.copy(pipeline_run.data_dir / WAREHOUSE_FILE, data_dir / WAREHOUSE_FILE)

    ranking = data_dir / RANKING_FILE
    text = ranking.read_text(encoding="utf-8")
    assert text.count(",邹平市,") == 1
    ranking.write_text(text.replace(",邹平市,", ",邹平县,"), encoding="utf-8")
    with (data_dir / ALIASES_FILE).open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(
            ["山东省", "邹平县", "371681", "撤县设市 2018: printed by a source as the former county"]
        )
    # what the mart row must say, from the file itself: its line (the header is line 1) and its sha256
    with ranking.open(encoding="utf-8", newline="") as f:
        line, printed = next(
            (n, r) for n, r in enumerate(csv.DictReader(f), start=2) if r["name"] == "邹平县"
        )
    sha256 = hashlib.sha256(ranking.read_bytes()).hexdigest()

    run = run_pipeline(
        data_dir, tmp_path / "dagster_home", selection=AssetSelection.assets(TABLE, *STEPS_AFTER)
    )
    assert run.result.success
    assert not (data_dir / PUBLISHED_FILE).exists(), "only the selected assets ran"

    with duckdb.connect(str(data_dir / WAREHOUSE_FILE), read_only=True) as con:
        rows = con.execute(
            "select rank, adcode, name, current_name, province, source_file, source_sha256, source_row, "
            "source_files from marts.published_rankings where edition_year = 2022 "
            "and list = 'industrial_county' and adcode = '371681'"
        ).fetchall()
    assert [row[:-1] for row in rows] == [
        (int(printed["rank"]), "371681", "邹平县", "邹平市", "山东省", RANKING_FILE, sha256, line)
    ], "the unit as printed, resolved through the alias, from its line of the file with that file's sha256"
    assert RANKING_FILE in rows[0][-1]
