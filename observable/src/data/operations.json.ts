// Operations: recent orders (ids only, no personal data) and items per order, overall and per category.
import { emitJson, withMarts } from "../../lib/loader-kit.ts";

await withMarts(async (q) => {
  const recentOrders = await q(`
    with per_category as (
        select distinct i.category, o.order_id, o.ordered_at
        from fact_order_items i join fact_orders o using (order_id)
        where o.order_date > getvariable('as_of') - 7
    ),
    ranked as (
        select 'All' as category, order_id, row_number() over (order by ordered_at desc, order_id desc) as recency_rank
        from fact_orders where order_date > getvariable('as_of') - 7
        union all
        select category, order_id, row_number() over (partition by category order by ordered_at desc, order_id desc)
        from per_category
    )
    select ranked.category, ranked.recency_rank, o.order_id, o.user_id, strftime(o.ordered_at, '%Y-%m-%d %H:%M') as ordered_at,
        o.status, o.order_amount_usd::double as order_amount_usd, o.item_quantity::integer as items, o.line_count::integer as lines, o.order_size_band
    from ranked join fact_orders o using (order_id)
    where recency_rank <= 20 order by category, recency_rank`);
  emitJson("operations.json", { recentOrders });
});
