"""Publishing: the analysts' DuckDB file, its Parquet, the workbooks, the figures and the report site, all
or nothing.

Analysts never open the warehouse the pipeline writes (DuckDB allows one writer). Each publication is a
complete folder data/published/snapshots/<label>/ (county_industry.duckdb, parquet/, exports/, figures/,
report/ and snapshot.json), written under a hidden name and renamed when complete. Only then is it published:
data/published/parquet, exports, figures and report (symbolic links to the snapshot's folders) and
data/published/county_industry.duckdb (a hard link to its file) are each swapped in with one rename. A run
killed at any point before leaves everything published as it was.

A snapshot is complete when its snapshot.json is there, written last: it says what the snapshot holds (data
years, editions, run, time) and the sha256 of each of its files, so a damaged file shows. Only complete
snapshots are listed, kept and rolled back to; what a killed run left behind is removed by the next
publication. The last few snapshots are kept; `county-industry rollback` points back at one.
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
    multi_asset,
)

from dagster_project.dbt_docs import DBT_DOCS, FINGERPRINT, SITE_FILES
from dagster_project.lib import reuse
from dagster_project.lib.provenance import sha256_of
from dagster_project.lib.sql import literal
from dagster_project.resources import DOCS_FOLDER, SNAPSHOTS_FOLDER, DataDirectory

PUBLISHED_SCHEMA = "marts"
# The published file is written in DuckDB's 1.0 storage format: the 1.x clients that BI tools, R, notebooks
# and the DuckDB CLI of the package registries embed read it (the pipeline's DuckDB 2 writes a newer one).
PUBLISHED_STORAGE_VERSION = "v1.0.0"
KEEP_SNAPSHOTS = 5
PARQUET = "parquet"
EXPORTS = "exports"
FIGURES_FOLDER = "figures"
REPORT = "report"  # the report site (report_site/), rendered from the snapshot's own file and figures
REQUIRED_FOLDERS = (PARQUET, EXPORTS, FIGURES_FOLDER)
# each published as data/published/<folder>, a link; the report site and the dbt docs (the site the docs
# asset generated beside the warehouse, linked in) are absent from snapshots older than them
FOLDERS = (*REQUIRED_FOLDERS, REPORT, DOCS_FOLDER)
MANIFEST = "snapshot.json"


def snapshots_dir(published_path: Path) -> Path:
    return published_path.parent / SNAPSHOTS_FOLDER


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
    files: dict[str, str]  # sha256 of every file in the folders, by path inside the snapshot
    # sha256 of the files its marts were made from (marts.source_files: raw files, reference files, the
    # configuration): snapshots of the same inputs show the same; none in a manifest older than it
    inputs: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    def describe(self) -> str:
        years = ", ".join(map(str, self.data_years)) or "none"
        editions = ", ".join(map(str, self.editions)) or "none"
        inputs = f"; inputs {self.inputs[:12]}" if self.inputs else ""
        run = f"run {self.run_id}; {self.created_at}"
        return f"{self.name}: data years {years}; editions {editions}{inputs}; {run}"

    def damage(self, database_name: str) -> str | None:
        """Why the snapshot can't be trusted (a file changed or gone since it was written), or None."""
        # snapshots written before the report site have none: its link is removed when they are published
        missing = [name for name in (database_name, *REQUIRED_FOLDERS) if not (self.path / name).exists()]
        if missing:
            return f"{self.path / missing[0]} is missing"
        expected = {database_name: self.sha256, **self.files}
        changed = [
            name
            for name, digest in expected.items()
            if not (self.path / name).is_file() or sha256_of(self.path / name) != digest
        ]
        if changed:
            return f"{self.path / changed[0]} no longer has the sha256 its manifest records (changed or gone)"
        return None


@dataclass(frozen=True)
class Publication:
    """What a publication wrote: the snapshot, the marts' row counts, the workbooks, the figures, the
    report site's pages."""

    snapshot: Path
    tables: dict[str, int]
    exports: list[str]
    rewritten: list[str]  # the workbooks written anew; the others' inputs were unchanged, their files reused
    figures: dict[str, tuple[Path, Path]]
    redrawn: list[str]  # the figures drawn anew; the others' inputs were unchanged, their files reused
    report: list[str]


def publish(warehouse_path: Path, published_path: Path, label: str, run_id: str) -> Publication:
    """Write snapshot <label> whole (marts, Parquet, workbooks, figures, report site, dbt docs), then make
    it the published one.
    The caller holds the writer lock, so any hidden staging folder found here is a killed run's leftover."""
    from dagster_project.exports import export_parquet, export_workbooks
    from dagster_project.figure_rendering import render_all  # matplotlib: loaded when publishing
    from dagster_project.report_site import render_site

    snapshots = snapshots_dir(published_path)
    snapshots.mkdir(parents=True, exist_ok=True)
    staging = snapshots / f".{label}.{os.getpid()}.tmp"
    staging.mkdir()
    try:
        database = staging / published_path.name
        row_counts = copy_marts(warehouse_path, database)
        export_parquet(database, staging / PARQUET)
        published = published_path.parent
        exports, rewritten = export_workbooks(
            database, staging / EXPORTS, staging / PARQUET, published / EXPORTS
        )
        drawn, redrawn = render_all(
            database, staging / PARQUET, staging / FIGURES_FOLDER, published / FIGURES_FOLDER
        )
        pages = [p.name for p in render_site(database, staging, staging / REPORT)]
        link_docs(warehouse_path.parent / DOCS_FOLDER, staging / DOCS_FOLDER)
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
    published_figures = {
        name: tuple(published / FIGURES_FOLDER / path.name for path in paths) for name, paths in drawn.items()
    }
    return Publication(snapshot, row_counts, exports, rewritten, published_figures, redrawn, pages)


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
        inputs = con.execute(
            f"select distinct source_file, source_sha256 from {PUBLISHED_SCHEMA}.source_files order by all"
        ).fetchall()
    manifest = {
        "run_id": run_id,
        "created_at": f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}",
        "data_years": years,
        "editions": editions,
        "inputs": reuse.digest(inputs),
        "sha256": sha256_of(database),
        "tables": row_counts,
        "files": {
            path.relative_to(folder).as_posix(): sha256_of(path)
            for name in FOLDERS
            for path in sorted((folder / name).rglob("*"))
            if path.is_file()
        },
    }
    with (folder / MANIFEST).open("w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())


def copy_marts(warehouse_path: Path, target: Path) -> dict[str, int]:
    """Every table of the warehouse's marts schema with its documentation, rows in a fixed order
    (ORDER BY ALL): incremental per-year marts store years in the order runs wrote them."""
    row_counts: dict[str, int] = {}
    with duckdb.connect() as con:
        version = literal(PUBLISHED_STORAGE_VERSION)
        con.execute(f"attach {literal(str(target))} as published (storage_version {version})")
        con.execute("use published")
        con.execute(f"attach {literal(str(warehouse_path))} as warehouse (read_only)")
        tables = con.execute(
            "select table_name, comment from duckdb_tables() "
            "where database_name = 'warehouse' and schema_name = ? order by table_name",
            [PUBLISHED_SCHEMA],
        ).fetchall()
        con.execute("begin")  # one commit for the file: each statement alone is a commit of its own
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
        con.execute("commit")
        con.execute("detach warehouse")
        con.execute("checkpoint published")
        con.execute("use memory")
        con.execute("detach published")
    return row_counts


def link_docs(site: Path, target: Path) -> None:
    """The dbt docs site the docs asset generated (site), into the snapshot being written: so that a
    rollback takes the docs back with the marts they describe. None yet (a warehouse no docs asset ran
    on), or a site missing a file: the snapshot has none, never half a site."""
    if site.is_dir():
        target.mkdir()
        if not reuse.link_previous([*SITE_FILES, FINGERPRINT], site, target):
            target.rmdir()


def point_at(snapshot: Path, published_path: Path) -> None:
    """The folders' links, then the DuckDB file, each replaced by one rename (atomic on one file system)."""
    for name in FOLDERS:
        published = published_path.parent / name
        if not (snapshot / name).is_dir():  # a snapshot older than the folder: nothing of it to show
            if published.is_symlink():  # a folder from before snapshots held it is left as it is
                published.unlink()
            continue
        link = published.with_name(f".{name}.{os.getpid()}.link")
        link.unlink(missing_ok=True)
        link.symlink_to(snapshot.relative_to(published_path.parent) / name, target_is_directory=True)
        if published.is_dir() and not published.is_symlink():  # a folder from before snapshots held it
            shutil.rmtree(published)
        os.replace(link, published)
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
            manifest.get("files", {}),
            manifest.get("inputs", ""),
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
    """What an interrupted run left: hidden staging folders and links (of the snapshot, its folders, the
    docs) and snapshot folders without a manifest. Only while no run holds the writer lock can they be told
    from a run's work."""
    found = [p for p in published_path.parent.glob(".*") if p.name.endswith((".tmp", ".link"))]
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
WORKBOOKS = AssetKey(["published", "workbooks"])
REPORT_SITE = AssetKey(["published", "report_site"])


def figure_key(name: str) -> AssetKey:
    return AssetKey(["published", "figures", name])


def build_publish_asset(mart_keys: list[AssetKey]) -> AssetsDefinition:
    """One step writes the snapshot whole and publishes it, so a run killed anywhere in it publishes
    nothing. Each thing published is an asset of its own: the exports and figures are drawn from the
    snapshot's DuckDB file, and name the marts they read."""
    from dagster_project.exports import load_layout
    from dagster_project.figures import FIGURES, reproduces
    from dagster_project.report_site import marts_read

    def marts(*names: str) -> list[AssetKey]:
        keys = [AssetKey(["marts", name]) for name in names]
        unknown = sorted(k.to_user_string() for k in set(keys) - set(mart_keys))
        if unknown:
            raise ValueError(f"published from marts that dbt/models/marts does not have: {unknown}")
        return keys

    @multi_asset(
        name="publish",
        specs=[
            AssetSpec(
                PUBLISHED_DUCKDB,
                deps=[*mart_keys, DBT_DOCS],
                group_name="published",
                kinds={"duckdb"},
                description=(
                    "The analysts' read-only DuckDB file data/published/county_industry.duckdb: every mart, "
                    "documented, swapped in once everything upstream has succeeded, with the dbt docs that "
                    "describe it (data/published/docs/, of the same snapshot)."
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
            AssetSpec(
                WORKBOOKS,
                deps=[PUBLISHED_DUCKDB, *marts(*load_layout().marts())],
                group_name="published",
                kinds={"csv", "xlsx"},
                description=(
                    "The marts an analyst cites as Excel workbooks in data/published/exports/, of the same "
                    "snapshot: published_<edition>.xlsx (the report's tables, real) and "
                    "computed[_synthetic_demo]_<edition>.xlsx (the computed lists), Chinese sheets and "
                    "headers, each sheet also as <workbook>.<sheet>.csv (config/workbooks.yaml)."
                ),
            ),
            *(
                AssetSpec(
                    figure_key(figure.name),
                    deps=[PUBLISHED_DUCKDB, *marts(*figure.marts)],
                    group_name="figures",
                    kinds={"matplotlib"},
                    description=(
                        f"{figure.title_zh}: data/published/figures/{figure.name}.png and .svg, of the same "
                        f"snapshot, from marts {', '.join(figure.marts)}."
                    ),
                    metadata={"reproduces": reproduces(figure.name)},  # 图 and edition, as the outline says
                )
                for figure in FIGURES
            ),
            AssetSpec(
                REPORT_SITE,
                deps=[PUBLISHED_DUCKDB, *(figure_key(f.name) for f in FIGURES), *marts(*marts_read())],
                group_name="published",
                kinds={"html"},
                description=(
                    "The report regenerated as a static site, data/published/report/index.html (opens from "
                    "disk): its chapters in order, each 图 and 表 with its figure, table, data year, claims "
                    "and the mart behind it; rendered into the same snapshot before it is published."
                ),
            ),
        ],
    )
    def _publish(context: AssetExecutionContext, data_dir: DataDirectory):
        from dagster_project.exports import INPUTS_FILE as WORKBOOK_INPUTS
        from dagster_project.figure_rendering import INPUTS_FILE
        from dagster_project.figures import inline_png

        label = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}_{context.run.run_id[:8]}"  # sorts by time
        done = publish(data_dir.warehouse, data_dir.published, label, context.run.run_id)
        folder = data_dir.published.parent
        yield MaterializeResult(
            asset_key=PUBLISHED_DUCKDB,
            metadata={
                "path": MetadataValue.path(str(data_dir.published)),
                "tables": len(done.tables),
                "snapshot": label,
                "rows": MetadataValue.json(done.tables),
            },
        )
        yield MaterializeResult(
            asset_key=PUBLISHED_PARQUET,
            metadata={
                "path": MetadataValue.path(str(folder / PARQUET)),
                "snapshot": label,
                "tables": MetadataValue.json(done.tables),
            },
        )
        yield MaterializeResult(
            asset_key=WORKBOOKS,
            metadata={
                "path": MetadataValue.path(str(folder / EXPORTS)),
                "snapshot": label,
                "files": MetadataValue.json(done.exports),
                "written anew": MetadataValue.json(done.rewritten),
                "inputs": MetadataValue.path(str(folder / EXPORTS / WORKBOOK_INPUTS)),
            },
        )
        for name, (png, svg) in done.figures.items():
            yield MaterializeResult(
                asset_key=figure_key(name),
                metadata={
                    "png": MetadataValue.path(str(png)),
                    "svg": MetadataValue.path(str(svg)),
                    "snapshot": label,
                    "drawn": "anew" if name in done.redrawn else "unchanged inputs: the previous snapshot's",
                    "inputs": MetadataValue.path(str(png.parent / INPUTS_FILE)),
                    "figure": MetadataValue.md(inline_png(png)),
                },
            )
        yield MaterializeResult(
            asset_key=REPORT_SITE,
            metadata={
                "path": MetadataValue.path(str(folder / REPORT / done.report[0])),
                "snapshot": label,
                "pages": MetadataValue.json(done.report),
            },
        )

    return _publish
