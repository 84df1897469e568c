with orders as (
    select * from stg_orders
),

customer_history as (
    select * from dim_customers_history
),

-- Point in time: the customer's version valid on the order day; an order older than the history gets the first one.
located_at_order as (
    select
        orders.order_id,
        coalesce(at_order.city, first_version.city) as customer_city_at_order,
        coalesce(at_order.state, first_version.state) as customer_state_at_order,
    from orders
    asof left join customer_history as at_order
        on orders.user_id = at_order.user_id
        and orders.order_date >= at_order.valid_from
    left join customer_history as first_version
        on orders.user_id = first_version.user_id
        and first_version.version_number = 1
),

final as (
    select
        orders.order_id,
        orders.order_number,
        orders.user_id,
        orders.ordered_at,
        orders.order_date,
        orders.status,
        orders.is_completed,
        orders.line_count,
        orders.item_quantity,
        orders.gross_amount_usd,
        orders.discount_amount_usd,
        orders.order_amount_usd,
        case
            when orders.order_amount_usd < 100 then 'small (< $100)'
            when orders.order_amount_usd < 500 then 'medium ($100-500)'
            when orders.order_amount_usd < 2000 then 'large ($500-2,000)'
            else 'x-large (>= $2,000)'
        end as order_size_band,
        located_at_order.customer_city_at_order,
        located_at_order.customer_state_at_order,
    from orders
    left join located_at_order using (order_id)
)

select * from final
