"""A pytest plugin for tests/test_kinds.py: every collected test with the kinds of proof that `-m` matches
it by (the names of its marks), printed before `-m` deselects, so that one collection gives every kind."""

import pytest

from tests.conftest import KINDS

PREFIX = "kinds of "


@pytest.hookimpl(tryfirst=True)  # before pytest's own hook, which deselects by -m
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        matched = sorted({mark.name for mark in item.iter_markers()} & set(KINDS))
        print(f"{PREFIX}{item.nodeid}: {' '.join(matched)}")
