with items as (
    select * from fact_order_items
),

orders as (
    select * from fact_orders
),

item_bands as (
    select
        items.order_date,
        coalesce(items.category, 'uncategorized') as category,
        items.order_id,
        items.is_completed,
        items.quantity,
        items.net_amount_usd,
        items.discount_amount_usd,
        orders.order_size_band,
        case
            when items.discount_percentage < 5 then '0-5%'
            when items.discount_percentage < 10 then '5-10%'
            when items.discount_percentage < 15 then '10-15%'
            else '15%+'
        end as discount_band,
    from items
    inner join orders using (order_id)
    where items.order_date <= getvariable('as_of')
),

both_scopes as (
    select * from item_bands
    union all
    select * replace ('All' as category) from item_bands
),

banded as (
    select *, 'order_size' as breakdown, order_size_band as band from both_scopes
    union all
    select *, 'discount' as breakdown, discount_band as band from both_scopes
),

per_band as (
    select
        order_date,
        category,
        breakdown,
        band,
        count(distinct order_id) as order_count,
        sum(net_amount_usd) filter (where is_completed) as revenue_usd,
        sum(discount_amount_usd) filter (where is_completed) as discount_usd,
        sum(quantity) filter (where is_completed) as units_sold,
    from banded
    group by all
),

final as (
    select
        order_date,
        category,
        breakdown,
        band,
        order_count,
        cast(coalesce(revenue_usd, 0) as decimal(38, 6)) as revenue_usd,
        cast(coalesce(discount_usd, 0) as decimal(38, 6)) as discount_usd,
        cast(coalesce(units_sold, 0) as bigint) as units_sold,
    from per_band
)

select * from final
