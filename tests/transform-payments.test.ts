import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extract } from "../extract/index.ts";
import { transform } from "../transforms/index.ts";
import { order, product, user, writeOrders, writeRaw } from "./helpers/raw-fixtures.ts";
import { charge, refund, startFakeStripe, TEST_KEY, type FakeStripe } from "./helpers/stripe-server.ts";
import { readParquet, testLake, type TestLake, paymentColumns } from "./helpers/test-lake.ts";

let lake: TestLake;
let api: FakeStripe;
const at = (iso: string) => Date.parse(iso) / 1000;

beforeAll(async () => {
  api = await startFakeStripe();
  lake = await testLake({ "stripe.apiKey": TEST_KEY, "stripe.apiBase": api.url });
  await writeRaw(lake, "products", [product(1, 10, "alpha"), product(2, 20, "beta")]);
  await writeRaw(lake, "users", [user(1, "Austin", "Texas", "TX")]);
  await writeRaw(lake, "carts", []);
  await writeOrders(lake, [
    order(1, 1, "2026-11-22T10:00:00", "completed", [
      [1, 10, 2, 10],
      [1, 10, 1, 10],
    ]), // 27.00
    order(2, 1, "2026-11-22T11:00:00", "completed", [[2, 20, 1, 0]]), // 20.00
    order(3, 1, "2026-11-23T10:00:00", "shipped", [[2, 20, 2, 10]]), // 36.00
    order(4, 1, "2026-11-23T11:00:00", "completed", [[1, 10, 1, 0]]), // 10.00
    order(5, 1, "2026-11-24T10:00:00", "completed", [[1, 10, 5, 0]]), // 50.00
    order(6, 1, "2026-11-24T11:00:00", "cancelled", [[1, 10, 1, 0]]),
  ]);
  api.data.charges = [
    charge("ch_1", at("2026-11-22T10:05:00Z"), 2700, { orderId: 1 }), // matched
    charge("ch_2", at("2026-11-22T11:05:00Z"), 2000, { orderId: 2 }), // refunded 5.00 -> underpaid by 5
    charge("ch_3", at("2026-11-23T10:05:00Z"), 4000, { orderId: 3 }), // overpaid by 4
    charge("ch_4", at("2026-11-23T11:05:00Z"), 1000, { orderId: 4, status: "failed" }), // failed only -> unpaid
    charge("ch_5", at("2026-11-24T10:05:00Z"), 7500, { orderId: 5, currency: "jpy" }), // 7,500 yen: zero-decimal
    charge("ch_x", at("2026-11-24T12:00:00Z"), 1234, { orderId: null }), // no order
  ];
  api.data.refunds = [refund("re_2", "ch_2", at("2026-11-23T09:00:00Z"), 500)];
  await extract({ config: lake.config, paths: lake.paths, logger: lake.logger }, ["stripe"]);
  await transform({ config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns });
});
afterAll(async () => {
  await api.close();
  await lake.cleanup();
});

describe("payments marts", () => {
  it("reconciles each order against captured less refunds", async () => {
    const rows = await readParquet(
      lake.paths.mart("payments_reconciliation"),
      "select reconciliation_id, reconciliation_status, difference_usd::double as diff, failed_charge_count from $file order by reconciliation_id",
    );
    expect(rows).toEqual([
      {
        reconciliation_id: "charge-ch_x",
        reconciliation_status: "payment without order",
        diff: 12.34,
        failed_charge_count: 0,
      },
      { reconciliation_id: "order-1", reconciliation_status: "matched", diff: 0, failed_charge_count: 0 },
      { reconciliation_id: "order-2", reconciliation_status: "underpaid", diff: -5, failed_charge_count: 0 },
      { reconciliation_id: "order-3", reconciliation_status: "overpaid", diff: 4, failed_charge_count: 0 },
      { reconciliation_id: "order-4", reconciliation_status: "unpaid", diff: -10, failed_charge_count: 1 },
      { reconciliation_id: "order-5", reconciliation_status: "other currency", diff: -50, failed_charge_count: 0 },
    ]);
  });

  it("converts amounts by the currency's exponent and keeps the currency on every row", async () => {
    const rows = await readParquet(
      lake.paths.mart("fact_payments"),
      "select charge_id, currency, amount::double as amount, net_amount::double as net, is_reporting_currency from $file where charge_id in ('ch_2', 'ch_5') order by charge_id",
    );
    expect(rows).toEqual([
      { charge_id: "ch_2", currency: "usd", amount: 20, net: 15, is_reporting_currency: true },
      { charge_id: "ch_5", currency: "jpy", amount: 7500, net: 7500, is_reporting_currency: false },
    ]);
  });

  it("adds refunds, net revenue and the failure rate to daily_revenue, in USD only", async () => {
    const rows = await readParquet(
      lake.paths.mart("daily_revenue"),
      "select order_date::varchar as d, revenue_usd::double as revenue, captured_usd::double as captured, refunds_usd::double as refunds, net_revenue_usd::double as net, charge_count, failed_charge_count, charge_failure_rate from $file order by d",
    );
    expect(rows).toEqual([
      {
        d: "2026-11-22",
        revenue: 47,
        captured: 47,
        refunds: 0,
        net: 47,
        charge_count: 2,
        failed_charge_count: 0,
        charge_failure_rate: 0,
      },
      {
        d: "2026-11-23",
        revenue: 10,
        captured: 40,
        refunds: 5,
        net: 35,
        charge_count: 2,
        failed_charge_count: 1,
        charge_failure_rate: 0.5,
      },
      {
        d: "2026-11-24",
        revenue: 50,
        captured: 12.34,
        refunds: 0,
        net: 12.34,
        charge_count: 1,
        failed_charge_count: 0,
        charge_failure_rate: 0,
      },
    ]);
  });
});
