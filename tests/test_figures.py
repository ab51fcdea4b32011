"""Figures: drawn from the published marts, Chinese labels in a real CJK font, shown in the UI."""

from collections import Counter

import duckdb
import pytest
from dagster import AssetKey
from matplotlib import font_manager

from dagster_project import figure_rendering, figures
from dagster_project.demo import SYNTHETIC_STATISTICS_NOTE
from dagster_project.lib import registry
from tests.conftest import copied_data_years

pytestmark = pytest.mark.independent  # the figures as stated: drawn, in a CJK font, labelled


def test_every_figure_is_materialised_with_its_png_in_the_metadata(pipeline_run):
    events = {e.asset_key: e.materialization for e in pipeline_run.result.get_asset_materialization_events()}
    for spec in figures.FIGURES:
        materialization = events[AssetKey(["published", "figures", spec.name])]
        assert materialization.metadata["figure"].value.startswith(f"![{spec.name}](data:image/png;base64,")
        folder = pipeline_run.published.parent / "figures"
        assert (folder / f"{spec.name}.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert "</svg>" in (folder / f"{spec.name}.svg").read_text(encoding="utf-8")


def test_chinese_labels_use_the_cjk_font():
    name = figures.use_cjk_font()
    resolved = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    assert resolved == str(figures.CJK_FONT_FILE)


def labelled(text: str) -> figures.Figure:
    def draw(con):
        drawing, axes = figures.pyplot().subplots()
        axes.set_title(text)
        return drawing

    return figures.Figure("labelled", text, draw, ())


@pytest.mark.parametrize("character", ["😀", "𠀀"])  # an emoji; CJK extension B, beyond the font's
def test_a_character_the_font_lacks_fails_its_figure(tmp_path, character):
    """Every published figure was drawn under this rule (the publication fails otherwise): no label of
    theirs shows an empty box where a character should be."""
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    figure_rendering.render(labelled("县域工业"), empty, tmp_path / "drawn")
    with pytest.raises(UserWarning, match=rf"missing from font\(s\) {figures.use_cjk_font()}\."):
        figure_rendering.render(labelled(f"县域{character}工业"), empty, tmp_path / "refused")


@pytest.mark.parametrize(("name", "text"), [("tiers", "梯队分布"), ("rank_bands_latest_districts", "江苏省")])
def test_svg_figures_keep_their_chinese_text(pipeline_run, name, text):
    svg = (pipeline_run.published.parent / "figures" / f"{name}.svg").read_text(encoding="utf-8")
    assert text in svg
    assert "WenQuanYi Micro Hei" in svg


def test_figures_from_the_demo_panel_say_so(pipeline_run):
    svg = (pipeline_run.published.parent / "figures" / "shares_computed.svg").read_text(encoding="utf-8")
    assert SYNTHETIC_STATISTICS_NOTE in svg


def drawn(published, draw):
    """A figure drawn from the published file, in the CJK font, as render() draws it."""
    figures.use_cjk_font()
    return draw(published)


def bars_by_label(axes) -> dict[str, list]:
    return {container.get_label(): list(container) for container in axes.containers}


def test_regions_by_edition_shows_every_edition_the_reports_state_marked_stated_or_computed(published):
    """图7 (2024 edition, 2020-2024) and 图9 (2022 edition, 2018-2022): the editions whose counts the
    text states. Computed from the tables: 2022 (70, 20, 9, 1) and 2024 (71, 17, 11, 1), as both texts say.
    Stated, hatched: the year before each, the stated count less the stated change, by hand:
    2021 = (70 - 4, 20 + 3, 9 + 1, 1) and 2023 = (71 - 3, 17 + 4, 11 - 1, 1)."""
    expected = {
        "2021 年版（报告所述）": ([70 - 4, 20 + 3, 9 + 1, 1], True),
        "2022 年版（据榜单计算）": ([70, 20, 9, 1], False),
        "2023 年版（报告所述）": ([71 - 3, 17 + 4, 11 - 1, 1], True),
        "2024 年版（据榜单计算）": ([71, 17, 11, 1], False),
    }
    figure = drawn(published, figures.regions_by_edition)
    [axes] = figure.axes
    bars = bars_by_label(axes)
    assert list(bars) == list(expected)
    for label, (heights, hatched) in expected.items():
        assert [bar.get_height() for bar in bars[label]] == heights, label
        assert all(bool(bar.get_hatch()) == hatched for bar in bars[label]), label
    assert [t.get_text() for t in axes.get_xticklabels()] == ["东部", "中部", "西部", "东北"]
    source = figure.get_supxlabel()
    assert "2022、2024 年版报告 表1（据榜单计算）" in source
    assert "2021 年版据 2022 年版报告图9" in source and "2023 年版据 2024 年版报告图7" in source
    assert "数据年份：2020–2023 年" in source
    figures.pyplot().close(figure)


def test_cluster_scale_counts_clusters_by_band_per_county(published):
    """表5 (2022 edition) counted by hand: each county's clusters by scale band; the bars are counts, never
    sums of band floors (three 千亿级 clusters are not 3000 亿元)."""
    expected = {
        "昆山市": {"五千亿级": 1, "二千亿级": 1},
        "张家港市": {"三千亿级": 1, "千亿级": 1},
        "晋江市": {"二千亿级": 1, "千亿级": 1},
        "江阴市": {"千亿级": 3},
        "常熟市": {"千亿级": 3},
        "福清市": {"千亿级": 3},
        "长沙县": {"千亿级": 2},
        "南安市": {"千亿级": 2},
        **{
            county: {"千亿级": 1}
            for county in ("慈溪市", "神木市", "太仓市", "宜兴市", "仁怀市", "乐清市", "迁安市")
        },
    }
    figure = drawn(published, figures.cluster_scale)
    [axes] = figure.axes
    counties = [t.get_text() for t in axes.get_xticklabels()]
    shown: dict[str, dict[str, float]] = {}
    for label, bars in bars_by_label(axes).items():
        band = label.split("（")[0]
        for county, bar in zip(counties, bars, strict=True):
            if bar.get_height():
                shown.setdefault(county, {})[band] = bar.get_height()
    assert shown == expected
    assert counties[:3] == sorted(["江阴市", "常熟市", "福清市"]), "three clusters each, first"
    assert "数量" in axes.get_ylabel()
    figures.pyplot().close(figure)


def test_every_number_of_the_heat_map_is_legible():
    """White on the darker half of the scale, black on the lighter: the darkest cell keeps its number."""
    assert figures.label_colour(8, 8) == "white"
    assert figures.label_colour(5, 8) == "white"
    assert figures.label_colour(4, 8) == "black"
    assert figures.label_colour(0, 8) == "black"
    assert figures.label_colour(0, 0) == "black"


def test_the_heat_map_draws_its_darkest_cells_numbers_in_white(published):
    figure = drawn(published, figures.rank_bands_latest_districts)
    axes = figure.axes[0]
    numbers = [(int(t.get_text()), t.get_color()) for t in axes.texts]
    darkest = max(value for value, _ in numbers)
    assert darkest > 0
    assert {colour for value, colour in numbers if value == darkest} == {"white"}
    assert {colour for value, colour in numbers if value == 0} == {"black"}
    figures.pyplot().close(figure)


def test_smart_factories_show_the_provinces_the_report_does_not_name_as_one_bar(published):
    """图24 (2024 edition): 115 national smart factories in counties; the text names nine provinces holding
    12 + 11 + 10 + 9 + 8 + 8 + 6 + 6 + 6 = 76; the rest, 115 - 76 = 39, is one bar, said so in the title."""
    figure = drawn(published, figures.smart_factories)
    right = figure.axes[1]
    labels = [t.get_text() for t in right.get_xticklabels()]
    heights = [bar.get_height() for container in right.containers for bar in container]
    assert len(labels) == 9 + 1 and labels[-1] == "其余省份合计"
    assert heights[-1] == 115 - (12 + 11 + 10 + 9 + 8 + 8 + 6 + 6 + 6)
    assert "列明 9 省" in right.get_title()
    figures.pyplot().close(figure)


def test_shares_name_their_data_year(published):
    """The demo panel's latest data year is its latest folder under data/raw/county_statistics/."""
    latest = max(copied_data_years())
    figure = drawn(published, figures.shares_computed)
    assert f"（{latest} 年数据，{SYNTHETIC_STATISTICS_NOTE}）" in figure.axes[0].get_title()
    assert f"数据年份：{latest} 年" in figure.get_supxlabel()
    figures.pyplot().close(figure)


def test_a_share_with_no_national_total_is_named_not_drawn(published):
    """No national count of above-scale enterprises is transcribed (data/raw/national_totals/): no bar, and
    the footer names it; GDP, transcribed every year, has its bar."""
    figure = drawn(published, figures.shares_computed)
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "规上工业企业数" not in labels and "GDP" in labels
    assert "无全国合计、未计比重：规上工业企业数" in figure.get_supxlabel().replace("\n", "")
    figures.pyplot().close(figure)


def test_every_figure_names_its_source_and_data_year(pipeline_run):
    folder = pipeline_run.published.parent / "figures"
    for spec in figures.FIGURES:
        svg = (folder / f"{spec.name}.svg").read_text(encoding="utf-8")
        assert "资料来源：" in svg and "数据年份：" in svg, spec.name


def test_each_figure_asset_names_the_report_figure_it_redraws():
    """The 图 numbers as the editions' lists of figures print them: 2024 图1-图4 (县（市）经济总体), 图5, 图7,
    图9, 图11, 图20, 图24; 2022 图1-图6 (县（市）经济总体), 图9 (四大板块 2018-2022), 图11 (梯队), 图37
    (千亿产业集群)."""
    from dagster_project.definitions import build_definitions
    from dagster_project.publish import figure_key
    from dagster_project.resources import DEFAULT_DATA_DIR

    expected = {
        "provinces_latest": ["2024 年版 图11"],
        "regions_by_edition": ["2024 年版 图7", "2022 年版 图9"],
        "tiers": ["2024 年版 图9", "2022 年版 图11"],
        "rank_bands_latest_districts": ["2024 年版 图20"],
        "shares_computed": ["2024 年版 图5"],
        "smart_factories": ["2024 年版 图24"],
        "cluster_scale": ["2022 年版 图37"],
        "rank_intervals": [],
        "rank_sensitivity": [],
        "county_gdp_secondary_share": ["2024 年版 图1"],
        "county_population_classes": ["2024 年版 图2"],
        "urbanisation_potential": ["2024 年版 图3"],
        "county_enterprises": ["2024 年版 图4"],
        "county_gdp_national_share": ["2022 年版 图1"],
        "gdp_per_capita": ["2022 年版 图2"],
        "industrial_structure_index": ["2022 年版 图3"],
        "county_fiscal": ["2022 年版 图4"],
        "county_household_savings": ["2022 年版 图5"],
        "county_loans": ["2022 年版 图6"],
        "prefecture_treemap": ["2024 年版 图8", "2022 年版 图10"],
        "threshold_high_tech_500_2024": ["2024 年版 图14"],
        "threshold_industrial_fai_100_2024": ["2024 年版 图15"],
        "threshold_exports_500_2024": ["2024 年版 图16"],
        "threshold_rural_income_28486_2024": ["2024 年版 图17"],
        "threshold_retail_500_2024": ["2024 年版 图18"],
        "threshold_rd_expenditure_40_2022": ["2022 年版 图16"],
        "threshold_industrial_fai_100_2022": ["2022 年版 图17"],
        "threshold_exports_300_2022": ["2022 年版 图18"],
        "threshold_urban_income_50000_2022": ["2022 年版 图19"],
        "threshold_retail_500_2022": ["2022 年版 图20"],
        "threshold_va_industry_500_by_province_2024": ["2024 年版 图21"],
        "leaders_invention_patents_2024": ["2024 年版 图23"],
        "threshold_va_industry_1000_2022": ["2022 年版 图24"],
        "threshold_va_industry_500_by_city_cluster_2022": ["2022 年版 图25"],
        "growth_two_years_2022": ["2022 年版 图28"],
        "profit_by_region_2022": ["2022 年版 图29"],
        "leaders_patent_grants_2022": ["2022 年版 图30"],
        "leaders_invention_patents_per_10k_2022": ["2022 年版 图31"],
        "threshold_urbanisation_90_by_province_2022": ["2022 年版 图32"],
        "threshold_foreign_capital_5_2022": ["2022 年版 图35"],
        "per_capita_vs_nation_2022": ["2022 年版 图33"],
        "above_nation_retail_sales_share_of_gdp_2022": ["2022 年版 图34"],
        "coverage_industrial_county_2024": ["2024 年版 图12"],
        "growth_industrial_county_2024": ["2024 年版 图6"],
        "shares_industrial_district_2024": ["2024 年版 图22"],
        "smart_factories_provincial": ["2024 年版 图25"],
        "shares_industrial_county_2022": ["2022 年版 图7"],
        "growth_industrial_county_2022": ["2022 年版 图8"],
        "shares_industrial_district_2022": ["2022 年版 图27"],
        "rank_bands_industrial_county_2024": ["2024 年版 图13"],
        "city_clusters_industrial_county_2024": ["2024 年版 图10"],
        "city_clusters_industrial_county_2022": ["2022 年版 图12"],
        "rank_bands_industrial_county_2022": ["2022 年版 图15"],
        "rank_bands_industrial_district_2022": ["2022 年版 图22"],
        "provinces_industrial_district_2024": ["2024 年版 图19"],
        "provinces_industrial_county_2022": ["2022 年版 图13"],
        "coverage_industrial_county_2022": ["2022 年版 图14"],
        "provinces_industrial_district_2022": ["2022 年版 图21"],
        "coverage_industrial_district_2022": ["2022 年版 图23"],
        "threshold_listed_manufacturers_20_2022": ["2022 年版 图26"],
    }
    graph = build_definitions(DEFAULT_DATA_DIR).resolve_asset_graph()
    metadata = {spec.name: graph.get(figure_key(spec.name)).metadata for spec in figures.FIGURES}
    assert {name: list(m["reproduces"]) for name, m in metadata.items()} == expected


def drawn_by(draw) -> list:
    """The figures one drawing function makes (each with its own threshold or measure, edition and list)."""
    return [f for f in figures.FIGURES if getattr(f.draw, "func", None) is draw]


@pytest.mark.consistency
@pytest.mark.parametrize("spec", drawn_by(figures.threshold_units), ids=lambda f: f.name)
def test_threshold_figures_draw_the_marts_members_by_value_and_say_they_are_synthetic(published, spec):
    """Each threshold figure (2024 图14-18; 2022 图16-20, 图24, 图35; on the computed lists) has one
    bar per member the mart lists for its edition, largest first, in 亿元 where the mart holds 万元; the demo
    panel says so."""
    threshold_id, edition, list_id = (spec.draw.keywords[k] for k in ("threshold_id", "edition", "list_id"))
    rows = published.execute(
        "select name, value, unit from marts.computed_list_threshold_units "
        "where list = ? and threshold_id = ? and edition_year = ? order by value desc, rank",
        [list_id, threshold_id, edition],
    ).fetchall()
    figure = drawn(published, spec.draw)
    [axes, *_] = figure.axes
    assert [t.get_text() for t in axes.get_xticklabels()] == [r[0] for r in rows]
    heights = [bar.get_height() for bar in axes.containers[0]]
    assert heights == pytest.approx([r[1] / (1e4 if r[2] == "万元" else 1) for r in rows])
    assert (
        SYNTHETIC_STATISTICS_NOTE in axes.get_title() and SYNTHETIC_STATISTICS_NOTE in figure.get_supxlabel()
    )
    assert f"（{edition} 年版，{edition - registry.EDITION_LAG} 年数据" in axes.get_title()
    figures.pyplot().close(figure)


@pytest.mark.consistency
@pytest.mark.parametrize("spec", drawn_by(figures.threshold_areas), ids=lambda f: f.name)
def test_threshold_area_figures_draw_the_marts_counts_with_other_last(published, spec):
    """2024 图21 and 2022 图32 by province, 2022 图25 by city cluster: one bar per area of the mart, largest
    first, 其他 (in no city cluster) last."""
    keys = ("threshold_id", "edition", "list_id", "area_type")
    threshold_id, edition, list_id, area_type = (spec.draw.keywords[k] for k in keys)
    rows = dict(
        published.execute(
            "select area, unit_count from marts.computed_list_threshold_areas "
            "where list = ? and threshold_id = ? and edition_year = ? and area_type = ?",
            [list_id, threshold_id, edition, area_type],
        ).fetchall()
    )
    figure = drawn(published, spec.draw)
    [axes] = figure.axes
    labels = [t.get_text() for t in axes.get_xticklabels()]
    heights = [bar.get_height() for bar in axes.containers[0]]
    assert dict(zip(labels, heights, strict=True)) == rows
    named = [h for label, h in zip(labels, heights, strict=True) if label != "其他"]
    assert named == sorted(named, reverse=True)
    assert "其他" not in labels[:-1]
    assert SYNTHETIC_STATISTICS_NOTE in figure.get_supxlabel()
    figures.pyplot().close(figure)


@pytest.mark.consistency
@pytest.mark.parametrize("spec", drawn_by(figures.list_leaders), ids=lambda f: f.name)
def test_leader_figures_draw_the_marts_first_twenty_in_order(published, spec):
    """2022 图30, 图31 and 2024 图23: the mart's first districts by the measure, in its order,
    with the measure's Chinese name and unit from config/raw_statistics.yaml."""
    measure, edition, list_id = (spec.draw.keywords[k] for k in ("measure", "edition", "list_id"))
    rows = published.execute(
        "select name, value from marts.computed_list_leaders "
        "where list = ? and measure = ? and edition_year = ? order by position",
        [list_id, measure, edition],
    ).fetchall()
    figure = drawn(published, spec.draw)
    [axes, *_] = figure.axes
    assert [t.get_text() for t in axes.get_xticklabels()] == [r[0] for r in rows]
    assert [bar.get_height() for bar in axes.containers[0]] == pytest.approx([r[1] for r in rows])
    assert axes.get_ylabel() == "{}（{}）".format(*figures.measure_label(measure))
    assert SYNTHETIC_STATISTICS_NOTE in axes.get_title()
    figures.pyplot().close(figure)


@pytest.mark.consistency
@pytest.mark.parametrize("spec", drawn_by(figures.national_comparison), ids=lambda f: f.name)
def test_comparison_figures_set_the_list_beside_the_nation(published, spec):
    """2022 图33: for each ratio, the list's bar and the nation's, as the mart holds them, and how many
    members are above the nation under its name."""
    ids, edition, list_id = (spec.draw.keywords[k] for k in ("comparison_ids", "edition", "list_id"))
    rows = published.execute(
        "select list_value, national_value, units_above_national "
        "from marts.computed_list_national_comparisons "
        "where list = ? and edition_year = ? and list_contains(?, comparison_id) order by comparison_id",
        [list_id, edition, list(ids)],
    ).fetchall()
    figure = drawn(published, spec.draw)
    [axes] = figure.axes
    listed, national = axes.containers
    assert [b.get_height() for b in listed] == pytest.approx([r[0] for r in rows])
    assert [b.get_height() for b in national] == pytest.approx([r[1] for r in rows])
    labels = [t.get_text() for t in axes.get_xticklabels()]
    assert [label.endswith(f"高于全国：{r[2]} 个") for label, r in zip(labels, rows, strict=True)] == [
        True
    ] * len(rows)
    assert SYNTHETIC_STATISTICS_NOTE in figure.get_supxlabel()
    figures.pyplot().close(figure)


@pytest.mark.consistency
@pytest.mark.parametrize("spec", drawn_by(figures.national_comparison_units), ids=lambda f: f.name)
def test_above_nation_figures_draw_the_marts_members_over_the_nations_line(published, spec):
    """2022 图34: one bar per member the mart lists above the nation, highest first, the nation a line."""
    comparison_id, edition, list_id = (spec.draw.keywords[k] for k in ("comparison_id", "edition", "list_id"))
    rows = published.execute(
        "select name, ratio, national_value from marts.computed_list_national_comparison_units "
        "where list = ? and comparison_id = ? and edition_year = ? order by ratio desc, rank",
        [list_id, comparison_id, edition],
    ).fetchall()
    figure = drawn(published, spec.draw)
    [axes, *_] = figure.axes
    assert [t.get_text() for t in axes.get_xticklabels()] == [r[0] for r in rows]
    assert [b.get_height() for b in axes.containers[0]] == pytest.approx([r[1] for r in rows])
    [line] = axes.get_lines()
    assert all(y == pytest.approx(rows[0][2]) for y in line.get_ydata()) if rows else True
    assert SYNTHETIC_STATISTICS_NOTE in figure.get_supxlabel()
    figures.pyplot().close(figure)


COUNTED_BY_PROVINCE = """
    select ranked.province, count(*) as listed,
        100 * count(*) / any_value(units.universe_units) as share
    from marts.published_rankings as ranked
    inner join (
        select province, count(*) as universe_units from marts.admin_units where universe = ? group by all
    ) as units using (province)
    where ranked.edition_year = ? and ranked.list = ?
    group by ranked.province
"""


@pytest.mark.parametrize("spec", drawn_by(figures.province_coverage), ids=lambda f: f.name)
def test_coverage_figures_draw_each_provinces_count_and_share_of_its_units(published, spec):
    """2024 图12, 2022 图14 and 图23: bars of each province's listed units and points of their share of its
    units of the list's universe, counted here from the ranking table and the code table."""
    list_id, edition = spec.draw.keywords["list_id"], spec.draw.keywords["edition"]
    universe = registry.ranking_list(list_id).universe
    expected = {
        province: (listed, share)
        for province, listed, share in published.execute(
            COUNTED_BY_PROVINCE, [universe, edition, list_id]
        ).fetchall()
    }
    figure = drawn(published, spec.draw)
    bars, shares = figure.axes
    labels = [t.get_text() for t in bars.get_xticklabels()]
    heights = [bar.get_height() for bar in bars.containers[0]]
    [points] = shares.get_lines()
    assert dict(zip(labels, heights, strict=True)) == {p: listed for p, (listed, _) in expected.items()}
    assert list(points.get_ydata()) == pytest.approx([expected[p][1] for p in labels])
    assert heights == sorted(heights, reverse=True)
    figures.pyplot().close(figure)


def test_the_district_coverage_figure_shows_what_the_2022_edition_says_of_it(published):
    """2022 图23 and its prose: 广东 has the most 工业百强区, 浙江 the highest share of its own districts
    (nearly half), and the same three provinces (浙苏粤) lead by count and by share."""
    spec = next(f for f in figures.FIGURES if f.name == "coverage_industrial_district_2022")
    figure = drawn(published, spec.draw)
    bars, shares = figure.axes
    labels = [t.get_text() for t in bars.get_xticklabels()]
    [points] = shares.get_lines()
    by_share = sorted(zip(points.get_ydata(), labels, strict=True), reverse=True)
    assert labels[0] == "广东省"
    assert by_share[0][1] == "浙江省" and 45 < by_share[0][0] < 50
    assert set(labels[:3]) == {label for _, label in by_share[:3]} == {"广东省", "江苏省", "浙江省"}
    figures.pyplot().close(figure)


@pytest.mark.parametrize("spec", drawn_by(figures.province_counts), ids=lambda f: f.name)
def test_province_figures_draw_each_provinces_units_and_name_each_regions(published, spec):
    """2024 图19, 2022 图13 and 图21: each province's units of the edition's table, and every region's count
    in the title (0 where none), counted here from the ranking table."""
    list_id, edition = spec.draw.keywords["list_id"], spec.draw.keywords["edition"]
    rows = published.execute(
        "select province, region from marts.published_rankings where edition_year = ? and list = ?",
        [edition, list_id],
    ).fetchall()
    figure = drawn(published, spec.draw)
    [axes] = figure.axes
    labels = [t.get_text() for t in axes.get_xticklabels()]
    heights = [bar.get_height() for bar in axes.containers[0]]
    assert dict(zip(labels, heights, strict=True)) == Counter(province for province, _ in rows)
    regions = Counter(region for _, region in rows)
    for region in registry.regions():
        assert f"{region} {regions[region]} 个" in axes.get_title()
    figures.pyplot().close(figure)


@pytest.mark.parametrize("spec", drawn_by(figures.rank_bands), ids=lambda f: f.name)
def test_rank_band_heat_maps_count_each_provinces_units_in_each_band_of_twenty(published, spec):
    """2024 图13, 2022 图15 and 图22: each cell is the province's units ranked in that band of 20, counted
    here from the ranking table; provinces from the most listed down."""
    list_id, edition = spec.draw.keywords["list_id"], spec.draw.keywords["edition"]
    rows = published.execute(
        "select province, rank from marts.published_rankings where edition_year = ? and list = ?",
        [edition, list_id],
    ).fetchall()
    counted = Counter((province, (rank - 1) // 20) for province, rank in rows)
    figure = drawn(published, spec.draw)
    axes = figure.axes[0]
    provinces = [t.get_text() for t in axes.get_yticklabels()]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["1-20", "21-40", "41-60", "61-80", "81-100"]
    cells = {
        (provinces[round(t.get_position()[1])], round(t.get_position()[0])): int(t.get_text())
        for t in axes.texts
    }
    assert cells == {(p, band): counted[p, band] for p in provinces for band in range(5)}
    totals = [sum(counted[p, band] for band in range(5)) for p in provinces]
    assert totals == sorted(totals, reverse=True) and sum(totals) == len(rows)
    figures.pyplot().close(figure)


def drawn_city_clusters(published, spec) -> dict[str, dict[str, float]]:
    """Each panel's bars (official members plus partial ones), by area, as drawn."""
    figure = drawn(published, spec.draw)
    panels = {}
    for axes in figure.axes:
        official, partial_members = axes.containers
        names = [t.get_text() for t in axes.get_yticklabels()]
        panels[axes.get_title().split("（")[0]] = {
            name: a.get_width() + b.get_width()
            for name, a, b in zip(names, official, partial_members, strict=True)
        }
    figures.pyplot().close(figure)
    return panels


@pytest.mark.consistency
@pytest.mark.parametrize("spec", drawn_by(figures.city_clusters), ids=lambda f: f.name)
def test_city_cluster_figures_draw_the_marts_counts(published, spec):
    """2024 图10, 2022 图12: one bar per city cluster and per metropolitan area of the mart, its length the
    mart's count."""
    list_id, edition = spec.draw.keywords["list_id"], spec.draw.keywords["edition"]
    rows = published.execute(
        "select area_type, area, unit_count from marts.city_cluster_counts "
        "where edition_year = ? and list = ?",
        [edition, list_id],
    ).fetchall()
    expected = {label: {} for label in figures.CITY_CLUSTER_PANELS.values()}
    for area_type, area, count in rows:
        expected[figures.CITY_CLUSTER_PANELS[area_type]][area] = count
    assert drawn_city_clusters(published, spec) == expected


def test_the_2024_city_cluster_figure_shows_the_counts_the_text_states(published):
    """2024 县域篇 三(二): 长江三角洲城市群 45, of which 苏锡常都市圈 7, 杭州都市圈 11, 宁波都市圈 8,
    合肥都市圈 2; 长江中游城市群 11 (the counts where the code table and the plans give the text's number)."""
    spec = next(f for f in figures.FIGURES if f.name == "city_clusters_industrial_county_2024")
    panels = drawn_city_clusters(published, spec)
    assert {k: panels["城市群"][k] for k in ("长江三角洲城市群", "长江中游城市群")} == {
        "长江三角洲城市群": 45,
        "长江中游城市群": 11,
    }
    assert {k: panels["都市圈"][k] for k in ("苏锡常都市圈", "杭州都市圈", "宁波都市圈", "合肥都市圈")} == {
        "苏锡常都市圈": 7,
        "杭州都市圈": 11,
        "宁波都市圈": 8,
        "合肥都市圈": 2,
    }


GROWTH_FIGURES = [
    *(
        (spec, "computed_list_growth_two_years", figures.GROWTH_COUNTS)
        for spec in drawn_by(figures.growth_two_years)
    ),
    *(
        (spec, "computed_list_growth", figures.GROWTH_COUNTS_ONE_YEAR)
        for spec in drawn_by(figures.growth_overview)
    ),
]


@pytest.mark.consistency
@pytest.mark.parametrize(("spec", "mart", "counts"), GROWTH_FIGURES, ids=lambda f: getattr(f, "name", ""))
def test_growth_figures_draw_the_marts_counts(published, spec, mart, counts):
    """2022 图28 (two-year growth), 2024 图6 and 2022 图8 (the year's): the list's size and the mart's counts,
    in the report's order; a count the mart leaves null (no national rate) an empty bar labelled —; the
    edition and its data years named."""
    edition, list_id = (spec.draw.keywords[k] for k in ("edition", "list_id"))
    row = published.execute(
        f"select {', '.join(counts)}, data_year from marts.{mart} where list = ? and edition_year = ?",
        [list_id, edition],
    ).fetchone()
    figure = drawn(published, spec.draw)
    [axes] = figure.axes
    assert [t.get_text() for t in axes.get_xticklabels()] == list(counts.values())
    assert [bar.get_height() for bar in axes.containers[0]] == [c or 0 for c in row[:-1]]
    shown = [
        t.get_text() for t in axes.texts if t.get_text().isdigit() or t.get_text() == figures.MISSING_LABEL
    ]
    assert shown == [figures.MISSING_LABEL if c is None else str(c) for c in row[:-1]]
    data_year = row[-1]
    years = f"{data_year - 1}–{data_year} 年" if mart.endswith("two_years") else f"{data_year} 年"
    assert f"数据年份：{years}" in figure.get_supxlabel()
    assert SYNTHETIC_STATISTICS_NOTE in axes.get_title() and f"{edition} 年版" in axes.get_title()
    figures.pyplot().close(figure)


@pytest.mark.consistency
@pytest.mark.parametrize("spec", drawn_by(figures.profit_by_region), ids=lambda f: f.name)
def test_profit_figures_draw_the_marts_means_by_region_in_yi_yuan_and_percent(published, spec):
    """2022 图29: 全部 then the regions in the reports' order, the mean two-year profit in 亿元 (the mart's
    万元 / 10⁴) on the left, the mean margin on the right; a mean the mart leaves null is an empty bar."""
    edition, list_id = (spec.draw.keywords[k] for k in ("edition", "list_id"))
    rows = published.execute(
        "select area, mean_two_year_profit, mean_profit_margin from marts.computed_list_profit_by_region "
        "where list = ? and edition_year = ? order by area_order",
        [list_id, edition],
    ).fetchall()
    assert [r[0] for r in rows][:1] == ["全部"]
    figure = drawn(published, spec.draw)
    left, right = figure.axes
    for axes, values in ((left, [r[1] and r[1] / 1e4 for r in rows]), (right, [r[2] for r in rows])):
        assert [t.get_text() for t in axes.get_xticklabels()] == [r[0] for r in rows]
        assert [bar.get_height() for bar in axes.containers[0]] == pytest.approx([v or 0 for v in values])
    assert SYNTHETIC_STATISTICS_NOTE in figure.get_suptitle()
    figures.pyplot().close(figure)


@pytest.mark.consistency
@pytest.mark.parametrize("spec", drawn_by(figures.shares), ids=lambda f: f.name)
def test_share_figures_draw_the_edition_s_shares_and_name_the_missing(published, spec):
    """2024 图22, 2022 图7 and 图27: one bar per measure with a national total, of the edition's data year;
    the measures without one named in the footer."""
    edition, list_id = spec.draw.keywords["edition"], spec.draw.keywords["list_id"]
    rows = published.execute(
        "select measure, share from marts.computed_list_shares where list = ? and edition_year = ?",
        [list_id, edition],
    ).fetchall()
    figure = drawn(published, spec.draw)
    [axes] = figure.axes
    drawn_shares = {
        t.get_text(): bar.get_width()
        for t, bar in zip(axes.get_yticklabels(), axes.containers[0], strict=True)
    }
    labelled = {figures.MEASURE_LABELS[m]: share for m, share in rows if m in figures.MEASURE_LABELS}
    assert drawn_shares == pytest.approx({k: 100 * v for k, v in labelled.items() if v is not None})
    for label in (k for k, v in labelled.items() if v is None):
        assert label in figure.get_supxlabel()
    figures.pyplot().close(figure)


def test_the_provincial_smart_factory_figure_shows_what_the_2024_special_topic_states(published):
    """2024 专题篇 二(二), 图25: 吉林 9 in counties (21.4%), 云南 14 (35%), 陕西 1 (no share stated)."""
    figure = drawn(published, figures.smart_factories_provincial)
    [axes] = figure.axes
    bars = dict(zip([t.get_text() for t in axes.get_xticklabels()], axes.containers[0], strict=True))
    labels = dict(zip(bars, [t.get_text() for t in axes.texts], strict=True))
    assert {p: bars[p].get_height() for p in ("吉林省", "云南省", "陕西省")} == {
        "吉林省": 9,
        "云南省": 14,
        "陕西省": 1,
    }
    assert (labels["吉林省"], labels["云南省"], labels["陕西省"]) == ("9（21.4%）", "14（35.0%）", "1")
    figures.pyplot().close(figure)


@pytest.mark.independent  # the 2024 edition's 全国平均水平 (4.2%) is 全部工业's; the panel's growth 规上's
@pytest.mark.parametrize("spec", drawn_by(figures.growth_overview), ids=lambda f: f.name)
def test_a_growth_overview_says_which_growth_it_counts(published, spec):
    """The reports' 图6 and 图8 count 全部工业增加值增速; the panel has 规上工业增加值增速 only: the figure's
    title names the growth it counts, its footer the report's (the title said 全部工业 over 规上's 4.6%)."""
    figure = drawn(published, spec.draw)
    [axes, *_] = figure.axes
    assert "工业增速概览（规上工业增加值增速）" in axes.get_title() and "全部工业增速" not in axes.get_title()
    assert "报告原图按全部工业增加值增速" in figure.get_supxlabel()
    assert "全国规上工业增加值增速" in "".join(text.get_text() for text in axes.texts)
    figures.pyplot().close(figure)


def test_data_years_with_a_gap_between_them_are_listed_not_spanned():
    """The published tiers figure draws the 2022 and 2024 editions: data years 2021 and 2023 (the footer
    said 2021–2023)."""
    assert figures.years_text([2023, 2021]) == "2021、2023 年"
    assert figures.years_text([2021, 2020, 2023, 2022]) == "2020–2023 年"
    assert figures.years_text([*range(2012, 2020), 2021]) == "2012–2019、2021 年"
    assert figures.years_text([2023]) == "2023 年"
