from dagster_project.reference.admin_units import admin_units, admin_units_check

__all__ = ["admin_units", "admin_units_check"]
