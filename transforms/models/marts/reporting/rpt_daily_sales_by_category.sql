with items as (
    select * from fact_order_items
),

orders as (
    select * from fact_orders
),

categories as (
    select distinct coalesce(category, 'uncategorized') as category from items
    union all
    select 'All'
),

date_spine as (
    select spine_date as order_date
    from day_spine(
        (select coalesce(min(order_date), getvariable('as_of')) from orders),
        getvariable('as_of')
    )
),

order_lines as (
    select * from int_order_category_lines
),

per_day as (
    select
        order_date,
        category,
        sum(net_amount_usd) filter (where is_completed) as revenue_usd,
        sum(gross_amount_usd) filter (where is_completed) as gross_revenue_usd,
        sum(discount_amount_usd) filter (where is_completed) as discount_usd,
        count(*) as order_count,
        count(*) filter (where is_completed) as completed_order_count,
        count(*) filter (where status = 'cancelled') as cancelled_order_count,
        count(*) filter (where status = 'pending') as pending_order_count,
        count(*) filter (where status = 'shipped') as shipped_order_count,
        count(distinct user_id) as customer_count,
        cast(sum(quantity) filter (where is_completed) as bigint) as units_sold,
        cast(sum(line_count) as bigint) as line_count,
    from order_lines
    group by all
),

final as (
    select
        date_spine.order_date,
        categories.category,
        cast(coalesce(per_day.revenue_usd, 0) as decimal(18, 2)) as revenue_usd,
        cast(coalesce(per_day.gross_revenue_usd, 0) as decimal(18, 2)) as gross_revenue_usd,
        cast(coalesce(per_day.discount_usd, 0) as decimal(18, 2)) as discount_usd,
        coalesce(per_day.order_count, 0) as order_count,
        coalesce(per_day.completed_order_count, 0) as completed_order_count,
        coalesce(per_day.cancelled_order_count, 0) as cancelled_order_count,
        coalesce(per_day.pending_order_count, 0) as pending_order_count,
        coalesce(per_day.shipped_order_count, 0) as shipped_order_count,
        coalesce(per_day.customer_count, 0) as customer_count,
        coalesce(per_day.units_sold, 0) as units_sold,
        coalesce(per_day.line_count, 0) as line_count,
    from date_spine
    cross join categories
    left join per_day using (order_date, category)
)

select * from final
