// Daily sales per category (and "All", from daily_revenue) for the 90 days up to as-of: the trend charts' data.
import { emitArrow, withMarts } from "../../lib/loader-kit.ts";

await withMarts(async (_q, connection) => {
  await emitArrow("daily.arrow", connection, `
    with all_days as (
        select
            daily.order_date,
            'All' as category,
            daily.revenue_usd::double as revenue_usd,
            daily.order_count::integer as orders,
            daily.completed_order_count::integer as completed_orders,
            daily.cancelled_order_count::integer as cancelled_orders,
            coalesce(s.pending_orders, 0)::integer as pending_orders,
            coalesce(s.shipped_orders, 0)::integer as shipped_orders,
            daily.customer_count::integer as customers,
            daily.units_sold::integer as units,
            coalesce(s.line_count, 0)::integer as lines,
        from daily_revenue as daily
        left join (
            select order_date,
                count(*) filter (where status = 'pending') as pending_orders,
                count(*) filter (where status = 'shipped') as shipped_orders,
                sum(line_count) as line_count,
            from fact_orders group by order_date
        ) as s using (order_date)
        where daily.order_date > getvariable('as_of') - 90
    ),
    category_days as (
        select
            order_date,
            category,
            coalesce(sum(net_amount_usd) filter (where is_completed), 0)::double as revenue_usd,
            count(distinct order_id)::integer as orders,
            count(distinct order_id) filter (where is_completed)::integer as completed_orders,
            count(distinct order_id) filter (where status = 'cancelled')::integer as cancelled_orders,
            count(distinct order_id) filter (where status = 'pending')::integer as pending_orders,
            count(distinct order_id) filter (where status = 'shipped')::integer as shipped_orders,
            count(distinct user_id)::integer as customers,
            coalesce(sum(quantity) filter (where is_completed), 0)::integer as units,
            count(*)::integer as lines,
        from fact_order_items
        where order_date > getvariable('as_of') - 90
        group by all
    )
    select strftime(order_date, '%Y-%m-%d') as order_date, * exclude (order_date)
    from (select * from all_days union all select * from category_days)
    order by category, order_date`);
});
