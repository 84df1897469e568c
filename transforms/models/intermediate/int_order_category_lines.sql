with items as (
    select * from fact_order_items
),

orders as (
    select * from fact_orders
),

per_category as (
    select
        order_date,
        coalesce(category, 'uncategorized') as category,
        order_id,
        user_id,
        status,
        is_completed,
        count(*) as line_count,
        sum(quantity) as quantity,
        sum(gross_amount_usd) as gross_amount_usd,
        sum(discount_amount_usd) as discount_amount_usd,
        sum(net_amount_usd) as net_amount_usd,
    from items
    where order_date <= getvariable('as_of')
    group by all
),

-- The whole shop is every order with its own totals (the sums of its lines), an order returned in full included.
whole_orders as (
    select
        order_date,
        'All' as category,
        order_id,
        user_id,
        status,
        is_completed,
        line_count,
        item_quantity as quantity,
        gross_amount_usd,
        discount_amount_usd,
        order_amount_usd as net_amount_usd,
    from orders
    where order_date <= getvariable('as_of')
),

final as (
    select * from per_category
    union all by name
    select * from whole_orders
)

select * from final
