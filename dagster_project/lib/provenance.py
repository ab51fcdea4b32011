"""Where a row came from: the file, its sha256, and when and by which run it was loaded."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative_path: str  # relative to the data directory: stable across checkouts
    sha256: str

    @classmethod
    def of(cls, path: Path, data_dir: Path) -> SourceFile:
        if not path.is_file():
            raise FileNotFoundError(f"{path}: input file is missing")
        return cls(path, path.relative_to(data_dir).as_posix(), sha256_of(path))

    def columns(self, run_id: str) -> dict[str, str]:
        """The provenance columns every ingested table carries."""
        return {
            "source_file": self.relative_path,
            "source_sha256": self.sha256,
            "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "run_id": run_id,
        }
