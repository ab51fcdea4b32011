"""The report site (dagster_project/report_site/): what its pages say, that every link resolves from disk,
and that it is always of one snapshot, rolled back with it. In Chromium: test_report_site_browser.py."""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import duckdb
import pytest
import yaml
from dagster import AssetKey

from dagster_project.figures import FIGURES
from dagster_project.lib import writer_lock
from dagster_project.publish import MANIFEST, REPORT, complete_snapshots, current_snapshot, publish, rollback
from dagster_project.report_site import INDEX, load, marts_read, render_site
from dagster_project.report_site.outline import OUTLINE_FILE
from dagster_project.resources import DBT_PROJECT_DIR, DOCS_FOLDER, PUBLISHED_FILE, WAREHOUSE_FILE
from tests.conftest import deploy


class Page(HTMLParser):
    """The links, the ids and the text of one page."""

    def __init__(self, path: Path):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.claims: dict[str, list[str]] = {}
        self._row: list[str] | None = None
        self.text: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.links += [found[a] for a in ("href", "src") if found.get(a)]
        if found.get("id"):
            self.ids.add(found["id"])
        if tag == "tr" and found.get("data-claim"):
            self._row = self.claims.setdefault(found["data-claim"], [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._row is not None and data.strip():
            self._row.append(data.strip())


def site_of(published: Path) -> Path:
    return published.parent / REPORT


def pages(site: Path) -> dict[str, Page]:
    return {path.name: Page(path) for path in sorted(site.glob("*.html"))}


def section(site: Path, page: str, number: str) -> str:
    """The text of one 图 or 表 on a chapter page."""
    html = (site / page).read_text(encoding="utf-8")
    found = re.search(rf'<section id="{number}">(.*?)</section>', html, re.S)
    assert found, f"{number} not on {page}"
    return found.group(1)


def chapter_page(edition: int, number: str) -> str:
    return next(
        c.page
        for e in load()
        if e.edition == edition
        for c in e.chapters
        for i in c.items
        if i.number == number
    )


@pytest.mark.independent  # the report's printed tables (表1, 表3 of both editions), copied here by hand
@pytest.mark.parametrize(
    ("edition", "number", "rows"),
    [
        (2024, "表1", ["1 昆山市 苏州市 江苏省", "2 江阴市 无锡市 江苏省", "3 晋江市 泉州市 福建省"]),
        (2024, "表3", ["1 龙岗区 深圳市 广东省", "2 顺德区 佛山市 广东省", "3 黄埔区 广州市 广东省"]),
        (2022, "表1", ["3 张家港市 苏州市 江苏省", "4 晋江市 泉州市 福建省", "6 慈溪市 宁波市 浙江省"]),
    ],
)
def test_the_ranking_tables_read_as_the_report_prints_them(pipeline_run, edition, number, rows):
    text = section(site_of(pipeline_run.published), chapter_page(edition, number), number)
    cells = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", text)
    printed = [" ".join(row) for row in cells]
    assert [row for row in rows if row not in printed] == []
    assert f"数据年份 Data year: {edition - 1}" in text, "data year Y feeds edition Y + 1 (README)"
    assert "合成演示数据" not in text, "the published lists are real"


@pytest.mark.independent  # README, "where the reports contradict themselves": both values, by hand
@pytest.mark.parametrize(
    ("edition", "number", "claim", "report_says", "table_gives", "status"),
    [
        (
            2024,
            "图20",
            "2024/industrial_district/rank_band_count/辽宁省:21-40",
            "1",
            "2",
            "矛盾 / contradicted",
        ),
        (
            2024,
            "图20",
            "2024/industrial_district/rank_band_count/福建省:41-60",
            "2",
            "3",
            "矛盾 / contradicted",
        ),
        (
            2022,
            "图22",
            "2022/industrial_district/province_leader_rank/四川省:翠屏区",
            "34",
            "33",
            "矛盾 / contradicted",
        ),
        (2024, "图9", "2024/industrial_county/tier_bounds/1", "1-8", "1-8", "构造所致 / by construction"),
        (2024, "图5", "2024/industrial_county/list_share/gdp", "10.2", "—", "无法计算 / not computable"),
        (
            2024,
            "图24",
            "2024/edition/share_of_stated/national_demonstration:region:东部",
            "41.1",
            "39.13",
            "矛盾 / contradicted",
        ),
        (
            2024,
            "图24",
            "2024/edition/share_of_stated/national_demonstration:county_total:占比三成",
            "近 30",
            "27.32",
            "与报告其他数字相符 / consistent with the report's other figures",
        ),
    ],
)
def test_a_figure_shows_its_claims_with_both_values_and_status(
    pipeline_run, edition, number, claim, report_says, table_gives, status
):
    site = site_of(pipeline_run.published)
    page = Page(site / chapter_page(edition, number))
    assert claim in page.claims, f"{claim} not on {chapter_page(edition, number)}"
    row = page.claims[claim]
    assert row[-3:] == [report_says, table_gives, status], row
    assert f'data-claim="{claim}"' in section(site, chapter_page(edition, number), number)


@pytest.mark.independent  # README: the raw statistics are the synthetic demo panel; the lists are real
def test_what_the_demo_panel_feeds_says_so_and_nothing_else_does(pipeline_run):
    site = site_of(pipeline_run.published)
    for edition, number, synthetic in [
        (2024, "图5", True),
        (2024, "图14", True),
        (2022, "图7", True),
        (2024, "图11", False),
        (2024, "图24", True),  # beside the published counts, those computed from the demo panel
        (2022, "表4", False),
    ]:
        text = section(site, chapter_page(edition, number), number)
        assert ("合成演示数据" in text) == synthetic, (edition, number)
    assert "合成演示数据" in (site / INDEX).read_text(encoding="utf-8")


@pytest.mark.consistency  # the site against the claims ledger it is built from
def test_every_claim_of_the_ledger_is_on_a_page_with_its_status(pipeline_run, published):
    shown: dict[str, list[str]] = {}
    for page in pages(site_of(pipeline_run.published)).values():
        shown |= page.claims
    ledger = published.execute("select claim_id, status from marts.claims").fetchall()
    labels = {
        "confirmed": "一致",
        "contradicted": "矛盾",
        "not_computable": "无法计算",
        "by_construction": "构造所致",
        "checked_against_statements": "与报告其他数字相符",
    }
    assert [claim for claim, _ in ledger if claim not in shown] == []
    assert [claim for claim, status in ledger if not shown[claim][-1].startswith(labels[status])] == []
    assert "未归入章节" not in (site_of(pipeline_run.published) / INDEX).read_text(encoding="utf-8"), (
        "every claim sits in a chapter of the outline"
    )


def unresolved(site: Path) -> tuple[list[str], list[str]]:
    """The links and images of the site's pages that do not resolve to a file (or an anchor of a page) as a
    browser resolves them from disk, and those that would reach the network."""
    read = pages(site)
    broken, remote = [], []
    for name, page in read.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                remote.append(f"{name}: {link}")
                continue
            # lexically, from the path the page was opened by (data/published/report/, a link not followed)
            joined = (
                posixpath.normpath(posixpath.join(str(site), unquote(parts.path))) if parts.path else None
            )
            target = Path(joined) if joined else site / name
            if not target.is_file():
                broken.append(f"{name}: {link}")
            elif (
                parts.fragment
                and target.parent == site
                and unquote(parts.fragment) not in read[target.name].ids
            ):
                broken.append(f"{name}: {link} (no such anchor)")
    return broken, remote


@pytest.mark.independent  # a stated behaviour: opens from disk, no network
def test_every_link_and_image_resolves_on_disk_and_none_reaches_the_network(pipeline_run):
    site = site_of(pipeline_run.published)
    assert INDEX in pages(site) and len(pages(site)) > 1
    assert unresolved(site) == ([], [])
    html = "".join(p.read_text(encoding="utf-8") for p in site.glob("*.html"))
    for needed in (
        "../parquet/published_rankings.parquet",
        "../docs/static_index.html#!/model/",
        "figures/tiers.png",
    ):
        assert needed in html


@pytest.mark.independent  # the check above, shown failing on a page written by hand
def test_a_broken_link_a_missing_image_a_missing_anchor_and_a_cdn_are_found(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "drawn.png").write_bytes(b"png")
    (tmp_path / INDEX).write_text(
        '<a href="2024-1-3.html#图5">ok</a> <img src="figures/drawn.png"> <img src="figures/gone.png">'
        '<a href="2024-1-3.html#图99">no anchor</a> <a href="../parquet/none.parquet">gone</a>'
        '<link rel="stylesheet" href="https://cdn.example.org/site.css">',
        encoding="utf-8",
    )
    (tmp_path / "2024-1-3.html").write_text('<section id="图5"></section>', encoding="utf-8")
    assert unresolved(tmp_path) == (
        [
            "index.html: figures/gone.png",
            "index.html: 2024-1-3.html#图99 (no such anchor)",
            "index.html: ../parquet/none.parquet",
        ],
        ["index.html: https://cdn.example.org/site.css"],
    )


@pytest.mark.consistency  # the outline against the marts dbt builds and the figures drawn
def test_the_outline_names_marts_dbt_builds_and_figures_that_are_drawn():
    marts = {path.stem for path in (DBT_PROJECT_DIR / "models" / "marts").rglob("*.sql")}
    assert [mart for mart in marts_read() if mart not in marts] == []
    drawn = {figure.name for figure in FIGURES}
    outlined = [item.figure for edition in load() for item in edition.items if item.figure]
    assert [name for name in outlined if name not in drawn] == []
    for edition in load():
        numbers = [item.number for item in edition.items]
        assert len(numbers) == len(set(numbers)), f"{edition.edition}: an item twice"


@pytest.mark.consistency  # the site against the snapshot it belongs to
def test_the_published_site_is_what_its_snapshot_renders_byte_for_byte(pipeline_run, tmp_path):
    snapshot = current_snapshot(pipeline_run.published)
    again = render_site(snapshot.path / pipeline_run.published.name, snapshot.path, tmp_path / REPORT)
    site = site_of(pipeline_run.published)
    assert sorted(p.name for p in again) == sorted(p.name for p in site.glob("*.html"))
    assert [p.name for p in again if p.read_bytes() != (site / p.name).read_bytes()] == []
    shown = sorted(p.name for p in (site / "figures").iterdir())
    assert shown == sorted(p.name for p in (snapshot.path / "figures").iterdir())
    for name in shown:  # the pictures are the snapshot's own files, not copies of another's
        assert (site / "figures" / name).stat().st_ino == (snapshot.path / "figures" / name).stat().st_ino
    events = {e.asset_key: e.materialization for e in pipeline_run.result.get_asset_materialization_events()}
    materialized = events[AssetKey(["published", "report_site"])]
    assert materialized.metadata["path"].value == str(site / INDEX)
    assert sorted(materialized.metadata["pages"].value) == sorted(p.name for p in again)


@pytest.mark.independent  # a stated behaviour: a refusal naming what is wrong
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mart": "no_such_mart"}, "2024 表1: no mart marts.no_such_mart"),
        (
            {"columns": ["rank", "no_such_column"]},
            "2024 表1: marts.published_rankings has no column no_such_column",
        ),
        (
            {"where": {"listed": "industrial_county"}},
            "2024 表1: marts.published_rankings has no column listed",
        ),
    ],
)
def test_an_outline_naming_what_the_file_lacks_is_refused(pipeline_run, tmp_path, change, message):
    outline = yaml.safe_load(OUTLINE_FILE.read_text(encoding="utf-8"))
    outline["editions"][0]["parts"][0]["chapters"][1]["items"][0]["tables"][0].update(change)
    path = tmp_path / "outline.yml"
    path.write_text(yaml.safe_dump(outline, allow_unicode=True), encoding="utf-8")
    snapshot = current_snapshot(pipeline_run.published).path
    with pytest.raises(ValueError, match=re.escape(message)):
        render_site(snapshot / pipeline_run.published.name, snapshot, tmp_path / REPORT, path)


@pytest.fixture(scope="module")
def two_publications(pipeline_run, tmp_path_factory) -> Path:
    """A deployment of the session run, published once more with 2024's first industrial county renamed
    测试市 in the warehouse and its dbt docs regenerated (marked DOCS_MARK), so that its two snapshots'
    reports and docs differ."""
    data_dir = deploy(pipeline_run, tmp_path_factory.mktemp("republished"))
    warehouse = data_dir / WAREHOUSE_FILE
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.published_rankings set name = '测试市' "
            "where edition_year = 2024 and list = 'industrial_county' and rank = 1"
        )
    page = warehouse.parent / DOCS_FOLDER / DOCS_PAGE
    regenerated = page.with_name("regenerated.html")  # a new file swapped in, as the docs asset does
    regenerated.write_bytes(page.read_bytes() + DOCS_MARK)
    os.replace(regenerated, page)
    with writer_lock.hold(data_dir, "test-report-site"):
        publish(warehouse, data_dir / PUBLISHED_FILE, "99990101T000000Z_second", "second")
    return data_dir


DOCS_PAGE, DOCS_MARK = "static_index.html", b"<!-- regenerated -->"


def first_county_2024(published: Path) -> str:
    text = section(site_of(published), chapter_page(2024, "表1"), "表1")
    return re.search(r"<tr><td>1</td><td>(.*?)</td>", text).group(1)


@pytest.mark.independent  # a stated behaviour: rollback restores everything published together
def test_a_rolled_back_snapshot_shows_its_own_report(two_publications):
    published = two_publications / PUBLISHED_FILE
    first, second = complete_snapshots(published)
    with writer_lock.hold(two_publications, "test-report-site"):
        rollback(published, to=second.name)
        assert first_county_2024(published) == "测试市"
        rollback(published)
    assert current_snapshot(published) == first
    assert first_county_2024(published) == "昆山市"
    site = site_of(published)
    assert site.resolve() == (first.path / REPORT).resolve()
    tiers = site / "figures" / "tiers.png"
    assert tiers.stat().st_ino == (first.path / "figures" / "tiers.png").stat().st_ino


@pytest.mark.independent  # a stated behaviour: rollback restores everything published together
def test_a_rolled_back_snapshot_shows_its_own_dbt_docs(two_publications):
    """The docs describe the marts of their own snapshot: published with it, rolled back with it (they were
    one folder beside the snapshots, which a rollback left describing the newer schema)."""
    published = two_publications / PUBLISHED_FILE
    first, second = complete_snapshots(published)
    docs = published.parent / DOCS_FOLDER
    with writer_lock.hold(two_publications, "test-report-site"):
        rollback(published, to=second.name)
        assert docs.resolve() == (second.path / DOCS_FOLDER).resolve()
        assert (docs / DOCS_PAGE).read_bytes().endswith(DOCS_MARK)
        rollback(published)
    assert docs.resolve() == (first.path / DOCS_FOLDER).resolve()
    assert not (docs / DOCS_PAGE).read_bytes().endswith(DOCS_MARK)
    assert f"{DOCS_FOLDER}/{DOCS_PAGE}" in json.loads((first.path / MANIFEST).read_text())["files"]


@pytest.mark.consistency  # two snapshots of one warehouse: the same files made their marts
def test_snapshots_of_the_same_inputs_show_the_same_inputs(two_publications):
    first, second = complete_snapshots(two_publications / PUBLISHED_FILE)
    assert first.inputs and first.inputs == second.inputs
    assert f"; inputs {first.inputs[:12]}; " in first.describe()


@pytest.mark.independent  # a stated behaviour: a changed file makes its snapshot damaged, named
def test_a_changed_report_page_marks_its_snapshot_damaged(two_publications):
    published = two_publications / PUBLISHED_FILE
    snapshot = complete_snapshots(published)[-1]
    page = snapshot.path / REPORT / INDEX
    original = page.read_bytes()
    assert snapshot.damage(published.name) is None
    page.write_bytes(original.replace("目录".encode(), "目錄".encode()))
    try:
        assert snapshot.damage(published.name) == (
            f"{page} no longer has the sha256 its manifest records (changed or gone)"
        )
    finally:
        page.write_bytes(original)


@pytest.mark.independent  # a stated behaviour: a figure of the latest edition is not shown under another
def test_a_figure_of_the_latest_edition_is_not_shown_under_an_older_one(pipeline_run, tmp_path):
    outline = yaml.safe_load(OUTLINE_FILE.read_text(encoding="utf-8"))
    [older] = [e for e in outline["editions"] if e["edition"] == 2022]
    [item] = [
        i for p in older["parts"] for c in p["chapters"] for i in c.get("items", ()) if i["number"] == "图13"
    ]
    item |= {"figure": "provinces_latest", "figure_shows": "latest"}
    path = tmp_path / "outline.yml"
    path.write_text(yaml.safe_dump(outline, allow_unicode=True), encoding="utf-8")
    snapshot = current_snapshot(pipeline_run.published).path
    render_site(snapshot / pipeline_run.published.name, snapshot, tmp_path / REPORT, path)
    text = section(tmp_path / REPORT, chapter_page(2022, "图13"), "图13")
    assert "<img" not in text and "此图仅绘制最新一版 (2024)" in text
    assert "<img" in section(tmp_path / REPORT, chapter_page(2024, "图11"), "图11")


@pytest.mark.independent  # a stated behaviour: never one snapshot's report beside another's numbers
def test_a_snapshot_from_before_the_report_site_publishes_no_report(two_publications):
    """A snapshot written before the site existed (no report/, none in its manifest) can be rolled back to;
    data/published/report then is absent, never the report of another snapshot."""
    published = two_publications / PUBLISHED_FILE
    first, second = complete_snapshots(published)
    old = first.path.with_name("19990101T000000Z_old")
    shutil.copytree(first.path, old, ignore=shutil.ignore_patterns(REPORT))
    manifest = json.loads((old / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"] = {
        name: digest for name, digest in manifest["files"].items() if not name.startswith(REPORT)
    }
    (old / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    try:
        with writer_lock.hold(two_publications, "test-report-site"):
            restored = rollback(published, to=old.name)
            assert restored.path == old and current_snapshot(published).path == old
            assert not site_of(published).exists() and not site_of(published).is_symlink()
            rollback(published, to=second.name)
        assert first_county_2024(published) == "测试市"
    finally:
        shutil.rmtree(old)
