select
    data_year,
    universe,
    adcode,
    indicator,
    raw_value,
    treated_value,
    normalized_value,
    synthetic,
    source_files,
    is_imputed,
    missing_treatment
from {{ ref('int_indicators__normalized') }}
where {{ in_data_years() }}
order by data_year, universe, indicator, adcode
