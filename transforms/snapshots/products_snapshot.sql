with source as (
    select * from raw_products
),

final as (
    select
        id as product_id,
        product_key,
        title as product_title,
        category,
        nullif(trim(brand), '') as brand,
        cast(price as decimal(18, 6)) as unit_price_usd,
        cast(discountPercentage as decimal(5, 2)) as discount_percentage,
        stock as stock_quantity,
        availabilityStatus as availability_status,
    from source
)

select * from final
