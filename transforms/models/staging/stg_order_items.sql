with source as (
    select * from raw_order_items
),

renamed as (
    select
        order_item_id,
        order_id,
        line_number,
        product_id,
        product_title,
        quantity,
        cast(unit_price as decimal(18, 6)) as unit_price_usd,
        cast(line_total as decimal(18, 6)) as gross_amount_usd,
        cast(discount_percentage as decimal(5, 2)) as discount_percentage,
        cast(line_total - discounted_line_total as decimal(18, 6)) as discount_amount_usd,
        cast(discounted_line_total as decimal(18, 6)) as net_amount_usd,
    from source
),

final as (
    select * from renamed
)

select * from final
