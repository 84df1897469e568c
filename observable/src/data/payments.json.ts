// Payments: daily net revenue, refunds and failures in the reporting currency, and reconciliation exceptions.
import { emitJson, readBuildSync, withMarts } from "../../lib/loader-kit.ts";

// "none": the build had no payments source (a DummyJSON or files shop without STRIPE_API_KEY).
const paymentsSource = readBuildSync()?.paymentsSource ?? "sample";

await withMarts(async (q) => {
  const has = async (name: string) => (await q(`select count(*) as n from duckdb_views() where view_name = '${name}'`))[0]?.["n"] === 1;
  if (!(await has("fact_payments")) || !(await has("payments_reconciliation"))) {
    emitJson("payments.json", { paymentsSource, currency: "usd", otherCurrencies: [], daily: [], exceptions: [] });
    return;
  }
  const daily = await q(`
    select strftime(order_date, '%Y-%m-%d') as date, refunds_usd::double as refunds_usd, net_revenue_usd::double as net_revenue_usd,
        captured_usd::double as captured_usd, charge_count::integer as charge_count, failed_charge_count::integer as failed_charge_count
    from daily_revenue order by order_date`);
  const exceptions = await q(`
    select order_id, reconciliation_status, order_amount_usd::double as order_amount_usd, captured_usd::double as captured_usd,
        refunded_usd::double as refunded_usd, difference_usd::double as difference_usd
    from payments_reconciliation where reconciliation_status <> 'matched'
    order by abs(difference_usd) desc nulls last, order_id limit 200`);
  const other = await q(`select distinct upper(currency) as c from fact_payments where currency <> 'usd' order by 1`);
  emitJson("payments.json", { paymentsSource, currency: "usd", otherCurrencies: other.map((r) => String(r["c"])), daily, exceptions });
});
