with source as (
    select * from raw_orders
),

final as (
    select
        order_id,
        user_id,
        cast(ordered_at as timestamp) as ordered_at,
        status,
    from source
)

select * from final
