"""Drawing the figures into a snapshot: each from its declared marts only; a figure whose inputs are unchanged
is the published one's files, linked; the changed ones drawn in two processes give the same bytes."""

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


@pytest.fixture
def subset(monkeypatch):
    figures = [figure for figure in FIGURES if figure.name in SUBSET]
    assert len(figures) == len(SUBSET)
    monkeypatch.setattr(figure_rendering, "FIGURES", figures)
    return {figure.name: figure for figure in figures}


@pytest.fixture
def parquet(pipeline_run, tmp_path):
    """A copy of the published Parquet, so that a test may change a mart's."""
    return shutil.copytree(pipeline_run.published.parent / "parquet", tmp_path / "parquet")


def render(pipeline_run, parquet, folder, previous=None):
    return figure_rendering.render_all(pipeline_run.published, parquet, folder, previous)


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
    path, fewer = parquet / f"{mart}.parquet", tmp_path / "fewer.parquet"
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * from read_parquet({literal(str(path))}) offset 1) to {literal(str(fewer))} "
            "(format parquet)"
        )
    fewer.replace(path)
    _, drawn = render(pipeline_run, parquet, tmp_path / "changed", previous=tmp_path / "again")
    assert drawn == ["shares_computed"]


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
