"""Every mart row traces back to its input files: path, sha256, when and by which run they were loaded.

Each mart carries source_files, the sorted list of the input files its row derives from; the register
marts.source_files holds one row per input file loaded in the warehouse. Over the session's real run.
"""

import hashlib
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib import registry
from dagster_project.resources import DEFAULT_DATA_DIR, PROJECT_DIR, REFERENCE_FOLDER, WAREHOUSE_FILE

pytestmark = pytest.mark.independent  # each mart's inputs, stated by hand; hashes by hashlib

REFERENCE = DEFAULT_DATA_DIR / REFERENCE_FOLDER  # the committed inputs, which every run copies

REGISTER = "source_files"
# marts derived from no input file: the register itself, and the column lineage (from the models' SQL)
NOT_FROM_INPUTS = {REGISTER, "column_lineage"}
# the weights matrices and the dbt seeds live in the project, not in the data directory
CONFIG_PREFIXES = ("config/", "dbt/seeds/")


def marts(published: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        t
        for (t,) in published.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
    ]


def register(published: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    frame = published.execute("select * from marts.source_files order by source_file").df()
    assert frame["source_file"].is_unique, "the register holds one row per input file"
    return {row["source_file"]: row for row in frame.to_dict("records")}


def on_disk(source_file: str, data_dir: Path) -> Path:
    return (PROJECT_DIR if source_file.startswith(CONFIG_PREFIXES) else data_dir) / source_file


def test_every_mart_row_lists_its_input_files_sorted_and_distinct(published):
    for mart in marts(published):
        if mart in NOT_FROM_INPUTS:
            continue
        [(data_type,)] = published.execute(
            "select data_type from duckdb_columns() "
            "where schema_name = 'marts' and table_name = ? and column_name = 'source_files'",
            [mart],
        ).fetchall() or [(None,)]
        assert data_type == "VARCHAR[]", f"marts.{mart} has no source_files list column"
        rows = published.execute(f'select source_files from marts."{mart}"').fetchall()
        assert rows, f"marts.{mart} is empty"
        for (files,) in rows:
            assert files, f"a row of marts.{mart} derives from no input file"
            assert files == sorted(set(files)), f"marts.{mart}: {files} is not sorted and distinct"


@pytest.mark.consistency
def test_every_listed_file_is_in_the_register(published):
    listed = set(register(published))
    for mart in marts(published):
        if mart in NOT_FROM_INPUTS:
            continue
        (files,) = published.execute(
            f'select list_sort(list_distinct(flatten(list(source_files)))) from marts."{mart}"'
        ).fetchone()
        missing = set(files) - listed
        assert not missing, f"marts.{mart} lists files the register does not: {sorted(missing)}"


@pytest.mark.consistency
def test_the_register_holds_every_file_loaded_in_the_warehouse(pipeline_run, published):
    files = register(published)
    warehouse = pipeline_run.data_dir / WAREHOUSE_FILE
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # source_file, and provinces_file beside the adcodes' in reference.admin_units
        columns = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where column_name in ('source_file', 'provinces_file') "
            "and schema_name in ('raw', 'reference', 'engine') "
            # each ranking file's own table, stacked into reference.published_rankings: the table dbt reads
            "and not (schema_name = 'reference' and table_name like 'rankings\\_%' escape '\\') order by all"
        ).fetchall()
        loaded = {
            (source_file, f"{schema}.{table}", rows)
            for schema, table, column in columns
            for source_file, rows in con.execute(
                f'select "{column}", count(*) from "{schema}"."{table}" group by 1'
            ).fetchall()
        }
        seeds = con.execute("select table_name from duckdb_tables() where schema_name = 'seeds'").fetchall()
        loaded |= {
            (
                f"dbt/seeds/{table}.csv",
                f"seeds.{table}",
                con.execute(f'select count(*) from seeds."{table}"').fetchone()[0],
            )
            for (table,) in seeds
        }
        # the indicator system, read by a dbt model from the file rather than loaded as a seed
        loaded |= set(
            con.execute(
                "select source_file, 'staging.stg_engine__indicator_catalogue', count(*) "
                "from staging.stg_engine__indicator_catalogue group by 1"
            ).fetchall()
        )
    assert len(seeds) == len(list((PROJECT_DIR / "dbt" / "seeds").glob("*.csv"))), seeds
    assert len(columns) >= 11, columns
    assert {(f, row["loaded_into"], row["row_count"]) for f, row in files.items()} == loaded
    panel = sorted((pipeline_run.data_dir / "raw" / "county_statistics").glob("*/*"))
    weights = sorted((PROJECT_DIR / "config" / "weights").glob("*.yaml"))
    assert panel and weights
    for path in panel:
        row = files[path.relative_to(pipeline_run.data_dir).as_posix()]
        assert row["data_year"] == int(path.parent.name)
    for path in weights:
        assert files[path.relative_to(PROJECT_DIR).as_posix()]["loaded_into"] == "engine.indicator_weights"


def test_each_registered_file_is_on_disk_with_its_hash_and_was_loaded_by_the_run(pipeline_run, published):
    run_id = pipeline_run.result.run_id
    for source_file, row in register(published).items():
        path = on_disk(source_file, pipeline_run.data_dir)
        assert path.is_file(), f"{source_file}: not found at {path}"
        # hashlib on the file's bytes, not the project's own sha256_of: a wrong hash cannot pass on both sides
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == row["source_sha256"], f"{source_file}: sha256 differs from the file's"
        assert row["loaded_at"], f"{source_file}: no load time"
        assert row["run_id"] == run_id, f"{source_file}: loaded by run {row['run_id']}, not {run_id}"
        assert row["row_count"] > 0


@pytest.mark.consistency
def test_a_computed_ranking_lists_its_years_panel_and_its_weights(published):
    weights = dict(
        published.execute(
            'select "index", list(distinct source_file order by source_file) from marts.indicator_weights '
            'group by "index"'
        ).fetchall()
    )
    assert set(weights) == {"industrial", "innovation"}
    rows = published.execute("select data_year, list, source_files from marts.computed_rankings").fetchall()
    assert rows
    for data_year, list_name, files in rows:
        panel = [f for f in files if f.startswith(f"raw/county_statistics/{data_year}/")]
        assert panel, f"{data_year} {list_name}: {files} lists no panel file of its data year"
        assert not [f for f in files if f.startswith("raw/") and f not in panel], files
        assert set(weights[list_name.split("_")[0]]) <= set(files), f"{list_name}: {files} lacks its weights"


def test_a_published_ranking_lists_its_ranking_file(published):
    """Each row names its list's file, reference/rankings/<edition>_<list>.csv, among its input files. The
    number of rows is the registry's (each list's top_n in every edition present), not a count kept here."""
    rows = published.execute(
        "select edition_year, list, source_file, source_files from marts.published_rankings"
    ).fetchall()
    assert len(rows) == registry.published_ranking_rows(REFERENCE)
    for edition_year, list_name, source_file, files in rows:
        assert source_file == f"reference/rankings/{edition_year}_{list_name}.csv"
        assert source_file in files


@pytest.mark.parametrize(
    ("mart", "rows", "expected"),
    [
        ("national_totals", "true", "raw/national_totals/"),
        ("computed_list_shares", "measure <> 'units'", "raw/national_totals/"),
        ("computed_list_shares", "measure = 'units'", "reference/divisions/"),
        ("computed_list_growth", "true", "raw/national_totals/"),
        ("claims", "true", "reference/report_figures.csv"),
        ("claims", "status <> 'not_computable' and measure = 'province_count'", "reference/rankings/"),
        ("smart_factories", "true", "reference/smart_factories/"),
        ("smart_factories", "computed_count is not null", "raw/county_statistics/"),
        ("city_cluster_members", "true", "reference/city_clusters/"),
        ("city_cluster_members", "len(area_aliases) > 0", "dbt/seeds/city_cluster_aliases.csv"),
        ("published_ranking_region_series", "basis = 'computed'", "reference/rankings/"),
        ("published_ranking_region_series", "basis = 'stated'", "reference/stated_region_counts.csv"),
        ("published_national_clusters", "true", "reference/clusters/"),
        ("computed_rankings", "true", "reference/divisions/"),
        ("published_rankings", "true", "reference/divisions/provinces.csv"),
        ("indicator_values", "true", "config/raw_statistics.yaml"),
        ("computed_rankings", "true", "config/raw_statistics.yaml"),
        ("computed_list_thresholds", "true", "dbt/seeds/analysis_thresholds.csv"),
        ("published_ranking_tiers", "true", "reference/published_tier_bounds.csv"),
        ("computed_ranking_movements", "true", "reference/divisions/provinces.csv"),
    ],
)
def test_marts_list_the_inputs_their_values_depend_on(published, mart, rows, expected):
    selected, missing = published.execute(
        "select count(*), count(*) filter (where not list_bool_or([starts_with(f, ?) for f in source_files]))"
        f" from marts.{mart} where {rows}",
        [expected],
    ).fetchone()
    assert selected > 0, f"no rows of marts.{mart} where {rows}"
    assert missing == 0, f"{missing} rows of marts.{mart} where {rows} list no {expected}"


def test_a_claim_lists_its_register_and_the_rows_it_is_evaluated_against(published):
    query = "select edition_year, list, measure, status, source_files from marts.claims"
    rows = published.execute(query).fetchall()
    assert rows
    for edition_year, list_name, measure, status, files in rows:
        if status == "not_computable":
            assert files == ["reference/report_figures.csv"], files
        elif measure == "city_cluster_count":
            assert {
                "reference/report_figures.csv",
                "reference/city_clusters/city_cluster_members.csv",
                f"reference/rankings/{edition_year}_{list_name}.csv",
            } <= set(files), files
