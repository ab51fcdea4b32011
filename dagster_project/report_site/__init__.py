"""The report site: the report's chapters in order, each 图 and 表 the platform reproduces with its figure,
its table, its data year, a note where the inputs are synthetic, the claims it carries with their status,
and links to its mart and its dbt docs page. data/published/report/index.html opens from disk.

Atomicity. The site is one more folder of the snapshot, rendered by the publication step (publish.py)
after the figures, from the staged DuckDB file (read-only) and the staged figures and exports, before the
manifest is written and before anything is swapped in. data/published/report is then a fourth link into
the snapshot, swapped and rolled back with parquet/, exports/ and figures/. The figures the pages show are
hard links inside the site's own folder (report/figures/), so a page and its pictures are always of one
snapshot, also while the links are being swapped; the Parquet, exports and dbt docs it links to are the
snapshot's own, through ../.

Which mart and figure stand behind which 图 and 表 is written once, in outline.yml.
"""

from pathlib import Path

from dagster_project.report_site.outline import OUTLINE_FILE, load
from dagster_project.report_site.site import CLAIMS_MART, INDEX, RANKINGS_MART, render_site


def marts_read(path: Path = OUTLINE_FILE) -> list[str]:
    """Every mart the site reads: those of the outline's tables, the ranking tables and the claims ledger."""
    outlined = {table.mart for edition in load(path) for item in edition.items for table in item.tables}
    return sorted(outlined | {CLAIMS_MART, RANKINGS_MART})


__all__ = ["INDEX", "marts_read", "render_site"]
