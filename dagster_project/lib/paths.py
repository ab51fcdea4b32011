"""Paths: those from outside (a sensor's folder scan, the command line) stay inside the data directory;
which files of a year's folder are raw files; published folders are swapped in whole."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

RAW_SUFFIXES = (".csv", ".xlsx")
# Not data, though named .xlsx or .csv: the lock file Excel leaves beside a workbook it has open
# (~$name.xlsx), LibreOffice's (.~lock.name#), and the ._name files macOS writes beside each file it copies
# to a foreign disk; none opens as a table.
NOT_RAW_PREFIXES = ("~$", ".")


def raw_file(path: Path) -> bool:
    """A file of a year's folder that the ingest reads (and validate judges beside the one given)."""
    return path.suffix.lower() in RAW_SUFFIXES and not path.name.startswith(NOT_RAW_PREFIXES)


class OutsideDataDirectory(ValueError):
    pass


def confined(path: Path, root: Path) -> Path:
    """The path with symlinks and `..` resolved, if it lies inside root; an error naming both if not."""
    resolved, base = path.resolve(), root.resolve()
    if not resolved.is_relative_to(base):
        raise OutsideDataDirectory(f"{path}: outside the data directory {base}")
    return resolved


def swap_directory(staging: Path, target: Path) -> None:
    """Put staging where target is: the old folder is moved aside, then removed."""
    retired = target.with_name(f".{target.name}.{os.getpid()}.old")
    if target.exists():
        os.replace(target, retired)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)
