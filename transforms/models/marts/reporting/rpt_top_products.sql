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

windows as (
    -- presets that cover the same days (e.g. all time and the last 90 days on 90 days of data) are ranked once
    select distinct start_date, end_date from periods
),

completed_lines as (
    select
        order_date,
        product_id,
        coalesce(category, 'uncategorized') as category,
        order_id,
        sum(quantity) as quantity,
        sum(net_amount_usd) as net_amount_usd,
    from items
    where is_completed
    group by all
),

per_product as (
    select
        windows.start_date,
        windows.end_date,
        completed_lines.category,
        completed_lines.product_id,
        sum(completed_lines.net_amount_usd) as revenue_usd,
        cast(sum(completed_lines.quantity) as bigint) as units_sold,
        count(*) as order_count,
    from windows
    inner join completed_lines
        on completed_lines.order_date between windows.start_date and windows.end_date
    group by all
),

both_scopes as (
    -- a product is in one category, so its figures for "All" are the same
    select * from per_product
    union all
    select * replace ('All' as category) from per_product
),

ranked as (
    select
        *,
        row_number() over (partition by start_date, end_date, category order by revenue_usd desc, product_id) as revenue_rank,
        row_number() over (partition by start_date, end_date, category order by units_sold desc, product_id) as units_rank,
    from both_scopes
    where revenue_usd > 0
),

final as (
    select
        periods.period_key,
        ranked.category,
        ranked.revenue_rank,
        ranked.units_rank,
        ranked.product_id,
        products.product_title,
        products.category as product_category,
        cast(ranked.revenue_usd as decimal(38, 6)) as revenue_usd,
        ranked.units_sold,
        ranked.order_count,
        products.rating,
    from periods
    inner join ranked using (start_date, end_date)
    left join products using (product_id)
    where ranked.revenue_rank <= 20 or ranked.units_rank <= 10
)

select * from final
