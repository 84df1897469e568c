with products as (
    select * from dim_products
),

rates as (
    select
        *,
        units_sold_last_30_days / 30.0 as daily_sales_rate,
    from products
),

ranked as (
    select
        *,
        rank() over (order by revenue_usd desc) as revenue_rank,
        rank() over (order by units_sold desc) as quantity_rank,
        rank() over (partition by category order by revenue_usd desc) as category_revenue_rank,
        sum(revenue_usd) over (partition by category) as category_revenue_usd,
        cast(sum(units_sold) over (partition by category) as bigint) as category_units_sold,
        count(*) over (partition by category) as category_product_count,
        avg(rating) over (partition by category) as category_average_rating,
    from rates
),

final as (
    select
        product_id,
        product_title,
        category,
        brand,
        unit_price_usd,
        rating,
        stock_quantity,
        stock_status,
        sales_category,
        order_count,
        units_sold,
        revenue_usd,
        units_sold_last_30_days,
        round(daily_sales_rate, 4) as daily_sales_rate,
        case when daily_sales_rate > 0 then round(stock_quantity / daily_sales_rate, 1) end as days_of_stock,
        case
            when stock_quantity is null then 'unknown'
            when stock_quantity = 0 then 'out of stock'
            when daily_sales_rate > 0 and stock_quantity / daily_sales_rate < 7 then 'critical'
            when daily_sales_rate > 0 and stock_quantity / daily_sales_rate < 30 then 'low'
            when daily_sales_rate = 0 or stock_quantity / daily_sales_rate > 180 then 'overstocked'
            else 'healthy'
        end as inventory_health,
        revenue_rank,
        quantity_rank,
        category_revenue_rank,
        cast(category_revenue_usd as decimal(38, 6)) as category_revenue_usd,
        category_units_sold,
        category_product_count,
        round(category_average_rating, 2) as category_average_rating,
        case when category_revenue_usd > 0 then round(revenue_usd / category_revenue_usd, 4) end as share_of_category_revenue,
    from ranked
)

select * from final
