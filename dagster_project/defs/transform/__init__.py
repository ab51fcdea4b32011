"""The dbt project as assets, and the checks on its marts beyond dbt's own tests."""
