with source as (
    select * from raw_orders
),

renamed as (
    select
        order_id,
        order_number,
        user_id,
        ordered_at,
        cast(ordered_at as date) as order_date,
        status,
        status = 'completed' as is_completed,
        line_count,
        total_quantity as item_quantity,
        cast(gross_total as decimal(38, 6)) as gross_amount_usd,
        cast(discounted_total as decimal(38, 6)) as order_amount_usd,
        cast(gross_total - discounted_total as decimal(38, 6)) as discount_amount_usd,
    from source
),

final as (
    select * from renamed
)

select * from final
