import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filesLake, genericColumns, type FilesLake } from "./helpers/files-lake.ts";
import { readParquet } from "./helpers/test-lake.ts";

// A files export where one order is returned in full: it lands as a cancelled order with no items left. By hand, on
// 2024-03-01: R-1 completed (C-01, Home, 10.00) and R-2 cancelled (C-02, Kitchen, 20.00 sold then returned), so the
// whole shop has 2 orders, 1 completed and 1 cancelled, from 2 customers, with 10.00 revenue.
const header =
  "Order ID,Order Date,Customer ID,Customer Name,Email,Status,SKU,Product,Category,Qty,Unit Price,Discount %,Net";
const lines = [
  "R-1,2024-03-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,10.00,0,10.00",
  "R-2,2024-03-01 11:00:00,C-02,Ben Okafor,ben@example.com,completed,SKU-B,Mug,Kitchen,1,20.00,0,20.00",
  "R-2,2024-03-01 11:00:00,C-02,Ben Okafor,ben@example.com,completed,SKU-B,Mug,Kitchen,-1,20.00,0,-20.00",
];
const day = { order_count: 2, completed_order_count: 1, cancelled_order_count: 1, customer_count: 2, revenue: 10 };
const sql = `select order_count, completed_order_count, cancelled_order_count, customer_count,
    revenue_usd::double as revenue from $file where order_date = '2024-03-01'`;

let lake: FilesLake;
const mart = (name: string, query: string) => readParquet(lake.paths.mart(name), query);

beforeAll(async () => {
  lake = await filesLake();
  const path = join(lake.dir, "returned.csv");
  await writeFile(path, [header, ...lines, ""].join("\n"));
  await lake.configure({ path, columns: genericColumns });
  await lake.extract();
  await lake.transform();
});
afterAll(() => lake.cleanup());

describe("an order returned in full", () => {
  it("lands as a cancelled order without items", async () => {
    expect(await mart("fact_orders", "select order_number, status from $file order by 1")).toEqual([
      { order_number: "R-1", status: "completed" },
      { order_number: "R-2", status: "cancelled" },
    ]);
    expect(await mart("fact_order_items", "select distinct order_number from $file")).toEqual([
      { order_number: "R-1" },
    ]);
  });

  it("counts in the whole shop's day alike in the finance and the dashboards' marts", async () => {
    expect(await mart("daily_revenue", sql)).toEqual([day]);
    expect(await mart("rpt_daily_sales_by_category", `${sql} and category = 'All'`)).toEqual([day]);
    expect(
      await mart(
        "rpt_kpis_by_period",
        "select order_count, completed_order_count, customer_count from $file where period_key = 'all_time' and comparison = 'current' and category = 'All'",
      ),
    ).toEqual([{ order_count: 2, completed_order_count: 1, customer_count: 2 }]);
  });
});
