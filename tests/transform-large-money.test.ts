import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSiteData } from "../observable/site-data/build-site-data.ts";
import { builtFilesLake, filesFixture } from "./helpers/files-lake.ts";
import { rawFile, readParquet } from "./helpers/test-lake.ts";

// tests/fixtures/files/large-money-orders.csv, by hand (one unit per line, no discounts; as of 2024-06-03), with
// a = 90,000,000,000.123456 (Machines, M-1) and b = 99,999,999,999.999999 (Parts, M-2), both legal line amounts
// (below 10^11), and 0.335 (Parts, M-3):
//   2024-06-01 L-01..L-12  C-1  one line a each        12a = 1,080,000,000,001.481472
//   2024-06-02 L-13..L-20  C-1  one line b each         8b =   799,999,999,999.999992
//   2024-06-03 L-21        C-1  6 lines a, 6 lines b    6a =   540,000,000,000.740736
//                                                      6b =   599,999,999,999.999994  (the order: 1,140,000,000,000.740730)
//              L-22        C-2  2 x 0.335                          0.670000
//              L-23        C-2  cancelled, one line a (not revenue)
// C-1's lifetime: 18a + 14b = 1,620,000,000,002.222208 + 1,399,999,999,999.999986 = 3,020,000,000,002.222194.
// Every total from 10^12 up overflowed DECIMAL(18, 6): the extract failed on L-21's order total, and without
// L-21 the transform failed in customer_segmentation and every daily, period, product and customer total.
const built = builtFilesLake({
  path: filesFixture("large-money-orders.csv"),
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
const mart = (name: string, sql: string) => built.mart(name, sql);

describe("money totals past 10^12 (a large shop in VND or IDR)", () => {
  it("lands every line, at most 10^11 each, exactly, and the order totals as their exact sums", async () => {
    const raw = (entity: string, sql: string) => readParquet(rawFile(built.lake.paths, "files", entity), sql);
    expect(
      await raw(
        "order_items",
        "select line_total::varchar as amount, count(*)::int as lines from $file group by 1 order by 1",
      ),
    ).toEqual([
      { amount: "0.670000", lines: 1 },
      { amount: "90000000000.123456", lines: 19 },
      { amount: "99999999999.999999", lines: 14 }, // 10^11 as a DOUBLE: refused as too large before
    ]);
    expect(
      await raw(
        "orders",
        "select order_number, gross_total::varchar as gross, discounted_total::varchar as net from $file where order_number = 'L-21'",
      ),
    ).toEqual([{ order_number: "L-21", gross: "1140000000000.740730", net: "1140000000000.740730" }]);
    // A line keeps its DECIMAL(18, 6) contract; only the sums are wider.
    expect(
      await mart(
        "fact_order_items",
        "select distinct typeof(net_amount_usd) as t, typeof(unit_price_usd) as u from $file",
      ),
    ).toEqual([{ t: "DECIMAL(18,6)", u: "DECIMAL(18,6)" }]);
  });

  it("builds, and the customer's lifetime total and segmentation are exact", async () => {
    const summary = built.lake.logger.text();
    expect(summary).not.toMatch(/out of range|Overflow/i);
    expect(
      await mart(
        "dim_customers",
        `select customer_key, lifetime_value_usd::varchar as ltv, average_order_value_usd::varchar as aov
         from $file order by customer_key`,
      ),
    ).toEqual([
      { customer_key: "C-1", ltv: "3020000000002.222194", aov: "143809523809.63" }, // / 21 orders
      { customer_key: "C-2", ltv: "0.670000", aov: "0.67" },
    ]);
    expect(
      await mart("customer_segmentation", "select monetary_usd::varchar as m from $file order by monetary_usd"),
    ).toEqual([{ m: "0.670000" }, { m: "3020000000002.222194" }]);
    expect(
      await mart(
        "fact_orders",
        "select order_amount_usd::varchar as amount, order_size_band from $file where order_number = 'L-21'",
      ),
    ).toEqual([{ amount: "1140000000000.740730", order_size_band: "x-large (>= $2,000)" }]);
  });

  it("daily totals past 10^12 are exact, per category and for the whole shop", async () => {
    expect(
      await mart(
        "rpt_daily_sales_by_category",
        `select strftime(order_date, '%Y-%m-%d') as day, category, revenue_usd::varchar as revenue
         from $file where revenue_usd <> 0 order by day, category`,
      ),
    ).toEqual([
      { day: "2024-06-01", category: "All", revenue: "1080000000001.481472" },
      { day: "2024-06-01", category: "Machines", revenue: "1080000000001.481472" },
      { day: "2024-06-02", category: "All", revenue: "799999999999.999992" },
      { day: "2024-06-02", category: "Parts", revenue: "799999999999.999992" },
      { day: "2024-06-03", category: "All", revenue: "1140000000001.410730" },
      { day: "2024-06-03", category: "Machines", revenue: "540000000000.740736" },
      { day: "2024-06-03", category: "Parts", revenue: "600000000000.669994" }, // 6b + 0.67
    ]);
    expect(
      await mart(
        "daily_revenue",
        `select strftime(order_date, '%Y-%m-%d') as day, revenue_usd::varchar as revenue,
            gross_revenue_usd::varchar as gross, average_order_value_usd::varchar as aov
         from $file order by day`,
      ),
    ).toEqual([
      { day: "2024-06-01", revenue: "1080000000001.481472", gross: "1080000000001.481472", aov: "90000000000.12" },
      { day: "2024-06-02", revenue: "799999999999.999992", gross: "799999999999.999992", aov: "100000000000.00" },
      { day: "2024-06-03", revenue: "1140000000001.410730", gross: "1140000000001.410730", aov: "570000000000.71" },
    ]);
    expect(
      await mart(
        "rpt_daily_sales_mix",
        `select category, sum(revenue_usd)::varchar as revenue from $file
         where breakdown = 'order_size' group by all order by category`,
      ),
    ).toEqual([
      { category: "All", revenue: "3020000000002.892194" },
      { category: "Machines", revenue: "1620000000002.222208" },
      { category: "Parts", revenue: "1400000000000.669986" },
    ]);
  });

  it("period, product and top-customer totals are exact", async () => {
    // Every preset's current period covers the three days; 22 completed orders, 13 with Machines, 10 with Parts.
    expect(
      await mart(
        "rpt_kpis_by_period",
        `select distinct category, revenue_usd::varchar as revenue, average_order_value_usd::varchar as aov
         from $file where comparison = 'current' order by category`,
      ),
    ).toEqual([
      { category: "All", revenue: "3020000000002.892194", aov: "137272727272.86" },
      { category: "Machines", revenue: "1620000000002.222208", aov: "124615384615.56" },
      { category: "Parts", revenue: "1400000000000.669986", aov: "140000000000.07" },
    ]);
    expect(
      await mart(
        "rpt_top_products",
        `select distinct product_title, revenue_usd::varchar as revenue from $file
         where period_key = 'all_time' and category = 'All' order by product_title`,
      ),
    ).toEqual([
      { product_title: "M-1", revenue: "1620000000002.222208" },
      { product_title: "M-2", revenue: "1399999999999.999986" },
      { product_title: "M-3", revenue: "0.670000" },
    ]);
    expect(
      await mart(
        "rpt_product_daily_sales",
        "select strftime(order_date, '%Y-%m-%d') as day, revenue_usd::varchar as revenue from $file order by day, revenue_usd",
      ),
    ).toEqual([
      { day: "2024-06-01", revenue: "1080000000001.481472" },
      { day: "2024-06-02", revenue: "799999999999.999992" },
      { day: "2024-06-03", revenue: "0.670000" },
      { day: "2024-06-03", revenue: "540000000000.740736" },
      { day: "2024-06-03", revenue: "599999999999.999994" },
    ]);
    expect(
      await mart(
        "product_performance",
        `select product_title, revenue_usd::varchar as revenue, category_revenue_usd::varchar as category_revenue
         from $file order by product_title`,
      ),
    ).toEqual([
      { product_title: "M-1", revenue: "1620000000002.222208", category_revenue: "1620000000002.222208" },
      { product_title: "M-2", revenue: "1399999999999.999986", category_revenue: "1400000000000.669986" },
      { product_title: "M-3", revenue: "0.670000", category_revenue: "1400000000000.669986" },
    ]);
    expect(
      await mart(
        "rpt_top_customers",
        "select distinct spend_usd::varchar as spend from $file where category = 'All' order by spend_usd",
      ),
    ).toEqual([{ spend: "0.670000" }, { spend: "3020000000002.222194" }]);
  });

  it("the site's data loaders read the totals (no 32-bit integer in between)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "duckmart-large-site-"));
    try {
      const { paths } = built.lake;
      const { buildId } = JSON.parse(await readFile(paths.buildPointer, "utf8")) as { buildId: string };
      const pagesDir = join(dir, "pages");
      await buildSiteData(
        { dataDir: paths.root, buildDir: paths.buildDir(buildId), pagesDir, memoryLimit: "1GB" },
        () => Promise.resolve(),
      );
      const mix = JSON.parse(await readFile(join(pagesDir, "sales-mix.json"), "utf8")) as {
        discounts: { columns: { revenue_usd: number[] } };
      };
      // Whole dollars per day, category and band: 1,080,000,000,001 overflowed the loader's INTEGER cast.
      expect(mix.discounts.columns.revenue_usd).toContain(1080000000001);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
