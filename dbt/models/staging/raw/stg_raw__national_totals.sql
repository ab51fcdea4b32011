-- Measures as double whatever the file holds: a value with decimals must not change the marts' types
-- (the marts' contracts fix them).
select
    data_year::integer as data_year,
    gdp::double as gdp,
    va_industry::double as va_industry,
    population_resident::double as population_resident,
    above_scale_enterprises::double as above_scale_enterprises,
    above_scale_revenue::double as above_scale_revenue,
    above_scale_profit::double as above_scale_profit,
    exports::double as exports,
    retail_sales::double as retail_sales,
    rd_expenditure::double as rd_expenditure,
    industry_va_growth::double as industry_va_growth,
    source,
    synthetic,
    source_file,
    source_sha256
from {{ source('raw', 'national_totals') }}
