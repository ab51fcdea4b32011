"""Paths: those from outside (a sensor's folder scan, the command line) stay inside the data directory;
published folders are swapped in whole."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


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
