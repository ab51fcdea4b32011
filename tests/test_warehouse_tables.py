"""The raw tables' year replacement, on a real in-memory DuckDB: what a run writes and what it keeps."""

import duckdb
import pandas as pd
import pytest

from dagster_project.lib.warehouse import replace_years

pytestmark = pytest.mark.independent  # the rows written by hand


def test_a_new_column_is_added_to_an_existing_table_and_null_for_the_years_kept() -> None:
    con = duckdb.connect()
    replace_years(
        con, "raw", "t", pd.DataFrame({"folder_year": [2021, 2022], "gdp": [1.0, 2.0]}), [2021, 2022]
    )
    newer = pd.DataFrame({"folder_year": [2022], "gdp": [3.0], "synthetic": [True]})
    replace_years(con, "raw", "t", newer, [2022])
    assert con.execute("from raw.t order by folder_year").fetchall() == [(2021, 1.0, None), (2022, 3.0, True)]
