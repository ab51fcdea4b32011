"""The report site in headless Chromium, opened from disk as an analyst opens it (file://, no server): every
page loads with no console message of level SEVERE, every image loads, and screenshots of the first page and
of one chapter are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_project.publish import REPORT
from dagster_project.report_site import INDEX, load
from tests.ui_support import Browser, chromium, required_browser, wait_until

pytestmark = pytest.mark.independent  # a stated behaviour, checked in a real browser on the real site

IMAGES = "return Array.from(document.images, (i) => [i.getAttribute('src'), i.complete, i.naturalWidth]);"
SCREENSHOT_CHAPTER = "三、2024 年工业百强县（市）全景"  # a chapter with figures, tables and claims


@pytest.fixture(scope="module")
def browser() -> Browser:
    return required_browser("the report site's browser test")


@pytest.fixture
def driver(browser: Browser, tmp_path: Path):
    with chromium(browser, tmp_path, console=True) as started:
        yield started


def visit(driver, path: Path) -> tuple[list[str], list[str], int]:
    """Open a page from disk: its console errors, the images that did not load, how many images it has."""
    driver.get(path.as_uri())
    wait_until(
        lambda: driver.execute_script("return document.readyState") == "complete",
        timeout=60,
        what=f"{path.name} to load (images included)",
        report=lambda: "",
    )
    errors = [f"{path.name}: {e['message']}" for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    images = driver.execute_script(IMAGES)
    missing = [f"{path.name}: {src}" for src, complete, width in images if not (complete and width > 0)]
    return errors, missing, len(images)


def test_every_page_loads_from_disk_with_no_console_error_and_every_image_loads(
    pipeline_run, driver, tmp_path
):
    site = pipeline_run.published.parent / REPORT  # the link analysts open, not the snapshot behind it
    chapter = next(c.page for e in load() for c in e.chapters if c.title_zh == SCREENSHOT_CHAPTER)
    paths = sorted(site.glob("*.html"))
    assert site / INDEX in paths and site / chapter in paths
    errors, missing_images, screenshots = [], [], {}
    for path in paths:
        page_errors, page_missing, images = visit(driver, path)
        errors += page_errors
        missing_images += page_missing
        assert driver.title, f"{path.name} has no title"
        if path.name in (INDEX, chapter):
            shot = tmp_path / f"report_{path.stem}.png"
            assert driver.save_screenshot(str(shot)), shot
            screenshots[path.name] = (shot, images)
    assert errors == []
    assert missing_images == []
    assert screenshots[chapter][1] > 0, f"{chapter} shows no figure"
    for name, (shot, _) in screenshots.items():
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000, shot
        print(f"report site screenshot of {name}: {shot}")


def test_a_missing_image_is_a_console_error_and_an_image_not_loaded(driver, tmp_path):
    """The checks above, shown failing on a page written by hand."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><title>t</title><img src="figures/gone.png">', encoding="utf-8")
    errors, missing, images = visit(driver, page)
    assert images == 1 and missing == ["broken.html: figures/gone.png"]
    assert len(errors) == 1 and "gone.png" in errors[0] and "ERR_FILE_NOT_FOUND" in errors[0], errors
