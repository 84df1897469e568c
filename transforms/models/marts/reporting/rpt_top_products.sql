with items as (
    select * from fact_order_items
),

products as (
    select * from dim_products
),

periods as (
    select * from int_reporting_periods
    where comparison = 'current'
),

completed_items as (
    select
        periods.period_key,
        items.product_id,
        coalesce(items.category, 'uncategorized') as category,
        items.order_id,
        items.quantity,
        items.net_amount_usd,
    from periods
    inner join items
        on items.order_date between periods.start_date and periods.end_date
    where items.is_completed
),

per_product as (
    select
        period_key,
        case when grouping(category) = 1 then 'All' else category end as category,
        product_id,
        sum(net_amount_usd) as revenue_usd,
        cast(sum(quantity) as bigint) as units_sold,
        count(distinct order_id) as order_count,
    from completed_items
    group by grouping sets ((period_key, category, product_id), (period_key, product_id))
),

ranked as (
    select
        *,
        row_number() over (partition by period_key, category order by revenue_usd desc, product_id) as revenue_rank,
        row_number() over (partition by period_key, category order by units_sold desc, product_id) as units_rank,
    from per_product
    where revenue_usd > 0
),

final as (
    select
        ranked.period_key,
        ranked.category,
        ranked.revenue_rank,
        ranked.units_rank,
        ranked.product_id,
        products.product_title,
        products.category as product_category,
        cast(ranked.revenue_usd as decimal(18, 2)) as revenue_usd,
        ranked.units_sold,
        ranked.order_count,
        products.rating,
    from ranked
    left join products using (product_id)
    where ranked.revenue_rank <= 20 or ranked.units_rank <= 10
)

select * from final
