"""Each blocking rule of expectations/raw_county_statistics.json shown to fail on a broken input.

The committed 2021 demo file, copied into a scratch data directory and judged in place as
`county-industry validate` judges it (dagster_project/validate.py: the 2022 file beside it, the
administrative dimension of data/reference/). Each case is the smallest edit of one row that a data
engineer could make (a sign typed, two columns transposed, a decimal point slipped, a code mistyped) and
names every rule that edit must break, the first being the one it is aimed at.

The suite has 82 expectations and great-expectations spends about a second on them whatever the number of
rows, so the row cases share one judgement: each edits a row of its own, and each test requires that its
row breaks exactly its rules (and warns exactly as stated), printed with file, row, column and value, and
that no row left alone breaks anything. The two rules a row cannot show apart (an empty file; a data year
missing, which leaves the folder rule unable to compare) are judged on files of their own.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import yaml

from dagster_project.lib.expectations import Validation
from dagster_project.raw.contract import Contract
from dagster_project.resources import DEFAULT_DATA_DIR, EXPECTATIONS_DIR
from dagster_project.validate import validate_file
from tests.conftest import copy_latest_years

pytestmark = pytest.mark.independent  # every rule, row and value each edit must print, written by hand

SUITE = EXPECTATIONS_DIR / "raw_county_statistics.json"
DEMO = "raw/county_statistics/2021/synthetic_demo_county_statistics_2021.csv"
CONTINUITY = "units continue from year to year (missing and new units are reported, not refused)"
JUMP_3 = "no amount jumps by more than a factor of 3 from a neighbouring year"
JUMP_1000 = "no amount jumps by a factor of 1000 or more from a neighbouring year (a 万元/亿元 mix-up)"
UNIVERSE = "the adcode is a county-level unit of the administrative dimension"
SECONDARY_GDP = "secondary industry ≤ GDP (第二产业增加值 ≤ 地区生产总值)"
INDUSTRY_SECONDARY = "industry ≤ secondary industry (工业增加值 ≤ 第二产业增加值)"
RD_GDP = "R&D expenditure < GDP"
PROFIT_REVENUE = "profit ≤ revenue (利润总额 ≤ 营业收入)"
PERCENTAGE = "urbanisation rate is a percentage (0-100)"
FOLDER_YEAR = "data_year is the year of the folder the file sits in (data/raw/<source>/<year>/)"


@cache
def committed_lines() -> tuple[str, ...]:
    return tuple((DEFAULT_DATA_DIR / DEMO).read_text(encoding="utf-8-sig").splitlines())


def demo_lines() -> list[str]:
    """The committed file's lines (the header is line 1), without the BOM."""
    return list(committed_lines())


HEADER = demo_lines()[0].split(",")
COLUMN = {cell.split("[")[0]: index for index, cell in enumerate(HEADER)}  # gdp -> its index


def cells(line: int) -> list[str]:
    return committed_lines()[line - 1].split(",")


def with_cells(line: int, **new: str) -> str:
    """The committed line with the named cells (canonical column names) replaced."""
    row = cells(line)
    for column, value in new.items():
        row[COLUMN[column]] = value
    return ",".join(row)


def swapped(line: int, a: str, b: str) -> str:
    """The committed line with two cells transposed, as a column pasted one to the left would do."""
    row = cells(line)
    return with_cells(line, **{a: row[COLUMN[b]], b: row[COLUMN[a]]})


def label(line: int, year: int = 2021) -> str:
    """`row 3 (110102 2021 西城区)`: how a row is named (adcode, data year, name)."""
    row = cells(line)
    return f"row {line} ({row[COLUMN['adcode']]} {year} {row[COLUMN['name']]})"


@dataclass(frozen=True)
class Row:
    """One line of the demo file replaced by `text`, and what the suite must say about that row."""

    case: str
    line: int
    text: str
    rules: tuple[str, ...]  # every blocking rule naming the row; the first is the one the edit aims at
    printed: str  # a fragment of the first rule's line for this row: row, column and value
    warns: tuple[str, ...] = ()  # every warning naming the row
    partners: tuple[int, ...] = ()  # unedited lines the first rule names with it (the other of a pair)

    @property
    def rule(self) -> str:
        return self.rules[0]


ROWS = [
    Row(
        "adcode-missing",
        3,
        with_cells(3, adcode=""),
        ("every row has an adcode", UNIVERSE),  # no code, no unit
        "row 3 (2021 西城区): column adcode (行政区划代码) (adcode=None)",
    ),
    Row(
        "adcode-outside-the-mainland",
        4,
        with_cells(4, adcode="710105"),
        ("an adcode is 6 digits of a mainland province", UNIVERSE),  # the dimension is the mainland's
        "row 4 (710105 2021 朝阳区): column adcode (行政区划代码) (adcode='710105')",
    ),
    Row(
        "adcode-of-no-unit",  # 110106 with two digits transposed
        5,
        with_cells(5, adcode="110160"),
        (UNIVERSE,),
        "row 5 (110160 2021 丰台区): column universe (universe=None)",
    ),
    Row(
        "data-year-of-another-folder",
        6,
        with_cells(6, data_year="2020"),
        (FOLDER_YEAR,),
        "row 6 (110107 2020 石景山区): column data_year (数据年份)/folder_year "
        "(data_year=2020, folder_year=2021)",
    ),
    Row(
        "unit-twice",  # 东城区 (line 2) pasted again after the last line (2845)
        2846,
        demo_lines()[1],
        ("one row per unit and data year",),
        "row 2846 (110101 2021 东城区): column adcode (行政区划代码)/data_year (数据年份) "
        "(adcode='110101', data_year=2021)",
        partners=(2,),
    ),
    Row(
        "placeholder-in-a-measure",
        9,
        with_cells(9, gdp="—"),
        ("every measure cell is a number or empty",),
        f"{label(9)}: column gdp[万元] = '—'",
        warns=("gdp (地区生产总值) is reported (a missing value is treated as its indicators declare)",),
    ),
    Row(
        "control-character-in-a-name",
        10,
        with_cells(10, name="通州\t区"),
        (
            "a text cell holds no control character (NUL, tab, line break)",
            # the name with a tab is not the unit's name either
            "a row's name is the one the administrative dimension gives its adcode, or an alias of it "
            "(data/reference/divisions/name_aliases.csv)",
        ),
        "row 10 (110112 2021 '通州\\t区'): column name = '通州\\t区'",
    ),
    Row(
        "name-of-another-unit",
        12,
        with_cells(12, name="大兴区"),
        (
            "a row's name is the one the administrative dimension gives its adcode, or an alias of it "
            "(data/reference/divisions/name_aliases.csv)",
        ),
        "row 12 (110114 2021 大兴区): name '大兴区' but adcode 110114 is 昌平区",
    ),
    Row(
        "urbanisation-decimal-point-slipped",  # 90.64 typed 906.4
        13,
        with_cells(13, urbanisation_rate="906.4"),
        (PERCENTAGE,),
        f"{label(13)}: column urbanisation_rate (常住人口城镇化率, rate, %) (urbanisation_rate=906.4)",
    ),
    Row(
        "gdp-and-secondary-transposed",  # 桥西区: secondary is 57% of GDP, so neither jumps by 3
        35,
        swapped(35, "gdp", "va_secondary"),
        (SECONDARY_GDP,),
        f"{label(35)}: column gdp (地区生产总值, money, 万元)/va_secondary (第二产业增加值, money, 万元) "
        f"(gdp={float(cells(35)[COLUMN['va_secondary']])}, va_secondary={float(cells(35)[COLUMN['gdp']])})",
    ),
    Row(
        "secondary-and-industry-transposed",  # 和平区: industry is 92% of secondary
        18,
        swapped(18, "va_secondary", "va_industry"),
        (INDUSTRY_SECONDARY,),
        f"{label(18)}: column va_secondary (第二产业增加值, money, 万元)/"
        f"va_industry (工业增加值, money, 万元) (va_secondary={float(cells(18)[COLUMN['va_industry']])}, "
        f"va_industry={float(cells(18)[COLUMN['va_secondary']])})",
    ),
    Row(
        "gdp-copied-into-rd",  # R&D is about 2% of GDP: equal to it, it jumps by far more than 3
        14,
        with_cells(14, rd_expenditure=cells(14)[COLUMN["gdp"]]),
        (RD_GDP,),
        f"{label(14)}: column gdp (地区生产总值, money, 万元)/"
        f"rd_expenditure (全社会研发经费投入, money, 万元) "
        f"(gdp={float(cells(14)[COLUMN['gdp']])}, rd_expenditure={float(cells(14)[COLUMN['gdp']])})",
        warns=(JUMP_3,),
    ),
    Row(
        "revenue-and-profit-transposed",
        15,
        swapped(15, "above_scale_revenue", "above_scale_profit"),
        (PROFIT_REVENUE,),
        f"{label(15)}: column above_scale_revenue (规上工业企业营业收入, money, 万元)/above_scale_profit",
        warns=(JUMP_3,),
    ),
    Row(
        "gdp-in-yuan-under-a-wanyuan-header",  # 万元 typed as 元: 10,000 times its 2022 value
        16,
        with_cells(16, gdp=f"{float(cells(16)[COLUMN['gdp']]) * 10000:.2f}"),
        (JUMP_1000,),
        "row 16 (110118 2021 密云区 yoy_jump_column=gdp): column yoy_max_jump (yoy_max_jump=",
        warns=(JUMP_3,),  # 1000 is more than 3
    ),
]

# A negative amount: every measure the suite requires to be non-negative, its sign typed in the first row
# from line 40 on where it is positive. Some rules break with it, always (a pair with the other column).
ALSO_BROKEN = {
    "gdp": (SECONDARY_GDP, RD_GDP),
    "va_secondary": (INDUSTRY_SECONDARY,),
    "above_scale_revenue": (PROFIT_REVENUE,),
    "urbanisation_rate": (PERCENTAGE,),
}
ALSO_WARNED = {"urban_income_per_capita": ("rural income ≤ urban income",)}


def suite_expectations() -> list[dict]:
    """The suite's own rules and those each measure of the contract implies, judged with them."""
    written = json.loads(SUITE.read_text(encoding="utf-8"))["expectations"]
    return written + Contract.load().measure_expectations()


def negative_measures() -> list[tuple[str, str]]:
    """(column, rule) of every not-negative rule of the suite."""
    return [
        (e["kwargs"]["column"], e["meta"]["rule"])
        for e in suite_expectations()
        if e["type"] == "expect_column_values_to_be_between"
        and e["kwargs"].get("min_value") == 0
        and "max_value" not in e["kwargs"]
    ]


def as_printed(number: float) -> str:
    """A value as a failure prints it: a whole number without its `.0`."""
    return str(int(number)) if number.is_integer() else repr(number)


def negative_rows() -> list[Row]:
    described = Contract.load().describe()  # `gdp (地区生产总值, money, 万元)`
    taken = {row.line for row in ROWS} | {p for row in ROWS for p in row.partners}
    rows = []
    for column, rule in negative_measures():
        line = next(
            n
            for n in range(40, len(demo_lines()) + 1)
            if n not in taken and float(cells(n)[COLUMN[column]]) > 0
        )
        taken.add(line)
        value = cells(line)[COLUMN[column]]
        rows.append(
            Row(
                f"negative-{column}",
                line,
                with_cells(line, **{column: f"-{value}"}),
                (rule, *ALSO_BROKEN.get(column, ())),
                f"{label(line)}: column {described[column]} ({column}={as_printed(-float(value))})",
                warns=ALSO_WARNED.get(column, ()),
            )
        )
    return rows


CASES = [*ROWS, *negative_rows()]


def scratch(root: Path) -> Path:
    """The reference data and the raw county statistics in a data directory of the test's own."""
    data_dir = root / "data"
    shutil.copytree(DEFAULT_DATA_DIR / "reference", data_dir / "reference")
    copy_latest_years(DEFAULT_DATA_DIR / "raw" / "county_statistics", data_dir / "raw" / "county_statistics")
    return data_dir


def write_demo(data_dir: Path, lines: list[str]) -> Path:
    path = data_dir / DEMO
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def judged(tmp_path_factory) -> tuple[Path, Validation]:
    """Every row case applied to one copy of the 2021 file, judged once."""
    data_dir = scratch(tmp_path_factory.mktemp("raw_rules"))
    lines = demo_lines()
    assert len({case.line for case in CASES}) == len(CASES), "each case needs a row of its own"
    for case in sorted(CASES, key=lambda c: c.line):
        if case.line == len(lines) + 1:
            lines.append(case.text)
        else:
            assert lines[case.line - 1] != case.text, f"{case.case} changes nothing"
            lines[case.line - 1] = case.text
    path = write_demo(data_dir, lines)
    return path, validate_file(path, data_dir)


def rule_suffix(rule: str) -> str:
    """How a line ends for a rule: `breaks rule '<rule>' [<expectation type>]`."""
    [kind] = [e["type"] for e in suite_expectations() if e["meta"]["rule"] == rule]
    return f"breaks rule '{rule}' [{kind}]"


def rules_naming(validation: Validation, path: Path, line: int, blocking: bool) -> set[str]:
    return {b.rule for b in validation.breaches if b.blocking == blocking and (str(path), line) in b.rows}


@pytest.mark.parametrize("case", CASES, ids=[c.case for c in CASES])
def test_a_broken_row_breaks_its_rules(case, judged):
    path, validation = judged
    about_the_row = [
        line for line in validation.failures + validation.warnings if f": row {case.line} (" in line
    ]
    assert rules_naming(validation, path, case.line, blocking=True) == set(case.rules), about_the_row
    assert rules_naming(validation, path, case.line, blocking=False) == set(case.warns), about_the_row
    lines = [
        line
        for line in validation.failures
        if line.startswith(f"{path}: row {case.line} (") and line.endswith(rule_suffix(case.rule))
    ]
    assert len(lines) == 1, validation.failures
    assert case.printed in lines[0], lines[0]


def test_no_row_left_alone_breaks_a_rule(judged):
    """Only the edited rows (and the other row of a duplicate) are named; no rule breaks as a whole; the
    only warning not about a row is the units a changed adcode takes out of, or brings into, 2021."""
    path, validation = judged
    named = {case.line for case in CASES} | {p for case in CASES for p in case.partners}
    rows = {row for b in validation.breaches if b.rule != CONTINUITY for row in b.rows}
    assert {line for _, line in rows} <= named
    assert {file for file, _ in rows} == {str(path)}
    assert all(b.rows for b in validation.breaches), [b.lines for b in validation.breaches if not b.rows]
    [continuity] = [b for b in validation.breaches if b.rule == CONTINUITY]
    assert set(continuity.rows) == {
        ("2021-2022", "710105"),
        ("2021-2022", "110160"),
        ("2022-2021", "110102"),
        ("2022-2021", "110105"),
        ("2022-2021", "110106"),
    }


def test_an_empty_file_breaks_only_the_row_count(tmp_path):
    """The header and no row (no year judged, so no unit is reported missing from one)."""
    data_dir = scratch(tmp_path)
    path = write_demo(data_dir, demo_lines()[:1])
    validation = validate_file(path, data_dir)
    assert [b.rule for b in validation.breaches if b.blocking] == ["the files hold at least one row"]
    assert validation.failures == [
        f"{path}: table breaks rule 'the files hold at least one row' "
        "[expect_table_row_count_to_be_between]: observed 0"
    ]
    assert validation.warnings == []


def test_a_missing_data_year_is_named_by_its_row(tmp_path):
    """An empty data_year cell. The folder rule cannot compare a null (great-expectations raises on it):
    it skips the row, and the not-null rule names it. Nothing breaks as a whole."""
    data_dir = scratch(tmp_path)
    lines = demo_lines()
    lines[2] = with_cells(3, data_year="")
    path = write_demo(data_dir, lines)
    validation = validate_file(path, data_dir)
    assert {b.rule for b in validation.breaches if b.blocking} == {"every row has an integer data_year"}
    assert all(b.rows for b in validation.breaches if b.blocking), validation.failures
    assert (
        f"{path}: row 3 (110102 西城区): column data_year (数据年份) (data_year=None) breaks rule "
        in "\n".join(validation.failures)
    )
    assert validation.warnings == []


@pytest.mark.consistency
def test_every_blocking_rule_of_the_suite_has_a_case():
    """A rule added to the suite without a broken input to show it can fail is a rule never seen to fail."""
    blocking = {e["meta"]["rule"] for e in suite_expectations() if e["meta"].get("severity") != "warning"}
    shown = {case.rule for case in CASES} | {
        "the files hold at least one row",
        "every row has an integer data_year",
    }
    assert blocking == shown


@pytest.mark.consistency
def test_the_not_negative_rules_are_the_contracts_non_negative_measures():
    """The not-negative rules are made from the contract: they must be the measures the file does not
    allow to be negative (config/raw_statistics.yaml, `nonnegative: false`), no more, no fewer."""
    columns = yaml.safe_load(Contract.load().path.read_text(encoding="utf-8"))["columns"]
    expected = {column for column, spec in columns.items() if spec.get("nonnegative", True)}
    assert {column for column, _ in negative_measures()} == expected
