with orders as (
    select * from stg_orders
),

per_customer as (
    select
        user_id,
        count(*) as order_count,
        count(*) filter (where is_completed) as completed_order_count,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at,
        max(ordered_at) filter (where is_completed) as last_completed_order_at,
        coalesce(sum(order_amount_usd) filter (where is_completed), 0) as lifetime_value_usd,
    from orders
    group by user_id
),

final as (
    select * from per_customer
)

select * from final
