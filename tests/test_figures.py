"""Figures: drawn from the published marts, Chinese labels in a real CJK font, shown in the UI."""

import warnings

import pytest
from dagster import AssetKey
from matplotlib import font_manager

from dagster_project import figures
from dagster_project.demo import SYNTHETIC_STATISTICS_NOTE

pytestmark = pytest.mark.independent  # the figures as stated: drawn, in a CJK font, labelled


def test_every_figure_is_materialised_with_its_png_in_the_metadata(pipeline_run):
    events = {e.asset_key: e.materialization for e in pipeline_run.result.get_asset_materialization_events()}
    for spec in figures.FIGURES:
        materialization = events[AssetKey(["published", "figures", spec.name])]
        assert materialization.metadata["figure"].value.startswith(f"![{spec.name}](data:image/png;base64,")
        folder = pipeline_run.published.parent / "figures"
        assert (folder / f"{spec.name}.png").stat().st_size > 10_000
        assert (folder / f"{spec.name}.svg").stat().st_size > 10_000


def test_chinese_labels_use_the_cjk_font_and_no_glyph_is_missing(pipeline_run, tmp_path):
    name = figures.use_cjk_font()
    resolved = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    assert resolved == str(figures.CJK_FONT_FILE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for spec in figures.FIGURES:
            figures.render(spec, pipeline_run.published, tmp_path)
    assert not [str(w.message) for w in caught if "missing from" in str(w.message)]


@pytest.mark.parametrize(("name", "text"), [("tiers", "梯队分布"), ("rank_bands_latest_districts", "江苏省")])
def test_svg_figures_keep_their_chinese_text(pipeline_run, name, text):
    svg = (pipeline_run.published.parent / "figures" / f"{name}.svg").read_text(encoding="utf-8")
    assert text in svg
    assert "WenQuanYi Micro Hei" in svg


def test_figures_from_the_demo_panel_say_so(pipeline_run):
    svg = (pipeline_run.published.parent / "figures" / "shares_computed.svg").read_text(encoding="utf-8")
    assert SYNTHETIC_STATISTICS_NOTE in svg
