"""An independent pandas/numpy re-implementation of docs/methodology.md, to check the dbt marts against."""
