"""The year-over-year rules at their boundaries, as docs/data-contract.md states them: an amount that jumps
by a factor of 1,000 or more blocks (exactly 1,000 included); a sign change compares magnitudes; an amount
that is zero beside a non-zero neighbouring year warns, naming the column. Each file is a 2020 copy of the
2021 demo rows with one cell changed by hand, judged beside the years in place by `validate`."""

import pandas as pd
import pytest

from tests.test_inputs_judged import data_dir, demo_2021, judge, write  # noqa: F401 (a fixture)

pytestmark = pytest.mark.independent  # each cell changed by hand, at the rules' stated boundaries

JUMP = "a factor of 1000 or more"
ZERO = "'an amount is not zero in one year and non-zero in the next' [expect_column_values_to_be_null]"


def one_cell(column: str, value, exact_factor: float | None = None) -> tuple[pd.DataFrame, int]:
    """The first row with a positive value in the column (whose float ratio to the new value is exactly
    exact_factor, if given), that cell set to value(old) or value."""
    frame = demo_2021()
    olds = frame[column].astype(float)
    rows = [
        i
        for i in frame.index[olds > 0]
        if exact_factor is None or float(str(value(olds[i]))) / olds[i] == exact_factor
    ]
    row = int(rows[0])
    frame.loc[row, column] = str(value(olds[row]) if callable(value) else value)
    return frame, row


def failed_and_warned(out: list[str]) -> tuple[list[str], list[str]]:
    return [x for x in out if x.startswith("FAILED")], [x for x in out if x.startswith("WARNING")]


def test_exactly_a_factor_of_1000_blocks(data_dir, capsys):  # noqa: F811
    frame, row = one_cell("gdp[万元]", lambda v: v * 1000, exact_factor=1000.0)
    path = write(data_dir, frame, 2020, "exactly_1000.csv")
    code, out, _ = judge(path, data_dir, capsys)
    failed, _ = failed_and_warned(out)
    assert code == 1 and len(failed) == 1 and JUMP in failed[0] and f"row {row + 2} " in failed[0], out


def test_a_sign_change_is_judged_on_magnitudes(data_dir, capsys):  # noqa: F811
    """Profit may turn from loss to gain, and a jump compares magnitudes (docs/data-contract.md): a loss 2,000
    times the next year's gain blocks as a unit mix-up. That a sign change between amounts of like size passes
    is not tested here."""
    frame, row = one_cell("above_scale_profit[万元]", lambda v: -v * 2000)
    path = write(data_dir, frame, 2020, "sign_change.csv")
    code, out, _ = judge(path, data_dir, capsys)
    failed, _ = failed_and_warned(out)
    assert code == 1 and len(failed) == 1 and JUMP in failed[0], out
    assert "yoy_jump_column=above_scale_profit" in failed[0]


def test_a_mix_up_in_several_columns_names_them_all_at_once(data_dir, capsys):  # noqa: F811
    """Three amounts of a row typed in 元 under 万元 headers (×10,000), one in 百万元 (×100, a warning-level
    jump): the one failed line names the three, largest first, and not the fourth (only the largest was
    named, so fixing a file took a validation per column)."""
    frame = demo_2021()
    row = 0
    for column, factor in (("gdp[万元]", 10_000), ("retail_sales[万元]", 20_000), ("exports[万元]", 10_000)):
        frame.loc[row, column] = str(float(frame.loc[row, column]) * factor)
    frame.loc[row, "household_savings[万元]"] = str(float(frame.loc[row, "household_savings[万元]"]) * 100)
    path = write(data_dir, frame, 2020, "several_columns.csv")
    code, out, _ = judge(path, data_dir, capsys)
    failed, _ = failed_and_warned(out)
    assert code == 1 and len(failed) == 1 and JUMP in failed[0], out
    assert "yoy_jump_column=retail_sales, gdp, exports)" in failed[0], failed[0]


def test_a_zero_beside_a_non_zero_year_warns_naming_the_column(data_dir, capsys):  # noqa: F811
    frame, row = one_cell("exports[万元]", 0)
    path = write(data_dir, frame, 2020, "zero_exports.csv")
    code, out, _ = judge(path, data_dir, capsys)
    failed, warned = failed_and_warned(out)
    assert code == 0 and failed == [], out
    assert len(warned) == 1 and ZERO in warned[0] and "yoy_zero_column='exports'" in warned[0], out
    assert f"row {row + 2} " in warned[0]
