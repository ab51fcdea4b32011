"""README's counts of the tests by kind of proof (issue 17) are the suite's, and the suite refuses a test
without exactly one kind.

The suite is collected as anyone can repeat it, in a subprocess: `pytest --collect-only -q -m independent`,
with tests/kinds_listing.py printing every test's kinds as `-m` matches them (the names of its marks) before
`-m` deselects. One collection instead of one per kind: each took 10 s of a core. tests/conftest.py fails a
collection in which a test has no kind, or two at the same level, and leaves each test its own kind only, so
the three kinds must part the suite.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_project.resources import PROJECT_DIR
from tests.conftest import KINDS
from tests.kinds_listing import PREFIX

pytestmark = pytest.mark.consistency  # README's numbers against the suite as collected

# README, "What the tests prove": "The suite's <n> tests:" and a table row per kind, "| `<kind>` | <n> |"
TOTAL = re.compile(r"The suite's (\d+) tests")
ROW = re.compile(r"^\| `(\w+)` \| (\d+) \|", flags=re.M)


def pytest_command(*arguments: object) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "--collect-only",
        "-q",
        "-p",
        "no:cacheprovider",
        *map(str, arguments),
    ]


def environment() -> dict[str, str]:
    """This process's, without what would change a collection (options, the test being run)."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST")}


SELECTED = "independent"  # the kind pytest's own -m selects in that collection


@pytest.fixture(scope="module")
def collected() -> dict[str | None, list[str]]:
    """The test ids collected, whole (None) and of each kind as its marks say; and those `-m` selected."""
    done = subprocess.run(
        pytest_command("-p", "tests.kinds_listing", "-m", SELECTED),
        cwd=PROJECT_DIR,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"pytest -m {SELECTED}: exit {done.returncode}\n{done.stdout[-5000:]}"
    listed = [line.removeprefix(PREFIX) for line in done.stdout.splitlines() if line.startswith(PREFIX)]
    kinds = dict(line.rsplit(": ", 1) for line in listed)
    ids: dict[str | None, list[str]] = {None: list(kinds)}
    ids.update({kind: [test for test, marked in kinds.items() if kind in marked.split()] for kind in KINDS})
    ids["-m"] = [line for line in done.stdout.splitlines() if "::" in line and not line.startswith(PREFIX)]
    return ids


def readme_counts() -> tuple[int, dict[str, int]]:
    text = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    [total] = TOTAL.findall(text)
    rows = {kind: int(count) for kind, count in ROW.findall(text) if kind in KINDS}
    assert sorted(rows) == sorted(KINDS), f"README's table of kinds has rows for {sorted(rows)}"
    return int(total), rows


def test_the_readme_counts_the_tests_of_each_kind(collected: dict[str | None, list[str]]) -> None:
    total, by_kind = readme_counts()
    assert {kind: len(collected[kind]) for kind in KINDS} == by_kind, "README, 'What the tests prove'"
    assert len(collected[None]) == total, "README, 'What the tests prove': the suite's number of tests"


def test_the_kinds_part_the_suite(collected: dict[str | None, list[str]]) -> None:
    """Each test is selected by exactly one `-m <kind>`: none by two (a test's module kind would also select
    a test marked otherwise), none by no kind."""
    selected = [test for kind in KINDS for test in collected[kind]]
    assert sorted(selected) == sorted(collected[None])


def test_the_listing_is_what_pytest_selects(collected: dict[str | None, list[str]]) -> None:
    """The kinds listed are those `-m` matches: pytest's own selection of one kind is the listing's."""
    assert collected["-m"] and sorted(collected["-m"]) == sorted(collected[SELECTED])


UNMARKED = """
import pytest

pytestmark = pytest.mark.independent


@pytest.mark.by_construction
def test_marked_otherwise():
    pass


def test_of_the_module_kind():
    pass


@pytest.mark.independent
@pytest.mark.consistency
def test_marked_twice():
    pass
"""


@pytest.mark.independent
def test_a_test_without_exactly_one_kind_fails_the_collection_naming_it(tmp_path: Path) -> None:
    """A module with a kind, a test marked otherwise (its own kind counts), and a test marked twice: the
    collection fails, exit code 2, naming the one test and its two kinds; with the module's kind taken away,
    every test of it is named."""
    module = tmp_path / "test_unmarked.py"
    module.write_text(UNMARKED, encoding="utf-8")
    # tests/conftest.py as a plugin of a collection outside the project (its rules, not its tests)
    command = pytest_command("-p", "tests.conftest", "--rootdir", tmp_path, module)
    done = subprocess.run(command, cwd=PROJECT_DIR, env=environment(), capture_output=True, text=True)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "1 tests without exactly one kind of proof" in done.stdout, done.stdout
    assert "test_unmarked.py::test_marked_twice: consistency and independent" in done.stdout, done.stdout
    assert "test_marked_otherwise:" not in done.stdout and "test_of_the_module_kind:" not in done.stdout

    module.write_text(UNMARKED.replace("pytestmark = pytest.mark.independent\n", ""), encoding="utf-8")
    done = subprocess.run(command, cwd=PROJECT_DIR, env=environment(), capture_output=True, text=True)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "2 tests without exactly one kind of proof" in done.stdout, done.stdout
    assert "test_unmarked.py::test_of_the_module_kind: no kind" in done.stdout, done.stdout


@pytest.mark.independent  # the Makefile's word: the timed stop of `make ui` runs alone, never beside a run
def test_a_session_of_tests_that_read_no_run_starts_none(tmp_path):
    """tests/test_ui_stop.py is end-to-end (it starts `make ui`) but reads no pipeline run: its session
    starts no good run (one started, 96 % of a core, beside the timed stop)."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", tmp_path / "base",
         "tests/test_ui_stop.py", "-k", "quick_repeat"],
        cwd=PROJECT_DIR, env=environment(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    base = tmp_path / "base"  # pytest makes it only when a test or the good run asks for a folder
    assert (sorted(p.name for p in base.glob("good_run*")) if base.exists() else []) == []
