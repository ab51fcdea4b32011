-- The claims ledger: every figure the editions state (seed of the register: data/reference/report_figures.csv)
-- evaluated against the marts, as confirmed, contradicted (both values shown) or not computable. A claim
-- the marts were built from is stated_input, never confirmed: the tier bounds (published_tier_bounds.csv,
-- transcribed from these statements) and the tier sizes they imply; it is contradicted if the file differs.
{%- set scope = "edition_year = ? and list = ?" %}
{#- The files behind a claim: the register's, and those of the rows of the mart it is evaluated against
    (the mart's rows of the claim's edition and list), as a correlated subquery over that mart m. -#}
{%- set files = "list_sort(list_distinct(flatten(list(m.source_files))))" %}
{%- set in_scope = "where m.edition_year = f.edition_year and m.list = f.list" %}
with

figures as (
    select
        *,
        split_part(key, ':', 1) as key_part_1,
        split_part(key, ':', 2) as key_part_2
    from {{ ref('stg_reference__report_figures') }}
),

rankings as (select * from {{ ref('published_rankings') }}),

evaluated as (
    select f.claim_id, coalesce(c.unit_count, 0)::varchar as computed_value,
        'select unit_count from marts.published_ranking_province_counts where {{ scope }} and province = ?' as query,
        (select {{ files }} from {{ ref('published_ranking_province_counts') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_province_counts') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.province = f.key
    where f.measure = 'province_count'

    union all
    select f.claim_id, c.unit_count::varchar,
        'select unit_count from marts.published_ranking_region_counts where {{ scope }} and region = ?',
        (select {{ files }} from {{ ref('published_ranking_region_counts') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_region_counts') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.region = f.key
    where f.measure = 'region_count'

    union all
    select f.claim_id, coalesce(c.unit_count, 0)::varchar,
        'select unit_count from marts.published_ranking_unit_type_counts where {{ scope }} and unit_type = ?',
        (select {{ files }} from {{ ref('published_ranking_unit_type_counts') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_unit_type_counts') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.unit_type = f.key
    where f.measure = 'unit_type_count'

    union all
    select f.claim_id, count(c.province)::varchar,
        'select count(*) from marts.published_ranking_province_counts where {{ scope }}',
        (select {{ files }} from {{ ref('published_ranking_province_counts') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_province_counts') }} as c
        on c.edition_year = f.edition_year and c.list = f.list
    where f.measure = 'provinces_represented'
    group by f.claim_id, f.edition_year, f.list

    union all
    select f.claim_id, c.rank::varchar,
        'select rank from marts.published_ranking_province_leaders where {{ scope }} and province = ? and name = ?',
        (select {{ files }} from {{ ref('published_ranking_province_leaders') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_province_leaders') }} as c
        on c.edition_year = f.edition_year and c.list = f.list
        and c.province = f.key_part_1 and c.name = f.key_part_2
    where f.measure = 'province_leader_rank'

    union all
    select f.claim_id, count(r.rank)::varchar,
        'select count(*) from marts.published_rankings where {{ scope }} and ? in (province, region) and rank between ? and ?',
        (select {{ files }} from {{ ref('published_rankings') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join rankings as r
        on r.edition_year = f.edition_year and r.list = f.list
        and f.key_part_1 in (r.province, r.region)
        and r.rank between split_part(f.key_part_2, '-', 1)::integer and split_part(f.key_part_2, '-', 2)::integer
    where f.measure = 'rank_band_count'
    group by f.claim_id, f.edition_year, f.list

    union all
    select f.claim_id, any_value(c.first_rank || '-' || c.last_rank),
        'select first_rank, last_rank from marts.published_ranking_tiers where {{ scope }} and tier = ?',
        (select {{ files }} from {{ ref('published_ranking_tiers') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_tiers') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.tier::varchar = f.key
    where f.measure = 'tier_bounds'
    group by f.claim_id, f.edition_year, f.list

    union all
    select f.claim_id, coalesce(c.unit_count, 0)::varchar,
        'select unit_count from marts.published_ranking_tiers where {{ scope }} and tier = ? and area = ?',
        (select {{ files }} from {{ ref('published_ranking_tiers') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_tiers') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.tier::varchar = f.key_part_1
        and c.area = case f.key_part_2 when 'total' then '全部' else f.key_part_2 end
    where f.measure = 'tier_count'

    union all
    select f.claim_id, coalesce(c.unit_count, 0)::varchar,
        'select unit_count from marts.city_cluster_counts where {{ scope }} and area = ?',
        (select {{ files }} from {{ ref('city_cluster_counts') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('city_cluster_counts') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.area = f.key
    where f.measure = 'city_cluster_count'

    union all
    -- the 2022 cluster tables: "national:total", "national:<region>", "100bn:<scale band>"
    select f.claim_id,
        case when f.key_part_2 = 'total' then count(distinct n.seq)::varchar
            else any_value(c.cluster_count)::varchar end,
        'select cluster_count from marts.cluster_counts where table_name = ? and category = ?',
        (select {{ files }} from {{ ref('cluster_counts') }} as m where m.edition_year = f.edition_year and m.table_name = f.key_part_1) as source_files
    from figures as f
    left join {{ ref('cluster_counts') }} as c
        on c.edition_year = f.edition_year and c.table_name = f.key_part_1 and c.category = f.key_part_2
    left join {{ ref('published_national_clusters') }} as n
        on f.key_part_2 = 'total' and n.edition_year = f.edition_year
    where f.measure = 'cluster_count'
    group by f.claim_id, f.edition_year, f.key_part_1, f.key_part_2

    union all
    -- a list's share of a national total: only the share of units is computable without real county data
    select f.claim_id, case when f.key = 'units' then (100 * 100 / count(u.adcode))::varchar end,
        'select 100 * 100 / count(*) from marts.admin_units',
        list(distinct u.source_file order by u.source_file)
    from figures as f
    cross join {{ ref('stg_reference__admin_units') }} as u
    where f.measure = 'list_share'
    group by f.claim_id, f.key
),

final as (
    select
        figures.claim_id,
        figures.edition_year,
        figures.list,
        figures.cited_from,
        figures.measure,
        figures.key,
        figures.published_value,
        evaluated.computed_value,
        figures.tolerance,
        case
            when evaluated.computed_value is null then 'not_computable'
            when (try_cast(evaluated.computed_value as double) is not null
                and abs(try_cast(evaluated.computed_value as double) - try_cast(figures.published_value as double))
                    <= figures.tolerance)
                or evaluated.computed_value = figures.published_value
            then
                case when figures.measure = 'tier_bounds'
                    or (figures.measure = 'tier_count' and figures.key_part_2 = 'total')
                then 'stated_input' else 'confirmed' end
            else 'contradicted'
        end as status,
        figures.table_value is not null as report_contradicts_own_table,
        evaluated.query,
        figures.source_file,
        figures.source_row,
        case when evaluated.computed_value is null then [figures.source_file]
            else list_sort(list_distinct(list_prepend(figures.source_file, evaluated.source_files)))
        end as source_files
    from figures
    left join evaluated using (claim_id)
)

select * from final
order by edition_year, list, measure, key
