// The sales datasets: daily sales and KPIs for any date range, the sales mix and the top products. They only
// select and shape the reporting marts (transforms/models/marts/reporting), where the metrics are defined.
import { columnar } from "./columnar.ts";
import { allCategories, categorySlug } from "./categories.ts";
import type { Query } from "./site-data-kit.ts";
import { fulfilmentDataset } from "./fulfilment-dataset.ts";

const iso = (column: string) => `strftime(${column}, '%Y-%m-%d')`;

/** Bounds, categories, presets, per-day sales per category (and All) and the KPIs of each preset. */
export async function dailyDataset(q: Query) {
  const bounds = (
    await q(`select ${iso("min(order_date)")} as first_day, ${iso("getvariable('as_of')")} as as_of
      from rpt_daily_sales_by_category`)
  )[0]!;
  const categories = (
    await q(`select distinct category from rpt_daily_sales_by_category where category <> 'All' order by 1`)
  ).map((r) => String(r["category"]));
  const periods = await q(`
    select period_key as key, period_label as label, ${iso("start_date")} as start, ${iso("end_date")} as "end"
    from rpt_kpis_by_period where comparison = 'current' and category = 'All' order by period_sort_order`);
  const daily = await q(`
    select ${iso("order_date")} as date, category, revenue_usd::double as revenue_usd, order_count as orders,
        completed_order_count as completed_orders, cancelled_order_count as cancelled_orders,
        pending_order_count as pending_orders, shipped_order_count as shipped_orders,
        customer_count as customers, units_sold as units, line_count as lines
    from rpt_daily_sales_by_category order by category, order_date`);
  const kpis = await q(`
    select period_key, comparison, category, ${iso("start_date")} as start, ${iso("end_date")} as "end",
        revenue_usd::double as revenue_usd, order_count as orders, completed_order_count as completed_orders,
        customer_count as customers, average_order_value_usd::double as aov_usd
    from rpt_kpis_by_period order by all`);
  return {
    asOf: bounds["as_of"],
    firstDay: bounds["first_day"],
    categories,
    slugs: Object.fromEntries((await allCategories(q)).map((c) => [c, categorySlug(c)])),
    periods,
    daily: columnar(daily),
    kpis: columnar(kpis),
  };
}

/** Order sizes and discount bands per day (add up over any range), and the top products per preset. */
export async function salesMixDataset(q: Query) {
  const mix = (breakdown: string, measures: string) =>
    q(`select ${iso("order_date")} as date, category, band, ${measures}
       from rpt_daily_sales_mix where breakdown = '${breakdown}' order by category, order_date, band`);
  const topProducts = await q(`
    select period_key, category, revenue_rank, units_rank, product_id, product_title, product_category,
        revenue_usd::double as revenue_usd, units_sold as units, order_count as orders, rating::double as rating
    from rpt_top_products order by period_key, category, revenue_rank`);
  return {
    orderSizes: columnar(await mix("order_size", "order_count as orders")),
    discounts: columnar(
      await mix(
        "discount",
        "round(revenue_usd)::double as revenue_usd, round(discount_usd)::double as discount_usd, units_sold as units",
      ),
    ),
    topProducts: columnar(topProducts),
  };
}

/** Recent orders (ids only, no personal data), overall and per category; fulfilment from the status history. */
export async function operationsDataset(q: Query) {
  const recentOrders = await q(`
    with per_category as (
        select distinct i.category, o.order_id, o.ordered_at
        from fact_order_items i join fact_orders o using (order_id)
        where o.order_date > getvariable('as_of') - 7 and i.order_date > getvariable('as_of') - 7
    ),
    ranked as (
        select 'All' as category, order_id, row_number() over (order by ordered_at desc, order_id desc) as recency_rank
        from fact_orders where order_date > getvariable('as_of') - 7
        union all
        select category, order_id, row_number() over (partition by category order by ordered_at desc, order_id desc)
        from per_category
    )
    select ranked.category, ranked.recency_rank, o.order_id, o.user_id, strftime(o.ordered_at, '%Y-%m-%d %H:%M') as ordered_at,
        o.status, o.order_amount_usd::double as order_amount_usd, o.item_quantity::integer as items,
        o.line_count::integer as lines, o.order_size_band
    from ranked join fact_orders o using (order_id)
    where recency_rank <= 20 order by category, recency_rank`);
  return { recentOrders, ...(await fulfilmentDataset(q)) };
}

/** Payments ("none": the build had no payments source, e.g. DummyJSON without STRIPE_API_KEY): daily net revenue, refunds and failures in the reporting currency, and reconciliation exceptions. */
export async function paymentsDataset(q: Query, has: (view: string) => boolean, paymentsSource: string) {
  if (!has("fact_payments") || !has("payments_reconciliation"))
    return { paymentsSource, currency: "usd", otherCurrencies: [], daily: [], exceptions: [] };
  const daily = await q(`
    select ${iso("order_date")} as date, refunds_usd::double as refunds_usd, net_revenue_usd::double as net_revenue_usd,
        captured_usd::double as captured_usd, charge_count::integer as charge_count,
        failed_charge_count::integer as failed_charge_count
    from daily_revenue order by order_date`);
  const exceptions = await q(`
    select order_id, reconciliation_status, order_amount_usd::double as order_amount_usd, captured_usd::double as captured_usd,
        refunded_usd::double as refunded_usd, difference_usd::double as difference_usd
    from payments_reconciliation where reconciliation_status <> 'matched'
    order by abs(difference_usd) desc nulls last, order_id limit 200`);
  const other = await q(`select distinct upper(currency) as c from fact_payments where currency <> 'usd' order by 1`);
  return { paymentsSource, currency: "usd", otherCurrencies: other.map((r) => String(r["c"])), daily, exceptions };
}
