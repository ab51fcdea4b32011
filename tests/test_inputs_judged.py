"""Bad raw inputs judged by `county-industry validate`: each deliberately broken file, and the exact line
it must print (file, row, column, value and rule).

The files are built here from the committed demo panel; every expected message is written out by hand.
Year 2020 files are the 2021 demo rows relabelled 2020: identical values, so the year-over-year rules and
the unit continuity rule stay quiet unless a test breaks them on purpose.
"""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dagster_project.lib.expectations import MAX_ROWS_REPORTED
from dagster_project.raw import frames
from dagster_project.raw.contract import Contract
from dagster_project.raw.ingest import NATIONAL_TOTALS
from dagster_project.resources import DEFAULT_DATA_DIR
from dagster_project.validate import validate_command
from tests.conftest import copy_inputs

pytestmark = pytest.mark.independent  # every expected line written out by hand

RAW = Path("raw") / "county_statistics"
DEMO_2021 = DEFAULT_DATA_DIR / RAW / "2021" / "synthetic_demo_county_statistics_2021.csv"
DEMO_2022 = DEFAULT_DATA_DIR / RAW / "2022" / "synthetic_demo_county_statistics_2022.csv"
GDP = "gdp[万元]"
UNPARSEABLE = "'every measure cell is a number or empty' [expect_column_values_to_be_null]"
A_YEAR = "one year of every county-level unit is 2,844 rows, about 0.7 MB"
CONTINUITY = "'units continue from year to year (missing and new units are reported, not refused)'"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """The committed inputs in a scratch data directory that these tests only add incoming files to."""
    return copy_inputs(tmp_path_factory.mktemp("judged") / "data")


@pytest.fixture
def own_data_dir(tmp_path):
    """A scratch data directory of its own, for a test that changes data/raw or data/reference."""
    return copy_inputs(tmp_path / "data")


def demo_2021() -> pd.DataFrame:
    return pd.read_csv(DEMO_2021, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def write(data_dir: Path, frame: pd.DataFrame, year: int, name: str, where: str = "incoming") -> Path:
    """The frame as a UTF-8 CSV of data year `year`, under data_dir/<where>/county_statistics/<year>/."""
    path = data_dir / where / "county_statistics" / str(year) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.assign(data_year=str(year)).to_csv(path, index=False, encoding="utf-8")
    return path


def judge(path: Path, data_dir: Path, capsys, input_name: str | None = None) -> tuple[int, list[str], str]:
    code = validate_command([path], data_dir, input_name, None)
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def label(frame: pd.DataFrame, index: int, year: int = 2020) -> str:
    return f"({frame.loc[index, 'adcode']} {year} {frame.loc[index, 'name']})"


def test_a_relabelled_year_passes_clean(data_dir, capsys):
    """The baseline of every test below: the unbroken file passes without a warning."""
    path = write(data_dir, demo_2021(), 2020, "clean.csv")
    code, out, err = judge(path, data_dir, capsys)
    assert code == 0, "\n".join(out) + err
    assert out[-1].startswith(f"{path}: suite raw_county_statistics passed: 0 failures (0 rows, 0 rules), ")
    assert "0 warnings (0 rows, 0 rules)" in out[-1]


def test_an_empty_file_is_refused_naming_it(data_dir, capsys):
    path = data_dir / "incoming" / "county_statistics" / "2020" / "empty.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    assert err == f"{path}: the file is empty: no header row, no rows\n"


def test_a_file_that_is_no_workbook_is_refused_naming_it(data_dir, capsys):
    path = data_dir / "incoming" / "county_statistics" / "2020" / "saved_as_text.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DEMO_2021.read_text(encoding="utf-8-sig"), encoding="utf-8")
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    assert err == f"{path}: not a workbook an XLSX reader can open (Cannot detect file format)\n"


# What yearbooks print for a figure they lack, and a mistyped number. Each case edits a row of its own in one
# file: great-expectations spends about a second on the suite whatever the number of rows.
PLACEHOLDERS = ["—", "…", "-", "--", "NA", "N/A", "/", "1.2.3"]
# A control character in a unit's own name: NUL, tab, line break and escape within it, DEL at its end.
CONTROLS = ["\x00", "\t", "\n", "\x1b", "\x7f"]


def with_control(name: str, character: str) -> str:
    return name + character if character == "\x7f" else name[:2] + character + name[2:]


def test_a_placeholder_in_a_measure_shows_the_token(data_dir, capsys):
    frame = demo_2021()
    rows = range(1, len(PLACEHOLDERS) + 1)
    for row, token in zip(rows, PLACEHOLDERS, strict=True):
        frame.loc[row, GDP] = token
    path = write(data_dir, frame, 2020, "placeholder.csv")
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    for row, token in zip(rows, PLACEHOLDERS, strict=True):
        rule = f"column {GDP} = {token!r} breaks rule {UNPARSEABLE}"
        assert f"FAILED {path}: row {row + 2} {label(frame, row)}: {rule}" in out, token


def test_a_control_character_in_a_text_cell_is_refused(data_dir, capsys):
    frame = demo_2021()
    rows = range(len(CONTROLS))
    for row, character in zip(rows, CONTROLS, strict=True):
        frame.loc[row, "name"] = with_control(frame.loc[row, "name"], character)
    path = write(data_dir, frame, 2020, "control.csv")
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    rule = "'a text cell holds no control character (NUL, tab, line break)' [expect_column_values_to_be_null]"
    for row in rows:
        adcode, name = frame.loc[row, "adcode"], frame.loc[row, "name"]
        shown = f"row {row + 2} ({adcode} 2020 {name!r}): column name = {name!r} breaks rule {rule}"
        assert f"FAILED {path}: {shown}" in out, name


def test_the_summary_counts_rows_rules_and_lines(data_dir, capsys):
    frame = demo_2021()
    # row 2: not negative, secondary <= GDP, R&D < GDP: 3 rules (its size unchanged: no year-over-year jump)
    frame.loc[0, GDP] = f"-{frame.loc[0, GDP]}"
    frame.loc[1, GDP] = "—"  # row 3: unparseable (blocks) and GDP missing (warns)
    path = write(data_dir, frame, 2020, "counted.csv")
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    assert out[-1].startswith(
        f"{path}: suite raw_county_statistics failed: 4 failures (2 rows, 4 rules), "
        "1 warning (1 row, 1 rule); 5 lines above; "
    )


def test_each_rule_lists_at_most_20_rows_then_says_how_many_more(data_dir, capsys):
    frame = demo_2021()
    frame.loc[:24, GDP] = "—"  # rows 2 to 26
    path = write(data_dir, frame, 2020, "capped.csv")
    code, out, err = judge(path, data_dir, capsys)
    failed = [line for line in out if line.startswith("FAILED")]
    assert len(failed) == 21
    more = "… and 5 more rows break rule 'every measure cell is a number or empty'"
    assert failed[-1] == f"FAILED {path}: {more}"
    assert out[-1].startswith(
        f"{path}: suite raw_county_statistics failed: 25 failures (25 rows, 1 rule), "
        "25 warnings (25 rows, 1 rule); 42 lines above; "
    )


def test_a_row_label_shows_the_jump_column_only_for_the_jump_rules(data_dir, capsys):
    frame = demo_2021()
    frame.loc[0, GDP] = "-100000"  # negative, and its size less than 1000 times smaller than 2021's
    frame.loc[1, GDP] = str(float(frame.loc[1, GDP]) * 10000)  # typed in 元 under a 万元 header
    path = write(data_dir, frame, 2020, "labels.csv")
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    assert (
        f"FAILED {path}: row 2 (110101 2020 东城区): column gdp (地区生产总值, money, 万元) (gdp=-100000.0) "
        "breaks rule 'gdp (地区生产总值) is not negative' [expect_column_values_to_be_between]"
    ) in out
    jump = [line for line in out if "a factor of 1000 or more" in line]
    assert len(jump) == 1
    assert jump[0].startswith(f"FAILED {path}: row 3 {label(frame, 1)[:-1]} yoy_jump_column=gdp): ")


def test_an_unknown_input_lists_the_valid_ones(data_dir, capsys):
    path = write(data_dir, demo_2021(), 2020, "unknown_input.csv")
    code, out, err = judge(path, data_dir, capsys, input_name="nonsense")
    assert code == 1
    assert err.startswith("unknown input 'nonsense': one of county_statistics, national_totals, ")
    assert "rankings_2024_industrial_district" in err


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(data_dir, capsys):
    path = data_dir / "incoming" / "county_statistics" / "2020" / "huge.csv"
    path.parent.mkdir(parents=True, exist_ok=True)  # this test's own folder, whatever ran before
    with path.open("wb") as f:
        f.write(b"adcode,data_year\n")
        f.truncate(12 * 1024 * 1024)  # 12 MB (sparse: the size is what is judged)
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    assert err == (
        f"{path}: 12.0 MB, more than the 10 MB a file may hold (limits.max_file_mb in "
        f"config/raw_statistics.yaml: {A_YEAR})\n"
    )


def test_a_file_above_the_row_limit_is_refused(data_dir, capsys):
    path = data_dir / "incoming" / "county_statistics" / "2020" / "long.csv"
    path.parent.mkdir(parents=True, exist_ok=True)  # this test's own folder, whatever ran before
    path.write_text("adcode,data_year\n" + "110101,2020\n" * 5001, encoding="utf-8")
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    assert err == (
        f"{path}: more than 5000 rows, the most a file may hold (limits.max_rows in "
        f"config/raw_statistics.yaml: {A_YEAR})\n"
    )


NAME_RULE = (
    "'a row's name is the one the administrative dimension gives its adcode, or an alias of it "
    "(data/reference/divisions/name_aliases.csv)' [expect_column_values_to_be_null]"
)


def test_a_name_that_contradicts_the_adcode_is_refused(data_dir, capsys):
    frame = demo_2021()
    frame.loc[0, "name"] = "西城区"
    path = write(data_dir, frame, 2020, "wrong_name.csv")
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    wrong = "name '西城区' but adcode 110101 is 东城区"
    line = f"FAILED {path}: row 2 (110101 2020 西城区): {wrong} breaks rule {NAME_RULE}"
    assert line in out


def test_an_alias_is_the_same_name(own_data_dir, capsys):
    aliases = own_data_dir / "reference" / "divisions" / "name_aliases.csv"
    with aliases.open("a", encoding="utf-8") as f:
        f.write("北京市,东城旧称,110101,a test alias\n")
    frame = demo_2021()
    frame.loc[0, "name"] = "东城旧称"
    path = write(own_data_dir, frame, 2020, "alias.csv")
    code, out, err = judge(path, own_data_dir, capsys)
    assert code == 0, "\n".join(out) + err


def test_a_unit_missing_in_a_year_is_reported_against_both_neighbours(own_data_dir, capsys):
    """A file replacing the 2022 file (same name), without 东城区: a warning, the run goes on."""
    text = DEMO_2022.read_bytes().decode("gbk")
    kept = [line for line in text.splitlines(keepends=True) if not line.startswith("110101,")]
    path = own_data_dir / "incoming" / RAW.name / "2022" / DEMO_2022.name
    path.parent.mkdir(parents=True)
    path.write_bytes("".join(kept).encode("gbk"))
    code, out, err = judge(path, own_data_dir, capsys)
    assert code == 0, "\n".join(out) + err
    assert [line for line in out if line.startswith("WARNING")] == [
        f"WARNING {path}: unit 110101 东城区 is in {year} but missing in 2022 breaks rule {CONTINUITY}"
        for year in (2021, 2023)
    ]


def test_a_merger_the_code_changes_know_explains_the_units_gone_and_new(own_data_dir, capsys):
    """2020 as printed before 梅列区 and 三元区 merged into the new 三元区 (350404) in 2021."""
    frame = demo_2021()
    merged = frame.index[frame["adcode"] == "350404"][0]
    before = pd.concat([frame.loc[[merged]]] * 2, ignore_index=True)
    before["adcode"], before["name"] = ["350402", "350403"], ["梅列区", "三元区"]
    write(own_data_dir, pd.concat([frame.drop(index=merged), before]), 2020, "as_printed.csv", where="raw")
    path = write(own_data_dir, frame, 2021, DEMO_2021.name)  # replaces the 2021 file, unchanged
    code, out, err = judge(path, own_data_dir, capsys)
    assert code == 0, "\n".join(out) + err
    warnings = [line for line in out if line.startswith("WARNING")]
    assert len(warnings) == 3
    gone = "is in 2020 but missing in 2021 (合并 2021"
    assert warnings[0].startswith(f"WARNING {path}: unit 350402 梅列区 {gone}: 350402 梅列区 → 350404 三元区")
    assert warnings[1].startswith(f"WARNING {path}: unit 350403 三元区 {gone}: 350403 三元区 → 350404 三元区")
    new = "is in 2021 but missing in 2020 (合并 2021"
    assert warnings[2].startswith(f"WARNING {path}: unit 350404 三元区 {new}: 350402 梅列区 → 350404 三元区")
    assert "; 合并 2021: 350403 三元区 → 350404 三元区" in warnings[2]


def test_a_code_change_is_carried_so_the_jump_rules_compare_the_same_place(data_dir, capsys):
    """沙县 (350427) became 沙县区 (350405) in 2021: a 2020 file with its old code and name is that unit."""
    frame = demo_2021()
    row = frame.index[frame["adcode"] == "350405"][0]
    frame.loc[row, ["adcode", "name"]] = ["350427", "沙县"]
    frame.loc[row, GDP] = str(float(frame.loc[row, GDP]) * 10000)
    path = write(data_dir, frame, 2020, "old_code.csv")
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    failed = [line for line in out if line.startswith("FAILED")]
    assert len(failed) == 1, failed
    assert failed[0].startswith(f"FAILED {path}: row {row + 2} (350405 2020 沙县 yoy_jump_column=gdp): ")
    assert "a factor of 1000 or more" in failed[0]
    assert not [line for line in out if "units continue" in line or "350427" in line]


def second_file(data_dir: Path, capsys, rows: int) -> tuple[Path, Path, list[str]]:
    """A second 2022 file repeating the first `rows` units of the one in place, judged: both files, and the
    lines the duplicate rule printed."""
    lines = DEMO_2022.read_bytes().splitlines(keepends=True)
    path = data_dir / "incoming" / RAW.name / "2022" / "second_file.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(lines[: rows + 1]))
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    in_place = data_dir / RAW / "2022" / DEMO_2022.name
    return path, in_place, [line for line in out if "'one row per unit and data year'" in line]


def test_a_second_file_for_a_year_is_judged_with_the_one_in_place(data_dir, capsys):
    path, in_place, duplicates = second_file(data_dir, capsys, 2)
    assert {line.split(": column")[0] for line in duplicates} == {
        f"FAILED {path}: row 2 (110101 2022 东城区)",
        f"FAILED {path}: row 3 (110102 2022 西城区)",
        f"FAILED {in_place}: row 2 (110101 2022 东城区)",
        f"FAILED {in_place}: row 3 (110102 2022 西城区)",
    }


def test_a_second_file_repeating_more_units_than_are_printed_names_both_files(data_dir, capsys):
    """A stale second file repeating 60 units: the first lines printed (MAX_ROWS_REPORTED of them) are the
    repeated units' rows in pairs, each in the file in place and in the second file (they were all of one
    file, the other named nowhere)."""
    path, in_place, duplicates = second_file(data_dir, capsys, 60)
    assert len(duplicates) == MAX_ROWS_REPORTED + 1 and "… and 100 more rows" in duplicates[-1]
    shown = [line.split(": column")[0] for line in duplicates[:MAX_ROWS_REPORTED]]
    pairs = [set(shown[i : i + 2]) for i in range(0, MAX_ROWS_REPORTED, 2)]
    assert pairs[:2] == [
        {f"FAILED {in_place}: row 2 (110101 2022 东城区)", f"FAILED {path}: row 2 (110101 2022 东城区)"},
        {f"FAILED {in_place}: row 3 (110102 2022 西城区)", f"FAILED {path}: row 3 (110102 2022 西城区)"},
    ]
    assert all(len({line.split(": row")[0] for line in pair}) == 2 for pair in pairs), shown


@pytest.mark.parametrize(
    ("encoding", "found"),
    [("utf-16", "UTF-16 text (Excel's 'Unicode text')"), ("cp1252", "text in neither UTF-8 nor GBK")],
)
def test_a_file_in_another_encoding_is_refused_saying_how_to_save_it(data_dir, capsys, encoding, found):
    """Excel's 'Unicode text' (UTF-16 with its byte-order mark), and Windows' Western text (an é followed by
    a comma is neither UTF-8 nor GBK)."""
    text = "adcode,name,data_year\n110101,Dongcheng (東城區),2020\n"
    if encoding == "cp1252":
        text = "adcode,name,data_year\n110101,Dongcheng café,2020\n"
    path = data_dir / "incoming" / RAW.name / "2020" / f"{encoding}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    assert f"{path}: {found}: save it as CSV UTF-8 (or GBK)" in "\n".join(out) + err, out


def test_a_number_printed_with_thousands_separators_and_spaces_is_read_as_that_number(data_dir):
    """docs/data-contract.md: a yearbook's 43,901,170.91 is a number, and so is ' 12 '."""
    frame = demo_2021()
    frame.loc[0, GDP], frame.loc[1, GDP] = "43,901,170.91", " 12 "
    path = write(data_dir, frame, 2020, "separators.csv")
    read = frames.read_file(path, Contract.load(), path.name)
    assert read.loc[0, "gdp"] == 43_901_170.91 and read.loc[1, "gdp"] == 12.0
    assert read["unparseable"].isna().all()


def test_a_file_whose_every_row_says_another_year_is_told_in_one_line(data_dir, capsys):
    """Last year's file copied into this year's folder, its data_year left as it was: one line for the file,
    not a line per row up to the cap and '… and 2824 more rows'."""
    frame = demo_2021()
    path = data_dir / "incoming" / RAW.name / "2020" / "last_years.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.assign(data_year="2019").to_csv(path, index=False, encoding="utf-8")
    code, out, err = judge(path, data_dir, capsys)
    assert code == 1
    told = [line for line in out if "data_year is the year of the folder the file sits in" in line]
    assert len(told) == 1, told
    assert told[0].startswith(f"FAILED {path}: every row ({len(frame)}) breaks rule 'data_year is the year")
    assert "data_year=2019" in told[0] and "folder_year=2020" in told[0]


def test_a_file_of_the_same_name_replaces_the_one_in_place(data_dir, capsys):
    path = data_dir / "incoming" / RAW.name / "2022" / DEMO_2022.name
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEMO_2022, path)
    code, out, err = judge(path, data_dir, capsys)
    assert code == 0, "\n".join(out) + err
    assert "passed: 0 failures (0 rows, 0 rules), 0 warnings (0 rows, 0 rules)" in out[-1]


def test_measures_declare_their_kind_and_amounts_follow_from_it():
    contract = Contract.load()
    assert contract.measures["gdp"].kind == "money"
    assert contract.measures["population_resident"].kind == "people"
    assert contract.measures["energy_consumption"].kind == "energy"
    assert contract.measures["urbanisation_rate"].kind == "rate"
    assert contract.measures["invention_patents"].kind == "count"
    assert contract.measures["land_area"].kind == "area"
    # the year-over-year rules judge amounts: every measure but rates and counts (the table in
    # docs/data-contract.md, by hand)
    assert contract.amounts == [
        "population_resident",
        "gdp",
        "va_secondary",
        "va_industry",
        "fiscal_revenue",
        "fiscal_expenditure",
        "above_scale_revenue",
        "above_scale_profit",
        "industrial_fai",
        "rd_expenditure",
        "exports",
        "foreign_capital_used",
        "retail_sales",
        "urban_income_per_capita",
        "rural_income_per_capita",
        "energy_consumption",
        "household_savings",
        "loans_outstanding",
        "above_scale_employment",
        "land_area",
        "trade_total",
    ]


@pytest.mark.parametrize(
    ("source", "synthetic"),
    [
        ("国家统计局《中华人民共和国2023年国民经济和社会发展统计公报》", False),
        ("合成演示数据 (synthetic demo)", True),
        ("SYNTHETIC: made up for a test", True),
    ],
)
def test_a_national_totals_row_whose_source_says_synthetic_is_flagged(data_dir, source, synthetic):
    real = DEFAULT_DATA_DIR / "raw" / "national_totals" / "2023" / "national_totals_2023.csv"
    header, row = real.read_text(encoding="utf-8").splitlines()
    path = data_dir / "incoming" / "national_totals" / "2023" / "totals.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    cells = row.split(",")
    cells[1] = source
    path.write_text(header + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    contract = Contract.load(NATIONAL_TOTALS.contract)
    frame = frames.read_file(path, contract, str(path))
    assert frame["synthetic"].tolist() == [synthetic]
