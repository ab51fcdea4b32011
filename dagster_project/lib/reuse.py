"""Files of a snapshot taken from the published one when what they are made from is unchanged.

A file's key is the sha256 of everything it is made from: the Parquet of the marts it reads (byte-identical
for the same rows) and the code and configuration that make it (its fingerprint). Each writer keeps its
files' keys in a JSON file beside them; a file whose key equals the published one's would be the same
bytes, so it is hard-linked into the snapshot being written instead of made again (figure_rendering.py,
exports.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from dagster_project.lib.provenance import sha256_of
from dagster_project.resources import PROJECT_DIR


def digest(value: object) -> str:
    """sha256 of a JSON-able value, its dict keys sorted."""
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def fingerprint(patterns: Iterable[str]) -> dict[str, str]:
    """sha256 of each project file matching the glob patterns, by its path in the project."""
    files = sorted({path for pattern in patterns for path in PROJECT_DIR.glob(pattern)})
    return {path.relative_to(PROJECT_DIR).as_posix(): sha256_of(path) for path in files}


def mart_digests(parquet: Path, marts: Iterable[str]) -> dict[str, str]:
    """sha256 of each mart's Parquet in the snapshot being written, each read once."""
    return {mart: sha256_of(parquet / f"{mart}.parquet") for mart in sorted(set(marts))}


def previous_keys(previous: Path | None, keys_file: str) -> dict:
    """The keys the published files were made with ({} if there are none)."""
    path = previous / keys_file if previous is not None else None
    if path is None or not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def link_previous(names: Iterable[str], previous: Path, folder: Path) -> bool:
    """Link the named files of previous into folder; False, linking none, if any of them is gone."""
    paths = [previous / name for name in names]
    if not all(path.is_file() for path in paths):
        return False
    for path in paths:
        try:
            os.link(path, folder / path.name)
        except OSError:  # another file system: a copy holds the same bytes
            shutil.copy2(path, folder / path.name)
    return True
