"""China's county-level administrative units, and resolving printed names to their adcodes.

The code table lists provinces, prefectures and county-level units by 12-digit code. County-level
units are the rows whose code ends in six zeros but not in eight. What the code table cannot say by
itself is written here once: which rows are not real county-level units, and what type a unit is.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

# Hong Kong, Macao and Taiwan are outside every ranking universe; 99 holds placeholders (海域, 苏鲁交界).
EXCLUDED_PROVINCE_CODES = frozenset({"71", "81", "82", "99"})
MUNICIPALITY_CODES = frozenset({"11", "12", "31", "50"})

# Statistics-only pseudo-units that the code table carries beside the real ones: development zones
# (codes xxxx7x, e.g. 苏州工业园区) and the four forestry-administration "districts" of 大兴安岭地区.
PSEUDO_UNIT_CODES = frozenset({"232761", "232762", "232763", "232764"})

DIRECTLY_ADMINISTERED = "省直辖县级行政单位"
# What sources print in the prefecture column for a unit no prefecture administers; 省直管 is also how
# the reports mark Henan's and Hubei's 省直管县, which do sit in a prefecture: the resolver then searches
# the whole province.
DIRECT_ADMINISTRATION_MARKS = frozenset(
    {"省直管", "省直辖", "兵团直辖", "省直辖县级行政单位", "自治区直辖县级行政单位"}
)


def unit_type_of(name: str, *, has_prefecture: bool = True) -> str:
    """The unit type a county-level name declares by its suffix.

    A 区 with no prefecture above it can only be 神农架林区; every other 区 is a 市辖区.
    """
    for suffix in ("自治旗", "自治县", "特区", "旗", "县"):
        if name.endswith(suffix):
            return suffix
    if name.endswith("市"):
        return "县级市"
    if name.endswith("区"):
        return "市辖区" if has_prefecture else "林区"
    raise ValueError(f"cannot tell the unit type of {name!r} from its name")


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    short_name: str
    region: str


@dataclass(frozen=True)
class AdminUnit:
    adcode: str
    name: str
    unit_type: str
    prefecture_code: str | None
    prefecture: str
    province_code: str
    province: str
    region: str
    universe: str  # county | district | municipal_district
    longitude: float | None  # the code table lacks coordinates for a few units
    latitude: float | None
    source_row: int  # line of the unit in the code table file (the header is line 1)


def read_provinces(path: Path) -> dict[str, Province]:
    with path.open(encoding="utf-8", newline="") as f:
        return {
            row["province_code"]: Province(
                row["province_code"], row["province"], row["short_name"], row["region"]
            )
            for row in csv.DictReader(f)
        }


def universe_of(unit_type: str, province_code: str) -> str:
    if unit_type != "市辖区":
        return "county"
    return "municipal_district" if province_code in MUNICIPALITY_CODES else "district"


def read_admin_units(adcodes_path: Path, provinces: dict[str, Province]) -> list[AdminUnit]:
    """Every real county-level unit of mainland China in the code table, sorted by adcode."""
    with adcodes_path.open(encoding="utf-8", newline="") as f:
        rows = [(line, r["adcode"][:6], r) for line, r in enumerate(csv.DictReader(f), start=2)]
    names = {code: r["name"] for _, code, r in rows}
    units = []
    for line, code, row in rows:
        province_code = code[:2]
        if (
            code.endswith("00")
            or province_code in EXCLUDED_PROVINCE_CODES
            or code in PSEUDO_UNIT_CODES
            or code[4] == "7"
        ):
            continue
        prefecture_code = code[:4] + "00"
        has_prefecture = prefecture_code in names
        unit_type = unit_type_of(row["name"], has_prefecture=has_prefecture)
        province = provinces[province_code]
        units.append(
            AdminUnit(
                adcode=code,
                name=row["name"],
                unit_type=unit_type,
                prefecture_code=prefecture_code if has_prefecture else None,
                prefecture=names[prefecture_code] if has_prefecture else DIRECTLY_ADMINISTERED,
                province_code=province_code,
                province=province.name,
                region=province.region,
                universe=universe_of(unit_type, province_code),
                longitude=float(row["longitude"]) if row["longitude"] else None,
                latitude=float(row["latitude"]) if row["latitude"] else None,
                source_row=line,
            )
        )
    return sorted(units, key=lambda u: u.adcode)


def read_prefectures(adcodes_path: Path, provinces: dict[str, Province]) -> dict[tuple[str, str], str]:
    """(province, prefecture name) -> 6-digit code, for every prefecture-level unit of the mainland,
    including those with no county-level unit under them (东莞市, 中山市, 儋州市, 嘉峪关市)."""
    with adcodes_path.open(encoding="utf-8", newline="") as f:
        rows = [(r["adcode"][:6], r["name"]) for r in csv.DictReader(f)]
    return {
        (provinces[code[:2]].name, name): code
        for code, name in rows
        if code.endswith("00") and not code.endswith("0000") and code[:2] in provinces
    }


@dataclass(frozen=True)
class Resolution:
    adcode: str | None
    error: str | None = None


class Resolver:
    """Resolves a (province, prefecture, name) as printed in a source to an adcode.

    Provinces may be printed in short form (内蒙古, 广西); prefectures by a unique prefix of their
    name (巴音郭楞 for 巴音郭楞蒙古自治州) or by a direct-administration mark. Names that changed since
    the source was printed go through the alias table. Nothing is guessed: an unresolved or
    ambiguous name comes back as an error saying why.
    """

    def __init__(
        self,
        units: list[AdminUnit],
        provinces: dict[str, Province],
        aliases: dict[tuple[str, str], str] | None = None,
        prefectures: dict[tuple[str, str], str] | None = None,
    ) -> None:
        self._provinces = {p.name: p for p in provinces.values()}
        self._provinces.update({p.short_name: p for p in provinces.values()})
        self._by_name: dict[tuple[str, str], list[AdminUnit]] = defaultdict(list)
        for unit in units:
            self._by_name[(unit.province, unit.name)].append(unit)
        self._prefectures: dict[str, set[str]] = defaultdict(set)
        for unit in units:
            self._prefectures[unit.province].add(unit.prefecture)
        self._by_bare_name: dict[str, list[AdminUnit]] = defaultdict(list)
        for unit in units:
            self._by_bare_name[unit.name].append(unit)
        self._units = {u.adcode: u for u in units}
        self._aliases = aliases or {}
        self._prefecture_codes = prefectures or {}

    def province(self, printed: str) -> Province | None:
        return self._provinces.get(printed.strip())

    def resolve(self, province: str, prefecture: str, name: str) -> Resolution:
        found = self.province(province)
        if found is None:
            return Resolution(None, f"unknown province {province!r}")
        name = name.strip()
        alias = self._aliases.get((found.name, name))
        if alias is not None:
            return (
                Resolution(alias)
                if alias in self._units
                else Resolution(None, f"alias of {name!r} points to unknown adcode {alias}")
            )
        candidates = self._by_name.get((found.name, name), [])
        prefecture = prefecture.strip()
        if prefecture and prefecture not in DIRECT_ADMINISTRATION_MARKS:
            matches = [p for p in self._prefectures[found.name] if p.startswith(prefecture)]
            if len(matches) != 1:
                return Resolution(None, f"prefecture {prefecture!r} matches {len(matches)} in {found.name}")
            candidates = [c for c in candidates if c.prefecture == matches[0]]
        if not candidates:
            return Resolution(None, f"no unit named {name!r} in {found.name} {prefecture}".rstrip())
        if len(candidates) > 1:
            codes = ", ".join(c.adcode for c in candidates)
            return Resolution(None, f"{name!r} is ambiguous in {found.name}: {codes}")
        return Resolution(candidates[0].adcode)

    def resolve_prefecture(self, province: str, prefecture: str) -> Resolution:
        """A prefecture-level unit by its full name; its 6-digit code (xxxx00) comes back as `adcode`."""
        found = self.province(province)
        if found is None:
            return Resolution(None, f"unknown province {province!r}")
        code = self._prefecture_codes.get((found.name, prefecture.strip()))
        if code is None:
            return Resolution(None, f"no prefecture named {prefecture!r} in {found.name}")
        return Resolution(code)

    def provinces(self) -> list[Province]:
        return sorted(set(self._provinces.values()), key=lambda p: p.code)

    def resolve_anywhere(self, name: str, universe: str) -> Resolution:
        """A name printed with no province (as in the cluster tables): unique in its universe, or an error."""
        name = name.strip()
        candidates = [u for u in self._by_bare_name.get(name, []) if u.universe == universe]
        if not candidates:
            return Resolution(None, f"no {universe} named {name!r} anywhere")
        if len(candidates) > 1:
            places = ", ".join(f"{c.adcode} {c.province}{c.prefecture}" for c in candidates)
            return Resolution(None, f"{name!r} is ambiguous: {places}")
        return Resolution(candidates[0].adcode)

    def unit(self, adcode: str) -> AdminUnit:
        return self._units[adcode]


def read_aliases(path: Path) -> dict[tuple[str, str], str]:
    """(province, printed name) -> adcode, for names a source prints that the code table no longer has."""
    with path.open(encoding="utf-8", newline="") as f:
        return {(r["province"], r["printed_name"]): r["adcode"] for r in csv.DictReader(f)}


@dataclass(frozen=True)
class CodeChange:
    """A documented change of a county-level adcode (data/reference/divisions/code_changes.csv).

    `same_area`: the new unit is the old one's area under a new code (撤县设区, 撤市设区, 更名), so its
    statistics continue across the change; a merger or a split is not, and is only explained."""

    old_adcode: str
    old_name: str
    new_adcode: str
    new_name: str
    year: int
    kind: str
    same_area: bool
    source: str

    def __str__(self) -> str:
        old, new = f"{self.old_adcode} {self.old_name}", f"{self.new_adcode} {self.new_name}"
        return f"{self.kind} {self.year}: {old} → {new}, {self.source}"


def read_code_changes(path: Path) -> list[CodeChange]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            CodeChange(
                r["old_adcode"],
                r["old_name"],
                r["new_adcode"],
                r["new_name"],
                int(r["year"]),
                r["kind"],
                {"true": True, "false": False}[r["same_area"]],
                r["source"],
            )
            for r in csv.DictReader(f)
        ]


class Dimension:
    """The administrative dimension as raw statistics are judged against it: which adcode a printed code
    stands for today (following same-area code changes), which names a unit goes by (its name, its
    aliases, its names before a same-area change), and what the code changes say about a unit."""

    def __init__(
        self, units: list[AdminUnit], aliases: dict[tuple[str, str], str], changes: list[CodeChange]
    ) -> None:
        self.units = {u.adcode: u for u in units}
        self._changes = changes
        self._successor = {c.old_adcode: c.new_adcode for c in changes if c.same_area}
        self._names: dict[str, set[str]] = defaultdict(set)
        for unit in units:
            self._names[unit.adcode].add(unit.name)
        for (_, printed), adcode in aliases.items():
            self._names[adcode].add(printed)
        for change in changes:
            if change.same_area:
                self._names[change.new_adcode].add(change.old_name)

    def current(self, adcode: str) -> str:
        """The adcode a printed code stands for today: itself, or where same-area changes led it."""
        seen = {adcode}
        while adcode in self._successor:
            adcode = self._successor[adcode]
            if adcode in seen:
                raise ValueError(f"code changes form a cycle through {adcode}")
            seen.add(adcode)
        return adcode

    def name_contradiction(self, adcode: str, name: str | None) -> str | None:
        """Why a row's name is not its (current) adcode's, or None when it is, or either is unknown."""
        unit = self.units.get(adcode)
        if unit is None or not name or name in self._names[adcode]:
            return None
        return f"name {name!r} but adcode {adcode} is {unit.name}"

    def explain(self, adcode: str) -> str | None:
        """The code changes a unit took part in, as `kind year: old → new, source`; None if none."""
        known = [str(c) for c in self._changes if adcode in (c.old_adcode, c.new_adcode)]
        return "; ".join(known) or None
