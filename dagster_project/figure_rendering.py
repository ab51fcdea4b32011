"""Drawing the figures into a snapshot: each from its own marts only, a figure whose inputs did not change
taken from the published snapshot, the others drawn in two processes.

A figure's inputs are the Parquet of the marts it declares (written beside it, byte-identical for the same
rows), of a figure of one edition only that edition's rows, and the drawing code with the seeds it labels
from (DRAWING_INPUTS). Their sha256 is the figure's key, kept in figures/figure_inputs.json; a figure whose
key equals the published one is the same bytes, so it is linked, not drawn again: a new data year redraws
the figures that show it, not those of the editions before it. That a figure reads nothing but these rows
is enforced, not assumed: it is drawn on a connection that holds only its marts, with only its edition's
rows, so a figure reading another mart fails, and one reading another edition finds no rows, instead of
going stale.
"""

from __future__ import annotations

import json
import multiprocessing
import tempfile
import warnings
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb

from dagster_project.figures import FIGURES, Figure, pyplot, use_cjk_font
from dagster_project.lib import reuse
from dagster_project.lib.provenance import sha256_of
from dagster_project.lib.sql import literal

INPUTS_FILE = "figure_inputs.json"  # in the snapshot's figures/: each figure's key and what made it
# What the pictures are drawn with besides the marts: the drawing code, the labels it reads (the registry's
# seeds) and the font. Not config/: the drawing reads none of it, and what the configuration does to the
# numbers is in the marts (a changed indicator system redraws the figures whose marts it changed).
DRAWING_INPUTS = (
    "dagster_project/figures.py",
    "dagster_project/figure_rendering.py",
    "dagster_project/lib/*.py",
    "dagster_project/demo/__init__.py",
    "dbt/seeds/*.csv",
)
# matplotlib's warning for a character the font lacks: "Glyph 8364 (\N{EURO SIGN}) missing from font(s) ..."
MISSING_GLYPH = r"Glyph \d+ .* missing from"
DRAW_PROCESSES = 2  # the main process and one more
FIGURES_PER_PROCESS = 8  # fewer changed figures than this are drawn in the main process alone


def drawing_fingerprint() -> dict[str, str]:
    """sha256 of each file the drawing reads besides the marts, and the matplotlib version."""
    import matplotlib

    from dagster_project.figures import CJK_FONT_FILE

    fingerprint = reuse.fingerprint(DRAWING_INPUTS)
    fingerprint["matplotlib"] = matplotlib.__version__
    fingerprint["font"] = f"{CJK_FONT_FILE} {CJK_FONT_FILE.stat().st_size if CJK_FONT_FILE.is_file() else 0}"
    return fingerprint


def figure_inputs(figure: Figure, mart_sha256: dict[tuple[str, int | None], str], drawing: str) -> dict:
    """A figure's key: the sha256 of its marts' Parquet (of a figure of one edition, of that edition's rows)
    and of the drawing code."""
    marts = {mart: mart_sha256[mart, figure.edition] for mart in sorted(figure.marts)}
    inputs = {"marts": marts, "drawing": drawing, "edition": figure.edition}
    return {"key": reuse.digest([figure.name, marts, drawing, figure.edition]), **inputs}


def rows_sha256(parquet: Path, marts: Iterable[tuple[str, int | None]]) -> dict[tuple[str, int | None], str]:
    """sha256 of each mart's Parquet in the snapshot being written, or, given an edition, of the Parquet of
    that edition's rows, written as the mart's is (the same rows, the same bytes)."""
    wanted = set(marts)
    whole = reuse.mart_digests(parquet, (mart for mart, edition in wanted if edition is None))
    digests = {(mart, None): sha256 for mart, sha256 in whole.items()}
    with tempfile.TemporaryDirectory() as scratch, duckdb.connect() as con:
        rows = Path(scratch) / "rows.parquet"
        for mart, edition in wanted - digests.keys():
            con.execute(
                f"copy (select * from read_parquet({literal(str(parquet / f'{mart}.parquet'))}) "
                f"where edition_year = {int(edition)}) to {literal(str(rows))} (format parquet)"
            )
            digests[mart, edition] = sha256_of(rows)
    return digests


def declared_marts(published: Path, figure: Figure) -> duckdb.DuckDBPyConnection:
    """A connection on which marts.<name> is each mart the figure declares, of the published file, and
    nothing else; of a figure of one edition, with that edition's rows only."""
    rows = "" if figure.edition is None else f" where edition_year = {int(figure.edition)}"
    con = duckdb.connect()
    con.execute(f"attach {literal(str(published))} as published (read_only)")
    con.execute("create schema marts")
    for mart in figure.marts:
        con.execute(f'create view marts."{mart}" as select * from published.marts."{mart}"{rows}')
    return con


def render(figure: Figure, published: Path, folder: Path) -> tuple[Path, Path]:
    """Draw from the published file; write folder/<name>.png and .svg (fixed metadata: same bytes). A
    character the font lacks fails the figure: matplotlib would draw it as an empty box, and only warn."""
    use_cjk_font()
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{figure.name}.png", folder / f"{figure.name}.svg"
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=MISSING_GLYPH)
        with declared_marts(published, figure) as con:
            drawn = figure.draw(con)
        try:
            drawn.tight_layout()
            # tight_layout leaves a placeholder layout engine, and any engine makes each savefig draw the
            # whole figure once more before it prints (the text laid out again): none is left
            drawn.set_layout_engine(None)
            drawn.savefig(png, metadata={"Software": None})
            drawn.savefig(svg, metadata={"Date": None, "Creator": None})
        finally:
            pyplot().close(drawn)
    return png, svg


def render_named(names: list[str], published: Path, folder: Path) -> None:
    """Draw the named figures (what the second process is given: names travel, functions need not)."""
    by_name = {figure.name: figure for figure in FIGURES}
    for name in names:
        render(by_name[name], published, folder)


def draw(names: list[str], published: Path, folder: Path) -> None:
    """The changed figures: every other one in a second process when there are enough to pay for it."""
    if len(names) < DRAW_PROCESSES * FIGURES_PER_PROCESS:
        render_named(names, published, folder)
        return
    spawn = multiprocessing.get_context("spawn")  # never fork a process that may hold threads and locks
    with ProcessPoolExecutor(max_workers=DRAW_PROCESSES - 1, mp_context=spawn) as pool:
        other = pool.submit(render_named, names[1::2], published, folder)
        render_named(names[::2], published, folder)
        other.result()


def render_all(
    published: Path, parquet: Path, folder: Path, previous: Path | None = None
) -> tuple[dict[str, tuple[Path, Path]], list[str]]:
    """Every figure into folder (of the snapshot being written), those with the key they had in previous
    (the published figures) linked from there. Returns the figures' files and the names drawn anew."""
    folder.mkdir(parents=True, exist_ok=True)
    drawing = reuse.digest(drawing_fingerprint())
    mart_sha256 = rows_sha256(
        parquet, ((mart, figure.edition) for figure in FIGURES for mart in figure.marts)
    )
    inputs = {figure.name: figure_inputs(figure, mart_sha256, drawing) for figure in FIGURES}
    before = reuse.previous_keys(previous, INPUTS_FILE)
    drawn = [
        name
        for name, now in inputs.items()
        if before.get(name, {}).get("key") != now["key"]
        or not reuse.link_previous([f"{name}.png", f"{name}.svg"], previous, folder)
    ]
    draw(drawn, published, folder)
    (folder / INPUTS_FILE).write_text(json.dumps(inputs, indent=1, sort_keys=True), encoding="utf-8")
    files = {name: (folder / f"{name}.png", folder / f"{name}.svg") for name in inputs}
    return files, drawn
