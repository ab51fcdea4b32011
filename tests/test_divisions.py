"""The administrative dimension and the name resolver, on the real code table."""

from collections import Counter

import pytest

from dagster_project.lib.divisions import (
    CodeChange,
    Dimension,
    Resolver,
    read_admin_units,
    read_code_changes,
    read_provinces,
    unit_type_of,
)
from dagster_project.reference.admin_units import ADCODES_FILE, PROVINCES_FILE
from dagster_project.resources import DEFAULT_DATA_DIR

pytestmark = pytest.mark.independent  # counts and codes from the report, the NBS division and the code table


@pytest.fixture(scope="module")
def provinces():
    return read_provinces(DEFAULT_DATA_DIR / "reference" / PROVINCES_FILE)


@pytest.fixture(scope="module")
def units(provinces):
    return read_admin_units(DEFAULT_DATA_DIR / "reference" / ADCODES_FILE, provinces)


@pytest.fixture(scope="module")
def resolver(units, provinces):
    return Resolver(units, provinces)


def test_mainland_county_level_units_match_the_2844_the_2024_edition_cites(units):
    assert len(units) == 2844
    assert Counter(u.universe for u in units) == {"county": 1869, "district": 902, "municipal_district": 73}
    types = Counter(u.unit_type for u in units)
    assert types == {
        "市辖区": 975,
        "县级市": 397,
        "县": 1301,
        "自治县": 117,
        "旗": 49,
        "自治旗": 3,
        "林区": 1,
        "特区": 1,
    }


def test_pseudo_units_and_places_outside_the_mainland_are_dropped(units):
    names = {u.name for u in units}
    assert not names & {"苏州工业园区", "加格达奇区", "海域", "苏鲁交界"}
    assert not {u.adcode[:2] for u in units} & {"71", "81", "82", "99"}


def test_regions_follow_the_nbs_division(provinces):
    regions = Counter(p.region for p in provinces.values())
    assert regions == {"东部": 10, "中部": 6, "西部": 12, "东北": 3}


@pytest.mark.parametrize(
    ("name", "has_prefecture", "expected"),
    [
        ("昆山市", True, "县级市"),
        ("长沙县", True, "县"),
        ("准格尔旗", True, "旗"),
        ("鄂温克族自治旗", True, "自治旗"),
        ("石柱土家族自治县", True, "自治县"),
        ("六枝特区", True, "特区"),
        ("碑林区", True, "市辖区"),
        ("神农架林区", False, "林区"),
    ],
)
def test_unit_type_from_name(name, has_prefecture, expected):
    assert unit_type_of(name, has_prefecture=has_prefecture) == expected


@pytest.mark.parametrize(
    ("province", "prefecture", "name", "adcode"),
    [
        ("江苏省", "苏州市", "昆山市", "320583"),
        ("内蒙古", "鄂尔多斯市", "准格尔旗", "150622"),
        ("新疆", "巴音郭楞", "库尔勒市", "652801"),
        ("新疆维吾尔自治区", "兵团直辖", "石河子市", "659001"),
        ("河南省", "省直管", "巩义市", "410181"),
        ("湖北省", "省直辖", "仙桃市", "429004"),
        ("广西", "防城港市", "东兴市", "450681"),
    ],
)
def test_resolver_reads_names_as_the_reports_print_them(resolver, province, prefecture, name, adcode):
    assert resolver.resolve(province, prefecture, name).adcode == adcode


def test_resolver_refuses_unknown_names_with_a_reason(resolver):
    result = resolver.resolve("江苏省", "苏州市", "不存在县")
    assert result.adcode is None
    assert "不存在县" in result.error
    assert resolver.resolve("火星省", "", "昆山市").error == "unknown province '火星省'"


def test_resolver_refuses_ambiguous_names(resolver, units):
    twice = Counter((u.province, u.name) for u in units)
    (province, name), count = twice.most_common(1)[0]
    assert count > 1, "the code table has names that repeat inside a province (e.g. 市辖区 names)"
    result = resolver.resolve(province, "", name)
    assert result.adcode is None and "ambiguous" in result.error


def test_aliases_resolve_renamed_units(units, provinces):
    resolver = Resolver(units, provinces, {("湖南省", "祁阳县"): "431181"})
    assert resolver.resolve("湖南省", "永州市", "祁阳县").adcode == "431181"


def test_names_printed_without_a_province_must_be_unique_nationally(resolver, units):
    assert resolver.resolve_anywhere("格尔木市", "county").adcode == "632801"
    assert "ambiguous" in resolver.resolve_anywhere("鼓楼区", "district").error
    assert resolver.resolve_anywhere("龙岗区", "county").error == "no county named '龙岗区' anywhere"


def test_code_changes_lead_from_codes_gone_to_units_of_the_code_table(units):
    """Every documented change ends at a unit of today's code table, under the name it has there, and
    starts at a code the table no longer has (else the change would not be one)."""
    changes = read_code_changes(DEFAULT_DATA_DIR / "reference" / "divisions" / "code_changes.csv")
    by_code = {u.adcode: u for u in units}
    assert changes, "code_changes.csv lists no change"
    for change in changes:
        assert by_code[change.new_adcode].name == change.new_name, change
        assert change.old_adcode not in by_code, change
        assert change.source.strip(), change


def test_the_dimension_carries_same_area_changes_and_knows_old_names(units):
    changes = [
        CodeChange("510132", "新津县", "510118", "新津区", 2020, "撤县设区", True, "a test"),
        CodeChange("350402", "梅列区", "350404", "三元区", 2021, "合并", False, "a test"),
    ]
    dimension = Dimension(units, {("北京市", "东城旧称"): "110101"}, changes)
    assert dimension.current("510132") == "510118"
    assert dimension.current("350402") == "350402", "a merger is not the same place"
    assert dimension.name_contradiction("510118", "新津县") is None
    assert dimension.name_contradiction("110101", "东城旧称") is None
    assert dimension.name_contradiction("110101", "西城区") == "name '西城区' but adcode 110101 is 东城区"
    assert dimension.explain("350404") == "合并 2021: 350402 梅列区 → 350404 三元区, a test"
    assert dimension.explain("110101") is None
