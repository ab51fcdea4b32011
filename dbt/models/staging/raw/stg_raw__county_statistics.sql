-- The raw county statistics, one row per unit and data year. The measures are the raw table's columns, and
-- those follow config/raw_statistics.yaml (the ingest adds a new measure's column to an existing table):
-- a measure added there reaches the indicators with no edit here. Excluded: what only the ingest reads.
select
    * exclude (name, folder_year, loaded_at, run_id, adcode_as_printed, yoy_max_jump, yoy_jump_column, yoy_zero_column)
    replace (data_year::integer as data_year, source_row::integer as source_row)
from {{ source('raw', 'county_statistics') }}
