select * from {{ ref('stg_raw__national_totals') }}
order by data_year
