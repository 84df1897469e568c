import type { Query } from "./site-data-kit.ts";

/**
 * Fulfilment from the order status history (order_status_timeline): median time to complete and to cancel, in
 * days, over the changes that were seen; orders stuck in pending (3 or more days); the completion-time histogram.
 * A build from before history has no timeline: the page says so.
 */
export async function fulfilmentDataset(q: Query) {
  const [has] = await q(
    `select count(*)::integer as n from duckdb_views() where view_name = 'order_status_timeline' and not internal`,
  );
  if (!has?.["n"]) return { fulfilment: null, completionDays: [], stuckOrders: [] };
  const [fulfilment] = await q(`
    select
        min(first_seen_on)::varchar as history_since,
        count(distinct first_seen_on)::integer as history_days,
        median(days_to_complete)::double as median_days_to_complete,
        count(days_to_complete)::integer as completions_observed,
        median(days_to_cancel)::double as median_days_to_cancel,
        count(days_to_cancel)::integer as cancellations_observed,
        count(*) filter (where is_stuck_pending)::integer as stuck_pending,
        count(*) filter (where current_status = 'pending')::integer as pending,
    from order_status_timeline`);
  const completionDays = await q(`
    select days_to_complete::integer as days, count(*)::integer as orders
    from order_status_timeline where days_to_complete is not null group by all order by all`);
  const stuckOrders = await q(`
    select t.order_id, strftime(t.ordered_at, '%Y-%m-%d %H:%M') as ordered_at, t.order_age_days::integer as days_pending,
        o.order_amount_usd::double as order_amount_usd
    from order_status_timeline t join fact_orders o using (order_id)
    where t.is_stuck_pending order by t.order_age_days desc, t.order_id limit 20`);
  return { fulfilment, completionDays, stuckOrders };
}
