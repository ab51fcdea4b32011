"""The marts against every distribution figure the two editions state in their text.

data/reference/report_figures.csv holds the figures (edition, list, where printed, value). Where a
report contradicts its own ranking table, the row's table_value says what the table gives: the marts
follow the table, and this test pins both numbers, so a silent change to either shows up.

Sixteen figures agree by construction (the ledger's stated_input): the tier bounds of both editions, which
data/reference/published_tier_bounds.csv transcribes from these very statements, and the tier sizes they
imply.
Their cases are marked by_construction: they show the transcription carried, never the report confirmed.
"""

import csv

import pytest

from dagster_project.lib import registry
from dagster_project.resources import DEFAULT_DATA_DIR

pytestmark = pytest.mark.independent  # the editions' statements against counts of their tables

FIGURES_FILE = DEFAULT_DATA_DIR / "reference" / "report_figures.csv"
# Where our curated city-cluster membership counts differently from a report, this file says why.
CLUSTER_COUNTS_FILE = DEFAULT_DATA_DIR / "reference" / "city_clusters" / "report_counts.csv"
STANDARD_BANDS = {"1-20", "21-40", "41-60", "61-80", "81-100"}


def _figures():
    with FIGURES_FILE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


EDITIONS = {str(e) for e in registry.editions_present(DEFAULT_DATA_DIR / "reference")}


def is_computable(figure: dict) -> bool:
    """Shares of national totals other than the share of units need real county statistics, and a figure
    about an edition whose ranking table is not here (a 较上年 statement about the edition before) needs
    that table: the claims ledger marks both not_computable, and no case is generated for them."""
    if figure["edition_year"] not in EDITIONS:
        return False
    return figure["measure"] != "list_share" or figure["key"] == "units"


def is_stated_input(figure: dict) -> bool:
    """A figure the marts were built from (the tier bounds, through data/reference/published_tier_bounds.csv,
    and the tier sizes they imply): the ledger says stated_input, never confirmed."""
    return figure["measure"] == "tier_bounds" or (
        figure["measure"] == "tier_count" and figure["key"].endswith(":total")
    )


FIGURES = _figures()
COMPUTABLE = [f for f in FIGURES if is_computable(f)]


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
    "area_ranks": f"""select count(*) from marts.published_rankings
                      where {SCOPE} and (province = ? or region = ?) and rank between ? and ?""",
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
}


def computed(con, figure):
    if not is_computable(figure):
        return None
    measure, key = figure["measure"], figure["key"]
    scope = [int(figure["edition_year"]), figure["list"]]
    if measure == "rank_band_count":
        area, band = key.split(":")
        if band in STANDARD_BANDS and area not in REGIONS:
            measure, parameters = "province_band", [area, band]
        else:  # a region, or a band the mart does not hold (e.g. 东部 in the top 10)
            first, last = (int(x) for x in band.split("-"))
            measure, parameters = "area_ranks", [area, area, first, last]
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
    measures = {f["measure"] for f in FIGURES}
    assert measures == {
        "province_count",
        "region_count",
        "unit_type_count",
        "provinces_represented",
        "province_leader_rank",
        "rank_band_count",
        "tier_bounds",
        "tier_count",
        "city_cluster_count",
        "list_share",
        "cluster_count",
    }
    bands_2024 = [
        f
        for f in COMPUTABLE
        if f["edition_year"] == "2024"
        and f["list"] == "industrial_district"
        and f["measure"] == "rank_band_count"
    ]
    assert len(bands_2024) == 18 * 5, "the 2024 districts' 图20 is there in full"
    not_computable = [f for f in FIGURES if not is_computable(f)]
    shares = [f for f in not_computable if f["measure"] == "list_share"]
    assert len(shares) == 18
    # the 较上年 statements of both editions about the edition before: 4 regions of 2 lists in each, 2 * 4 * 2
    assert len(not_computable) - len(shares) == 16
    assert {f["measure"] for f in not_computable} == {"list_share", "region_count"}


@pytest.mark.parametrize(
    "figure",
    [
        pytest.param(
            f,
            id=f"{f['edition_year']}-{f['list']}-{f['measure']}-{f['key']}",
            marks=pytest.mark.by_construction if is_stated_input(f) else (),
        )
        for f in COMPUTABLE
    ],
)
def test_marts_reproduce_the_figure(published, figure):
    """The figure computed from the marts: the statement itself where the report agrees with its tables; the
    table's value where it does not (table_value); our count where our city-cluster membership differs
    (report_counts.csv says why: those cases confirm our count, not the report's); by construction for the
    tier bounds and sizes (is_stated_input)."""
    value = computed(published, figure)
    if figure["measure"] == "list_share":
        assert abs(value - float(figure["published_value"])) <= float(figure["tolerance"])
    elif figure["measure"] == "city_cluster_count":
        counted = CLUSTER_COUNTS[(figure["edition_year"], figure["key"])]
        assert counted["published_count"] == figure["published_value"], "the two transcriptions agree"
        assert value == int(counted["computed_count"]), counted["note"]
    elif figure["table_value"]:
        assert value == int(figure["table_value"]), "the marts follow the ranking table"
        assert value != int(figure["published_value"]), "the report disagrees with its own table (README)"
    elif figure["measure"] == "tier_bounds":
        assert value == figure["published_value"]
    else:
        assert value == int(figure["published_value"])


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
        claim_id = "/".join([figure["edition_year"], figure["list"], figure["measure"], figure["key"]])
        status, value = ledger[claim_id]
        expected = computed(published, figure)
        if expected is None:
            assert (status, value) == ("not_computable", None), claim_id
            continue
        assert (
            float(value) == pytest.approx(float(expected))
            if figure["measure"] == "list_share"
            else value == str(expected)
        ), claim_id
        tolerance = float(figure["tolerance"] or 0)
        agrees = value == figure["published_value"] or (
            figure["measure"] != "tier_bounds"
            and abs(float(value) - float(figure["published_value"])) <= tolerance
        )
        # the tier bounds were transcribed from these very statements into the seed the marts use: their
        # agreement shows the transcription, not the report (the ledger says stated_input, not confirmed)
        if_agrees = "stated_input" if is_stated_input(figure) else "confirmed"
        assert status == (if_agrees if agrees else "contradicted"), claim_id


@pytest.mark.consistency
def test_every_contradicted_claim_is_listed_in_the_readme(published):
    readme = (DEFAULT_DATA_DIR.parent / "README.md").read_text(encoding="utf-8")
    contradicted = published.execute("select key from marts.claims where status = 'contradicted'").fetchall()
    assert len(contradicted) == 18
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
    # 365 distribution figures less the 16 the marts were built from (8 tier bounds, 8 tier sizes), the
    # share of units of both editions, 9 statements on the cluster tables
    assert evaluation.metadata["confirmed"].value == 365 - 16 + 2 + 9
    assert evaluation.metadata["stated_input"].value == 16
    assert evaluation.metadata["contradicted"].value == 18
    # 18 shares that need real county statistics, 16 statements about editions whose table is not here
    assert evaluation.metadata["not_computable"].value == 18 + 16


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
