"""The published lists by prefecture (the treemaps, 2024 图8 and 2022 图10) and their heads by region and
province (前十, 前二十), against what the two editions state; the squarified layout against its paper."""

import csv

import pytest

from dagster_project import figures
from dagster_project.lib import registry
from dagster_project.lib.squarify import squarify
from dagster_project.resources import DEFAULT_DATA_DIR

pytestmark = pytest.mark.independent  # the editions' statements, or layouts worked out by hand

with (DEFAULT_DATA_DIR / "reference" / "report_figures.csv").open(encoding="utf-8", newline="") as f:
    STATED_COUNTS = [
        row
        for row in csv.DictReader(f)
        if row["measure"] in ("region_count", "province_count")
        and int(row["edition_year"]) in registry.editions_present(DEFAULT_DATA_DIR / "reference")
    ]


@pytest.mark.parametrize(
    "stated", STATED_COUNTS, ids=[f"{s['edition_year']}-{s['list']}-{s['key']}" for s in STATED_COUNTS]
)
def test_prefecture_counts_add_up_to_the_stated_region_and_province_counts(published, stated):
    """Each count an edition states by region or province (the register's transcription of the text) is
    the sum of the treemap's prefectures there; where the text disagrees with its own table, the table's."""
    column = "region" if stated["measure"] == "region_count" else "province"
    [(total,)] = published.execute(
        f"select coalesce(sum(unit_count), 0) from marts.published_ranking_prefecture_counts "
        f"where edition_year = ? and list = ? and {column} = ?",
        [int(stated["edition_year"]), stated["list"], stated["key"]],
    ).fetchall()
    assert total == int(stated["table_value"] or stated["published_value"])


def full_coverage(published, edition: int, prefectures: list[str]) -> dict[str, bool]:
    rows = published.execute(
        "select prefecture, unit_count = universe_units from marts.published_ranking_prefecture_counts "
        "where edition_year = ? and list = 'industrial_county' and prefecture in ?",
        [edition, prefectures],
    ).fetchall()
    return {prefecture: covered for prefecture, covered in rows} | {
        p: False for p in prefectures if p not in {r[0] for r in rows}
    }


# 苏南的苏锡常镇, 苏中的扬泰通七市; 环杭州湾两侧的嘉湖甬绍四市
SUNAN_SUZHONG = ["苏州市", "无锡市", "常州市", "镇江市", "扬州市", "泰州市", "南通市"]
JIA_HU_YONG_SHAO = ["嘉兴市", "湖州市", "宁波市", "绍兴市"]


def test_the_prefectures_every_county_of_which_is_listed_as_the_texts_say(published):
    """2022 (图14): the seven cities of 苏南 and 苏中 and the four of 嘉湖甬绍 have every 县（市） listed
    (全覆盖); 2024 (图12): 嘉湖甬绍 still all, the seven with 个别空白片区 (at least one gap)."""
    assert all(full_coverage(published, 2022, SUNAN_SUZHONG + JIA_HU_YONG_SHAO).values())
    assert all(full_coverage(published, 2024, JIA_HU_YONG_SHAO).values())
    assert not all(full_coverage(published, 2024, SUNAN_SUZHONG).values())


def test_inner_mongolias_listed_counties_lie_in_ordos_alone(published):
    """2024 edition §3(三): 内蒙古's 百强县（市） 集中于 … 鄂尔多斯市一地 (3 of them, 图11)."""
    rows = published.execute(
        "select prefecture, unit_count from marts.published_ranking_prefecture_counts "
        "where edition_year = 2024 and list = 'industrial_county' and province = '内蒙古自治区'"
    ).fetchall()
    assert rows == [("鄂尔多斯市", 3)]


def test_squarify_lays_out_the_papers_example():
    """Bruls, Huizing and van Wijk (2000), fig. 4: sizes 6, 6, 4, 3, 2, 2, 1 in a 6 × 4 rectangle. By hand:
    the row 6, 6 is a column of width 12/4 = 3 (heights 2); 4, 3 a row of height 7/3 along the 3 wide rest
    (widths 4/(7/3) = 12/7 and 3/(7/3) = 9/7); 2, 2, 1 a row of height 5/3 (widths 6/5, 6/5, 3/5)."""
    expected = [
        (0, 0, 3, 2),
        (0, 2, 3, 2),
        (3, 0, 12 / 7, 7 / 3),
        (3 + 12 / 7, 0, 9 / 7, 7 / 3),
        (3, 7 / 3, 6 / 5, 5 / 3),
        (3 + 6 / 5, 7 / 3, 6 / 5, 5 / 3),
        (3 + 12 / 5, 7 / 3, 3 / 5, 5 / 3),
    ]
    got = squarify([6, 6, 4, 3, 2, 2, 1], 0, 0, 6, 4)
    assert [pytest.approx(r) for r in expected] == got


def test_squarify_refuses_a_size_that_is_not_positive():
    with pytest.raises(ValueError, match="positive"):
        squarify([3, 0], 0, 0, 1, 1)


def test_the_treemap_gives_each_region_the_area_of_its_count(published):
    """2024 图8 and 2022 图10: the regions' cells (the filled rectangles) cover their share of the panel, the
    texts' counts by hand: 2022 东部 70, 中部 20, 西部 9, 东北 1; 2024 71, 17, 11, 1 (of 100)."""
    from matplotlib.patches import Rectangle

    figures.use_cjk_font()
    figure = figures.prefecture_treemap(published)
    stated = {"2022": [70, 20, 9, 1], "2024": [71, 17, 11, 1]}
    for axes in figure.axes:
        edition = axes.get_title()[:4]
        cells = [p for p in axes.patches if isinstance(p, Rectangle) and p.get_fill()]
        areas = sorted((round(100 * p.get_width() * p.get_height(), 6) for p in cells), reverse=True)
        assert areas == [pytest.approx(v) for v in stated[edition]], edition
        legend = [t.get_text() for t in axes.get_legend().get_texts()]
        assert legend == [f"{g} {n}" for g, n in zip(registry.regions(), stated[edition], strict=True)]
    assert "数据年份" in figure.get_supxlabel()
    figures.pyplot().close(figure)
