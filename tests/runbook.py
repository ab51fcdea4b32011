"""docs/runbook.md read as the tests execute it: a section's fenced blocks and its commands, as printed."""

import re

from dagster_project.resources import PROJECT_DIR


def section_text(section: str) -> str:
    text = (PROJECT_DIR / "docs" / "runbook.md").read_text(encoding="utf-8")
    return text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]


def blocks(kind: str, section: str) -> list[str]:
    """A section's ```kind blocks, as printed, without the indentation of the list item they sit in."""
    found = re.findall(rf"^( *)```{kind}\n(.*?)^ *```", section_text(section), flags=re.S | re.M)
    return ["".join(line[len(indent) :] for line in body.splitlines(keepends=True)) for indent, body in found]


def commands(section: str) -> list[str]:
    """The commands of a section, in order: each line of its ```sh blocks."""
    return [line.strip() for block in blocks("sh", section) for line in block.splitlines() if line.strip()]
