with orders as (
    select * from stg_orders
),

bounds as (
    select
        coalesce(min(order_date), getvariable('as_of')) as first_date,
        getvariable('as_of') as as_of_date,
    from orders
),

windows as (
    select
        period_key,
        period_label,
        sort_order,
        case
            when period_key = 'all_time' then bounds.first_date
            when period_key = 'year_to_date' then greatest(bounds.first_date, date_trunc('year', bounds.as_of_date)::date)
            else bounds.as_of_date - (period_days - 1)
        end as start_date,
        bounds.as_of_date as end_date,
        bounds.first_date,
    from (
        values
            ('last_7_days', 'Last 7 days', 7, 1),
            ('last_30_days', 'Last 30 days', 30, 2),
            ('last_90_days', 'Last 90 days', 90, 3),
            ('year_to_date', 'Year to date', null, 4),
            ('all_time', 'All time', null, 5)
    ) as presets(period_key, period_label, period_days, sort_order)
    cross join bounds
),

current_periods as (
    select
        period_key,
        period_label,
        sort_order,
        'current' as comparison,
        start_date,
        end_date,
    from windows
),

previous_periods as (
    select
        period_key,
        period_label,
        sort_order,
        'previous' as comparison,
        case
            when period_key = 'year_to_date' then (start_date - interval 1 year)::date
            else start_date - cast(end_date - start_date + 1 as integer)
        end as start_date,
        case
            when period_key = 'year_to_date' then (end_date - interval 1 year)::date
            else start_date - 1
        end as end_date,
        first_date,
    from windows
    where period_key <> 'all_time'
),

final as (
    select * from current_periods
    union all
    select * exclude (first_date) from previous_periods
    where start_date >= first_date
)

select * from final
