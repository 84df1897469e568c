with products as (
    select * from stg_products
),

product_history as (
    select * from products_snapshot
),

sales as (
    select * from int_product_sales
),

-- A product that left the catalog stays, flagged, with its last known values: old orders keep resolving. Its
-- natural key is the snapshot's (history written before the snapshot kept it has none: the id as text).
deleted_products as (
    select
        product_id,
        coalesce(product_key, cast(product_id as varchar)) as product_key,
        product_title,
        category,
        brand,
        unit_price_usd,
        discount_percentage,
        stock_quantity,
        availability_status,
    from product_history
    where is_current
        and is_deleted
        and product_id not in (select product_id from products)
),

catalog as (
    select *, false as is_deleted from products
    union all by name
    select *, true as is_deleted from deleted_products
),

joined as (
    select
        catalog.*,
        coalesce(sales.order_count, 0) as order_count,
        coalesce(sales.units_sold, 0) as units_sold,
        coalesce(sales.revenue_usd, 0) as revenue_usd,
        coalesce(sales.units_sold_last_30_days, 0) as units_sold_last_30_days,
    from catalog
    left join sales using (product_id)
),

ranked as (
    select
        *,
        case when revenue_usd > 0
            then percent_rank() over (partition by revenue_usd > 0 order by revenue_usd desc, product_id)
        end as revenue_percentile,
    from joined
),

final as (
    select
        product_id,
        product_key,
        product_title,
        category,
        brand,
        sku,
        unit_price_usd,
        discount_percentage,
        rating,
        stock_quantity,
        availability_status,
        review_count,
        created_at,
        order_count,
        units_sold,
        revenue_usd,
        units_sold_last_30_days,
        is_deleted,
        case
            when stock_quantity is null then 'unknown'
            when stock_quantity = 0 then 'out_of_stock'
            when stock_quantity < 10 then 'low_stock'
            else 'in_stock'
        end as stock_status,
        case
            when rating is null then 'unrated'
            when rating >= 4.5 then 'excellent'
            when rating >= 4.0 then 'good'
            when rating >= 3.0 then 'average'
            else 'poor'
        end as rating_category,
        case
            when units_sold = 0 then 'no sales'
            when revenue_percentile < 0.10 then 'bestseller'
            when revenue_percentile < 0.40 then 'popular'
            else 'regular'
        end as sales_category,
    from ranked
)

select * from final
