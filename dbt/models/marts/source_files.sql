-- Every reference file behind the marts, with its sha256: the end of every lineage trail.
with

files as (
    select source_file, source_sha256, 'admin_units' as loaded_into
    from {{ ref('stg_reference__admin_units') }}
    union all
    select source_file, source_sha256, 'published_rankings' as loaded_into
    from {{ ref('stg_reference__published_rankings') }}
    union all
    select source_file, source_sha256, 'published_national_clusters' as loaded_into
    from {{ ref('stg_reference__national_clusters') }}
    union all
    select source_file, source_sha256, 'published_100bn_clusters' as loaded_into
    from {{ ref('stg_reference__100bn_clusters') }}
),

final as (
    select source_file, source_sha256, loaded_into, count(*) as row_count
    from files
    group by all
)

select * from final
order by source_file
