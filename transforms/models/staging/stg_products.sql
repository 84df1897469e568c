with source as (
    select * from raw_products
),

renamed as (
    select
        id as product_id,
        product_key,
        title as product_title,
        category,
        nullif(trim(brand), '') as brand,
        sku,
        cast(price as decimal(18, 6)) as unit_price_usd,
        cast(discountPercentage as decimal(5, 2)) as discount_percentage,
        cast(rating as decimal(3, 2)) as rating,
        stock as stock_quantity,
        availabilityStatus as availability_status,
        weight as weight_units,
        minimumOrderQuantity as minimum_order_quantity,
        len(reviews) as review_count,
        cast(try_strptime(meta.createdAt, '%Y-%m-%dT%H:%M:%S.%gZ') as timestamp) as created_at,
    from source
),

final as (
    select * from renamed
)

select * from final
