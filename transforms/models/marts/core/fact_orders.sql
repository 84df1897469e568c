with orders as (
    select * from stg_orders
),

final as (
    select
        order_id,
        order_number,
        user_id,
        ordered_at,
        order_date,
        status,
        is_completed,
        line_count,
        item_quantity,
        gross_amount_usd,
        discount_amount_usd,
        order_amount_usd,
        case
            when order_amount_usd < 100 then 'small (< $100)'
            when order_amount_usd < 500 then 'medium ($100-500)'
            when order_amount_usd < 2000 then 'large ($500-2,000)'
            else 'x-large (>= $2,000)'
        end as order_size_band,
    from orders
)

select * from final
