with items as (
    select * from fact_order_items
),

customers as (
    select * from dim_customers
),

periods as (
    select * from int_reporting_periods
    where comparison = 'current'
),

completed_items as (
    select
        periods.period_key,
        items.user_id,
        coalesce(items.category, 'uncategorized') as category,
        items.order_id,
        items.net_amount_usd,
    from periods
    inner join items
        on items.order_date between periods.start_date and periods.end_date
    where items.is_completed
),

per_customer as (
    select
        period_key,
        case when grouping(category) = 1 then 'All' else category end as category,
        user_id,
        sum(net_amount_usd) as spend_usd,
        count(distinct order_id) as order_count,
    from completed_items
    group by grouping sets ((period_key, category, user_id), (period_key, user_id))
),

ranked as (
    select
        *,
        row_number() over (partition by period_key, category order by spend_usd desc, user_id) as spend_rank,
    from per_customer
),

final as (
    select
        ranked.period_key,
        ranked.category,
        ranked.spend_rank,
        ranked.user_id,
        customers.display_name,
        customers.state_code,
        customers.value_segment,
        cast(ranked.spend_usd as decimal(18, 2)) as spend_usd,
        ranked.order_count,
    from ranked
    left join customers using (user_id)
    where ranked.spend_rank <= 10
)

select * from final
