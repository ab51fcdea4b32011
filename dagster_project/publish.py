"""Publishing: the analysts' DuckDB file and its Parquet, replaced after a successful run.

Analysts never open the warehouse the pipeline writes (DuckDB allows one writer). Each publication is a
complete folder data/published/snapshots/<label>/ (county_industry.duckdb, parquet/ and snapshot.json),
written under a hidden name and renamed when complete; then data/published/county_industry.duckdb (a hard
link to the snapshot's file) and data/published/parquet (a symbolic link to its folder) are each swapped in
with one rename. A snapshot is complete when its snapshot.json is there, written last: it says what the
snapshot holds (data years, editions, run, time) and the sha256 of its DuckDB file, so a damaged file shows.
Only complete snapshots are listed, kept and rolled back to; what a killed run left behind is removed by
the next publication. The last few snapshots are kept; `county-industry rollback` points back at one.
"""

import json
import os
import shutil
from dataclasses import dataclass
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

from dagster_project.lib.provenance import sha256_of
from dagster_project.lib.sql import literal
from dagster_project.resources import DataDirectory

PUBLISHED_SCHEMA = "marts"
KEEP_SNAPSHOTS = 5
PARQUET = "parquet"
MANIFEST = "snapshot.json"


def snapshots_dir(published_path: Path) -> Path:
    return published_path.parent / "snapshots"


@dataclass(frozen=True)
class Snapshot:
    """A complete snapshot folder and what its manifest says of it."""

    path: Path
    run_id: str
    created_at: str
    data_years: list[int]
    editions: list[int]
    sha256: str
    tables: dict[str, int]

    @property
    def name(self) -> str:
        return self.path.name

    def describe(self) -> str:
        years = ", ".join(map(str, self.data_years)) or "none"
        editions = ", ".join(map(str, self.editions)) or "none"
        return f"{self.name}: data years {years}; editions {editions}; run {self.run_id}; {self.created_at}"

    def damage(self, database_name: str) -> str | None:
        """Why the snapshot can't be trusted (a file changed or gone since it was written), or None."""
        database = self.path / database_name
        if not database.is_file():
            return f"{database} is missing"
        if sha256_of(database) != self.sha256:
            return f"{database} no longer has the sha256 its manifest records (truncated or overwritten)"
        if not (self.path / PARQUET).is_dir():
            return f"{self.path / PARQUET} is missing"
        return None


def publish(warehouse_path: Path, published_path: Path, label: str, run_id: str) -> dict[str, int]:
    """Write snapshot <label> from the warehouse's marts, then make it the published one. The caller holds
    the writer lock, so any hidden staging folder found here is a killed run's leftover."""
    from dagster_project.exports import export_parquet  # pandas: loaded when publishing

    snapshots = snapshots_dir(published_path)
    snapshots.mkdir(parents=True, exist_ok=True)
    staging = snapshots / f".{label}.{os.getpid()}.tmp"
    staging.mkdir()
    try:
        database = staging / published_path.name
        row_counts = copy_marts(warehouse_path, database)
        export_parquet(database, staging / PARQUET)
        write_manifest(staging, database, run_id, row_counts)
        snapshot = snapshots / label
        os.replace(staging, snapshot)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a failed write (a full disk) leaves nothing behind
        raise
    point_at(snapshot, published_path)
    remove_leftovers(published_path)
    for old in complete_snapshots(published_path)[:-KEEP_SNAPSHOTS]:
        shutil.rmtree(old.path)
    return row_counts


def write_manifest(folder: Path, database: Path, run_id: str, row_counts: dict[str, int]) -> None:
    """snapshot.json, written last and flushed to disk: its presence is what makes the snapshot complete."""
    with duckdb.connect(str(database), read_only=True) as con:
        years, editions = (
            sorted(
                {
                    value
                    for (table,) in con.execute(
                        "select table_name from duckdb_columns() where schema_name = ? and column_name = ?",
                        [PUBLISHED_SCHEMA, column],
                    ).fetchall()
                    for (value,) in con.execute(
                        f'select distinct "{column}" from {PUBLISHED_SCHEMA}."{table}" '
                        f'where "{column}" is not null'
                    ).fetchall()
                }
            )
            for column in ("data_year", "edition_year")
        )
    manifest = {
        "run_id": run_id,
        "created_at": f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}",
        "data_years": years,
        "editions": editions,
        "sha256": sha256_of(database),
        "tables": row_counts,
    }
    with (folder / MANIFEST).open("w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())


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


def read_snapshot(folder: Path) -> Snapshot | None:
    """The snapshot in folder if it is complete (a visible name and a readable manifest), else None."""
    if folder.name.startswith(".") or not folder.is_dir():
        return None
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return Snapshot(
            folder,
            manifest["run_id"],
            manifest["created_at"],
            manifest["data_years"],
            manifest["editions"],
            manifest["sha256"],
            manifest["tables"],
        )
    except (OSError, ValueError, KeyError):
        return None


def complete_snapshots(published_path: Path) -> list[Snapshot]:
    """The complete snapshots, oldest first (their names begin with the UTC time of their run)."""
    snapshots = snapshots_dir(published_path)
    if not snapshots.is_dir():
        return []
    found = (read_snapshot(p) for p in sorted(snapshots.iterdir()))
    return [s for s in found if s is not None]


def leftovers(published_path: Path) -> list[Path]:
    """What an interrupted run left: hidden staging folders and links (of the snapshot, the exports, the
    docs), a figure's hidden staging files, and snapshot folders without a manifest. Only while no run
    holds the writer lock can they be told from a run's work."""
    found = [p for p in published_path.parent.glob(".*") if p.name.endswith((".tmp", ".link"))]
    found += list((published_path.parent / "figures").glob(".*"))
    snapshots = snapshots_dir(published_path)
    if snapshots.is_dir():
        found += [p for p in snapshots.iterdir() if read_snapshot(p) is None]
    return sorted(found)


def remove_leftovers(published_path: Path) -> None:
    current = current_snapshot(published_path)
    for path in leftovers(published_path):
        if current is not None and path == current.path:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def current_snapshot(published_path: Path) -> Snapshot | None:
    """The snapshot whose file is the published one (the same inode), or None."""
    if not published_path.exists():
        return None
    inode = published_path.stat().st_ino
    return next(
        (
            s
            for s in complete_snapshots(published_path)
            if (s.path / published_path.name).exists()
            and (s.path / published_path.name).stat().st_ino == inode
        ),
        None,
    )


def rollback(published_path: Path, to: str | None = None) -> Snapshot:
    """Point the published file and Parquet back at an intact complete snapshot: the newest one before the
    current (which also repairs a damaged current one), or `to`."""
    kept = complete_snapshots(published_path)
    intact = [s for s in kept if s.damage(published_path.name) is None]
    if to is not None:
        chosen = [s for s in intact if s.name == to]  # a name from the list, never a path
    else:
        current = current_snapshot(published_path)
        chosen = [s for s in intact if current is None or s.name < current.name][-1:]
    if not chosen:
        names = ", ".join(s.name for s in intact) or "none"
        raise FileNotFoundError(
            f"no intact snapshot {to or 'before the current one'} to roll back to (intact: {names})"
        )
    point_at(chosen[0].path, published_path)
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
        counts = publish(data_dir.warehouse, data_dir.published, label, context.run.run_id)
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
