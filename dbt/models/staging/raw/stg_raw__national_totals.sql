-- 全国总量 per data year. The measures are the raw table's columns, and those follow
-- config/national_totals.yaml (the ingest adds a new measure's column to an existing table): a measure added
-- there reaches the shares with no edit here. Measures as double whatever the file holds: a value with
-- decimals must not change the marts' types (the marts' contracts fix them). Excluded: what only the
-- ingest reads.
select
    data_year::integer as data_year,
    columns(* exclude (
        data_year, source, synthetic, source_row, folder_year, source_file, source_sha256, loaded_at, run_id
    ))::double,
    source,
    synthetic,
    source_file,
    source_sha256
from {{ source('raw', 'national_totals') }}
