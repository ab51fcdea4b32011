"""The marts against every distribution figure the two editions state in their text.

data/reference/report_figures.csv holds the figures (edition, list, where printed, value). Where a
report contradicts its own ranking table, the row's table_value says what the table gives: the marts
follow the table, and this test pins both numbers, so a silent change to either shows up.

Some figures agree by construction (the ledger's by_construction): the tier bounds of both editions, which
data/reference/published_tier_bounds.csv transcribes from these very statements, the tier sizes they
imply, and the smart-factory counts the synthetic demo panel was generated to match. Their cases are marked
by_construction: they show the transcription carried, never the report confirmed. Statements checked against
the edition's other statements (a share against the counts it is a share of) are evaluated here from the
register's published values, apart from the SQL.
"""

import csv
import re

import pytest

from dagster_project.lib import registry
from dagster_project.resources import DEFAULT_DATA_DIR

pytestmark = pytest.mark.independent  # the editions' statements against counts of their tables

FIGURES_FILE = DEFAULT_DATA_DIR / "reference" / "report_figures.csv"
# Where our curated city-cluster membership counts differently from a report, this file says why.
CLUSTER_COUNTS_FILE = DEFAULT_DATA_DIR / "reference" / "city_clusters" / "report_counts.csv"
STANDARD_BANDS = {"1-20", "21-40", "41-60", "61-80", "81-100"}


def _figures():
    """The register's rows; comparison and against are optional columns (empty on older rows)."""
    with FIGURES_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["comparison"] = row.get("comparison") or "="
        row["against"] = row.get("against") or ""
        row["claim_id"] = "/".join(
            [row["edition_year"], row["list"] or "edition", row["measure"], row["key"]]
        )
    return rows


FIGURES = _figures()
BY_ID = {f["claim_id"]: f for f in FIGURES}
MEASURES = registry.claim_measures()
# The smart-factory counts of the demo panel: its generator places exactly the published counts.
SMART_FACTORY_AREAS = {"county_total", "region", "province"}


EDITIONS = {str(e) for e in registry.editions_present(DEFAULT_DATA_DIR / "reference")}


def is_computable(figure: dict) -> bool:
    """What needs real statistics is not computable: shares of national totals other than the share of
    units, amounts, growth rates, counts over a threshold, the totals of smart factories; and
    a statement about an edition whose ranking table is not here (a 较上年 statement about the edition
    before) needs that table."""
    if figure["edition_year"] not in EDITIONS:
        return False
    measure, key = figure["measure"], figure["key"]
    if measure == "list_share":
        return key == "units"
    if measure == "smart_factory_count":
        scope, level = key.split(":")[:2]
        return scope == "national_demonstration" and level in SMART_FACTORY_AREAS
    if MEASURES[measure].evaluated_against == "statements":
        return all(
            _number(BY_ID[other]["published_value"]) is not None for other in figure["against"].split(";")
        )
    return MEASURES[measure].evaluated_against == "marts"


def is_by_construction(figure: dict) -> bool:
    """A figure the marts were built from (the tier bounds, through data/reference/published_tier_bounds.csv,
    and the tier sizes they imply), or one the demo panel was generated to match (smart factories): the
    ledger says by_construction, never confirmed."""
    return figure["measure"] in ("tier_bounds", "smart_factory_count") or (
        figure["measure"] == "tier_count" and figure["key"].endswith(":total")
    )


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def agrees(value, figure: dict) -> bool:
    """The statement's comparison, written out: = within the tolerance (or the same text), > >= < <=, and
    near (at most the stated value, by no more than the tolerance)."""
    published, tolerance = figure["published_value"], float(figure["tolerance"] or 0)
    if str(value) == published:
        return True
    number, stated = _number(str(value)), float(published) if _number(published) is not None else None
    if number is None or stated is None:
        return False
    return {
        "=": abs(number - stated) <= tolerance + 1e-9,
        ">": number > stated,
        ">=": number >= stated,
        "<": number < stated,
        "<=": number <= stated,
        "near": stated - tolerance - 1e-9 <= number <= stated,
    }[figure["comparison"]]


def from_statements(figure: dict) -> float:
    """A statement computed from the published values of the other statements it names."""
    values = [float(BY_ID[other]["published_value"]) for other in figure["against"].split(";")]
    return round(
        {
            "share_of_stated": lambda: 100 * sum(values[:-1]) / values[-1],
            "difference_of_stated": lambda: values[0] - values[1],
            "sum_of_stated": lambda: sum(values),
        }[figure["measure"]](),
        2,
    )


COMPUTABLE = [f for f in FIGURES if is_computable(f)]
# Where an edition's statement disagrees with its own other statements: the value they give, by hand.
KNOWN_STATEMENT_CONTRADICTIONS = {
    "2024/edition/share_of_stated/national_demonstration:region:东部": 39.13,  # 45 of 115, not 41.1%
    "2024/edition/share_of_stated/national_demonstration:region:中部": 33.91,  # 39 of 115, not 32.2%
    "2024/edition/share_of_stated/national_demonstration:region:西部": 24.35,  # 28 of 115, not 23.3%
    "2024/industrial_county/share_of_stated/江苏省:约四分之三": 57.5,  # 23 of 40, not about 3/4
    "2024/industrial_county/share_of_stated/浙江省:超三分之二": 47.17,  # 25 of 53, not over 2/3
    "2024/industrial_district/sum_of_stated/industrial_value_added_500亿:东部": 48,  # 17+16+10+4+1, not 52
    "2022/industrial_district/share_of_stated/industrial_value_added_500亿:东北:超过75%": 3.7,  # 2 of 54
    "2022/industrial_county/share_of_stated/national_clusters:东部:约三分之二": 61.11,  # 11 of 18
}


REGIONS = set(registry.regions())
SCOPE = "edition_year = ? and list = ?"
QUERIES = {
    "province_count": f"""select coalesce(sum(unit_count), 0) from marts.published_ranking_province_counts
                          where {SCOPE} and province = ?""",
    "region_count": f"""select unit_count from marts.published_ranking_region_counts
                        where {SCOPE} and region = ?""",
    "unit_type_count": f"""select coalesce(sum(unit_count), 0) from marts.published_ranking_unit_type_counts
                           where {SCOPE} and unit_type = ?""",
    "provinces_represented": f"select count(*) from marts.published_ranking_province_counts where {SCOPE}",
    "province_leader_rank": f"""select max(rank) from marts.published_ranking_province_leaders
                                where {SCOPE} and province = ? and name = ?""",
    "province_band": f"""select coalesce(max(unit_count), 0) from marts.published_ranking_rank_bands
                         where {SCOPE} and province = ? and rank_band = ?""",
    "tier_bounds": f"""select any_value(first_rank || '-' || last_rank) from marts.published_ranking_tiers
                       where {SCOPE} and tier = ?""",
    "tier_count": f"""select coalesce(max(unit_count), 0) from marts.published_ranking_tiers
                      where {SCOPE} and tier = ? and area = ?""",
    "city_cluster_count": f"""select coalesce(max(unit_count), 0) from marts.city_cluster_counts
                              where {SCOPE} and area = ?""",
    "units_share": "select 100 * 100 / count(*) from marts.admin_units",
    "cluster_total": """select count(distinct seq) from marts.published_national_clusters
                        where edition_year = ?""",
    "cluster_count": """select cluster_count from marts.cluster_counts
                        where edition_year = ? and table_name = ? and category = ?""",
    "unit_rank": f"""select max(rank) from marts.published_rankings
                     where {SCOPE} and province = ? and name = ?""",
    "list_rows": f"""select province, region, unit_type from marts.published_rankings
                     where {SCOPE} and rank between ? and ?""",
    "province_listed": f"select count(*) from marts.published_rankings where {SCOPE} and province = ?",
    "universe_units": "select count(*) from marts.admin_units where universe = ? and province = ?",
    "smart_factory_count": """select computed_count from marts.smart_factories
                              where edition_year = ? and scope = ? and level = ?
                              and area is not distinct from ?""",
}


def computed(con, figure):
    if not is_computable(figure):
        return None
    measure, key = figure["measure"], figure["key"]
    scope = [int(figure["edition_year"]), figure["list"]]
    if not is_computable(figure):
        return None
    if MEASURES[measure].evaluated_against == "statements":
        return from_statements(figure)
    if measure == "unit_rank":
        rank = con.execute(QUERIES["unit_rank"], scope + key.split(":")[:2]).fetchone()[0]
        return "absent" if rank is None else rank
    if measure == "list_fraction":
        areas, band = (key.split(":") + [""])[:2]
        first, last = (int(x) for x in (band or "1-100").split("-"))
        rows = con.execute(QUERIES["list_rows"], scope + [first, last]).fetchall()
        inside = sum(1 for row in rows if set(row) & set(areas.split("+")))
        return round(100 * inside / len(rows), 2)
    if measure == "smart_factory_count":
        scope_id, level, area = (key.split(":") + [""])[:3]
        return con.execute(
            QUERIES["smart_factory_count"], [scope[0], scope_id, level, area or None]
        ).fetchone()[0]
    if measure in ("province_coverage", "province_universe_units"):  # counted from the rows of both tables
        province = key.split(":")[0]
        universe = registry.ranking_list(figure["list"]).universe
        units = con.execute(QUERIES["universe_units"], [universe, province]).fetchone()[0]
        listed = con.execute(QUERIES["province_listed"], [*scope, province]).fetchone()[0]
        if measure == "province_universe_units":
            return units
        return round(100 * listed / units, 2) if listed else None
    if measure == "top_n_count":  # the head of the list, counted here from the ranking table's rows
        areas, cutoff = key.split(":")
        rows = con.execute(QUERIES["list_rows"], scope + [1, int(cutoff)]).fetchall()
        return sum(1 for row in rows if set(row) & set(areas.split("+")))
    if measure == "rank_band_count":
        area, band = key.split(":")
        assert band in STANDARD_BANDS and area not in REGIONS, "a province's band of 图13/图20"
        measure, parameters = "province_band", [area, band]
    elif measure == "tier_count":
        tier, area = key.split(":")
        parameters = [int(tier), "全部" if area == "total" else area]
    elif measure == "tier_bounds":
        parameters = [int(key)]
    elif measure == "cluster_count":
        table, category = key.split(":")
        if category == "total":
            return con.execute(QUERIES["cluster_total"], scope[:1]).fetchone()[0]
        return con.execute(QUERIES["cluster_count"], [scope[0], table, category]).fetchone()[0]
    elif measure == "list_share":
        return con.execute(QUERIES["units_share"]).fetchone()[0]
    else:
        parameters = [part for part in key.split(":") if part]
    return con.execute(QUERIES[measure], scope + parameters).fetchone()[0]


def _cluster_counts():
    with CLUSTER_COUNTS_FILE.open(encoding="utf-8", newline="") as f:
        return {(r["edition_year"], r["area"]): r for r in csv.DictReader(f)}


CLUSTER_COUNTS = _cluster_counts()


@pytest.mark.consistency
def test_the_figures_file_covers_what_the_marts_compute():
    """Every measure of the registry is in the register (tests/test_claim_measures.py holds it to the SQL);
    the 2024 districts' 图20 is there in full; what is not computable needs real statistics."""
    assert {f["measure"] for f in FIGURES} == set(MEASURES)
    bands_2024 = [
        f
        for f in COMPUTABLE
        if f["edition_year"] == "2024"
        and f["list"] == "industrial_district"
        and f["measure"] == "rank_band_count"
    ]
    assert len(bands_2024) == 18 * 5, "the 2024 districts' 图20 is there in full"
    not_computable = {f["measure"] for f in FIGURES if not is_computable(f)}
    assert not_computable == {
        "list_share",
        "region_count",
        "stated_amount",
        "stated_growth",
        "threshold_count",
    }


@pytest.mark.parametrize(
    "figure",
    [
        pytest.param(
            f,
            id=f"{f['edition_year']}-{f['list']}-{f['measure']}-{f['key']}",
            marks=pytest.mark.by_construction if is_by_construction(f) else (),
        )
        for f in COMPUTABLE
    ],
)
def test_marts_reproduce_the_figure(published, figure):
    """The figure computed from the marts, or from the other statements it names: the statement itself where
    the report agrees; the table's value where it does not (table_value); the value the other statements give
    where they contradict it (KNOWN_STATEMENT_CONTRADICTIONS); our count where our city-cluster membership
    differs (report_counts.csv says why: those cases confirm our count, not the report's); by construction
    for the tier bounds and sizes and the demo panel's smart factories (is_by_construction)."""
    value = computed(published, figure)
    if figure["claim_id"] in KNOWN_STATEMENT_CONTRADICTIONS:
        assert value == pytest.approx(KNOWN_STATEMENT_CONTRADICTIONS[figure["claim_id"]])
        assert not agrees(value, figure), "the report contradicts its own other statements (README)"
    elif figure["measure"] == "list_share":
        assert abs(value - float(figure["published_value"])) <= float(figure["tolerance"])
    elif figure["measure"] == "city_cluster_count":
        counted = CLUSTER_COUNTS[(figure["edition_year"], figure["key"])]
        assert counted["published_count"] == figure["published_value"], "the two transcriptions agree"
        assert value == int(counted["computed_count"]), counted["note"]
    elif figure["table_value"]:
        assert float(value) == pytest.approx(float(figure["table_value"])), (
            "the marts follow the ranking table"
        )
        assert not agrees(value, figure), "the report disagrees with its own table (README)"
    else:
        assert agrees(value, figure), (value, figure["published_value"], figure["comparison"])


@pytest.mark.consistency
def test_known_contradictions_are_the_ones_the_readme_lists():
    readme = (DEFAULT_DATA_DIR.parent / "README.md").read_text(encoding="utf-8")
    for figure in FIGURES:
        if figure["table_value"]:
            assert f"{figure['key']}" in readme, f"README does not list the contradiction {figure}"


@pytest.mark.consistency
def test_the_claims_ledger_agrees_with_this_independent_evaluation(published):
    """The ledger's value and status of every figure, evaluated again here: the queries above (not the SQL of
    marts.claims) over the same marts, and the status rules written out. It shows the ledger evaluates as
    this test does; whether the values are right is test_marts_reproduce_the_figure's business."""
    ledger = {
        claim_id: (status, computed_value)
        for claim_id, status, computed_value in published.execute(
            "select claim_id, status, computed_value from marts.claims"
        ).fetchall()
    }
    assert len(ledger) == len(FIGURES)
    for figure in FIGURES:
        claim_id = figure["claim_id"]
        status, value = ledger[claim_id]
        expected = computed(published, figure)
        if expected is None:
            assert (status, value) == ("not_computable", None), claim_id
            continue
        assert (
            float(value) == pytest.approx(float(expected))
            if figure["measure"] in ("list_share", "list_fraction") or "_of_stated" in figure["measure"]
            else value == str(expected)
        ), claim_id
        # the tier bounds were transcribed from these very statements into the seed the marts use: their
        # agreement shows the transcription, not the report (the ledger says by_construction)
        if_agrees = (
            "by_construction"
            if is_by_construction(figure)
            else "checked_against_statements"
            if MEASURES[figure["measure"]].evaluated_against == "statements"
            else "confirmed"
        )
        assert status == (if_agrees if agrees(value, figure) else "contradicted"), claim_id


@pytest.mark.consistency
def test_every_contradicted_claim_is_listed_in_the_readme(published):
    readme = (DEFAULT_DATA_DIR.parent / "README.md").read_text(encoding="utf-8")
    contradicted = published.execute("select key from marts.claims where status = 'contradicted'").fetchall()
    assert len(contradicted) == 18 + 2 + len(KNOWN_STATEMENT_CONTRADICTIONS)  # + the 中西部 share of tier 3
    for (key,) in contradicted:
        assert key in readme, key


@pytest.mark.consistency
def test_the_claims_ledger_check_passes_on_the_bundled_data(pipeline_run):
    """The check passes, and its tallies are the register's make-up (counted by hand from the register, not
    from the reports): it counts, it does not confirm."""
    [evaluation] = [
        e for e in pipeline_run.result.get_asset_check_evaluations() if e.check_name == "claims_ledger"
    ]
    assert evaluation.passed
    # counted by hand from the register's make-up: 16 tier bounds and sizes and 14 smart-factory counts by
    # construction; the 18 contradictions of the earlier ledger, the 中西部 share of tier 3 twice, and the
    # statements the report's other statements contradict; what needs real statistics not computable
    by_measure = {m: sum(1 for f in FIGURES if f["measure"] == m) for m in MEASURES}
    statements = sum(by_measure[m] for m in ("share_of_stated", "sum_of_stated", "difference_of_stated"))
    uncomputable = sum(by_measure[m] for m in ("stated_amount", "stated_growth", "threshold_count"))
    contradicted = 18 + 2 + len(KNOWN_STATEMENT_CONTRADICTIONS)
    assert evaluation.metadata["by_construction"].value == 16 + 14
    assert evaluation.metadata["contradicted"].value == contradicted
    assert evaluation.metadata["checked_against_statements"].value == statements - len(
        KNOWN_STATEMENT_CONTRADICTIONS
    )
    national_shares = sum(1 for f in FIGURES if f["measure"] == "list_share" and f["key"] != "units")
    uncomputable += national_shares  # shares of national totals other than that of units: real statistics
    uncomputable += 16  # 较上年 statements about the editions before (2021, 2023), whose tables are not here
    assert evaluation.metadata["not_computable"].value == uncomputable
    assert (
        evaluation.metadata["confirmed"].value
        == len(FIGURES)
        - 30
        - contradicted
        - (statements - len(KNOWN_STATEMENT_CONTRADICTIONS))
        - uncomputable
    )


@pytest.mark.parametrize(
    ("edition", "list_name", "stated_by", "stated_in_own_edition", "changes"),
    [
        # 2022 edition, county report §四(二): 2022 东部 70 (较上年新增 4), 中部 20 (较去年减少 3), 西部 9
        # (较上年减少 1), 东北 1 (仍为瓦房店市)
        (
            "2021",
            "industrial_county",
            "2022",
            {"东部": 70, "中部": 20, "西部": 9, "东北": 1},
            {"东部": 4, "中部": -3, "西部": -1, "东北": 0},
        ),
        # 2022 edition, district report §二(二): 东部 78 (+3), 中部 9 (-5), 西部 11 (+1), 东北 2 (+1)
        (
            "2021",
            "industrial_district",
            "2022",
            {"东部": 78, "中部": 9, "西部": 11, "东北": 2},
            {"东部": 3, "中部": -5, "西部": 1, "东北": 1},
        ),
        # 2024 edition, county report §3(二): 东部 71 (较上年增加 3), 中部 17 (较去年减少 4), 西部 11
        # (较上年增加 1), 东北 1 (仍为瓦房店市)
        (
            "2023",
            "industrial_county",
            "2024",
            {"东部": 71, "中部": 17, "西部": 11, "东北": 1},
            {"东部": 3, "中部": -4, "西部": 1, "东北": 0},
        ),
        # 2024 edition, district report §2(二): 东部 73 (-2), 中部 8 (-2), 西部 17 (+4), 东北 2 (与上年持平)
        (
            "2023",
            "industrial_district",
            "2024",
            {"东部": 73, "中部": 8, "西部": 17, "东北": 2},
            {"东部": -2, "中部": -2, "西部": 4, "东北": 0},
        ),
    ],
)
def test_the_previous_year_statements_are_claims_about_the_edition_before(
    edition, list_name, stated_by, stated_in_own_edition, changes
):
    """较上年: each statement is registered against the edition it compares with, at the stated count less
    the stated change (subtracted here by hand), citing the edition that states it."""
    registered = {
        f["key"]: f
        for f in FIGURES
        if f["edition_year"] == edition and f["list"] == list_name and f["measure"] == "region_count"
    }
    assert {k: int(f["published_value"]) for k, f in registered.items()} == {
        key: stated_in_own_edition[key] - change for key, change in changes.items()
    }
    assert all(f["source"].startswith(f"{stated_by} edition ") for f in registered.values())
    regions = [int(f["published_value"]) for f in registered.values()]
    assert sum(regions) == registry.ranking_list(list_name).top_n, "the four regions make up the list"


@pytest.mark.consistency
def test_the_stated_region_series_is_the_register_statements(published):
    """data/reference/stated_region_counts.csv (the figure's stated points) and the register's 较上年 claims
    are two transcriptions of the same statements: they agree, and the ledger cannot compute either yet."""
    stated = published.execute(
        "select edition_year, list, region, unit_count from marts.published_ranking_region_series "
        "where basis = 'stated'"
    ).fetchall()
    assert stated
    ledger = dict(
        published.execute(
            "select claim_id, published_value from marts.claims where status = 'not_computable'"
        ).fetchall()
    )
    for edition, list_name, region, count in stated:
        assert ledger[f"{edition}/{list_name}/region_count/{region}"] == str(count)


@pytest.mark.consistency
def stated_by(figure: dict) -> str:
    """The edition whose text makes the statement: the claim's own, or the one its citation names (a 较上年
    statement is a claim about the edition before)."""
    cited = re.match(r"(\d{4}) edition ", figure["source"])
    return cited.group(1) if cited else figure["edition_year"]


def test_the_readme_states_how_many_statements_are_registered():
    """The inventory of statements not registered (data/reference/report_statements_unregistered.csv) and
    the register give the README's counts, per edition and for both: registered of registered + not."""
    with (DEFAULT_DATA_DIR / "reference" / "report_statements_unregistered.csv").open(
        encoding="utf-8", newline=""
    ) as f:
        inventory = list(csv.DictReader(f))
    readme = (DEFAULT_DATA_DIR.parent / "README.md").read_text(encoding="utf-8")
    totals = [0, 0]
    for edition in sorted({stated_by(f) for f in FIGURES}):
        registered = sum(1 for f in FIGURES if stated_by(f) == edition)
        left = sum(int(row["statements"]) for row in inventory if row["edition_year"] == edition)
        assert f"{edition}: **{registered} of {registered + left}**" in readme
        totals = [totals[0] + registered, totals[1] + registered + left]
    assert f"both: **{totals[0]} of {totals[1]}**" in readme
