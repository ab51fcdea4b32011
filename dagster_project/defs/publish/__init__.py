"""What analysts open: the published DuckDB file, Parquet, workbooks, figures, report site, dbt docs."""
