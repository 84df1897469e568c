with order_lines as (
    select * from int_order_category_lines
),

periods as (
    select * from int_reporting_periods
),

user_days as (
    select
        order_date,
        category,
        user_id,
        count(*) as order_count,
        count(*) filter (where is_completed) as completed_order_count,
        sum(net_amount_usd) filter (where is_completed) as revenue_usd,
    from order_lines
    group by all
),

windows as (
    -- periods that cover the same days (e.g. all time and the last 90 days on 90 days of data) are counted once
    select distinct start_date, end_date from periods
),

per_window as (
    select
        windows.start_date,
        windows.end_date,
        user_days.category,
        sum(user_days.revenue_usd) as revenue_usd,
        sum(user_days.order_count) as order_count,
        sum(user_days.completed_order_count) as completed_order_count,
        count(distinct user_days.user_id) as customer_count,
    from windows
    inner join user_days
        on user_days.order_date between windows.start_date and windows.end_date
    group by all
),

categories as (
    select distinct category from order_lines
),

final as (
    select
        periods.period_key,
        periods.period_label,
        periods.sort_order as period_sort_order,
        periods.comparison,
        categories.category,
        periods.start_date,
        periods.end_date,
        cast(coalesce(per_period.revenue_usd, 0) as decimal(38, 6)) as revenue_usd,
        coalesce(per_period.order_count, 0) as order_count,
        coalesce(per_period.completed_order_count, 0) as completed_order_count,
        coalesce(per_period.customer_count, 0) as customer_count,
        case when per_period.completed_order_count > 0
            then cast(per_period.revenue_usd / per_period.completed_order_count as decimal(38, 2))
        end as average_order_value_usd,
    from periods
    cross join categories
    left join per_window as per_period using (start_date, end_date, category)
    order by periods.sort_order, periods.comparison, categories.category
)

select * from final
