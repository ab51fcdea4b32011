"""The competitiveness engine's Python parts: AHP weights (tiers are a dbt Python model)."""
