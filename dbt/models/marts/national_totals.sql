select
    *,
    [source_file] as source_files
from {{ ref('stg_raw__national_totals') }}
where {{ in_data_years() }}
order by data_year
