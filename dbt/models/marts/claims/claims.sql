-- The claims ledger: every figure the editions state (register: data/reference/report_figures.csv), evaluated
-- by its measure (registry: seed claim_measures, which also holds the query each branch below runs): against
-- the marts, or against other statements of the same edition, as confirmed, checked_against_statements,
-- contradicted (both values shown) or not computable. An agreement built into the inputs is by_construction,
-- never confirmed: the tier bounds (published_tier_bounds.csv, transcribed from these statements), the tier
-- sizes they imply, and counts the synthetic demo panel was generated to match. tests/test_claim_measures.py
-- holds the branches (each `measure = '...'`) to the registry.
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
    select f.claim_id, coalesce(c.unit_count, 0)::varchar as computed_value, false as built_in,
        (select {{ files }} from {{ ref('published_ranking_province_counts') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_province_counts') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.province = f.key
    where f.measure = 'province_count'

    union all
    select f.claim_id, c.unit_count::varchar, false,
        (select {{ files }} from {{ ref('published_ranking_region_counts') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_region_counts') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.region = f.key
    where f.measure = 'region_count'

    union all
    select f.claim_id, coalesce(c.unit_count, 0)::varchar, false,
        (select {{ files }} from {{ ref('published_ranking_unit_type_counts') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_unit_type_counts') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.unit_type = f.key
    where f.measure = 'unit_type_count'

    union all
    select f.claim_id, count(c.province)::varchar, false,
        (select {{ files }} from {{ ref('published_ranking_province_counts') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_province_counts') }} as c
        on c.edition_year = f.edition_year and c.list = f.list
    where f.measure = 'provinces_represented'
    group by f.claim_id, f.edition_year, f.list

    union all
    select f.claim_id, c.rank::varchar, false,
        (select {{ files }} from {{ ref('published_ranking_province_leaders') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_province_leaders') }} as c
        on c.edition_year = f.edition_year and c.list = f.list
        and c.province = f.key_part_1 and c.name = f.key_part_2
    where f.measure = 'province_leader_rank'

    union all
    select f.claim_id, count(r.rank)::varchar, false,
        (select {{ files }} from {{ ref('published_rankings') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join rankings as r
        on r.edition_year = f.edition_year and r.list = f.list
        and f.key_part_1 in (r.province, r.region)
        and r.rank between split_part(f.key_part_2, '-', 1)::integer and split_part(f.key_part_2, '-', 2)::integer
    where f.measure = 'rank_band_count'
    group by f.claim_id, f.edition_year, f.list

    union all
    -- the head of a list, "<area>[+<area>...]:<N>": units of those regions or provinces among ranks 1 to N
    select f.claim_id, coalesce(sum(c.unit_count), 0)::varchar, false,
        (select {{ files }} from {{ ref('published_ranking_top_n') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_top_n') }} as c
        on c.edition_year = f.edition_year and c.list = f.list
        and list_contains(string_split(f.key_part_1, '+'), c.area)
        and c.rank_cutoff = try_cast(f.key_part_2 as integer)
    where f.measure = 'top_n_count'
    group by f.claim_id, f.edition_year, f.list

    union all
    select f.claim_id, any_value(c.first_rank || '-' || c.last_rank), false,
        (select {{ files }} from {{ ref('published_ranking_tiers') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_tiers') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.tier::varchar = f.key
    where f.measure = 'tier_bounds'
    group by f.claim_id, f.edition_year, f.list

    union all
    select f.claim_id, coalesce(c.unit_count, 0)::varchar, false,
        (select {{ files }} from {{ ref('published_ranking_tiers') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_tiers') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.tier::varchar = f.key_part_1
        and c.area = case f.key_part_2 when 'total' then '全部' else f.key_part_2 end
    where f.measure = 'tier_count'

    union all
    select f.claim_id, coalesce(c.unit_count, 0)::varchar, false,
        (select {{ files }} from {{ ref('city_cluster_counts') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('city_cluster_counts') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.area = f.key
    where f.measure = 'city_cluster_count'

    union all
    -- the 2022 cluster tables: "national:total", "national:<region>", "100bn:<scale band>"
    select f.claim_id,
        case when f.key_part_2 = 'total' then count(distinct n.seq)::varchar
            else any_value(c.cluster_count)::varchar end, false,
        (select {{ files }} from {{ ref('cluster_counts') }} as m where m.edition_year = f.edition_year and m.table_name = f.key_part_1) as source_files
    from figures as f
    left join {{ ref('cluster_counts') }} as c
        on c.edition_year = f.edition_year and c.table_name = f.key_part_1 and c.category = f.key_part_2
    left join {{ ref('published_national_clusters') }} as n
        on f.key_part_2 = 'total' and n.edition_year = f.edition_year
    where f.measure = 'cluster_count'
    group by f.claim_id, f.edition_year, f.key_part_1, f.key_part_2

    union all
    -- a list's share of a national total, in percent: of units, from the code table; of a measure of the
    -- national totals (the key names it as marts.computed_list_shares does), the share of the edition's
    -- computed list, where neither its county statistics nor its national total is synthetic: synthetic
    -- inputs never confirm, nor contradict, a claim (with the demo panel these are not computable)
    select f.claim_id,
        case
            when f.key = 'units' then (100 * 100 / count(u.adcode))::varchar
            when not any_value(s.synthetic) then round(100 * any_value(s.share), 2)::varchar
        end,
        false,
        case when f.key = 'units' then list(distinct u.source_file order by u.source_file)
            else any_value(s.source_files) end
    from figures as f
    cross join {{ ref('stg_reference__admin_units') }} as u
    left join {{ ref('computed_list_shares') }} as s
        on s.edition_year = f.edition_year and s.list = f.list and s.measure = f.key
    where f.measure = 'list_share'
    group by f.claim_id, f.key

    union all
    -- the share of a list (or of a rank band of it, "<area>[+<area>...][:<first>-<last>]") held by
    -- provinces, regions or unit types, in percent: percentages and fractions in words alike
    select f.claim_id,
        round(100 * count(r.rank) filter (
            where list_has_any(string_split(f.key_part_1, '+'), [r.province, r.region, r.unit_type])
        ) / count(r.rank), 2)::varchar,
        false,
        (select {{ files }} from {{ ref('published_rankings') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join rankings as r
        on r.edition_year = f.edition_year and r.list = f.list
        and (f.key_part_2 = '' or r.rank between split_part(f.key_part_2, '-', 1)::integer
            and split_part(f.key_part_2, '-', 2)::integer)
    where f.measure = 'list_fraction'
    group by f.claim_id, f.edition_year, f.list

    union all
    -- a province's units in a list over its units of the list's universe, in percent, "<province>:<words>";
    -- null where the province has none in the list (no row of the mart)
    select f.claim_id, round(100 * c.coverage, 2)::varchar, false,
        (select {{ files }} from {{ ref('published_ranking_coverage') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join {{ ref('published_ranking_coverage') }} as c
        on c.edition_year = f.edition_year and c.list = f.list and c.province = f.key_part_1
    where f.measure = 'province_coverage'

    union all
    -- a province's units of a list's universe (县（市） or 市辖区) in the code table, "<province>:<words>"
    select f.claim_id, count(u.adcode)::varchar, false,
        list(distinct u.source_file order by u.source_file) filter (where u.source_file is not null)
    from figures as f
    inner join {{ ref('ranking_lists') }} as l on l.list = f.list
    left join {{ ref('stg_reference__admin_units') }} as u on u.universe = l.universe and u.province = f.key_part_1
    where f.measure = 'province_universe_units'
    group by f.claim_id

    union all
    -- a unit the text names, "<province>:<name>": its rank, or "absent" where the table names no such
    -- unit in that province (the text and the table disagree on its name or on its being listed)
    select f.claim_id, coalesce(any_value(r.rank)::varchar, 'absent'), false,
        (select {{ files }} from {{ ref('published_rankings') }} as m {{ in_scope }}) as source_files
    from figures as f
    left join rankings as r
        on r.edition_year = f.edition_year and r.list = f.list
        and r.province = f.key_part_1 and r.name = f.key_part_2
    where f.measure = 'unit_rank'
    group by f.claim_id, f.edition_year, f.list

    union all
    -- smart factories in counties, "<scope>:<level>:<area>", counted from the raw county statistics; with the
    -- synthetic demo panel the count is the published one by construction (its generator places them)
    select f.claim_id, c.computed_count::varchar, c.computed_synthetic, c.source_files
    from figures as f
    left join {{ ref('smart_factories') }} as c
        on c.edition_year = f.edition_year and c.scope = f.key_part_1 and c.level = f.key_part_2
        and c.area is not distinct from nullif(split_part(f.key, ':', 3), '')
    where f.measure = 'smart_factory_count'

    union all
    -- a statement checked against other statements of the same edition (`against`: their claim ids, in
    -- order; a share is of the sum of all but the last in the last); null, so not computable, where one of
    -- them is not a number
    select r.claim_id,
        case when count(r.value) = count(*) then round(case
            when r.measure = 'share_of_stated' then
                100 * sum(r.value) filter (where r.position < r.parts)
                / max(r.value) filter (where r.position = r.parts)
            when r.measure = 'difference_of_stated' then
                max(r.value) filter (where r.position = 1) - max(r.value) filter (where r.position = 2)
            when r.measure = 'sum_of_stated' then sum(r.value)
        end, 2)::varchar end,
        false,
        [any_value(r.source_file)]
    from (
        select f.claim_id, f.measure, f.source_file, a.position,
            len(string_split(f.against, ';')) as parts,
            try_cast(o.published_value as double) as value
        from figures as f
        cross join lateral (
            select unnest(string_split(f.against, ';')) as other_claim_id,
                generate_subscripts(string_split(f.against, ';'), 1) as position
        ) as a
        left join figures as o on o.claim_id = a.other_claim_id
        where f.against is not null
    ) as r
    group by r.claim_id, r.measure
),

final as (
    select
        figures.claim_id,
        figures.edition_year,
        figures.list,
        figures.cited_from,
        figures.measure,
        measures.kind,
        figures.key,
        figures.comparison,
        figures.published_value,
        evaluated.computed_value,
        figures.tolerance,
        case
            when evaluated.computed_value is null then 'not_computable'
            when {{ claim_agrees('evaluated.computed_value', 'figures.published_value', 'figures.comparison', 'figures.tolerance') }}
            then
                case
                    when evaluated.built_in or figures.key like measures.by_construction_key_like then 'by_construction'
                    when measures.evaluated_against = 'statements' then 'checked_against_statements'
                    else 'confirmed'
                end
            else 'contradicted'
        end as status,
        case when evaluated.computed_value is not null then measures.evaluated_against end as checked_against,
        figures.against,
        figures.table_value is not null as report_contradicts_own_table,
        measures.query,
        figures.source_file,
        figures.source_row,
        case when evaluated.computed_value is null then [figures.source_file]
            else list_sort(list_distinct(list_prepend(figures.source_file, evaluated.source_files)))
        end as source_files
    from figures
    inner join {{ ref('claim_measures') }} as measures using (measure)
    left join evaluated using (claim_id)
)

select * from final
order by edition_year, list nulls first, measure, key
