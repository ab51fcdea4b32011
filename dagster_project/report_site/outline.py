"""The declarative table of the report site (outline.yml), read into plain objects.

Which mart and which figure stand behind each 图 and 表 of each edition is written there once; the
renderer and the tests read it through this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

OUTLINE_FILE = Path(__file__).with_name("outline.yml")
NUMBER = re.compile(r"[图表]\d+")  # 图11, 表3: how items are numbered and how claims cite them


@dataclass(frozen=True)
class Table:
    mart: str
    columns: tuple[str, ...]
    order_by: tuple[str, ...]
    where: dict[str, str | list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    number: str
    title_zh: str
    title_en: str
    tables: tuple[Table, ...]
    figure: str | None = None
    figure_shows_latest: bool = False  # the figure draws the latest edition only


@dataclass(frozen=True)
class Chapter:
    title_zh: str
    title_en: str
    items: tuple[Item, ...]
    claims_cited_from: tuple[str, ...]
    page: str  # the chapter's file in the site


@dataclass(frozen=True)
class Part:
    title_zh: str
    title_en: str
    chapters: tuple[Chapter, ...]


@dataclass(frozen=True)
class Edition:
    edition: int
    title_zh: str
    title_en: str
    source: str
    parts: tuple[Part, ...]

    @property
    def chapters(self) -> list[Chapter]:
        return [chapter for part in self.parts for chapter in part.chapters]

    @property
    def items(self) -> list[Item]:
        return [item for chapter in self.chapters for item in chapter.items]


def _item(raw: dict) -> Item:
    number = raw["number"]
    if not NUMBER.fullmatch(number):
        raise ValueError(f"{OUTLINE_FILE}: item number {number!r} is not 图N or 表N")
    return Item(
        number=number,
        title_zh=raw["title_zh"],
        title_en=raw["title_en"],
        tables=tuple(
            Table(
                mart=table["mart"],
                columns=tuple(table["columns"]),
                order_by=tuple(table["order_by"]),
                where=dict(table.get("where", {})),
            )
            for table in raw["tables"]
        ),
        figure=raw.get("figure"),
        figure_shows_latest=raw.get("figure_shows") == "latest",
    )


def load(path: Path = OUTLINE_FILE) -> tuple[Edition, ...]:
    """The editions in the site's order (as written: newest first), each chapter with its page name. Read
    once per process: every figure asset asks which 图 it redraws when the definitions load."""
    return _read(path.resolve())


@cache
def _read(path: Path) -> tuple[Edition, ...]:
    editions = []
    for raw in yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["editions"]:
        edition = raw["edition"]
        parts = tuple(
            Part(
                title_zh=part["title_zh"],
                title_en=part["title_en"],
                chapters=tuple(
                    Chapter(
                        title_zh=chapter["title_zh"],
                        title_en=chapter["title_en"],
                        items=tuple(_item(item) for item in chapter.get("items", ())),
                        claims_cited_from=tuple(chapter.get("claims_cited_from", ())),
                        page=f"{edition}-{p}-{c}.html",
                    )
                    for c, chapter in enumerate(part["chapters"], start=1)
                ),
            )
            for p, part in enumerate(raw["parts"], start=1)
        )
        editions.append(Edition(edition, raw["title_zh"], raw["title_en"], raw["source"], parts))
    return tuple(editions)
