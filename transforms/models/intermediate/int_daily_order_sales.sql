with order_lines as (
    select * from int_order_category_lines
),

-- The day's order metrics, defined once for the reporting and the finance marts: revenue is completed orders
-- after discount.
final as (
    select
        order_date,
        category,
        sum(net_amount_usd) filter (where is_completed) as revenue_usd,
        sum(gross_amount_usd) filter (where is_completed) as gross_revenue_usd,
        sum(discount_amount_usd) filter (where is_completed) as discount_usd,
        count(*) as order_count,
        count(*) filter (where is_completed) as completed_order_count,
        count(*) filter (where status = 'cancelled') as cancelled_order_count,
        count(*) filter (where status = 'pending') as pending_order_count,
        count(*) filter (where status = 'shipped') as shipped_order_count,
        count(distinct user_id) as customer_count,
        cast(sum(quantity) filter (where is_completed) as bigint) as units_sold,
        cast(sum(line_count) as bigint) as line_count,
    from order_lines
    group by all
)

select * from final
