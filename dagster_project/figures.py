"""The reports' main figures, regenerated from the published marts as PNG and SVG, with Chinese labels.

Each figure is a small function from the published marts it declares to a matplotlib figure. All are drawn
into the snapshot being written and published with it (figure_rendering.py); each is an asset showing its
PNG in its metadata.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from dagster_project.demo import SYNTHETIC_STATISTICS_NOTE
from dagster_project.lib import registry

if TYPE_CHECKING:
    from matplotlib.figure import Figure as Drawing

CJK_FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # Debian fonts-wqy-microhei


def pyplot():  # noqa: ANN201
    """matplotlib, headless; imported when a figure is drawn, so that loading the definitions stays fast."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def use_cjk_font() -> str:
    """Register the CJK font and make it the default; its absence is an error, never boxes."""
    from matplotlib import font_manager

    plt = pyplot()
    if not CJK_FONT_FILE.is_file():
        raise FileNotFoundError(
            f"{CJK_FONT_FILE}: install Debian's fonts-wqy-microhei (`make setup` does, as root)"
        )
    font_manager.fontManager.addfont(str(CJK_FONT_FILE))
    name = font_manager.FontProperties(fname=str(CJK_FONT_FILE)).get_name()
    plt.rcParams.update(
        {
            "font.family": name,
            "axes.unicode_minus": False,
            "svg.fonttype": "none",
            "svg.hashsalt": "county-industry",
            "figure.dpi": 100,
        }
    )
    return name


def latest_edition(con: duckdb.DuckDBPyConnection, mart: str, list_id: str) -> int:
    """The latest edition of a list in a mart of the published rankings: the figures of one edition show
    the latest present, whichever it is."""
    return con.execute(f"select max(edition_year) from marts.{mart} where list = ?", [list_id]).fetchone()[0]


def years_text(years: Iterable[int]) -> str:
    """2023 年; 2020–2023 年 for consecutive years; 2021、2023 年 where years are missing between them."""
    ordered = sorted(set(years))
    if not ordered:
        return "无"
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return "、".join(f"{run[0]}" if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs) + " 年"


def data_years(editions: Iterable[int]) -> str:
    """The data years behind editions of the report (edition = data year + 1)."""
    return years_text(edition - registry.EDITION_LAG for edition in editions)


def editions_text(editions: Iterable[int]) -> str:
    return "、".join(str(e) for e in sorted(set(editions))) + " 年版报告"


FOOTER_POINTS = 8


def footer(figure: Drawing, source: str, data_year: str, synthetic: bool = False) -> None:
    """Where the numbers come from and of which data year, under every figure; synthetic inputs say so.
    Its parts (between ；) go on as few lines as the figure's width holds, never cut."""
    parts = [
        f"资料来源：{source}",
        f"数据年份：{data_year}",
        *([SYNTHETIC_STATISTICS_NOTE] if synthetic else []),
    ]
    width = int(figure.get_figwidth() * 72 / (FOOTER_POINTS + 1))  # CJK characters across the figure
    lines = [""]
    for part in "；".join(parts).split("；"):
        joined = f"{lines[-1]}；{part}" if lines[-1] else part
        if lines[-1] and len(joined) > width:
            lines.append(part)
        else:
            lines[-1] = joined
    figure.supxlabel("\n".join(lines), fontsize=FOOTER_POINTS, x=0.01, ha="left")


def provinces_latest(con: duckdb.DuckDBPyConnection) -> Drawing:
    return province_counts(con, "industrial_county")


STATED_HATCH = "///"


def regions_by_edition(con: duckdb.DuckDBPyConnection) -> Drawing:
    """Every edition of the series: counted from its table where it is here, else as a later edition
    states it (hatched, and named in the legend and the source line)."""
    plt = pyplot()
    counties = registry.ranking_list("industrial_county")
    regions = registry.regions()
    rows = con.execute(
        "select edition_year, region, unit_count, basis, stated_in, stated_figure "
        "from marts.published_ranking_region_series where list = ? order by edition_year",
        [counties.id],
    ).fetchall()
    editions = sorted({r[0] for r in rows})
    counts = {(r[0], r[1]): r[2] for r in rows}
    stated = {r[0]: (r[4], r[5]) for r in rows if r[3] == "stated"}
    figure, axes = plt.subplots(figsize=(10, 4.8))
    width = 0.8 / len(editions)
    colours = plt.get_cmap("tab10")
    for i, edition in enumerate(editions):
        positions = [x + i * width for x in range(len(regions))]
        bars = axes.bar(
            positions,
            [counts.get((edition, g), 0) for g in regions],
            width,
            color=colours(i),
            alpha=0.55 if edition in stated else 1.0,
            hatch=STATED_HATCH if edition in stated else None,
            edgecolor="#333333" if edition in stated else colours(i),
            label=f"{edition} 年版（{'报告所述' if edition in stated else '据榜单计算'}）",
        )
        axes.bar_label(bars, fontsize=7)
    axes.set_xticks([x + width * (len(editions) - 1) / 2 for x in range(len(regions))], regions)
    axes.set_title(f"四大板块{counties.title_zh}数量分布变化（{editions[0]}–{editions[-1]} 年版）")
    axes.set_ylabel("入围数量（个）")
    axes.legend(fontsize=8)
    computed = [e for e in editions if e not in stated]
    sources = [f"{editions_text(computed)} {counties.table_number}（据榜单计算）"] if computed else []
    sources += [
        f"{edition} 年版据 {stated_in} 年版报告{figure_number}及正文所述（较上年，斜线）"
        for edition, (stated_in, figure_number) in sorted(stated.items())
    ]
    footer(figure, "；".join(sources), data_years(editions))
    return figure


def tiers(con: duckdb.DuckDBPyConnection) -> Drawing:
    plt = pyplot()
    counties = registry.ranking_list("industrial_county")
    rows = con.execute(
        "select edition_year, tier, first_rank, last_rank, area, unit_count "
        "from marts.published_ranking_tiers where list = ? and area_type = 'region' "
        "order by edition_year, tier",
        [counties.id],
    ).fetchall()
    editions = sorted({r[0] for r in rows})
    figure, grid = plt.subplots(1, len(editions), figsize=(11, 4), sharey=True, squeeze=False)
    panels = grid[0]  # one panel per edition present, also when there is one
    for axes, edition in zip(panels, editions, strict=True):
        tiers_ = sorted({(r[1], r[2], r[3]) for r in rows if r[0] == edition})
        bottom = [0] * len(tiers_)
        for region in registry.regions():
            values = [
                next((r[5] for r in rows if r[0] == edition and r[1] == t and r[4] == region), 0)
                for t, _, _ in tiers_
            ]
            axes.bar([f"第{t}梯队\n{a}-{b}" for t, a, b in tiers_], values, bottom=bottom, label=region)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        axes.set_title(f"{edition} 年{counties.title_zh}梯队分布")
    panels[0].set_ylabel("数量（个）")
    panels[-1].legend()
    footer(
        figure,
        f"{editions_text(editions)} {counties.table_number}，梯队界限为各版所述（本项目按梯队与板块统计）",
        data_years(editions),
    )
    return figure


def label_colour(value: float, vmax: float) -> str:
    """White on the dark half of the colour scale, black on the light half: every number stays legible."""
    return "white" if vmax and value > vmax / 2 else "black"


def rank_bands(con: duckdb.DuckDBPyConnection, list_id: str, edition: int | None = None) -> Drawing:
    """A province x rank band heat map of one edition's table (the latest if none is named)."""
    plt = pyplot()
    listed = registry.ranking_list(list_id)
    edition = edition or latest_edition(con, "published_ranking_rank_bands", listed.id)
    rows = con.execute(
        "select province, rank_band, rank_from, unit_count from marts.published_ranking_rank_bands "
        "where edition_year = ? and list = ? order by province, rank_from",
        [edition, listed.id],
    ).fetchall()
    provinces = sorted({r[0] for r in rows}, key=lambda p: (-sum(r[3] for r in rows if r[0] == p), p))
    bands = sorted({(r[2], r[1]) for r in rows})
    grid = [[next(r[3] for r in rows if r[0] == p and r[1] == b) for _, b in bands] for p in provinces]
    figure, axes = plt.subplots(figsize=(7, max(4.0, 0.32 * len(provinces) + 1.5)))
    image = axes.imshow(grid, cmap="Reds", aspect="auto")
    axes.set_xticks(range(len(bands)), [b for _, b in bands])
    axes.set_yticks(range(len(provinces)), provinces)
    vmax = max((v for row in grid for v in row), default=0)
    for y, row in enumerate(grid):
        for x, value in enumerate(row):
            colour = label_colour(value, vmax)
            axes.text(x, y, str(value), ha="center", va="center", fontsize=8, color=colour)
    axes.set_title(f"{edition} 年{listed.title_zh}各省位次分布（按{listed.table_number}）")
    figure.colorbar(image, ax=axes, label="数量（个）")
    footer(
        figure,
        f"{editions_text([edition])} {listed.table_number}（本项目按省与位次段统计）",
        data_years([edition]),
    )
    return figure


def rank_bands_latest_districts(con: duckdb.DuckDBPyConnection) -> Drawing:
    return rank_bands(con, "industrial_district")


MEASURE_LABELS = {
    "units": "县级行政区划数",
    "land_area": "行政区划面积",
    "population_resident": "人口",
    "above_scale_enterprises": "规上工业企业数",
    "above_scale_employment": "规上工业从业人员",
    "gdp": "GDP",
    "va_industry": "工业增加值",
    "above_scale_revenue": "规上工业营业收入",
    "above_scale_profit": "规上工业利润",
    "fiscal_revenue": "一般公共预算收入",
    "exports": "出口",
    "retail_sales": "社会消费品零售总额",
    "rd_expenditure": "研发经费",
}


def shares(con: duckdb.DuckDBPyConnection, list_id: str, edition: int | None = None) -> Drawing:
    """A computed list's shares of the national totals, of one edition (the latest data year if none is
    named). A measure whose national total is not transcribed has no bar; the footer names it."""
    plt = pyplot()
    listed = registry.ranking_list(list_id)
    rows = con.execute(
        "select measure, share, data_year, synthetic from marts.computed_list_shares where list = ? and "
        + (
            "edition_year = ?"
            if edition
            else "data_year = (select max(data_year) from marts.computed_list_shares)"
        ),
        [list_id, *([edition] if edition else [])],
    ).fetchall()
    rows = sorted((r for r in rows if r[0] in MEASURE_LABELS), key=lambda r: list(MEASURE_LABELS).index(r[0]))
    missing = [MEASURE_LABELS[r[0]] for r in rows if r[1] is None]
    rows = [r for r in rows if r[1] is not None]
    synthetic = any(r[3] for r in rows)
    year = years_text(r[2] for r in rows)
    figure, axes = plt.subplots(figsize=(8, 4))
    axes.barh([MEASURE_LABELS[r[0]] for r in rows], [100 * r[1] for r in rows], color="#2c7fb8")
    axes.set_xlabel("占全国比重（%）")
    note = f"，{SYNTHETIC_STATISTICS_NOTE}" if synthetic else ""
    edition_note = f"{edition} 年版，" if edition else ""
    axes.set_title(f"计算榜单：{listed.title_zh}主要指标占全国比重\n（{edition_note}{year}数据{note}）")
    source = (
        "本项目计算（marts.computed_list_shares）；"
        "全国合计：国家统计局统计公报等（各年来源见 marts.national_totals）"
    )
    if missing:
        source += f"；无全国合计、未计比重：{'、'.join(missing)}"
    footer(figure, source, year, synthetic)
    return figure


def shares_computed(con: duckdb.DuckDBPyConnection) -> Drawing:
    return shares(con, "industrial_county")


def smart_factories_provincial(con: duckdb.DuckDBPyConnection) -> Drawing:
    """The representative provinces the special topic names (2024 图25): each one's provincial smart
    factories (or benchmark firms, as its footnote says) in counties, and their share of the province's,
    where the text states it."""
    plt = pyplot()
    rows = con.execute(
        "select area, published_count, share_in_counties, edition_year, data_year from marts.smart_factories "
        "where scope = 'provincial' and level = 'province' order by published_count desc, area"
    ).fetchall()
    figure, axes = plt.subplots(figsize=(8, 4.5))
    bars = axes.bar([r[0] for r in rows], [r[1] for r in rows], color="#16a085")
    axes.bar_label(
        bars,
        labels=[f"{r[1]}（{100 * r[2]:.1f}%）" if r[2] is not None else f"{r[1]}" for r in rows],
        fontsize=7,
    )
    axes.set_ylabel("县（市）拥有的省级智能工厂等（家）")
    axes.set_title("代表性省份县（市）智能工厂分布（括号内为占全省比重，报告未述者不标）")
    footer(
        figure,
        f"{editions_text([rows[0][3]])} 专题篇 二(二) 图25（各省口径不一：智能工厂、标杆企业，见报告脚注）",
        f"截至 {rows[0][4]} 年底",
    )
    return figure


def smart_factories(con: duckdb.DuckDBPyConnection) -> Drawing:
    """The report names the leading provinces only: the rest of the county total is one bar, said so."""
    plt = pyplot()
    rows = con.execute(
        "select level, area, published_count, edition_year, data_year from marts.smart_factories "
        "where scope = 'national_demonstration' and level in ('county_total', 'region', 'province') "
        "order by published_count desc, area"
    ).fetchall()
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    regions = [r for r in rows if r[0] == "region"]
    left.pie([r[2] for r in regions], labels=[f"{r[1]} {r[2]}家" for r in regions], startangle=90)
    left.set_title("县（市）国家级智能工厂区域分布")
    provinces = [r for r in rows if r[0] == "province"]
    total = next(r[2] for r in rows if r[0] == "county_total")
    rest = total - sum(r[2] for r in provinces)
    bars = right.bar([r[1] for r in provinces], [r[2] for r in provinces], color="#16a085")
    right.bar_label(bars, fontsize=7)
    if rest > 0:
        other = right.bar(["其余省份合计"], [rest], color="#bbbbbb", hatch=STATED_HATCH, edgecolor="#555555")
        right.bar_label(other, fontsize=7)
    right.tick_params(axis="x", rotation=60)
    right.set_title(f"县（市）国家级智能工厂省份分布（报告列明 {len(provinces)} 省，其余合计 {rest} 家）")
    edition = rows[0][3]
    footer(
        figure,
        f"{editions_text([edition])} 专题篇 图24；其余省份合计 = 县（市）合计 {total} 家减去列明各省",
        f"截至 {rows[0][4]} 年底",
    )
    return figure


def cluster_scale(con: duckdb.DuckDBPyConnection) -> Drawing:
    """表5 by county: how many of its 千亿级 clusters each county hosts, stacked by scale band (the bands are
    classes, not amounts: their floors are never added up)."""
    plt = pyplot()
    rows = con.execute(
        "select name, scale, scale_floor_100m_yuan, count(*), any_value(edition_year) "
        "from marts.published_100bn_clusters group by name, scale, scale_floor_100m_yuan"
    ).fetchall()
    bands = sorted({(r[2], r[1]) for r in rows})
    counts = {(r[0], r[1]): r[3] for r in rows}
    counties = sorted(
        {r[0] for r in rows},
        key=lambda c: (
            -sum(n for (name, _), n in counts.items() if name == c),
            -max(r[2] for r in rows if r[0] == c),
            c,
        ),
    )
    figure, axes = plt.subplots(figsize=(10, 4.5))
    bottom = [0] * len(counties)
    colours = plt.get_cmap("Purples")
    for i, (floor, band) in enumerate(bands):
        values = [counts.get((c, band), 0) for c in counties]
        axes.bar(
            counties,
            values,
            bottom=bottom,
            color=colours(0.35 + 0.6 * i / max(len(bands) - 1, 1)),
            label=f"{band}（{floor}亿元起）",
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_ylabel("千亿级产业集群数量（个）")
    axes.yaxis.get_major_locator().set_params(integer=True)
    edition = rows[0][4]
    axes.set_title(f"部分县（市）千亿级产业集群：各县数量与规模档次（{edition} 年版 表5）")
    axes.tick_params(axis="x", rotation=60)
    axes.legend(title="规模档次", fontsize=8)
    footer(
        figure,
        f"{editions_text([edition])} 表5（本项目按县与规模档次统计）",
        f"截至 {edition - registry.EDITION_LAG} 年底",
    )
    return figure


REGION_COLOURS = ("#c0392b", "#2c7fb8", "#27ae60", "#8e44ad")  # in the registry's order of the regions
TREEMAP_LABEL_SIZE = (0.035, 0.03)  # the narrowest and lowest cell (share of the panel) that takes a name


def nested(
    rows: list[tuple], depth: int, box: tuple[float, float, float, float]
) -> Iterable[tuple[int, tuple, tuple[float, float, float, float]]]:
    """Each node of the hierarchy (rows: path..., count) with its depth and rectangle: siblings by count,
    largest first, ties by name."""
    from dagster_project.lib.squarify import squarify

    groups: dict[str, list[tuple]] = {}
    for row in rows:
        groups.setdefault(row[depth], []).append(row)
    order = sorted(groups, key=lambda name: (-sum(r[-1] for r in groups[name]), name))
    sizes = [sum(r[-1] for r in groups[name]) for name in order]
    for name, rectangle in zip(order, squarify(sizes, *box), strict=True):
        yield depth, (*groups[name][0][:depth], name, sum(r[-1] for r in groups[name])), rectangle
        if depth + 2 < len(rows[0]):
            yield from nested(groups[name], depth + 1, rectangle)


def prefecture_treemap(con: duckdb.DuckDBPyConnection) -> Drawing:
    """板块-省-市 of the top 100 industrial counties, one panel per edition present: regions, then provinces
    within them, then prefectures, each cell's area its count (a squarified treemap)."""
    from matplotlib.patches import Rectangle as Box

    plt = pyplot()
    counties = registry.ranking_list("industrial_county")
    regions = registry.regions()
    rows = con.execute(
        "select edition_year, region, province, prefecture, unit_count "
        "from marts.published_ranking_prefecture_counts where list = ?",
        [counties.id],
    ).fetchall()
    editions = sorted({r[0] for r in rows})
    figure, grid = plt.subplots(1, len(editions), figsize=(7 * len(editions), 7), squeeze=False)
    for axes, edition in zip(grid[0], editions, strict=True):
        tree = [r[1:] for r in rows if r[0] == edition]
        for depth, node, (x, y, width, height) in nested(tree, 0, (0.0, 0.0, 1.0, 1.0)):
            colour = REGION_COLOURS[regions.index(node[0]) % len(REGION_COLOURS)]
            if depth == 0:
                axes.add_patch(Box((x, y), width, height, facecolor=colour, edgecolor="white", linewidth=3))
            elif depth == 1:
                axes.add_patch(Box((x, y), width, height, fill=False, edgecolor="white", linewidth=1.6))
                axes.text(
                    x + 0.004,
                    y + height - 0.004,
                    f"{node[1]} {node[-1]}",
                    fontsize=7,
                    ha="left",
                    va="top",
                    color="white",
                    clip_on=True,
                )
            else:
                axes.add_patch(
                    Box((x, y), width, height, fill=False, edgecolor="white", linewidth=0.4, alpha=0.7)
                )
                if width >= TREEMAP_LABEL_SIZE[0] and height >= TREEMAP_LABEL_SIZE[1]:
                    axes.text(
                        x + width / 2,
                        y + height / 2,
                        f"{node[2]}\n{node[-1]}",
                        fontsize=6,
                        ha="center",
                        va="center",
                        color="white",
                        clip_on=True,
                    )
        axes.set_xlim(0, 1)
        axes.set_ylim(0, 1)
        axes.set_axis_off()
        totals = {g: sum(r[-1] for r in tree if r[0] == g) for g in regions}
        legend = [
            Box((0, 0), 1, 1, color=REGION_COLOURS[i % len(REGION_COLOURS)]) for i in range(len(regions))
        ]
        axes.legend(
            legend,
            [f"{g} {totals[g]}" for g in regions],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.01),
            ncol=len(regions),
            fontsize=8,
            frameon=False,
        )
        axes.set_title(f"{edition} 年中国{counties.title_zh}板块-省-市分布（面积为入围数量）")
    footer(
        figure,
        f"{editions_text(editions)} {counties.table_number}（本项目按板块、省与地级市统计）",
        data_years(editions),
    )
    return figure


DISPLAY_UNITS = {"万元": ("亿元", 1e-4)}  # a canonical unit shown in the reports' unit, and its factor
THRESHOLD_FIGURE_MAX_WIDTH = 16.0  # inches: a long list narrows its bars, never the page


def bars_by_region(axes, names: list[str], values: list[float], regions_of: list[str]):  # noqa: ANN001, ANN201
    """Bars coloured by region (the treemap's colours), labelled, with a legend of the regions present."""
    from matplotlib.patches import Patch

    regions = registry.regions()
    colour = {g: REGION_COLOURS[i % len(REGION_COLOURS)] for i, g in enumerate(regions)}
    bars = axes.bar(names, values, color=[colour[g] for g in regions_of])
    axes.bar_label(bars, fmt="%.0f", fontsize=6)
    present = [g for g in regions if g in regions_of]
    if present:
        axes.legend([Patch(color=colour[g]) for g in present], present, fontsize=8)
    return bars


def threshold_header(
    con: duckdb.DuckDBPyConnection, list_id: str, threshold_id: str, edition: int
) -> tuple[str, str, bool]:
    """A threshold's label as the reports phrase it, the data year behind the edition, and whether its
    values are synthetic (also where no member passes it)."""
    [(label, data_year, synthetic)] = con.execute(
        "select any_value(label_zh), any_value(data_year), coalesce(bool_or(synthetic), false) "
        "from marts.computed_list_thresholds where list = ? and threshold_id = ? and edition_year = ?",
        [list_id, threshold_id, edition],
    ).fetchall()
    return label or threshold_id, years_text([data_year] if data_year else []), synthetic


def say_none_pass(axes, listed: registry.RankingList) -> None:  # noqa: ANN001
    """An empty figure says why: no member of the list passes the threshold."""
    axes.set_xticks([])
    axes.text(
        0.5, 0.5, f"无达到门槛的{listed.unit_header}", ha="center", va="center", transform=axes.transAxes
    )


def threshold_units(
    con: duckdb.DuckDBPyConnection, threshold_id: str, edition: int, list_id: str = "industrial_county"
) -> Drawing:
    """The members of a computed list of one edition above a threshold the reports quote, by value,
    coloured by region: the reports' bar charts of named units, redrawn on the computed list."""
    plt = pyplot()
    listed = registry.ranking_list(list_id)
    label, year, synthetic = threshold_header(con, list_id, threshold_id, edition)
    rows = con.execute(
        "select name, region, value, unit from marts.computed_list_threshold_units "
        "where list = ? and threshold_id = ? and edition_year = ? order by value desc, rank",
        [listed.id, threshold_id, edition],
    ).fetchall()
    figure, axes = plt.subplots(
        figsize=(min(max(6.0, 0.32 * len(rows) + 2), THRESHOLD_FIGURE_MAX_WIDTH), 4.5)
    )
    unit, factor = DISPLAY_UNITS.get(rows[0][3], (rows[0][3], 1)) if rows else ("", 1)
    bars_by_region(axes, [r[0] for r in rows], [r[2] * factor for r in rows], [r[1] for r in rows])
    axes.tick_params(axis="x", rotation=70, labelsize=7 if len(rows) <= 40 else 5)
    axes.set_ylabel(f"（{unit}）" if unit else "")
    if not rows:
        say_none_pass(axes, listed)
    note = f"，{SYNTHETIC_STATISTICS_NOTE}" if synthetic else ""
    axes.set_title(
        f"计算榜单：{label}的{listed.unit_header}（{len(rows)} 个）\n（{edition} 年版，{year}数据{note}）"
    )
    footer(
        figure,
        f"本项目计算（marts.computed_list_threshold_units，{listed.title_zh}计算榜单）；"
        f"门槛为报告所述（seed analysis_thresholds）",
        year,
        synthetic,
    )
    return figure


AREA_TYPE_LABELS = {
    "region": "板块",
    "province": "省份",
    "city_cluster": "城市群",
    "metropolitan_area": "都市圈",
}


def threshold_areas(
    con: duckdb.DuckDBPyConnection, threshold_id: str, edition: int, list_id: str, area_type: str
) -> Drawing:
    """Members of a computed list of one edition above a threshold, counted by province or city cluster
    (2024 图21, 2022 图25 and 图32), largest first; 其他 (in none of the areas) last."""
    plt = pyplot()
    listed = registry.ranking_list(list_id)
    label, year, synthetic = threshold_header(con, list_id, threshold_id, edition)
    rows = con.execute(
        "select area, unit_count from marts.computed_list_threshold_areas "
        "where list = ? and threshold_id = ? and edition_year = ? and area_type = ? "
        "order by area = '其他', unit_count desc, area",
        [list_id, threshold_id, edition, area_type],
    ).fetchall()
    figure, axes = plt.subplots(figsize=(max(6.0, 0.45 * len(rows) + 2), 4.5))
    bars = axes.bar([r[0] for r in rows], [r[1] for r in rows], color="#2c7fb8")
    axes.bar_label(bars, fontsize=7)
    axes.tick_params(axis="x", rotation=60, labelsize=8)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylabel("数量（个）")
    if not rows:
        say_none_pass(axes, listed)
    note = f"，{SYNTHETIC_STATISTICS_NOTE}" if synthetic else ""
    axes.set_title(
        f"计算榜单：{label}的{listed.unit_header}{AREA_TYPE_LABELS[area_type]}分布\n"
        f"（{edition} 年版，{year}数据{note}）"
    )
    footer(
        figure,
        f"本项目计算（marts.computed_list_threshold_areas，{listed.title_zh}计算榜单）；"
        f"城市群与都市圈范围：data/reference/city_clusters/",
        year,
        synthetic,
    )
    return figure


def measure_label(measure: str) -> tuple[str, str]:
    """A raw column's or indicator's Chinese name and canonical unit, as config/raw_statistics.yaml gives
    them."""
    from dagster_project.engine.indicator_system import load_indicators
    from dagster_project.raw.contract import Contract

    measures = Contract.load().measures
    if measure in measures:
        return measures[measure].name_zh, measures[measure].unit
    indicator = load_indicators()[measure]
    return indicator.name_zh, indicator.unit


def list_leaders(con: duckdb.DuckDBPyConnection, measure: str, edition: int, list_id: str) -> Drawing:
    """The first members of a computed list of one edition by a measure (2022 图30, 图31), coloured by
    region."""
    plt = pyplot()
    listed = registry.ranking_list(list_id)
    rows = con.execute(
        "select name, region, value, data_year, synthetic from marts.computed_list_leaders "
        "where list = ? and measure = ? and edition_year = ? order by position",
        [list_id, measure, edition],
    ).fetchall()
    name_zh, unit = measure_label(measure)
    figure, axes = plt.subplots(figsize=(10, 4.5))
    bars_by_region(axes, [r[0] for r in rows], [r[2] for r in rows], [r[1] for r in rows])
    axes.tick_params(axis="x", rotation=60, labelsize=8)
    axes.set_ylabel(f"{name_zh}（{unit}）")
    synthetic = any(r[4] for r in rows)
    year = years_text(r[3] for r in rows)
    note = f"，{SYNTHETIC_STATISTICS_NOTE}" if synthetic else ""
    axes.set_title(
        f"计算榜单：{listed.title_zh}{name_zh}前 {len(rows)} 名\n（{edition} 年版，{year}数据{note}）"
    )
    footer(figure, f"本项目计算（marts.computed_list_leaders，{listed.title_zh}计算榜单）", year, synthetic)
    return figure


def national_comparison(
    con: duckdb.DuckDBPyConnection, comparison_ids: tuple[str, ...], edition: int, list_id: str
) -> Drawing:
    """A computed list's ratios beside the nation's (2022 图33: per head), each with how many members are
    above the nation."""
    plt = pyplot()
    listed = registry.ranking_list(list_id)
    rows = con.execute(
        "select label_zh, unit, list_value, national_value, units_above_national, data_year, synthetic "
        "from marts.computed_list_national_comparisons "
        "where list = ? and edition_year = ? and list_contains(?, comparison_id) order by comparison_id",
        [list_id, edition, list(comparison_ids)],
    ).fetchall()
    figure, axes = plt.subplots(figsize=(max(6.0, 2.2 * len(rows) + 2), 4.5))
    positions = range(len(rows))
    listed_bars = axes.bar([p - 0.2 for p in positions], [r[2] for r in rows], 0.4, color="#c0392b")
    national_bars = axes.bar([p + 0.2 for p in positions], [r[3] or 0 for r in rows], 0.4, color="#95a5a6")
    listed_bars.set_label(f"{listed.title_zh}（计算榜单）")
    national_bars.set_label("全国平均水平")
    axes.bar_label(listed_bars, fmt="%.0f", fontsize=7)
    axes.bar_label(national_bars, fmt="%.0f", fontsize=7)
    axes.set_xticks(list(positions), [f"{r[0]}（{r[1]}）\n高于全国：{r[4]} 个" for r in rows], fontsize=8)
    axes.legend(fontsize=8)
    synthetic = any(r[6] for r in rows)
    year = years_text(r[5] for r in rows)
    note = f"，{SYNTHETIC_STATISTICS_NOTE}" if synthetic else ""
    axes.set_title(f"计算榜单：{listed.title_zh}与全国平均水平对比\n（{edition} 年版，{year}数据{note}）")
    footer(
        figure,
        "本项目计算（marts.computed_list_national_comparisons）；全国合计：国家统计局统计公报",
        year,
        synthetic,
    )
    return figure


def national_comparison_units(
    con: duckdb.DuckDBPyConnection, comparison_id: str, edition: int, list_id: str
) -> Drawing:
    """The members of a computed list whose own ratio is above the nation's (2022 图34: retail sales over
    GDP), by ratio, coloured by region, the nation's level a line."""
    plt = pyplot()
    listed = registry.ranking_list(list_id)
    [(label, unit, national, data_year, synthetic)] = con.execute(
        "select any_value(label_zh), any_value(unit), any_value(national_value), any_value(data_year), "
        "coalesce(bool_or(synthetic), false) from marts.computed_list_national_comparisons "
        "where list = ? and comparison_id = ? and edition_year = ?",
        [list_id, comparison_id, edition],
    ).fetchall()
    rows = con.execute(
        "select name, region, ratio from marts.computed_list_national_comparison_units "
        "where list = ? and comparison_id = ? and edition_year = ? order by ratio desc, rank",
        [list_id, comparison_id, edition],
    ).fetchall()
    figure, axes = plt.subplots(
        figsize=(min(max(8.0, 0.32 * len(rows) + 2), THRESHOLD_FIGURE_MAX_WIDTH), 4.5)
    )
    bars_by_region(axes, [r[0] for r in rows], [r[2] for r in rows], [r[1] for r in rows])
    if national is not None:
        axes.axhline(national, color="#555555", linestyle="--", linewidth=1)
        axes.text(
            1.01,
            national,
            f"全国 {national:.1f}",
            va="center",
            ha="left",
            fontsize=8,
            transform=axes.get_yaxis_transform(),
        )
    axes.tick_params(axis="x", rotation=70, labelsize=7)
    axes.set_ylabel(f"{label}（{unit}）")
    year = years_text([data_year] if data_year else [])
    note = f"，{SYNTHETIC_STATISTICS_NOTE}" if synthetic else ""
    axes.set_title(
        f"计算榜单：{label}\n高于全国平均水平的{listed.unit_header}（{len(rows)} 个）"
        f"\n（{edition} 年版，{year}数据{note}）"
    )
    footer(
        figure,
        "本项目计算（marts.computed_list_national_comparison_units）；全国合计：国家统计局统计公报",
        year,
        synthetic,
    )
    return figure


def province_bars(rows: list[tuple]) -> tuple[Drawing, object]:
    """A figure of one bar per province, rows of (province, region, unit_count, ...), coloured by region."""
    figure, axes = pyplot().subplots(figsize=(10, 4.5))
    bars_by_region(axes, [r[0] for r in rows], [r[2] for r in rows], [r[1] for r in rows])
    axes.set_ylabel("入围数量（个）")
    axes.tick_params(axis="x", rotation=60)
    return figure, axes


def province_counts(con: duckdb.DuckDBPyConnection, list_id: str, edition: int | None = None) -> Drawing:
    """A published list of one edition (the latest if none is named) by province, coloured by region, with
    the regions' counts."""
    listed = registry.ranking_list(list_id)
    edition = edition or latest_edition(con, "published_ranking_province_counts", listed.id)
    rows = con.execute(
        "select province, region, unit_count from marts.published_ranking_province_counts "
        "where edition_year = ? and list = ? order by unit_count desc, province",
        [edition, list_id],
    ).fetchall()
    by_region = dict(
        con.execute(
            "select region, unit_count from marts.published_ranking_region_counts "
            "where edition_year = ? and list = ?",
            [edition, list_id],
        ).fetchall()
    )
    figure, axes = province_bars(rows)
    axes.set_title(
        f"{edition} 年{listed.title_zh}分省域分布\n（"
        + "，".join(f"{region} {by_region.get(region, 0)} 个" for region in registry.regions())
        + "）"
    )
    footer(
        figure, f"{editions_text([edition])} {listed.table_number}（本项目按省统计）", data_years([edition])
    )
    return figure


def province_coverage(con: duckdb.DuckDBPyConnection, list_id: str, edition: int) -> Drawing:
    """Each province's units in a published list (bars) and their share of the province's units of the
    list's universe (points, right axis): the reports' 数量对比图."""
    listed = registry.ranking_list(list_id)
    rows = con.execute(
        "select province, region, unit_count, universe_units, coverage from marts.published_ranking_coverage "
        "where edition_year = ? and list = ? order by unit_count desc, coverage desc, province",
        [edition, list_id],
    ).fetchall()
    figure, axes = province_bars(rows)
    share = axes.twinx()
    share.plot([r[0] for r in rows], [100 * r[4] for r in rows], "o", color="#34495e")
    for province, *_, coverage in rows:
        share.annotate(
            f"{100 * coverage:.1f}%",
            (province, 100 * coverage),
            fontsize=6,
            ha="center",
            xytext=(0, 4),
            textcoords="offset points",
        )
    share.set_ylabel(f"占本省{listed.unit_header}比重（%，圆点）")
    share.set_ylim(0, max([100 * r[4] for r in rows], default=1) * 1.2)
    axes.set_title(f"{edition} 年{listed.title_zh}各省数量及占本省{listed.unit_header}比重")
    footer(
        figure,
        f"{editions_text([edition])} {listed.table_number}；分母为本省{listed.unit_header}数"
        "（行政区划代码，data/reference/divisions）",
        data_years([edition]),
    )
    return figure


# the columns of computed_list_growth_two_years drawn in 2022 图28, as the report words them
GROWTH_COUNTS = {
    "units": "榜单单位数",
    "units_growing": "两年平均正增长",
    "units_above_national": "高于全国平均水平",
    "units_growing_10_percent": "两位数增长",
    "units_growing_both_years": "近两年均正增长",
}
MISSING_LABEL = "—"  # a bar with no value (no previous year, no national rate): drawn empty, said so


def value_labels(values: list[float | None], fmt: str) -> list[str]:
    return [MISSING_LABEL if v is None else fmt.format(v) for v in values]


def count_bars(axes, labels: list[str], counts: list[int | None]) -> None:  # noqa: ANN001
    """The list's size (grey) and its counts (red); a count with no value an empty bar labelled —."""
    colours = ["#95a5a6"] + ["#c0392b"] * (len(labels) - 1)
    bars = axes.bar(labels, [c or 0 for c in counts], color=colours)
    axes.bar_label(bars, labels=value_labels(counts, "{:d}"), fontsize=8)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylabel("数量（个）")


# the columns of computed_list_growth drawn in 2024 图6 and 2022 图8
GROWTH_COUNTS_ONE_YEAR = {
    "units": "榜单单位数",
    "units_growing": "正增长",
    "units_above_national": "高于全国平均水平",
    "units_growing_10_percent": "两位数增长",
}


def growth_overview(con: duckdb.DuckDBPyConnection, edition: int, list_id: str) -> Drawing:
    """How many members of a computed list of one edition grew, faster than the nation, by 10% or more
    (2024 图6, 2022 图8: 全部工业增速概览), with the nation's and the members' median growth."""
    plt = pyplot()
    listed = registry.ranking_list(list_id)
    row = con.execute(
        f"select {', '.join(GROWTH_COUNTS_ONE_YEAR)}, national_growth, median_growth, data_year, synthetic "
        "from marts.computed_list_growth where list = ? and edition_year = ?",
        [list_id, edition],
    ).fetchone()
    width = len(GROWTH_COUNTS_ONE_YEAR)
    counts = list(row[:width]) if row else [None] * width
    national, median, data_year, synthetic = row[width:] if row else (None, None, None, False)
    figure, axes = plt.subplots(figsize=(8, 4.5))
    count_bars(axes, list(GROWTH_COUNTS_ONE_YEAR.values()), counts)
    notes = [
        f"全国规上工业增加值增速 {national:.1f}%" if national is not None else "全国增速缺",
        f"榜单增速中位数 {median:.1f}%" if median is not None else "榜单增速缺",
    ]
    axes.text(0.99, 0.97, "\n".join(notes), ha="right", va="top", fontsize=8, transform=axes.transAxes)
    year = years_text([data_year] if data_year else [])
    note = f"，{SYNTHETIC_STATISTICS_NOTE}" if synthetic else ""
    # the panel's growth is 规上工业's; the report's figure counts 全部工业's (2023: 4.2%, 规上 4.6%)
    axes.set_title(
        f"计算榜单：{listed.title_zh}工业增速概览（规上工业增加值增速）\n（{edition} 年版，{year}数据{note}）"
    )
    footer(
        figure,
        f"本项目计算（marts.computed_list_growth，{listed.title_zh}计算榜单，规上工业增加值增速）；"
        "报告原图按全部工业增加值增速；全国增速：国家统计局统计公报",
        year,
        synthetic,
    )
    return figure


def growth_two_years(con: duckdb.DuckDBPyConnection, edition: int, list_id: str) -> Drawing:
    """How many members of a computed list of one edition grew on a two-year average, faster than the
    nation, by 10% or more, and in both years (2022 图28), beside the list's size; members without the
    previous year's rate are in no count, and the figure says how many."""
    plt = pyplot()
    listed = registry.ranking_list(list_id)
    row = con.execute(
        f"select {', '.join(GROWTH_COUNTS)}, units_with_two_years, national_growth, data_year, synthetic "
        "from marts.computed_list_growth_two_years where list = ? and edition_year = ?",
        [list_id, edition],
    ).fetchone()
    counts = list(row[: len(GROWTH_COUNTS)]) if row else [None] * len(GROWTH_COUNTS)
    with_two_years, national, data_year, synthetic = (
        row[len(GROWTH_COUNTS) :] if row else (0, None, None, False)
    )
    figure, axes = plt.subplots(figsize=(8, 4.5))
    count_bars(axes, list(GROWTH_COUNTS.values()), counts)
    units = counts[0] or 0
    notes = [f"全国两年平均增速 {national:.1f}%" if national is not None else "全国两年平均增速缺"]
    if with_two_years < units:
        notes.append(f"{units - with_two_years} 个{listed.unit_header}缺上年增速，不计入各项")
    axes.text(0.99, 0.97, "\n".join(notes), ha="right", va="top", fontsize=8, transform=axes.transAxes)
    years = years_text([data_year - 1, data_year] if data_year else [])
    note = f"，{SYNTHETIC_STATISTICS_NOTE}" if synthetic else ""
    axes.set_title(f"计算榜单：{listed.title_zh}近两年工业增速情况\n（{edition} 年版，{years}数据{note}）")
    footer(
        figure,
        f"本项目计算（marts.computed_list_growth_two_years，{listed.title_zh}计算榜单；两年平均为几何平均）；"
        "全国增速：国家统计局统计公报",
        years,
        synthetic,
    )
    return figure


def profit_by_region(con: duckdb.DuckDBPyConnection, edition: int, list_id: str) -> Drawing:
    """The mean two-year profit and the mean profit margin of a computed list's members of one edition, the
    whole list and each region (2022 图29), one panel each; means without a value are drawn empty."""
    plt = pyplot()
    listed = registry.ranking_list(list_id)
    rows = con.execute(
        "select area, mean_two_year_profit, mean_profit_margin, total_two_year_profit, profit_threshold, "
        "units_above_profit_threshold, units, units_with_two_years, data_year, synthetic "
        "from marts.computed_list_profit_by_region where list = ? and edition_year = ? order by area_order",
        [list_id, edition],
    ).fetchall()
    areas = [r[0] for r in rows]
    colour = {g: REGION_COLOURS[i % len(REGION_COLOURS)] for i, g in enumerate(registry.regions())}
    colours = [colour.get(a, "#95a5a6") for a in areas]
    profits = [None if r[1] is None else r[1] * 1e-4 for r in rows]  # 万元 to 亿元
    margins = [r[2] for r in rows]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4.5))
    for axes, values, ylabel, fmt in (
        (left, profits, "近两年利润总额均值（亿元）", "{:.1f}"),
        (right, margins, "利润率均值（%）", "{:.1f}"),
    ):
        bars = axes.bar(areas, [v or 0 for v in values], color=colours)
        axes.bar_label(bars, labels=value_labels(values, fmt), fontsize=8)
        axes.set_ylabel(ylabel)
    whole = next((r for r in rows if r[0] == "全部"), None)
    if whole and whole[3] is not None:
        left.set_title(
            f"合计 {whole[3] * 1e-8:.2f} 万亿元；超过 {whole[4] * 1e-4:.0f} 亿元：{whole[5]} 个", fontsize=9
        )
    elif whole:
        left.set_title(f"{whole[6] - whole[7]} 个{listed.unit_header}缺上年利润，均值缺", fontsize=9)
    right.set_title("各单位利润率的均值", fontsize=9)
    data_year = rows[0][8] if rows else None
    synthetic = any(r[9] for r in rows)
    years = years_text([data_year - 1, data_year] if data_year else [])
    note = f"，{SYNTHETIC_STATISTICS_NOTE}" if synthetic else ""
    figure.suptitle(
        f"计算榜单：分地区{listed.title_zh}规上工业企业利润情况\n（{edition} 年版，{years}数据{note}）"
    )
    footer(
        figure,
        f"本项目计算（marts.computed_list_profit_by_region，{listed.title_zh}计算榜单）",
        years,
        synthetic,
    )
    return figure


CITY_CLUSTER_PANELS = {"city_cluster": "城市群", "metropolitan_area": "都市圈"}


def city_clusters(con: duckdb.DuckDBPyConnection, list_id: str, edition: int) -> Drawing:
    """A list's units in each city cluster (left) and metropolitan area (right); the part that belongs only
    by a partial or uncertain membership is hatched."""
    plt = pyplot()
    listed = registry.ranking_list(list_id)
    figure, panels = plt.subplots(1, 2, figsize=(12, 6))
    for axes, (area_type, label) in zip(panels, CITY_CLUSTER_PANELS.items(), strict=True):
        rows = con.execute(
            "select area, unit_count, not_official_count from marts.city_cluster_counts "
            "where edition_year = ? and list = ? and area_type = ? order by unit_count, area desc",
            [edition, list_id, area_type],
        ).fetchall()
        names = [r[0] for r in rows]
        official = axes.barh(names, [r[1] - r[2] for r in rows], color="#2c7fb8")
        partial_members = axes.barh(
            names, [r[2] for r in rows], left=[r[1] - r[2] for r in rows], color="#9ecae1", hatch=STATED_HATCH
        )
        axes.bar_label(partial_members, labels=[str(r[1]) for r in rows], fontsize=7, padding=2)
        axes.tick_params(axis="y", labelsize=7)
        axes.set_xlabel(f"入围{listed.unit_header}数量（个）")
        axes.set_title(f"{label}（{len(rows)} 个）", fontsize=10)
        official.set_label("规划所列成员")
        partial_members.set_label("部分或存疑成员（斜线）")
    panels[0].legend(fontsize=7, loc="lower right")
    figure.suptitle(f"{edition} 年{listed.title_zh}城市群和都市圈分布")
    footer(
        figure,
        f"{editions_text([edition])} {listed.table_number}；城市群、都市圈成员为国家规划所列"
        "（data/reference/city_clusters）",
        data_years([edition]),
    )
    return figure


# The figures drawn for a list and an edition: the asset's name prefix, the drawing, the caption after the
# list's title ({unit_header}: 县（市） or 市辖区), the marts read, and whether the list is a computed one.
LIST_FIGURES = {
    "provinces": (
        province_counts,
        "分省域分布",
        ("published_ranking_province_counts", "published_ranking_region_counts"),
        False,
    ),
    "coverage": (
        province_coverage,
        "各省数量及占本省{unit_header}比重",
        ("published_ranking_coverage",),
        False,
    ),
    "rank_bands": (rank_bands, "各省位次分布", ("published_ranking_rank_bands",), False),
    "city_clusters": (city_clusters, "城市群和都市圈分布", ("city_cluster_counts",), False),
    "shares": (shares, "主要指标占全国比重", ("computed_list_shares",), True),
    "growth": (growth_overview, "全部工业增速概览", ("computed_list_growth",), True),
}


def list_figure(kind: str, list_id: str, edition: int, number: str) -> Figure:
    """A figure of LIST_FIGURES for one list and edition (its 图 number as that edition prints it)."""
    draw, caption, marts, computed = LIST_FIGURES[kind]
    listed = registry.ranking_list(list_id)
    return Figure(
        f"{kind}_{list_id}_{edition}",
        f"{edition} 年版{number}：{listed.title_zh}{caption.format(unit_header=listed.unit_header)}"
        + ("（计算榜单，合成演示数据）" if computed else ""),
        partial(draw, list_id=list_id, edition=edition),
        marts,
        edition=edition,
    )


def threshold_figure(
    threshold_id: str, edition: int, number: str, list_id: str = "industrial_county"
) -> Figure:
    """A threshold figure of one edition (its 图 number as that edition prints it; the outline places it)."""
    header = registry.ranking_list(list_id).unit_header
    return Figure(
        f"threshold_{threshold_id}_{edition}",
        f"{edition} 年版{number}：门槛以上的{header}（计算榜单，合成演示数据）",
        partial(threshold_units, threshold_id=threshold_id, edition=edition, list_id=list_id),
        ("computed_list_thresholds", "computed_list_threshold_units"),
        edition=edition,
    )


def threshold_area_figure(
    threshold_id: str, edition: int, number: str, list_id: str, area_type: str
) -> Figure:
    return Figure(
        f"threshold_{threshold_id}_by_{area_type}_{edition}",
        f"{edition} 年版{number}：门槛以上单位的{AREA_TYPE_LABELS[area_type]}分布（计算榜单，合成演示数据）",
        partial(
            threshold_areas, threshold_id=threshold_id, edition=edition, list_id=list_id, area_type=area_type
        ),
        ("computed_list_thresholds", "computed_list_threshold_areas"),
        edition=edition,
    )


def leaders_figure(measure: str, edition: int, number: str, list_id: str) -> Figure:
    return Figure(
        f"leaders_{measure}_{edition}",
        f"{edition} 年版{number}：按指标前 N 名（计算榜单，合成演示数据）",
        partial(list_leaders, measure=measure, edition=edition, list_id=list_id),
        ("computed_list_leaders",),
        edition=edition,
    )


def comparison_figure(
    name: str, comparison_ids: tuple[str, ...], edition: int, number: str, list_id: str
) -> Figure:
    return Figure(
        f"{name}_{edition}",
        f"{edition} 年版{number}：与全国平均水平对比（计算榜单，合成演示数据）",
        partial(national_comparison, comparison_ids=comparison_ids, edition=edition, list_id=list_id),
        ("computed_list_national_comparisons",),
        edition=edition,
    )


def above_nation_figure(comparison_id: str, edition: int, number: str, list_id: str) -> Figure:
    return Figure(
        f"above_nation_{comparison_id}_{edition}",
        f"{edition} 年版{number}：高于全国平均水平的单位（计算榜单，合成演示数据）",
        partial(national_comparison_units, comparison_id=comparison_id, edition=edition, list_id=list_id),
        ("computed_list_national_comparison_units", "computed_list_national_comparisons"),
        edition=edition,
    )


def growth_two_years_figure(edition: int, number: str, list_id: str) -> Figure:
    return Figure(
        f"growth_two_years_{edition}",
        f"{edition} 年版{number}：近两年工业增速情况（计算榜单，合成演示数据）",
        partial(growth_two_years, edition=edition, list_id=list_id),
        ("computed_list_growth_two_years",),
        edition=edition,
    )


def profit_by_region_figure(edition: int, number: str, list_id: str) -> Figure:
    return Figure(
        f"profit_by_region_{edition}",
        f"{edition} 年版{number}：分地区规上工业企业利润情况（计算榜单，合成演示数据）",
        partial(profit_by_region, edition=edition, list_id=list_id),
        ("computed_list_profit_by_region",),
        edition=edition,
    )


# the choices of the uncertainty analysis (docs/methodology.md §9), as the figures name them
FACTOR_LABELS = {
    "weights": "AHP判断（权重）",
    "normalisation": "标准化方法",
    "outlier_rule": "异常值处理",
    "aggregation": "维度内集成方法",
    "missing_values": "缺失值处理",
}
FACTOR_NOTE = "AHP判断、标准化、异常值处理、集成方法与缺失值处理同时变动"
ROBUSTNESS_SOURCE = "本项目计算（{mart}，docs/methodology.md §9-10）"


def rank_intervals(con: duckdb.DuckDBPyConnection) -> Drawing:
    """Each computed top 100 of the latest data year, one panel per list: each unit's median rank and
    5-95% band over the draws, in central rank order, the central tiers' boundaries drawn."""
    plt = pyplot()
    lists = registry.ranking_lists()
    figure, grid = plt.subplots(len(lists), 1, figsize=(11, 4.2 * len(lists)), squeeze=False)
    synthetic, edition = False, ""
    for axes, item in zip(grid[:, 0], lists.values(), strict=True):
        rows = con.execute(
            "select u.edition_year, u.central_rank, u.median_rank, u.rank_p05, u.rank_p95, r.tier, "
            "u.synthetic from marts.rank_uncertainty as u inner join marts.computed_rankings as r "
            "using (data_year, list, adcode) "
            "where u.list = ? and u.data_year = (select max(data_year) from marts.rank_uncertainty) "
            "order by u.central_rank",
            [item.id],
        ).fetchall()
        ranks = [r[1] for r in rows]
        axes.vlines(
            ranks,
            [r[3] for r in rows],
            [r[4] for r in rows],
            color="#9ecae1",
            linewidth=2.5,
            label="5%–95%区间",
        )
        axes.plot(ranks, [r[2] for r in rows], "o", color="#08519c", markersize=3, label="位次中位数")
        axes.plot(ranks, ranks, "-", color="#888888", linewidth=0.8, label="中心位次")
        for before, after in zip(rows, rows[1:], strict=False):
            if after[5] != before[5]:
                boundary = (before[1] + after[1]) / 2
                axes.axvline(boundary, color="#c0392b", linestyle="--", linewidth=0.8)
                axes.text(boundary, 1, f" 第{after[5]}梯队", color="#c0392b", fontsize=8, va="top")
        axes.axhline(item.top_n + 0.5, color="#555555", linestyle=":", linewidth=0.8)
        axes.invert_yaxis()
        axes.set_xlabel("中心位次（本项目计算榜单）")
        axes.set_ylabel("方法选择变动下的位次")
        axes.set_title(f"计算榜单：{item.title_zh}")
        axes.legend(loc="lower right")
        synthetic = synthetic or any(r[6] for r in rows)
        edition = rows[0][0] if rows else edition
    figure.suptitle(f"{edition} 年计算榜单位次不确定性：中位数与5%–95%区间（{FACTOR_NOTE}）")
    years = data_years([edition] if edition else [])
    footer(figure, ROBUSTNESS_SOURCE.format(mart="marts.rank_uncertainty"), years, synthetic)
    return figure


def rank_sensitivity(con: duckdb.DuckDBPyConnection) -> Drawing:
    """Which choice moves each computed list's ranks most, latest data year: first- and total-order
    indices side by side."""
    plt = pyplot()
    lists = registry.ranking_lists()
    rows = con.execute(
        "select list, factor, first_order, total_order, edition_year, synthetic from marts.rank_sensitivity "
        "where data_year = (select max(data_year) from marts.rank_sensitivity)"
    ).fetchall()
    values = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    figure, grid = plt.subplots(1, len(lists), figsize=(12, 4.2), sharey=True, squeeze=False)
    factors = list(FACTOR_LABELS)
    for axes, item in zip(grid[0], lists.values(), strict=True):
        positions = range(len(factors))
        first = [values.get((item.id, f), (0, 0))[0] for f in factors]
        total = [values.get((item.id, f), (0, 0))[1] for f in factors]
        axes.barh([p + 0.2 for p in positions], first, 0.4, color="#2c7fb8", label="一阶指数 S")
        axes.barh([p - 0.2 for p in positions], total, 0.4, color="#fdae61", label="总效应指数 S_T")
        axes.set_yticks(list(positions), [FACTOR_LABELS[f] for f in factors])
        axes.set_title(f"计算榜单：{item.title_zh}")
        axes.set_xlabel("对位次平均偏移方差的贡献")
    grid[0][-1].legend(loc="lower right")
    edition = rows[0][4] if rows else ""
    figure.suptitle(f"{edition} 年计算榜单位次对方法选择的敏感性（Sobol 指数）")
    footer(
        figure,
        ROBUSTNESS_SOURCE.format(mart="marts.rank_sensitivity"),
        data_years(r[4] for r in rows),
        any(r[5] for r in rows),
    )
    return figure


# --------------------------------------------------------------------------------------------------
# 县（市）经济总体 (section 一 of both editions), from the overview marts: every data year present
# --------------------------------------------------------------------------------------------------

OVERVIEW_SOURCE = "本项目计算（marts.{mart}）"
NATIONAL_SOURCE = "全国合计：国家统计局统计公报（data/raw/national_totals）"
TRILLION = 1e8  # 万元 per 万亿元


def overview_title(title: str, years: Iterable[int], synthetic: bool) -> str:
    """The figure's title with its data years, and that the statistics are synthetic where they are."""
    note = f"，{SYNTHETIC_STATISTICS_NOTE}" if synthetic else ""
    return f"{title}\n（{years_text(years)}数据{note}）"


def overview_footer(
    figure: Drawing, marts: Iterable[str], years: Iterable[int], synthetic: bool, national: bool = False
) -> None:
    sources = [OVERVIEW_SOURCE.format(mart=mart) for mart in marts] + ([NATIONAL_SOURCE] if national else [])
    footer(figure, "；".join(sources), years_text(years), synthetic)


def missing_years_note(rows: list[tuple], value: int) -> str:
    """Which years a share cannot be drawn for (no national total transcribed): said on the figure."""
    missing = [r[0] for r in rows if r[value] is None]
    return f"；{years_text(missing)}无全国值，占比缺" if missing else ""


def bars_and_share(
    con: duckdb.DuckDBPyConnection, amount: str, share: str, labels: tuple[str, str, str], scale: float
) -> Drawing:
    """County totals as bars, a share (0-1) as a line on its own axis, data year after data year."""
    plt = pyplot()
    rows = con.execute(
        f"select data_year, {amount}, {share}, synthetic "
        "from marts.overview_county_economy order by data_year"
    ).fetchall()
    years, synthetic = [r[0] for r in rows], any(r[3] for r in rows)
    title, bar_label, line_label = labels
    figure, axes = plt.subplots(figsize=(10, 4.8))
    bars = axes.bar(years, [r[1] / scale for r in rows], color="#2c7fb8", label=bar_label)
    axes.bar_label(bars, fmt="%.1f", fontsize=7)
    axes.set_ylabel(bar_label)
    axes.set_xticks(years)
    right = axes.twinx()
    shown = [(r[0], 100 * r[2]) for r in rows if r[2] is not None]
    right.plot([y for y, _ in shown], [v for _, v in shown], "o-", color="#c0392b", label=line_label)
    right.set_ylabel(f"{line_label}（%）")
    figure.legend(loc="upper left", fontsize=8, bbox_to_anchor=(0.08, 0.88))
    axes.set_title(overview_title(title + missing_years_note(rows, 2), years, synthetic))
    overview_footer(figure, ["overview_county_economy"], years, synthetic, national=True)
    return figure


def county_gdp_secondary_share(con: duckdb.DuckDBPyConnection) -> Drawing:
    labels = ("我国县（市）GDP 总量及第二产业增加值所占比重", "县（市）GDP（万亿元）", "第二产业增加值占比")
    return bars_and_share(con, "gdp", "secondary_share", labels, TRILLION)


def county_gdp_national_share(con: duckdb.DuckDBPyConnection) -> Drawing:
    labels = ("我国县（市）生产总值及其占同期国内生产总值比重", "县（市）GDP（万亿元）", "占国内生产总值比重")
    return bars_and_share(con, "gdp", "gdp_share", labels, TRILLION)


def county_enterprises(con: duckdb.DuckDBPyConnection) -> Drawing:
    labels = ("我国县（市）规上工业企业数量及占全国比重", "规上工业企业（万家）", "占全国比重")
    return bars_and_share(con, "above_scale_enterprises", "enterprise_share", labels, 1e4)


def latest_overview_year(con: duckdb.DuckDBPyConnection, mart: str) -> int:
    return con.execute(f"select max(data_year) from marts.{mart}").fetchone()[0]


def county_population_classes(con: duckdb.DuckDBPyConnection) -> Drawing:
    """The latest data year's 县（市） by resident population class (the report counts the 2020 census):
    how many, and how many people live in each class."""
    plt = pyplot()
    year = latest_overview_year(con, "overview_population_classes")
    rows = con.execute(
        "select class_label, units, unit_share, population_resident, synthetic "
        "from marts.overview_population_classes where data_year = ? order by class_order",
        [year],
    ).fetchall()
    synthetic = any(r[4] for r in rows)
    labels, colours = [r[0] for r in rows], ["#c0392b"] + ["#2c7fb8"] * (len(rows) - 1)
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    bars = left.bar(labels, [r[1] for r in rows], color=colours)
    left.bar_label(bars, labels=[f"{r[1]}（{100 * r[2]:.1f}%）" for r in rows], fontsize=8)
    left.set_ylabel("县（市）数量（个）")
    left.set_title("各人口规模县（市）数量", fontsize=10)
    bars = right.bar(labels, [r[3] / 1e4 for r in rows], color=colours)
    right.bar_label(bars, fmt="%.2f", fontsize=8)
    right.set_ylabel("常住人口（亿人）")
    right.set_title("各人口规模县（市）常住人口", fontsize=10)
    for axes in (left, right):
        axes.tick_params(axis="x", rotation=20)
    figure.suptitle(overview_title("县（市）常住人口规模分布", [year], synthetic))
    overview_footer(figure, ["overview_population_classes"], [year], synthetic)
    return figure


def region_colours() -> dict[str, str]:
    return dict(zip(registry.regions(), ("#c0392b", "#e67e22", "#27ae60", "#2c7fb8"), strict=False))


def urbanisation_potential(con: duckdb.DuckDBPyConnection) -> Drawing:
    """The latest data year's 重点潜力县（市） by province, in the regions' order, coloured by region."""
    plt = pyplot()
    year = latest_overview_year(con, "overview_urbanisation_potential")
    rows = con.execute(
        "select province, region, potential_units, synthetic from marts.overview_urbanisation_potential "
        "where data_year = ? and potential_units > 0 order by region_order, potential_units desc, province",
        [year],
    ).fetchall()
    synthetic = any(r[3] for r in rows)
    colours = region_colours()
    figure, axes = plt.subplots(figsize=(11, 4.5))
    bars = axes.bar([r[0] for r in rows], [r[2] for r in rows], color=[colours[r[1]] for r in rows])
    axes.bar_label(bars, fontsize=7)
    for region, colour in colours.items():
        axes.bar([], [], color=colour, label=region)
    axes.legend(fontsize=8)
    axes.tick_params(axis="x", rotation=60)
    axes.set_ylabel("重点潜力县（市）数量（个）")
    title = f"城镇化潜力较大的重点潜力县（市）分布（共 {sum(r[2] for r in rows)} 个，标准见报告图3注）"
    axes.set_title(overview_title(title, [year], synthetic))
    overview_footer(figure, ["overview_urbanisation_potential"], [year], synthetic)
    return figure


def gdp_per_capita(con: duckdb.DuckDBPyConnection) -> Drawing:
    """Left: GDP per resident of each region's 县（市）in the first, middle and latest data years beside the
    county average; right: all 县（市）and the year's computed 工业百强县（市）, year after year."""
    plt = pyplot()
    rows = con.execute(
        "select data_year, area, gdp_per_capita, synthetic from marts.overview_county_economy_by_area "
        "where area_type = 'region' order by data_year, region_order"
    ).fetchall()
    totals = con.execute(
        "select data_year, gdp_per_capita, industrial_list_gdp_per_capita, synthetic "
        "from marts.overview_county_economy order by data_year"
    ).fetchall()
    years = [r[0] for r in totals]
    shown = sorted({years[0], years[len(years) // 2], years[-1]})
    synthetic = any(r[3] for r in rows) or any(r[3] for r in totals)
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    regions = registry.regions()
    width = 0.8 / len(shown)
    average = {r[0]: r[1] for r in totals}
    for i, year in enumerate(shown):
        values = [next((r[2] for r in rows if r[0] == year and r[1] == g), 0) / 1e4 for g in regions]
        left.bar([x + i * width for x in range(len(regions))], values, width, label=f"{year} 年")
        left.axhline(average[year] / 1e4, color=f"C{i}", linestyle="--", linewidth=0.8)
    left.set_xticks([x + width * (len(shown) - 1) / 2 for x in range(len(regions))], regions)
    left.set_ylabel("人均 GDP（万元）")
    left.set_title("各板块县（市）人均 GDP（虚线：当年县（市）平均）", fontsize=10)
    left.legend(fontsize=8)
    right.plot(years, [r[1] / 1e4 for r in totals], "o-", label="全部县（市）")
    listed = [(r[0], r[2] / 1e4) for r in totals if r[2] is not None]
    right.plot(
        [y for y, _ in listed],
        [v for _, v in listed],
        "s-",
        color="#c0392b",
        label="工业百强县（市）（计算榜单）",
    )
    right.set_xticks(years, [str(y) for y in years], rotation=60)
    right.set_ylabel("人均 GDP（万元）")
    right.set_title("全部县（市）与工业百强县（市）人均 GDP", fontsize=10)
    right.legend(fontsize=8)
    figure.suptitle(overview_title("我国县（市）人均地区生产总值对比", years, synthetic))
    overview_footer(figure, ["overview_county_economy_by_area", "overview_county_economy"], years, synthetic)
    return figure


def industrial_structure_index(con: duckdb.DuckDBPyConnection) -> Drawing:
    """Each province's and region's 产业结构指数 (second-industry value added / GDP: the report draws the
    index without defining it), data year after data year: provinces as dots, regions as lines."""
    plt = pyplot()
    rows = con.execute(
        "select data_year, area_type, area, region, secondary_share, synthetic "
        "from marts.overview_county_economy_by_area order by data_year, region_order, area"
    ).fetchall()
    years = sorted({r[0] for r in rows})
    synthetic = any(r[5] for r in rows)
    colours = region_colours()
    figure, axes = plt.subplots(figsize=(10, 5))
    for region, colour in colours.items():
        provinces = [r for r in rows if r[1] == "province" and r[3] == region]
        axes.scatter(
            [r[0] for r in provinces], [100 * r[4] for r in provinces], s=10, color=colour, alpha=0.4
        )
        line = [r for r in rows if r[1] == "region" and r[2] == region]
        axes.plot(
            [r[0] for r in line],
            [100 * r[4] for r in line],
            "o-",
            color=colour,
            label=f"{region}（点：各省）",
        )
    axes.set_xticks(years)
    axes.set_ylabel("产业结构指数：第二产业增加值占 GDP 比重（%）")
    axes.legend(fontsize=8)
    axes.set_title(
        overview_title("各区域、省份县（市）产业结构指数（报告未给定义，本项目取二产占比）", years, synthetic)
    )
    overview_footer(figure, ["overview_county_economy_by_area"], years, synthetic)
    return figure


def stacked_by_region(axes, rows: list[tuple], measure: int, ylabel: str) -> list[int]:  # noqa: ANN001
    """One stacked bar per data year, a layer per region (万亿元); the years drawn."""
    years = sorted({r[0] for r in rows})
    bottom = [0.0] * len(years)
    for region, colour in region_colours().items():
        values = [
            next((r[measure] for r in rows if r[0] == y and r[1] == region), 0) / TRILLION for y in years
        ]
        axes.bar(years, values, bottom=bottom, color=colour, label=region)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_xticks(years, [str(y) for y in years], rotation=60)
    axes.set_ylabel(ylabel)
    axes.legend(fontsize=8)
    return years


def region_rows(con: duckdb.DuckDBPyConnection, *measures: str) -> list[tuple]:
    return con.execute(
        f"select data_year, area, {', '.join(measures)}, synthetic "
        "from marts.overview_county_economy_by_area where area_type = 'region' "
        "order by data_year, region_order"
    ).fetchall()


def county_fiscal(con: duckdb.DuckDBPyConnection) -> Drawing:
    plt = pyplot()
    rows = region_rows(con, "fiscal_revenue", "fiscal_expenditure")
    synthetic = any(r[-1] for r in rows)
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    years = stacked_by_region(left, rows, 2, "一般公共预算收入（万亿元）")
    stacked_by_region(right, rows, 3, "一般公共预算支出（万亿元）")
    left.set_title("一般公共预算收入", fontsize=10)
    right.set_title("一般公共预算支出", fontsize=10)
    figure.suptitle(
        overview_title("我国县（市）一般公共预算收入（左）和支出（右），分板块", years, synthetic)
    )
    overview_footer(figure, ["overview_county_economy_by_area"], years, synthetic)
    return figure


def region_series(con: duckdb.DuckDBPyConnection, measure: str, title: str, ylabel: str) -> Drawing:
    plt = pyplot()
    rows = region_rows(con, measure)
    synthetic = any(r[-1] for r in rows)
    figure, axes = plt.subplots(figsize=(10, 4.6))
    years = stacked_by_region(axes, rows, 2, ylabel)
    axes.set_title(overview_title(title, years, synthetic))
    overview_footer(figure, ["overview_county_economy_by_area"], years, synthetic)
    return figure


def county_household_savings(con: duckdb.DuckDBPyConnection) -> Drawing:
    return region_series(
        con, "household_savings", "我国县（市）住户存款余额变化趋势，分板块", "住户存款余额（万亿元）"
    )


def county_loans(con: duckdb.DuckDBPyConnection) -> Drawing:
    return region_series(
        con, "loans_outstanding", "我国县（市）金融机构贷款余额变化趋势，分板块", "贷款余额（万亿元）"
    )


@dataclass(frozen=True)
class Figure:
    name: str
    title_zh: str
    draw: Callable[[duckdb.DuckDBPyConnection], Drawing]
    marts: tuple[str, ...]
    # A figure of one edition sees its marts with that edition's rows only (figure_rendering.py): a new data
    # year, which adds rows of another edition, leaves it as it was.
    edition: int | None = None


FIGURES = [
    Figure(
        "provinces_latest",
        "最新一版工业百强县（市）分省域分布（图11）",
        provinces_latest,
        ("published_ranking_province_counts", "published_ranking_region_counts"),
    ),
    Figure(
        "regions_by_edition",
        "四大板块数量分布变化（图7）",
        regions_by_edition,
        ("published_ranking_region_series",),
    ),
    Figure("tiers", "梯队分布（图9）", tiers, ("published_ranking_tiers",)),
    Figure(
        "rank_bands_latest_districts",
        "最新一版工业百强区各省位次分布（图20）",
        rank_bands_latest_districts,
        ("published_ranking_rank_bands",),
    ),
    Figure(
        "shares_computed",
        "主要指标占全国比重（图5，合成演示数据）",
        shares_computed,
        ("computed_list_shares",),
    ),
    Figure("smart_factories", "县（市）国家级智能工厂分布（图24）", smart_factories, ("smart_factories",)),
    Figure(
        "cluster_scale",
        "千亿级产业集群各县规模档次（图37）",
        cluster_scale,
        ("published_100bn_clusters",),
    ),
    Figure(
        "rank_intervals",
        "计算榜单位次不确定性（中位数与5%–95%区间）",
        rank_intervals,
        ("rank_uncertainty", "computed_rankings"),
    ),
    Figure("rank_sensitivity", "计算榜单位次敏感性（Sobol 指数）", rank_sensitivity, ("rank_sensitivity",)),
    Figure(
        "county_gdp_secondary_share",
        "县（市）GDP 总量及第二产业增加值占比（2024 年版图1，合成演示数据）",
        county_gdp_secondary_share,
        ("overview_county_economy",),
    ),
    Figure(
        "county_population_classes",
        "县（市）人口规模分布（2024 年版图2，合成演示数据）",
        county_population_classes,
        ("overview_population_classes",),
    ),
    Figure(
        "urbanisation_potential",
        "重点潜力县（市）分布（2024 年版图3，合成演示数据）",
        urbanisation_potential,
        ("overview_urbanisation_potential",),
    ),
    Figure(
        "county_enterprises",
        "县（市）规上工业企业数量及占全国比重（2024 年版图4，合成演示数据）",
        county_enterprises,
        ("overview_county_economy",),
    ),
    Figure(
        "county_gdp_national_share",
        "县（市）生产总值及占全国比重（2022 年版图1，合成演示数据）",
        county_gdp_national_share,
        ("overview_county_economy",),
    ),
    Figure(
        "gdp_per_capita",
        "县（市）人均 GDP 对比（2022 年版图2，合成演示数据）",
        gdp_per_capita,
        ("overview_county_economy_by_area", "overview_county_economy"),
    ),
    Figure(
        "industrial_structure_index",
        "各区域、省份县（市）产业结构指数（2022 年版图3，合成演示数据）",
        industrial_structure_index,
        ("overview_county_economy_by_area",),
    ),
    Figure(
        "county_fiscal",
        "县（市）一般公共预算收支（2022 年版图4，合成演示数据）",
        county_fiscal,
        ("overview_county_economy_by_area",),
    ),
    Figure(
        "county_household_savings",
        "县（市）住户存款余额（2022 年版图5，合成演示数据）",
        county_household_savings,
        ("overview_county_economy_by_area",),
    ),
    Figure(
        "county_loans",
        "县（市）金融机构贷款余额（2022 年版图6，合成演示数据）",
        county_loans,
        ("overview_county_economy_by_area",),
    ),
    Figure(
        "prefecture_treemap",
        "板块-省-市分布树状图（2024 年版图8，2022 年版图10）",
        prefecture_treemap,
        ("published_ranking_prefecture_counts",),
    ),
    threshold_figure("high_tech_500", 2024, "图14"),
    threshold_figure("industrial_fai_100", 2024, "图15"),
    threshold_figure("exports_500", 2024, "图16"),
    threshold_figure("rural_income_28486", 2024, "图17"),
    threshold_figure("retail_500", 2024, "图18"),
    threshold_figure("rd_expenditure_40", 2022, "图16"),
    threshold_figure("industrial_fai_100", 2022, "图17"),
    threshold_figure("exports_300", 2022, "图18"),
    threshold_figure("urban_income_50000", 2022, "图19"),
    threshold_figure("retail_500", 2022, "图20"),
    threshold_area_figure("va_industry_500", 2024, "图21", "industrial_district", "province"),
    leaders_figure("invention_patents", 2024, "图23", "industrial_district"),
    threshold_figure("va_industry_1000", 2022, "图24", "industrial_district"),
    threshold_area_figure("va_industry_500", 2022, "图25", "industrial_district", "city_cluster"),
    growth_two_years_figure(2022, "图28", "industrial_district"),
    profit_by_region_figure(2022, "图29", "industrial_district"),
    leaders_figure("patent_grants", 2022, "图30", "industrial_district"),
    leaders_figure("invention_patents_per_10k", 2022, "图31", "industrial_district"),
    threshold_area_figure("urbanisation_90", 2022, "图32", "industrial_district", "province"),
    comparison_figure(
        "per_capita_vs_nation",
        ("gdp_per_capita", "retail_sales_per_capita", "va_industry_per_capita"),
        2022,
        "图33",
        "industrial_district",
    ),
    above_nation_figure("retail_sales_share_of_gdp", 2022, "图34", "industrial_district"),
    threshold_figure("foreign_capital_5", 2022, "图35", "industrial_district"),
    list_figure("city_clusters", "industrial_county", 2024, "图10"),
    list_figure("coverage", "industrial_county", 2024, "图12"),
    list_figure("rank_bands", "industrial_county", 2024, "图13"),
    list_figure("provinces", "industrial_district", 2024, "图19"),
    list_figure("city_clusters", "industrial_county", 2022, "图12"),
    list_figure("provinces", "industrial_county", 2022, "图13"),
    list_figure("coverage", "industrial_county", 2022, "图14"),
    list_figure("rank_bands", "industrial_county", 2022, "图15"),
    list_figure("provinces", "industrial_district", 2022, "图21"),
    list_figure("rank_bands", "industrial_district", 2022, "图22"),
    list_figure("coverage", "industrial_district", 2022, "图23"),
    threshold_figure("listed_manufacturers_20", 2022, "图26", "industrial_district"),
    list_figure("growth", "industrial_county", 2024, "图6"),
    list_figure("shares", "industrial_district", 2024, "图22"),
    Figure(
        "smart_factories_provincial",
        "代表性省份县（市）智能工厂分布（2024 年版图25）",
        smart_factories_provincial,
        ("smart_factories",),
    ),
    list_figure("shares", "industrial_county", 2022, "图7"),
    list_figure("growth", "industrial_county", 2022, "图8"),
    list_figure("shares", "industrial_district", 2022, "图27"),
]


def reproduces(name: str) -> list[str]:
    """Which 图 of which edition a figure redraws, as the report site's outline says (written there once)."""
    from dagster_project.report_site import outline

    editions = outline.load()
    return [f"{e.edition} 年版 {item.number}" for e in editions for item in e.items if item.figure == name]


def inline_png(path: Path) -> str:
    """Markdown showing the PNG inside the Dagster UI's metadata."""
    return f"![{path.stem}](data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()})"
