"""Publishing: the analysts' DuckDB file and its Parquet, replaced after a successful run.

Analysts never open the warehouse the pipeline writes (DuckDB allows one writer). Each publication is a
complete folder data/published/snapshots/<label>/ (county_industry.duckdb and parquet/), written under a
hidden name and renamed when complete; then data/published/county_industry.duckdb (a hard link to the
snapshot's file) and data/published/parquet (a symbolic link to its folder) are each swapped in with one
rename. The last few snapshots are kept; `county-industry rollback` points both back at an earlier one.
"""

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    asset,
    multi_asset,
)

from dagster_project.lib.sql import literal
from dagster_project.resources import DataDirectory

PUBLISHED_SCHEMA = "marts"
KEEP_SNAPSHOTS = 5
PARQUET = "parquet"


def snapshots_dir(published_path: Path) -> Path:
    return published_path.parent / "snapshots"


def publish(warehouse_path: Path, published_path: Path, label: str) -> dict[str, int]:
    """Write snapshot <label> from the warehouse's marts, then make it the published one."""
    from dagster_project.exports import export_parquet  # pandas: loaded when publishing

    snapshots = snapshots_dir(published_path)
    snapshots.mkdir(parents=True, exist_ok=True)
    staging = snapshots / f".{label}.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    row_counts = copy_marts(warehouse_path, staging / published_path.name)
    export_parquet(staging / published_path.name, staging / PARQUET)
    snapshot = snapshots / label
    shutil.rmtree(snapshot, ignore_errors=True)
    os.replace(staging, snapshot)
    point_at(snapshot, published_path)
    for old in sorted(p for p in snapshots.iterdir() if p.is_dir() and not p.name.startswith("."))[
        :-KEEP_SNAPSHOTS
    ]:
        shutil.rmtree(old)
    return row_counts


def copy_marts(warehouse_path: Path, target: Path) -> dict[str, int]:
    """Every table of the warehouse's marts schema with its documentation, rows in a fixed order
    (ORDER BY ALL): incremental per-year marts store years in the order runs wrote them."""
    row_counts: dict[str, int] = {}
    with duckdb.connect(str(target)) as con:
        con.execute(f"attach {literal(str(warehouse_path))} as warehouse (read_only)")
        tables = con.execute(
            "select table_name, comment from duckdb_tables() "
            "where database_name = 'warehouse' and schema_name = ? order by table_name",
            [PUBLISHED_SCHEMA],
        ).fetchall()
        con.execute(f"create schema {PUBLISHED_SCHEMA}")
        for table, comment in tables:
            target_table = f'{PUBLISHED_SCHEMA}."{table}"'
            con.execute(
                f'create table {target_table} as select * from warehouse.{PUBLISHED_SCHEMA}."{table}" '
                "order by all"
            )
            if comment:
                con.execute(f"comment on table {target_table} is {literal(comment)}")
            columns = con.execute(
                "select column_name, comment from duckdb_columns() where database_name = 'warehouse' "
                "and schema_name = ? and table_name = ? and comment is not null",
                [PUBLISHED_SCHEMA, table],
            ).fetchall()
            for column, column_comment in columns:
                con.execute(f'comment on column {target_table}."{column}" is {literal(column_comment)}')
            row_counts[table] = con.execute(f"select count(*) from {target_table}").fetchone()[0]
        con.execute("detach warehouse")
        con.execute("checkpoint")
    return row_counts


def point_at(snapshot: Path, published_path: Path) -> None:
    """The Parquet link, then the DuckDB file, each replaced by one rename (atomic on one file system)."""
    parquet = published_path.parent / PARQUET
    link = parquet.with_name(f".{PARQUET}.{os.getpid()}.link")
    link.unlink(missing_ok=True)
    link.symlink_to(snapshot.relative_to(published_path.parent) / PARQUET, target_is_directory=True)
    if parquet.is_dir() and not parquet.is_symlink():  # a folder from before snapshots held Parquet
        shutil.rmtree(parquet)
    os.replace(link, parquet)
    staging = published_path.with_name(f".{published_path.name}.{os.getpid()}.tmp")
    staging.unlink(missing_ok=True)
    os.link(snapshot / published_path.name, staging)
    os.replace(staging, published_path)


def kept_snapshots(published_path: Path) -> list[Path]:
    snapshots = snapshots_dir(published_path)
    if not snapshots.is_dir():
        return []
    return sorted(p for p in snapshots.iterdir() if (p / published_path.name).is_file())


def current_snapshot(published_path: Path) -> Path | None:
    if not published_path.exists():
        return None
    inode = published_path.stat().st_ino
    return next(
        (p for p in kept_snapshots(published_path) if (p / published_path.name).stat().st_ino == inode), None
    )


def rollback(published_path: Path, to: str | None = None) -> Path:
    """Point the published file and Parquet back at a kept snapshot: the one before the current, or `to`."""
    kept = kept_snapshots(published_path)
    if to is not None:
        chosen = [p for p in kept if p.name == to]  # a name from the list, never a path
    else:
        current = current_snapshot(published_path)
        chosen = [p for p in kept if current is None or p.name < current.name][-1:]
    if not chosen:
        names = ", ".join(p.name for p in kept) or "none"
        raise FileNotFoundError(
            f"no snapshot {to or 'before the current one'} to roll back to (kept: {names})"
        )
    point_at(chosen[0], published_path)
    return chosen[0]


PUBLISHED_DUCKDB = AssetKey(["published", "county_industry_duckdb"])
PUBLISHED_PARQUET = AssetKey(["published", "parquet"])


def build_publish_asset(mart_keys: list[AssetKey]) -> AssetsDefinition:
    @multi_asset(
        name="publish",
        specs=[
            AssetSpec(
                PUBLISHED_DUCKDB,
                deps=mart_keys,
                group_name="published",
                kinds={"duckdb"},
                description=(
                    "The analysts' read-only DuckDB file data/published/county_industry.duckdb: every mart, "
                    "documented, swapped in once everything upstream has succeeded."
                ),
            ),
            AssetSpec(
                PUBLISHED_PARQUET,
                deps=mart_keys,
                group_name="published",
                kinds={"parquet"},
                description=(
                    "Every mart of the same snapshot as data/published/parquet/<mart>.parquet, swapped in "
                    "with the DuckDB file."
                ),
            ),
        ],
    )
    def _publish(context: AssetExecutionContext, data_dir: DataDirectory):
        label = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}_{context.run.run_id[:8]}"  # sorts by time
        counts = publish(data_dir.warehouse, data_dir.published, label)
        yield MaterializeResult(
            asset_key=PUBLISHED_DUCKDB,
            metadata={
                "path": MetadataValue.path(str(data_dir.published)),
                "tables": len(counts),
                "snapshot": label,
                "rows": MetadataValue.json(counts),
            },
        )
        yield MaterializeResult(
            asset_key=PUBLISHED_PARQUET,
            metadata={
                "path": MetadataValue.path(str(data_dir.published.parent / PARQUET)),
                "snapshot": label,
                "tables": MetadataValue.json(counts),
            },
        )

    return _publish


@asset(
    key=AssetKey(["published", "list_exports"]),
    deps=[PUBLISHED_DUCKDB],
    group_name="published",
    kinds={"csv", "xlsx"},
    description=(
        "The three lists of each edition, published (real) and computed (synthetic with the demo panel), in "
        "the report's table layout (排名, 省（区、市）, 地级市, 县（市）/市辖区 with ★) as CSV and XLSX."
    ),
)
def published_list_exports(context: AssetExecutionContext, data_dir: DataDirectory) -> MaterializeResult:
    from dagster_project.exports import export_lists  # pandas: loaded when the asset runs

    target = data_dir.published.parent / "exports"
    written = export_lists(data_dir.published, target)
    return MaterializeResult(
        metadata={"path": MetadataValue.path(str(target)), "files": MetadataValue.json(written)}
    )


def build_figure_asset(name: str, title_zh: str, marts: tuple[str, ...]) -> AssetsDefinition:
    @asset(
        key=AssetKey(["published", "figures", name]),
        deps=[PUBLISHED_DUCKDB],
        group_name="figures",
        kinds={"matplotlib"},
        description=f"{title_zh}: PNG and SVG in data/published/figures/, from marts {', '.join(marts)}.",
    )
    def _figure(context: AssetExecutionContext, data_dir: DataDirectory) -> MaterializeResult:
        from dagster_project import figures  # matplotlib: loaded when the asset runs

        spec = next(f for f in figures.FIGURES if f.name == name)
        png, svg = figures.render(spec, data_dir.published, data_dir.published.parent / "figures")
        return MaterializeResult(
            metadata={
                "png": MetadataValue.path(str(png)),
                "svg": MetadataValue.path(str(svg)),
                "figure": MetadataValue.md(figures.inline_png(png)),
            }
        )

    return _figure
