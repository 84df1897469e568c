with items as (
    select * from fact_order_items
),

final as (
    select
        product_id,
        order_date,
        cast(sum(net_amount_usd) filter (where is_completed) as decimal(38, 6)) as revenue_usd,
        cast(coalesce(sum(quantity) filter (where is_completed), 0) as bigint) as units_sold,
        count(distinct order_id) filter (where is_completed) as order_count,
    from items
    where order_date <= getvariable('as_of')
    group by product_id, order_date
    having count(*) filter (where is_completed) > 0
)

select * from final
