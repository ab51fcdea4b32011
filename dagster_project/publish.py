"""Publishing: the analysts' DuckDB file, replaced atomically after a successful run.

Analysts never open the warehouse the pipeline writes (DuckDB allows one writer); they open
data/published/county_industry.duckdb, which is written beside its final place and renamed over it.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from dagster_project.lib.sql import literal
from dagster_project.resources import DataDirectory

PUBLISHED_SCHEMA = "marts"


KEEP_SNAPSHOTS = 5


def snapshots_dir(published_path: Path) -> Path:
    return published_path.parent / "snapshots"


def publish_marts(warehouse_path: Path, published_path: Path, label: str) -> dict[str, int]:
    """Copy every table of the warehouse's marts schema, with its documentation, then swap it in.

    The new file is also kept as snapshots/<label>.duckdb (a hard link: no copy), the last few of which
    `county-industry rollback` can put back."""
    published_path.parent.mkdir(parents=True, exist_ok=True)
    staging_path = published_path.with_name(f".{published_path.name}.{os.getpid()}.tmp")
    staging_path.unlink(missing_ok=True)
    row_counts: dict[str, int] = {}
    with duckdb.connect(str(staging_path)) as con:
        con.execute(f"attach {literal(str(warehouse_path))} as warehouse (read_only)")
        tables = con.execute(
            "select table_name, comment from duckdb_tables() "
            "where database_name = 'warehouse' and schema_name = ? order by table_name",
            [PUBLISHED_SCHEMA],
        ).fetchall()
        con.execute(f"create schema {PUBLISHED_SCHEMA}")
        for table, comment in tables:
            target = f'{PUBLISHED_SCHEMA}."{table}"'
            con.execute(f'create table {target} as select * from warehouse.{PUBLISHED_SCHEMA}."{table}"')
            if comment:
                con.execute(f"comment on table {target} is {literal(comment)}")
            columns = con.execute(
                "select column_name, comment from duckdb_columns() where database_name = 'warehouse' "
                "and schema_name = ? and table_name = ? and comment is not null",
                [PUBLISHED_SCHEMA, table],
            ).fetchall()
            for column, column_comment in columns:
                con.execute(f'comment on column {target}."{column}" is {literal(column_comment)}')
            row_counts[table] = con.execute(f"select count(*) from {target}").fetchone()[0]
        con.execute("detach warehouse")
        con.execute("checkpoint")
    snapshots = snapshots_dir(published_path)
    snapshots.mkdir(exist_ok=True)
    (snapshots / f"{label}.duckdb").unlink(missing_ok=True)
    os.link(staging_path, snapshots / f"{label}.duckdb")
    os.replace(staging_path, published_path)
    for old in sorted(snapshots.glob("*.duckdb"))[:-KEEP_SNAPSHOTS]:
        old.unlink()
    return row_counts


def rollback(published_path: Path, to: str | None = None) -> Path:
    """Put a kept snapshot back in place, atomically: the one before the current, or the one named."""
    kept = sorted(snapshots_dir(published_path).glob("*.duckdb"))
    if to is not None:
        chosen = [p for p in kept if p.stem == to]
    else:
        current = published_path.stat().st_ino if published_path.exists() else None
        chosen = [p for p in kept if p.stat().st_ino != current][-1:]
    if not chosen:
        names = ", ".join(p.stem for p in kept) or "none"
        raise FileNotFoundError(
            f"no snapshot {to or 'before the current one'} to roll back to (kept: {names})"
        )
    staging = published_path.with_name(f".{published_path.name}.{os.getpid()}.rollback")
    staging.unlink(missing_ok=True)
    os.link(chosen[0], staging)
    os.replace(staging, published_path)
    return chosen[0]


PUBLISHED_DUCKDB = AssetKey(["published", "county_industry_duckdb"])


def build_publish_asset(mart_keys: list[AssetKey]) -> object:
    @asset(
        key=PUBLISHED_DUCKDB,
        deps=mart_keys,
        group_name="published",
        kinds={"duckdb"},
        description=(
            "The analysts' read-only DuckDB file data/published/county_industry.duckdb: every mart, "
            "documented, swapped in atomically once everything upstream has succeeded."
        ),
    )
    def published_duckdb(context: AssetExecutionContext, data_dir: DataDirectory) -> MaterializeResult:
        label = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}_{context.run.run_id[:8]}"  # sorts by time
        counts = publish_marts(data_dir.warehouse, data_dir.published, label)
        return MaterializeResult(
            metadata={
                "path": MetadataValue.path(str(data_dir.published)),
                "tables": len(counts),
                "snapshot": label,
                "rows": MetadataValue.json(counts),
            }
        )

    return published_duckdb


@asset(
    key=AssetKey(["published", "parquet"]),
    deps=[PUBLISHED_DUCKDB],
    group_name="published",
    kinds={"parquet"},
    description="Every mart of the published file as data/published/parquet/<mart>.parquet.",
)
def published_parquet(context: AssetExecutionContext, data_dir: DataDirectory) -> MaterializeResult:
    from dagster_project.exports import export_parquet  # pandas: loaded when the asset runs

    target = data_dir.published.parent / "parquet"
    counts = export_parquet(data_dir.published, target)
    return MaterializeResult(
        metadata={"path": MetadataValue.path(str(target)), "tables": MetadataValue.json(counts)}
    )


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
