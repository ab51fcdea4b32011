"""The claims ledger as an asset check: every stated figure confirmed, or contradicted for a known reason.

A contradiction is known when the report disagrees with its own ranking table, or with its own other
statements (a share against the counts it is a share of), or when our city-cluster membership counts
differently and data/reference/city_clusters/report_counts.csv says why. Any other contradiction is news:
the check fails (as a warning). Claims that need real county statistics are not computable from the
bundled data and are counted, not failed; agreements built into the inputs (by_construction) and those with
the report's other statements (checked_against_statements) are counted apart from the confirmed ones.
"""

import csv

from dagster import AssetCheckResult, AssetCheckSeverity, AssetKey, MetadataValue, asset_check

from dagster_project.resources import DataDirectory, Warehouse

CLAIMS = AssetKey(["marts", "claims"])
EXPLAINED_CLUSTER_COUNTS = "city_clusters/report_counts.csv"
STATUSES = ("confirmed", "checked_against_statements", "by_construction", "contradicted", "not_computable")


@asset_check(
    asset=CLAIMS,
    name="claims_ledger",
    description="Every stated figure is confirmed, or contradicted for a reason written beside the data.",
)
def claims_ledger(data_dir: DataDirectory, warehouse: Warehouse) -> AssetCheckResult:
    with (data_dir.reference / EXPLAINED_CLUSTER_COUNTS).open(encoding="utf-8", newline="") as f:
        explained = {
            f"{r['edition_year']}/industrial_county/city_cluster_count/{r['area']}"
            for r in csv.DictReader(f)
            if r["published_count"] and r["published_count"] != r["computed_count"]
        }
    with warehouse.get_connection() as con:
        rows = con.execute(
            "select claim_id, status, published_value, computed_value, "
            "report_contradicts_own_table or checked_against = 'statements', cited_from "
            "from marts.claims order by claim_id"
        ).fetchall()
    counts = {status: sum(1 for r in rows if r[1] == status) for status in STATUSES}
    contradicted = [r for r in rows if r[1] == "contradicted"]
    unexplained = [r for r in contradicted if not r[4] and r[0] not in explained]
    table = "\n".join(
        f"| {claim} | {cited} | {published} | {computed} | {'the report itself' if own else 'membership'} |"
        for claim, _, published, computed, own, cited in contradicted
    )
    return AssetCheckResult(
        passed=not unexplained,
        severity=AssetCheckSeverity.WARN,
        description=None
        if not unexplained
        else f"{len(unexplained)} claims contradicted or not computable for no known reason",
        metadata={
            **counts,
            "unexplained": MetadataValue.json([r[0] for r in unexplained]),
            "contradicted_claims": MetadataValue.md(
                "| claim | where | report says | we compute | why |\n| --- | --- | --- | --- | --- |\n"
                + table
            ),
        },
    )
