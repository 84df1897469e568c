with items as (
    select * from fact_order_items
),

orders as (
    select * from fact_orders
),

per_day as (
    select * from int_daily_order_sales
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

final as (
    select
        date_spine.order_date,
        categories.category,
        cast(coalesce(per_day.revenue_usd, 0) as decimal(38, 6)) as revenue_usd,
        cast(coalesce(per_day.gross_revenue_usd, 0) as decimal(38, 6)) as gross_revenue_usd,
        cast(coalesce(per_day.discount_usd, 0) as decimal(38, 6)) as discount_usd,
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
