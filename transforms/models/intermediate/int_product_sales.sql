with items as (
    select * from stg_order_items
),

orders as (
    select * from stg_orders
),

completed_items as (
    select
        items.product_id,
        items.order_id,
        items.quantity,
        items.net_amount_usd,
        orders.order_date,
    from items
    inner join orders using (order_id)
    where orders.is_completed
),

per_product as (
    select
        product_id,
        count(distinct order_id) as order_count,
        cast(sum(quantity) as bigint) as units_sold,
        sum(net_amount_usd) as revenue_usd,
        cast(coalesce(sum(quantity) filter (where order_date > getvariable('as_of') - 30), 0) as bigint) as units_sold_last_30_days,
    from completed_items
    group by product_id
),

final as (
    select * from per_product
)

select * from final
