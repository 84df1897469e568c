import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filesFixture, filesLake, type FilesLake } from "./helpers/files-lake.ts";
import { readParquet } from "./helpers/test-lake.ts";

// tests/fixtures/files/subcent-orders.csv, by hand (one unit per completed line, no discounts; as of 2024-05-03):
//   2024-05-01 S-1 completed Toys   0.335
//   2024-05-02 S-2 completed Toys   0.335
//   2024-05-03 S-3 completed Books 10.005, S-4 cancelled Books (2 x 10.005, not revenue)
// Toys 0.335 + 0.335 = 0.67; Books 10.005; All 10.675. Rounded to cents per day the days would add up to 0.68 and
// 10.69, and every period's KPI (0.67, 10.68 rounded once) would disagree with the daily table.
let lake: FilesLake;
let summary: Awaited<ReturnType<FilesLake["transform"]>>;
const mart = (name: string, sql: string) => readParquet(lake.paths.mart(name), sql);

beforeAll(async () => {
  lake = await filesLake();
  await lake.configure({
    path: filesFixture("subcent-orders.csv"),
    columns: {
      order_id: "order_id",
      ordered_at: "ordered_at",
      customer_id: "customer_id",
      order_status: "status",
      product_id: "sku",
      category: "category",
      quantity: "qty",
      unit_price: "unit_price",
    },
  });
  await lake.extract();
  summary = await lake.transform();
});
afterAll(() => lake.cleanup());

describe("sub-cent amounts in the reporting marts", () => {
  it("builds, and the daily table keeps each day's exact revenue", async () => {
    expect(summary.tests.filter((t) => t.status === "fail" || t.status === "error").map((t) => t.id)).toEqual([]);
    expect(summary.promoted).toBe(true);
    expect(
      await mart(
        "rpt_daily_sales_by_category",
        `select strftime(order_date, '%Y-%m-%d') as day, category, revenue_usd::varchar as revenue,
            gross_revenue_usd::varchar as gross, discount_usd::varchar as discount
         from $file where revenue_usd <> 0 order by day, category`,
      ),
    ).toEqual([
      { day: "2024-05-01", category: "All", revenue: "0.335000", gross: "0.335000", discount: "0.000000" },
      { day: "2024-05-01", category: "Toys", revenue: "0.335000", gross: "0.335000", discount: "0.000000" },
      { day: "2024-05-02", category: "All", revenue: "0.335000", gross: "0.335000", discount: "0.000000" },
      { day: "2024-05-02", category: "Toys", revenue: "0.335000", gross: "0.335000", discount: "0.000000" },
      { day: "2024-05-03", category: "All", revenue: "10.005000", gross: "10.005000", discount: "0.000000" },
      { day: "2024-05-03", category: "Books", revenue: "10.005000", gross: "10.005000", discount: "0.000000" },
    ]);
  });

  it("KPIs are the exact period totals, equal to the daily table summed over the period", async () => {
    // Every preset's current period covers the three days (all of the data is within the last 7 days).
    const kpis = await mart(
      "rpt_kpis_by_period",
      `select distinct category, revenue_usd::varchar as revenue, average_order_value_usd::varchar as aov
       from $file where comparison = 'current' order by category`,
    );
    expect(kpis).toEqual([
      { category: "All", revenue: "10.675000", aov: "3.56" }, // 10.675 / 3 completed orders, a ratio in cents
      { category: "Books", revenue: "10.005000", aov: "10.01" },
      { category: "Toys", revenue: "0.670000", aov: "0.34" },
    ]);
    expect(
      await mart(
        "rpt_daily_sales_by_category",
        "select category, sum(revenue_usd)::varchar as revenue from $file group by all order by category",
      ),
    ).toEqual([
      { category: "All", revenue: "10.675000" },
      { category: "Books", revenue: "10.005000" },
      { category: "Toys", revenue: "0.670000" },
    ]);
  });

  it("the other reporting marts keep exact money too", async () => {
    expect(
      await mart(
        "rpt_daily_sales_mix",
        `select category, sum(revenue_usd)::varchar as revenue from $file
         where breakdown = 'order_size' group by all order by category`,
      ),
    ).toEqual([
      { category: "All", revenue: "10.675000" },
      { category: "Books", revenue: "10.005000" },
      { category: "Toys", revenue: "0.670000" },
    ]);
    expect(await mart("rpt_product_daily_sales", "select sum(revenue_usd)::varchar as revenue from $file")).toEqual([
      { revenue: "10.675000" },
    ]);
    expect(
      await mart(
        "rpt_top_products",
        `select distinct product_id, revenue_usd::varchar as revenue from $file
         where period_key = 'all_time' and category = 'All' order by revenue`,
      ),
    ).toEqual([
      { product_id: expect.anything(), revenue: "0.670000" },
      { product_id: expect.anything(), revenue: "10.005000" },
    ]);
    expect(
      await mart(
        "rpt_top_customers",
        "select distinct spend_usd::varchar as spend from $file where category = 'All' order by spend",
      ),
    ).toEqual([{ spend: "0.335000" }, { spend: "10.340000" }]); // C-2: 0.335; C-1: 0.335 + 10.005
  });
});
