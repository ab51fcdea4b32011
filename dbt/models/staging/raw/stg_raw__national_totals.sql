select
    data_year::integer as data_year,
    gdp,
    va_industry,
    population_resident,
    above_scale_enterprises,
    above_scale_revenue,
    above_scale_profit,
    exports,
    retail_sales,
    rd_expenditure,
    industry_va_growth,
    source,
    synthetic,
    source_file,
    source_sha256
from {{ source('raw', 'national_totals') }}
