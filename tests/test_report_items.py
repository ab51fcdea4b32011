"""Every 图 and 表 of both editions (data/reference/report_items.csv) and the README's table of what the
platform reproduces of them (dagster_project/report_site/inventory.py): it is what outline.yml and the
inventory give, and the claims' totals beside it are the session run's marts.claims."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
import yaml

from dagster_project.report_site import inventory, outline
from dagster_project.report_site.inventory import CLAIMS_BLOCK, ITEMS_BLOCK, WRITE_COMMAND

# What each edition prints, counted by reading it (its 图目录 and 表目录 in 2024; its captions in 2022).
PRINTED = {2022: {"图": 37, "表": 5}, 2024: {"图": 25, "表": 3}}


def readme_block(name: str) -> str:
    return inventory.block(inventory.README_FILE.read_text(encoding="utf-8"), name)


def inventory_rows() -> list[dict[str, str]]:
    with inventory.INVENTORY_FILE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_inventory(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, inventory.COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def outline_with(path: Path, edition: int, item: dict) -> tuple[outline.Edition, ...]:
    """The outline with one more item in the first chapter of `edition`."""
    raw = yaml.safe_load(outline.OUTLINE_FILE.read_text(encoding="utf-8"))
    [chosen] = [e for e in raw["editions"] if e["edition"] == edition]
    chosen["parts"][0]["chapters"][0].setdefault("items", []).append(item)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return outline.load(path)


def outline_without(path: Path, edition: int, number: str) -> tuple[outline.Edition, ...]:
    """The outline with `edition`'s item `number` left out."""
    raw = yaml.safe_load(outline.OUTLINE_FILE.read_text(encoding="utf-8"))
    [chosen] = [e for e in raw["editions"] if e["edition"] == edition]
    for part in chosen["parts"]:
        for chapter in part["chapters"]:
            chapter["items"] = [i for i in chapter.get("items", []) if i["number"] != number]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return outline.load(path)


def item(number: str, figure: str | None = None) -> dict:
    return {
        "number": number,
        "title_zh": "测试",
        "title_en": "test",
        "tables": [{"mart": "published_rankings", "columns": ["rank"], "order_by": ["rank"]}],
        **({"figure": figure} if figure else {}),
    }


@pytest.mark.independent
def test_the_inventory_holds_every_figure_and_table_each_edition_prints():
    counted: dict[int, dict[str, int]] = {}
    for printed in inventory.read_inventory():
        kinds = counted.setdefault(printed.edition_year, {"图": 0, "表": 0})
        kinds[printed.number[0]] += 1
    assert counted == PRINTED


@pytest.mark.independent
@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (
            lambda rows: [r for r in rows if (r["edition_year"], r["number"]) != ("2024", "图8")],
            "图8 is missing",
        ),
        (lambda rows: [*rows, rows[0]], "2024 图1 is listed twice"),
        (lambda rows: [{**rows[0], "number": "图 1"}, *rows[1:]], "line 2: number '图 1' is not 图N or 表N"),
    ],
    ids=["a gap", "a duplicate", "a number not as numbered"],
)
def test_an_inventory_with_an_item_lost_or_twice_is_refused(tmp_path, change, refusal):
    path = write_inventory(tmp_path / "report_items.csv", change(inventory_rows()))
    with pytest.raises(ValueError, match=refusal):
        inventory.read_inventory(path)


@pytest.mark.independent
def test_every_outline_item_is_one_its_edition_prints_and_none_reproduced_lacks_a_data_basis():
    assert inventory.problems(inventory.read_inventory(), outline.load()) == []


@pytest.mark.independent
def test_an_outline_item_its_edition_does_not_print_is_named(tmp_path):
    editions = outline_with(tmp_path / "outline.yml", 2024, item("图26"))
    assert inventory.problems(inventory.read_inventory(), editions) == [
        "outline.yml: 2024 图26 is not in the inventory"
    ]
    with pytest.raises(ValueError, match="2024 图26 is not in the inventory"):
        inventory.render_items(inventory.read_inventory(), editions)


@pytest.mark.independent
def test_a_figure_the_outline_draws_is_never_marked_without_data_basis(tmp_path):
    """2022 图36 (a timeline) is the inventory's item with no data basis; an outline drawing it is refused."""
    editions = outline_with(tmp_path / "outline.yml", 2022, item("图36", figure="tiers"))
    [problem] = inventory.problems(inventory.read_inventory(), editions)
    assert problem.startswith("2022 图36: reproduced by the outline, but marked no_data_basis")


@pytest.mark.independent
def test_each_status_and_figure_asset_is_what_the_outline_says(tmp_path):
    """Picked by hand: 2024 图11 drawn (latest edition), 表1 a table, 2022 图23 drawn for its edition, 图36
    none; 2022 图23 left out of the outline is not yet reproduced."""
    rows = {
        (r.item.edition_year, r.item.number): r
        for r in inventory.rows(inventory.read_inventory(), outline.load())
    }
    assert rows[2024, "图11"].figure_asset == "published/figures/provinces_latest"
    assert rows[2024, "图11"].figure_shows_latest
    assert (rows[2024, "表1"].marts, rows[2024, "表1"].figure_asset) == (("published_rankings",), None)
    assert rows[2022, "图23"].figure_asset == "published/figures/coverage_industrial_district_2022"
    assert not rows[2022, "图23"].figure_shows_latest
    assert {n: rows[n].status for n in [(2024, "图11"), (2024, "表1"), (2022, "图23"), (2022, "图36")]} == {
        (2024, "图11"): "reproduced",
        (2024, "表1"): "reproduced",
        (2022, "图23"): "reproduced",
        (2022, "图36"): "no data basis",
    }
    without = inventory.rows(
        inventory.read_inventory(), outline_without(tmp_path / "outline.yml", 2022, "图23")
    )
    assert [
        (r.status, r.marts) for r in without if (r.item.edition_year, r.item.number) == (2022, "图23")
    ] == [("not yet", ())]


@pytest.mark.consistency
def test_the_readme_table_is_what_the_outline_and_the_inventory_give():
    expected = inventory.render_items(inventory.read_inventory(), outline.load()) + "\n"
    assert readme_block(ITEMS_BLOCK) == expected, f"README's table of 图 and 表 is stale: run {WRITE_COMMAND}"


@pytest.mark.consistency
def test_an_item_left_out_of_the_outline_makes_the_readme_table_stale(tmp_path):
    """2022 图23 left out of the outline: the rendered table differs from README's at its row."""
    editions = outline_without(tmp_path / "outline.yml", 2022, "图23")
    rendered = inventory.render_items(inventory.read_inventory(), editions) + "\n"
    readme = readme_block(ITEMS_BLOCK)
    assert rendered != readme
    [changed] = (
        set(rendered.splitlines())
        - set(readme.splitlines())
        - {line for line in rendered.splitlines() if line.startswith("- 2022")}
    )
    assert changed.startswith("| 2022 | 图23 |") and changed.endswith("| not yet |")


@pytest.mark.consistency
def test_write_readme_rewrites_the_table_and_keeps_the_rest(tmp_path, monkeypatch):
    readme = tmp_path / "README.md"
    text = inventory.README_FILE.read_text(encoding="utf-8")
    readme.write_text(inventory.with_block(text, ITEMS_BLOCK, "stale\n"), encoding="utf-8")
    monkeypatch.setattr(inventory, "README_FILE", readme)
    assert inventory.main(["--write-readme", "--published", str(tmp_path / "absent.duckdb")]) == 0
    assert readme.read_text(encoding="utf-8") == text


@pytest.mark.independent
def test_the_claims_totals_are_counted_by_status_and_edition():
    """A hand-made ledger: 2 confirmed and 1 contradicted in 2022, 1 not computable in 2021."""
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        "create table marts.claims as from (values ('confirmed', 2022), ('confirmed', 2022), "
        "('contradicted', 2022), ('not_computable', 2021)) t(status, edition_year)"
    )
    assert inventory.render_claims(con).splitlines() == [
        "| status | 2021 | 2022 | all |",
        "| --- | ---: | ---: | ---: |",
        "| confirmed | 0 | 2 | 2 |",
        "| checked_against_statements | 0 | 0 | 0 |",
        "| by_construction | 0 | 0 | 0 |",
        "| contradicted | 0 | 1 | 1 |",
        "| not_computable | 1 | 0 | 1 |",
        "| all | 1 | 3 | 4 |",
    ]


@pytest.mark.consistency
def test_the_readme_claims_totals_are_the_session_runs(published):
    assert readme_block(CLAIMS_BLOCK) == inventory.render_claims(published) + "\n", (
        f"README's claims totals are not the run's: run `county-industry run`, then {WRITE_COMMAND}"
    )
