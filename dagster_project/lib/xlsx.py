"""Reproducible XLSX: a workbook records when it was saved, in its zip entries' times and in
docProps/core.xml. Pinned to FIXED_TIME, the same content gives the same bytes (the exports, and the demo
panel's generator, whose files are checked byte for byte)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

FIXED_TIME = datetime(2026, 1, 1)  # never the clock
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*")


def pin_times(data: bytes) -> bytes:
    """The XLSX data with every zip entry dated FIXED_TIME and its modification time set to FIXED_TIME
    (set the workbook's created property to FIXED_TIME before saving: openpyxl keeps that one)."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    pinned = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(pinned, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp, content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            target.writestr(entry, content, compress_type=zipfile.ZIP_DEFLATED)
    return pinned.getvalue()


def pin_file_times(path: Path) -> None:
    """pin_times on a file, in place."""
    path.write_bytes(pin_times(path.read_bytes()))
