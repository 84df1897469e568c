with items as (
    select * from stg_order_items
),

orders as (
    select * from stg_orders
),

products as (
    select * from stg_products
),

final as (
    select
        items.order_item_id,
        items.order_id,
        orders.order_number,
        items.line_number,
        items.product_id,
        products.product_key,
        orders.user_id,
        orders.ordered_at,
        orders.order_date,
        orders.status,
        orders.is_completed,
        products.category,
        items.quantity,
        items.unit_price_usd,
        items.gross_amount_usd,
        items.discount_percentage,
        items.discount_amount_usd,
        items.net_amount_usd,
    from items
    inner join orders using (order_id)
    left join products using (product_id)
)

select * from final
