with order_lines as (
    select * from int_order_category_lines
),

customers as (
    select * from dim_customers
),

periods as (
    select * from int_reporting_periods
    where comparison = 'current'
),

windows as (
    -- presets that cover the same days (e.g. all time and the last 90 days on 90 days of data) are ranked once
    select distinct start_date, end_date from periods
),

order_spend as (
    select
        order_date,
        user_id,
        order_id,
        category,
        net_amount_usd as spend_usd,
    from order_lines
    where is_completed
),

per_customer as (
    select
        windows.start_date,
        windows.end_date,
        order_spend.category,
        order_spend.user_id,
        sum(order_spend.spend_usd) as spend_usd,
        count(*) as order_count,
    from windows
    inner join order_spend
        on order_spend.order_date between windows.start_date and windows.end_date
    group by all
),

ranked as (
    select
        *,
        row_number() over (partition by start_date, end_date, category order by spend_usd desc, user_id) as spend_rank,
    from per_customer
),

final as (
    select
        periods.period_key,
        ranked.category,
        ranked.spend_rank,
        ranked.user_id,
        customers.display_name,
        customers.state_code,
        customers.value_segment,
        cast(ranked.spend_usd as decimal(38, 6)) as spend_usd,
        ranked.order_count,
    from periods
    inner join ranked using (start_date, end_date)
    left join customers using (user_id)
    where ranked.spend_rank <= 10
)

select * from final
