-- Every indicator of the catalogue has a formula in int_indicators__raw: a check of that model in Dagster.
{{ config(meta={'dagster': {'ref': {'name': 'int_indicators__raw'}}}) }}
select catalogue.indicator
from {{ ref('stg_engine__indicator_catalogue') }} as catalogue
left join (select distinct indicator from {{ ref('int_indicators__raw') }}) as computed using (indicator)
where computed.indicator is null
