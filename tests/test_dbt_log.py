"""dbt's log in the run's log: every line kept, in order, a batch of lines per message."""

import pytest

from dagster_project.transform import dbt_log_in_run_log

pytestmark = pytest.mark.independent  # the lines written, against the messages logged


def test_each_line_reaches_the_log_once_in_order_and_a_last_line_without_its_end_too() -> None:
    logged: list[str] = []
    with dbt_log_in_run_log(logged.append, every=3600):
        print("Running with dbt=1.11", flush=True)
        print("  ", flush=True)  # blank lines are dropped
        print("1 of 2 START sql", end="")
        print(" table model", flush=True)
        print("Completed", end="")
    assert logged == ["Running with dbt=1.11\n1 of 2 START sql table model\nCompleted"]


def test_lines_are_logged_as_they_come_when_the_batch_time_is_up() -> None:
    logged: list[str] = []
    with dbt_log_in_run_log(logged.append, every=0):
        print("first")
        print("second")
    assert logged == ["first", "second"]


def test_nothing_written_logs_nothing() -> None:
    logged: list[str] = []
    with dbt_log_in_run_log(logged.append):
        pass
    assert logged == []
