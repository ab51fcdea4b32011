"""Exports for people without DuckDB: every mart as Parquet, and the lists in the report's table layout.

Both are written into the snapshot being written, from its DuckDB file, and published with it
(publish.py): a reader never finds half an export, nor an export of other data than the DuckDB file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.demo import SYNTHETIC_LIST_NOTE
from dagster_project.lib import registry
from dagster_project.lib.sql import literal
from dagster_project.lib.xlsx import FIXED_TIME, pin_file_times


def export_parquet(published: Path, target: Path) -> dict[str, int]:
    """Every mart as target/<mart>.parquet (a new folder inside a snapshot being written)."""
    target.mkdir()
    counts = {}
    with duckdb.connect(str(published), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        for table in tables:
            path = target / f"{table}.parquet"
            con.execute(
                f'copy (select * from marts."{table}") to {literal(path.as_posix())} (format parquet)'
            )
            counts[table] = con.execute(f'select count(*) from marts."{table}"').fetchone()[0]
    return counts


def report_layout(rows: pd.DataFrame, list_name: str, synthetic: bool) -> pd.DataFrame:
    """排名, 省（区、市）, 地级市, 县（市）or 市辖区 with ★ after each province's leader, as printed."""
    unit_header = registry.ranking_list(list_name).unit_header
    table = pd.DataFrame(
        {
            "排名": rows["rank"].astype(int),
            "省（区、市）": rows["province"],
            "地级市": rows["prefecture"],
            unit_header: rows["name"] + rows["star"].map({1: "★", 0: ""}),
        }
    )
    if synthetic:
        table["数据说明"] = SYNTHETIC_LIST_NOTE
    return table


def export_lists(published: Path, target: Path) -> list[str]:
    """The three lists of each edition, published and computed, as CSV (UTF-8 with BOM) and XLSX, in
    target (a new folder inside a snapshot being written)."""
    target.mkdir()
    with duckdb.connect(str(published), read_only=True) as con:
        printed = con.execute(
            "select edition_year, list, rank, province_printed as province, "
            "prefecture_printed as prefecture, name, star, false as synthetic from marts.published_rankings"
        ).df()
        computed = con.execute(
            "select edition_year, list, rank, province, prefecture, name, star, synthetic "
            "from marts.computed_rankings"
        ).df()
    written = []
    for kind, frame in (("published", printed), ("computed", computed)):
        for (edition, list_name), rows in frame.groupby(["edition_year", "list"], sort=True):
            synthetic = bool(rows["synthetic"].any())
            label = "computed_synthetic_demo" if synthetic else kind
            stem = f"{label}_{edition}_{list_name}"
            table = report_layout(rows.sort_values("rank"), list_name, synthetic)
            table.to_csv(target / f"{stem}.csv", index=False, encoding="utf-8-sig")
            with pd.ExcelWriter(target / f"{stem}.xlsx", engine="openpyxl") as writer:
                title = registry.ranking_list(list_name).title_zh
                table.to_excel(writer, sheet_name=f"{edition}年{title}", index=False)
                writer.book.properties.created = FIXED_TIME
            pin_file_times(target / f"{stem}.xlsx")
            written += [f"{stem}.csv", f"{stem}.xlsx"]
    return written
