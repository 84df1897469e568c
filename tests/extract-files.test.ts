import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { queryRows, withDuckdb } from "../cli/core/duckdb.ts";
import { builtFilesLake, filesFixture, filesLake, genericColumns } from "./helpers/files-lake.ts";
import { rawFile, rawManifestFile, readParquet } from "./helpers/test-lake.ts";

// tests/fixtures/files/orders.csv, by hand (Net column; CA-1004's SKU-C sale is returned on its third line):
//   CA-1001 completed 2024-03-01  33.983 + 7.50           =  41.483
//   CA-1002 shipped   2024-03-05  17.49125 (12.5% off)    =  17.49125
//   CA-1003 completed 2024-03-10  121.50 + 15.00          = 136.50   (second line dated 03-11: earliest wins)
//   CA-1004 completed 2024-03-12  45.00 + 19.99 - 45.00   =  19.99    (SKU-C sold and returned: line dropped)
//   CA-1005 cancelled 2024-03-20  30.00                   =  30.00
//   CA-1006 completed 2024-03-28  12.345                  =  12.345
// All orders 257.80925 (the file's Net total); completed revenue 41.483 + 136.5 + 19.99 + 12.345 = 210.318.
// Gross of completed orders: 47.48 + 150 + 19.99 + 12.345 = 229.815.
const files = builtFilesLake({ path: filesFixture("orders.csv"), columns: genericColumns });
const mart = files.mart;

describe("files source: a generic order-lines CSV with a mapping", () => {
  it("marts' totals equal the file's totals to the sub-cent", async () => {
    expect(await mart("fact_orders", "select sum(order_amount_usd)::varchar as t from $file")).toEqual([
      { t: "257.809250" },
    ]);
    expect(
      await mart(
        "daily_revenue",
        "select sum(revenue_usd)::varchar as revenue, sum(gross_revenue_usd)::varchar as gross from $file",
      ),
    ).toEqual([{ revenue: "210.318000", gross: "229.815000" }]);
    expect(
      await mart(
        "fact_orders",
        "select order_number, order_amount_usd::varchar as amount, status from $file order by 1",
      ),
    ).toEqual([
      { order_number: "CA-1001", amount: "41.483000", status: "completed" },
      { order_number: "CA-1002", amount: "17.491250", status: "shipped" },
      { order_number: "CA-1003", amount: "136.500000", status: "completed" },
      { order_number: "CA-1004", amount: "19.990000", status: "completed" },
      { order_number: "CA-1005", amount: "30.000000", status: "cancelled" },
      { order_number: "CA-1006", amount: "12.345000", status: "completed" },
    ]);
  });

  it("derives products and customers with their text keys, resolving conflicts deterministically", async () => {
    // SKU-A: 33.983 (CA-1001) + 19.99 (CA-1004); CA-1002 is only shipped. SKU-C: "Desk Lamp" is the newer name.
    expect(
      await mart("dim_products", "select product_key, product_title, revenue_usd::varchar as r from $file order by 1"),
    ).toEqual([
      { product_key: "SKU-A", product_title: "Lamp", r: "53.973000" },
      { product_key: "SKU-B", product_title: "Mug", r: "22.500000" },
      { product_key: "SKU-C", product_title: "Desk Lamp", r: "121.500000" },
      { product_key: "SKU-D", product_title: "Poster", r: "12.345000" },
    ]);
    // CA-1004 names C-02 on its first line and C-03 on its second: the first wins.
    expect(
      await mart(
        "dim_customers",
        "select customer_key, display_name, lifetime_value_usd::varchar as ltv, order_count from $file order by 1",
      ),
    ).toEqual([
      { customer_key: "C-01", display_name: "Ana S.", ltv: "177.983000", order_count: 2 },
      { customer_key: "C-02", display_name: "Ben O.", ltv: "32.335000", order_count: 3 },
      { customer_key: "C-03", display_name: "Cleo P.", ltv: "0.000000", order_count: 1 },
    ]);
    expect(
      await mart("fact_order_items", "select count(*) as n, count(distinct order_number) as orders from $file"),
    ).toEqual([{ n: 8, orders: 6 }]);
  });

  it("does not warn about a city at order time when the export has no city at all", async () => {
    const results = JSON.parse(await readFile(files.lake.paths.testResults, "utf8"));
    const list = (results.results ?? results) as { id: string; status: string }[];
    expect(list.filter((t) => t.status !== "pass").map((t) => t.id)).toEqual([]);
    expect(list.find((t) => t.id === "fact_orders.customer_city_at_order.not_null")?.status).toBe("pass");
  });

  it("reports every conflict kind with counts in the manifest and the log", async () => {
    const manifest = JSON.parse(await readFile(rawManifestFile(files.lake.paths, "files", "orders"), "utf8"));
    expect(manifest.details.conflicts).toEqual({
      orders_with_two_dates: 1,
      orders_with_two_customers: 1,
      orders_with_two_statuses: 0,
      products_with_two_names: 1,
      customers_with_two_names_or_emails: 0,
      return_lines: 1,
      returned_units: 1,
      zero_quantity_lines: 0,
      zero_quantity_orders: 0,
      fully_returned_orders: 0,
    });
    expect(files.lake.logger.text()).toMatch(
      /warn: files: conflicts resolved.*orders with two dates: 1, orders with two customers: 1/,
    );
    // The export is named relative to the configured path: no machine layout in the lake.
    expect(manifest.details.files).toEqual(["orders.csv"]);
    expect(JSON.stringify(manifest)).not.toContain(filesFixture("orders.csv"));
  });

  it("lands unmapped columns as drift and keys text ids on stable integers", async () => {
    const items = JSON.parse(await readFile(rawManifestFile(files.lake.paths, "files", "order_items"), "utf8"));
    expect(items.driftFields).toEqual(["Channel"]);
    expect(items.details.idSchemes).toEqual({ orders: "hash", customers: "hash", products: "hash" });
    const ids = await withDuckdb({}, (c) =>
      queryRows(
        c,
        "select ('0x' || left(md5('CA-1001'), 13))::bigint as id, ('0x' || left(md5('SKU-A'), 13))::bigint as p",
      ),
    );
    expect(
      await mart(
        "fact_order_items",
        "select order_id as id, product_id as p from $file where order_number = 'CA-1001' and line_number = 1",
      ),
    ).toEqual(ids);
  });

  it("defaults the as-of date to the newest order date", async () => {
    const manifest = JSON.parse(await readFile(rawManifestFile(files.lake.paths, "files", "orders"), "utf8"));
    expect(manifest.asOf).toBe("2024-03-28");
    expect(
      await mart(
        "dim_customers",
        "select customer_key, days_since_last_order as d, recency_segment as r from $file order by 1",
      ),
    ).toEqual([
      { customer_key: "C-01", d: 18, r: "active" },
      { customer_key: "C-02", d: 0, r: "active" },
      { customer_key: "C-03", d: 8, r: "active" },
    ]);
  });

  it("--as-of still overrides it", async () => {
    const other = await filesLake();
    try {
      await other.configure({ path: filesFixture("orders.csv"), columns: genericColumns }, { asOf: "2024-05-27" });
      await other.extract();
      await other.transform();
      const rows = await readParquet(
        other.paths.mart("dim_customers"),
        "select customer_key, days_since_last_order as d, recency_segment as r from $file order by 1",
      );
      // 2024-03-10 -> 2024-05-27 is 78 days; 2024-03-28 -> 60; 2024-03-20 -> 68.
      expect(rows).toEqual([
        { customer_key: "C-01", d: 78, r: "at risk" },
        { customer_key: "C-02", d: 60, r: "cooling" },
        { customer_key: "C-03", d: 68, r: "at risk" },
      ]);
    } finally {
      await other.cleanup();
    }
  });

  it("an --as-of before the export's newest order leaves the later orders out, in every entity", async () => {
    const other = await filesLake();
    try {
      await other.configure({ path: filesFixture("orders.csv"), columns: genericColumns }, { asOf: "2024-03-11" });
      await other.extract();
      // Kept: CA-1001 (03-01), CA-1002 (03-05), CA-1003 (dated 03-10, its first line); left out: CA-1004..1006.
      // 33.983 + 7.50 + 17.49125 + 121.50 + 15.00 = 195.47425.
      expect(
        await readParquet(
          rawFile(other.paths, "files", "orders"),
          "select string_agg(order_number, ',' order by order_number) as kept, sum(discounted_total)::varchar as t from $file",
        ),
      ).toEqual([{ kept: "CA-1001,CA-1002,CA-1003", t: "195.474250" }]);
      // SKU-D sold only on 03-28; SKU-C's newest name on or before the as-of is CA-1003's.
      expect(
        await readParquet(rawFile(other.paths, "files", "products"), "select product_key, title from $file order by 1"),
      ).toEqual([
        { product_key: "SKU-A", title: "Lamp" },
        { product_key: "SKU-B", title: "Mug" },
        { product_key: "SKU-C", title: "Desk Lamp Pro" },
      ]);
      const manifest = JSON.parse(await readFile(rawManifestFile(other.paths, "files", "orders"), "utf8"));
      expect(manifest.details.ordersAfterAsOf).toBe(3);
      // Conflicts are counted on what landed: CA-1004's return and two customers were left out with it.
      expect(manifest.details.conflicts).toMatchObject({
        orders_with_two_dates: 1,
        orders_with_two_customers: 0,
        products_with_two_names: 0,
        return_lines: 0,
        returned_units: 0,
      });
      expect(other.logger.text()).toMatch(
        /warn: files: 3 order\(s\) of the export are dated after the as-of 2024-03-11/,
      );
      await other.transform();
      expect(
        await readParquet(
          other.paths.mart("fact_orders"),
          "select count(*) as n, max(ordered_at)::date::varchar as d from $file",
        ),
      ).toEqual([{ n: 3, d: "2024-03-10" }]);
    } finally {
      await other.cleanup();
    }
  });

  it("tags names, emails, phones and addresses pii in the catalog", async () => {
    const catalog = JSON.parse(await readFile(join(files.lake.paths.root, "catalog.json"), "utf8"));
    const dim = catalog.nodes.find((n: { name: string }) => n.name === "dim_customers");
    const pii = dim.columns.filter((c: { pii?: boolean }) => c.pii).map((c: { name: string }) => c.name);
    expect(pii).toEqual(expect.arrayContaining(["customer_key", "first_name", "last_name", "email", "phone"]));
  });
});
