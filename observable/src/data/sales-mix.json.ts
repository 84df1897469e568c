// Top products, order sizes, discount bands and statuses per date preset and category.
import { emitJson, scopedItems as scoped, withMarts } from "../../lib/loader-kit.ts";

await withMarts(async (q) => {
  const topProducts = await q(scoped(`,
    per_product as (
        select range_days, category, product_id,
            sum(net_amount_usd) filter (where is_completed)::double as revenue_usd,
            sum(quantity) filter (where is_completed)::integer as units,
            count(distinct order_id) filter (where is_completed)::integer as orders,
        from both_scopes group by all
    ),
    ranked as (
        select *, row_number() over (partition by range_days, category order by revenue_usd desc nulls last, product_id) as revenue_rank,
            row_number() over (partition by range_days, category order by units desc nulls last, product_id) as units_rank,
        from per_product where revenue_usd > 0
    )
    select ranked.*, p.product_title, p.category as product_category, p.rating::double as rating
    from ranked join dim_products p using (product_id)
    where revenue_rank <= 20 or units_rank <= 10
    order by range_days, category, revenue_rank`));
  const orderSizes = await q(scoped(`
    select range_days, category, o.order_size_band as band, count(distinct order_id)::integer as orders
    from both_scopes join fact_orders o using (order_id)
    group by all order by all`));
  const discounts = await q(scoped(`
    select range_days, category,
        case when discount_percentage < 5 then '0-5%' when discount_percentage < 10 then '5-10%'
             when discount_percentage < 15 then '10-15%' else '15%+' end as band,
        coalesce(sum(net_amount_usd) filter (where is_completed), 0)::double as revenue_usd,
        coalesce(sum(discount_amount_usd) filter (where is_completed), 0)::double as discount_usd,
        coalesce(sum(quantity) filter (where is_completed), 0)::integer as units,
    from both_scopes group by all order by all`));
  emitJson("sales-mix.json", { topProducts, orderSizes, discounts });
});
