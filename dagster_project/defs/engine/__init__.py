"""The competitiveness engine's Python steps (its SQL steps are dbt models: transform/)."""
