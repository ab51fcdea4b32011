from dagster_project.claims import claims_ledger

__all__ = ["claims_ledger"]
