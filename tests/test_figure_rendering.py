"""Drawing the figures into a snapshot: each from its declared marts only, a figure of one edition from that
edition's rows only; a figure whose inputs are unchanged is the published one's files, linked; the changed
ones drawn in two processes give the same bytes."""

import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import duckdb
import pytest

from dagster_project import figure_rendering
from dagster_project.figures import FIGURES
from dagster_project.lib.sql import literal

pytestmark = pytest.mark.independent  # what is reused and what is drawn, by inode and by bytes

# Two figures of one mart and one of another: enough to see which a changed mart redraws.
SUBSET = ("shares_computed", "tiers", "county_population_classes")
# One figure of each of two editions, of the same two marts.
EDITIONS = {2022: "threshold_retail_500_2022", 2024: "threshold_retail_500_2024"}


def only(monkeypatch, names) -> dict:
    figures = [figure for figure in FIGURES if figure.name in names]
    assert len(figures) == len(names)
    monkeypatch.setattr(figure_rendering, "FIGURES", figures)
    return {figure.name: figure for figure in figures}


@pytest.fixture
def subset(monkeypatch):
    return only(monkeypatch, SUBSET)


@pytest.fixture
def parquet(pipeline_run, tmp_path):
    """A copy of the published Parquet, so that a test may change a mart's."""
    return shutil.copytree(pipeline_run.published.parent / "parquet", tmp_path / "parquet")


def render(pipeline_run, parquet, folder, previous=None):
    return figure_rendering.render_all(pipeline_run.published, parquet, folder, previous)


def rewrite(parquet, mart: str, select: str) -> None:
    """The mart's Parquet replaced by the rows of `select`, in which `mart` is its rows as they were."""
    path, new = parquet / f"{mart}.parquet", parquet / f"{mart}.new.parquet"
    with duckdb.connect() as con:
        con.execute(f"create view {mart} as select * from read_parquet({literal(str(path))})")
        con.execute(f"copy ({select}) to {literal(str(new))} (format parquet)")
    new.replace(path)


def test_a_figure_that_reads_a_mart_it_does_not_declare_fails(pipeline_run, tmp_path):
    tiers = next(figure for figure in FIGURES if figure.name == "tiers")
    assert "published_rankings" not in tiers.marts
    reads_another = replace(tiers, draw=lambda con: con.sql("select * from marts.published_rankings"))
    with pytest.raises(duckdb.CatalogException, match="published_rankings"):
        figure_rendering.render(reads_another, pipeline_run.published, tmp_path)


def test_unchanged_inputs_link_the_previous_files_and_a_changed_mart_redraws_its_figures(
    pipeline_run, parquet, tmp_path, subset
):
    first, drawn = render(pipeline_run, parquet, tmp_path / "first")
    assert drawn == list(subset)
    again, drawn = render(pipeline_run, parquet, tmp_path / "again", previous=tmp_path / "first")
    assert drawn == []
    for name in SUBSET:
        for before, after in zip(first[name], again[name], strict=True):
            assert before.stat().st_ino == after.stat().st_ino  # the same file, linked

    # shares_computed's mart with one row fewer: its figure only is drawn anew
    (mart,) = subset["shares_computed"].marts
    assert [name for name, figure in subset.items() if mart in figure.marts] == ["shares_computed"]
    rewrite(parquet, mart, f"select * from {mart} offset 1")
    _, drawn = render(pipeline_run, parquet, tmp_path / "changed", previous=tmp_path / "again")
    assert drawn == ["shares_computed"]


def test_rows_of_a_new_edition_redraw_no_figure_of_another_and_a_changed_edition_redraws_its_own(
    pipeline_run, parquet, tmp_path, monkeypatch
):
    """A new data year adds rows of a new edition to the marts the figures of earlier editions read."""
    figures = only(monkeypatch, EDITIONS.values())
    [marts] = {figure.marts for figure in figures.values()}
    render(pipeline_run, parquet, tmp_path / "first")
    for mart in marts:  # 2024's rows again as 2026's
        rewrite(
            parquet,
            mart,
            f"select * from {mart} union all "
            f"select * replace (2026 as edition_year) from {mart} where edition_year = 2024",
        )
    _, drawn = render(pipeline_run, parquet, tmp_path / "new_edition", previous=tmp_path / "first")
    assert drawn == []
    units = "computed_list_threshold_units"
    assert units in marts
    rewrite(
        parquet,
        units,
        f"select * replace (if(edition_year = 2022, 2 * value, value) as value) from {units}",
    )
    _, drawn = render(pipeline_run, parquet, tmp_path / "changed", previous=tmp_path / "new_edition")
    assert drawn == [EDITIONS[2022]]


def test_a_figure_of_one_edition_sees_that_editions_rows_only(pipeline_run, tmp_path):
    figure = next(figure for figure in FIGURES if figure.name == EDITIONS[2022])
    seen = []

    def look(con) -> None:
        """What the figure's connection holds, looked at before it draws."""
        for mart in figure.marts:
            seen.extend(con.sql(f"select distinct edition_year from marts.{mart}").fetchall())

    with duckdb.connect(str(pipeline_run.published), read_only=True) as con:
        published = con.sql(f"select distinct edition_year from marts.{figure.marts[0]}").fetchall()
    assert (2022,) in published and len(published) > 1, published
    looked = replace(figure, draw=lambda con: look(con) or figure.draw(con))
    figure_rendering.render(looked, pipeline_run.published, tmp_path)
    assert seen == [(2022,)] * len(figure.marts)


def test_changed_drawing_code_redraws_every_figure(pipeline_run, parquet, tmp_path, subset, monkeypatch):
    render(pipeline_run, parquet, tmp_path / "first")
    edited = {**figure_rendering.drawing_fingerprint(), "dagster_project/figures.py": "edited"}
    monkeypatch.setattr(figure_rendering, "drawing_fingerprint", lambda: edited)
    _, drawn = render(pipeline_run, parquet, tmp_path / "edited", previous=tmp_path / "first")
    assert drawn == list(subset)


def test_a_published_figure_gone_from_disk_is_drawn_again(pipeline_run, parquet, tmp_path, subset):
    first, _ = render(pipeline_run, parquet, tmp_path / "first")
    first["tiers"][1].unlink()
    again, drawn = render(pipeline_run, parquet, tmp_path / "again", previous=tmp_path / "first")
    assert drawn == ["tiers"]
    assert again["tiers"][1].is_file()


def test_two_processes_draw_the_same_bytes_as_one(pipeline_run, parquet, tmp_path, subset, monkeypatch):
    pools = []

    class Recorded(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(kwargs)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(figure_rendering, "ProcessPoolExecutor", Recorded)
    one, drawn = render(pipeline_run, parquet, tmp_path / "one")
    assert pools == []  # three figures: too few for a second process
    monkeypatch.setattr(figure_rendering, "FIGURES_PER_PROCESS", 1)
    two, drawn_by_two = render(pipeline_run, parquet, tmp_path / "two")
    assert len(pools) == 1 and pools[0]["max_workers"] == figure_rendering.DRAW_PROCESSES - 1
    assert drawn == drawn_by_two == list(subset)
    for name in SUBSET:
        assert [p.read_bytes() for p in one[name]] == [p.read_bytes() for p in two[name]]
