"""Publishing while analysts read: no lock error, never a half-written file; snapshots and rollback."""

import shutil
import subprocess
import sys

import duckdb

from dagster_project.publish import current_snapshot, kept_snapshots, rollback
from tests.conftest import run_pipeline

READER = """
import pathlib, sys, time, duckdb
path, stop_file = sys.argv[1], pathlib.Path(sys.argv[2])
deadline = time.time() + 300  # bounded even if the test dies before it says stop
reads = errors = 0
while not stop_file.exists() and time.time() < deadline:
    try:
        with duckdb.connect(path, read_only=True) as con:
            count = con.execute("select count(*) from marts.published_rankings").fetchone()[0]
        assert count == 600, count
        reads += 1
    except Exception as error:
        errors += 1
        print("ERROR", repr(error), flush=True)
    time.sleep(0.02)
print("reads", reads, "errors", errors, flush=True)
"""


def test_a_reader_sees_complete_snapshots_throughout_a_real_run(pipeline_run, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(pipeline_run.data_dir, data_dir)
    published = data_dir / "published" / "county_industry.duckdb"
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published), str(stop)], stdout=subprocess.PIPE, text=True
    )
    try:
        run = run_pipeline(data_dir, tmp_path / "dagster_home")
    finally:
        stop.touch()
        output, _ = reader.communicate(timeout=60)
    assert run.result.success
    assert "ERROR" not in output, output
    reads = int(output.split()[1])
    assert reads > 100, output  # it read all along the run, which takes tens of seconds

    kept = kept_snapshots(published)
    assert len(kept) == 2, "the copied snapshot of the first run and this run's"
    assert current_snapshot(published) == kept[-1], "the published file is the newest snapshot"
    parquet = data_dir / "published" / "parquet"
    assert parquet.resolve() == kept[-1] / "parquet", "the Parquet is that of the same snapshot"
    restored = rollback(published)
    assert restored == kept[0] == current_snapshot(published)
    assert parquet.resolve() == kept[0] / "parquet", "the Parquet rolled back with the DuckDB file"
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.published_rankings").fetchone()[0] == 600
    assert duckdb.sql(f"select count(*) from '{parquet}/published_rankings.parquet'").fetchall() == [(600,)]
