with items as (
    select * from fact_order_items
),

final as (
    select
        order_date,
        case when grouping(category) = 1 then 'All' else coalesce(category, 'uncategorized') end as category,
        order_id,
        user_id,
        status,
        is_completed,
        count(*) as line_count,
        sum(quantity) as quantity,
        sum(gross_amount_usd) as gross_amount_usd,
        sum(discount_amount_usd) as discount_amount_usd,
        sum(net_amount_usd) as net_amount_usd,
    from items
    where order_date <= getvariable('as_of')
    group by grouping sets (
        (order_date, category, order_id, user_id, status, is_completed),
        (order_date, order_id, user_id, status, is_completed)
    )
)

select * from final
