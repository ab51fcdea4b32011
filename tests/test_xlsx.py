"""The one XLSX time-pinning (dagster_project/lib/xlsx.py) of the exports and the demo panel's generator:
a workbook saved at any time gives the same bytes."""

import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from dagster_project.lib.xlsx import FIXED_TIME, pin_times

pytestmark = pytest.mark.independent  # the bytes of two saves at stated times, compared


def saved_at(when: datetime) -> bytes:
    workbook = Workbook()
    workbook.active.append(["排名", "县（市）"])
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = when  # what a save stamps: the clock
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("marker", date_time=when.timetuple()[:6]), b"")
        ExcelWriter(workbook, archive).write_data()
    return data.getvalue()


def test_a_workbook_saved_at_two_times_pins_to_the_same_bytes():
    first, second = saved_at(datetime(2030, 5, 6, 7, 8, 9)), saved_at(datetime(2031, 1, 2, 3, 4, 5))
    assert first != second
    assert pin_times(first) == pin_times(second)
    with zipfile.ZipFile(io.BytesIO(pin_times(first))) as pinned:
        assert {info.date_time for info in pinned.infolist()} == {FIXED_TIME.timetuple()[:6]}
        assert b"2026-01-01T00:00:00Z</dcterms:modified>" in pinned.read("docProps/core.xml")
    assert pin_times(pin_times(first)) == pin_times(first), "pinning twice changes nothing"
