select *
from {{ ref('stg_reference__admin_units') }}
order by adcode
