// Headline KPIs per date preset and category, with the previous period of the same length.
import { emitJson, rangesCte, withMarts } from "../../lib/loader-kit.ts";

await withMarts(async (q) => {
  const rows = await q(`
    with ${rangesCte},
    lines as (
        select 'All' as category, order_id, user_id, order_date, is_completed, order_amount_usd as amount_usd from fact_orders
        union all
        select category, order_id, user_id, order_date, is_completed, net_amount_usd from fact_order_items
    ),
    periods as (
        select
            ranges.range_days,
            lines.*,
            case
                when order_date > getvariable('as_of') - range_days then 'current'
                when order_date > getvariable('as_of') - 2 * range_days then 'previous'
            end as period,
        from ranges cross join lines
        where order_date <= getvariable('as_of')
    )
    select
        range_days,
        category,
        period,
        coalesce(sum(amount_usd) filter (where is_completed), 0)::double as revenue_usd,
        count(distinct order_id) as orders,
        count(distinct order_id) filter (where is_completed) as completed_orders,
        count(distinct user_id) as customers,
        (sum(amount_usd) filter (where is_completed) / nullif(count(distinct order_id) filter (where is_completed), 0))::double as aov_usd,
    from periods
    where period is not null
    group by all
    order by all`);
  const asOf = (await q(`select strftime(getvariable('as_of'), '%Y-%m-%d') as d`))[0]?.["d"];
  // Does the previous period have data at all (the lake holds 90 days)?
  const firstDay = (await q(`select strftime(min(order_date), '%Y-%m-%d') as d from fact_orders`))[0]?.["d"];
  emitJson("kpis.json", { asOf, firstDay, rows });
});
