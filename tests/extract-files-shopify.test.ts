import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtFilesLake, filesFixture, filesLake } from "./helpers/files-lake.ts";
import { rawFile, rawManifestFile, readParquet } from "./helpers/test-lake.ts";

// tests/fixtures/files/shopify-orders.csv: Shopify's "Export orders" columns, one row per line item, the
// order-level fields (Email, statuses, Created at, addresses) on each order's first row only. By hand:
//   #1001 paid + fulfilled            -> completed  2 x 48.00 - 9.60 + 24.00 = 110.40 (its Subtotal)
//   #1002 refunded                    -> cancelled  48.00
//   #1003 paid + partial              -> shipped    3 x 12.50 - 3.75 = 33.75
//   #1004 voided, Cancelled at set    -> cancelled  48.00 + 12.00 = 60.00
//   #1005 partially_refunded, fulfilled -> completed 24.00
//   #1006 pending payment             -> pending    12.50
// Completed revenue 110.40 + 24.00 = 134.40; all orders 288.65.
const files = builtFilesLake({ path: filesFixture("shopify-orders.csv"), preset: "shopify" });
const mart = files.mart;

describe("files source: the shopify preset", () => {
  it("maps statuses from financial and fulfilment status and Cancelled at", async () => {
    expect(
      await mart(
        "fact_orders",
        "select order_number, status, order_amount_usd::varchar as net, line_count, ordered_at::varchar as at from $file order by 1",
      ),
    ).toEqual([
      { order_number: "#1001", status: "completed", net: "110.400000", line_count: 2, at: "2024-02-10 14:05:12" },
      { order_number: "#1002", status: "cancelled", net: "48.000000", line_count: 1, at: "2024-02-12 09:00:00" },
      { order_number: "#1003", status: "shipped", net: "33.750000", line_count: 1, at: "2024-02-20 18:30:00" },
      { order_number: "#1004", status: "cancelled", net: "60.000000", line_count: 2, at: "2024-02-25 11:11:11" },
      { order_number: "#1005", status: "completed", net: "24.000000", line_count: 1, at: "2024-03-02 08:15:00" },
      { order_number: "#1006", status: "pending", net: "12.500000", line_count: 1, at: "2024-03-05 20:45:00" },
    ]);
    expect(await mart("daily_revenue", "select sum(revenue_usd)::varchar as r from $file")).toEqual([
      { r: "134.400000" },
    ]);
  });

  it("keys customers on the email (case-insensitive) and products on the SKU, else the line item name", async () => {
    expect(
      await mart(
        "dim_customers",
        "select customer_key, display_name, order_count, lifetime_value_usd::varchar as ltv from $file order by 1",
      ),
    ).toEqual([
      { customer_key: "dana@example.com", display_name: "Dana R.", order_count: 2, ltv: "134.400000" },
      { customer_key: "eli@example.com", display_name: "Eli B.", order_count: 2, ltv: "0.000000" },
      { customer_key: "fay@example.com", display_name: "Fay O.", order_count: 2, ltv: "0.000000" },
    ]);
    expect(
      await mart("dim_products", "select product_key, product_title, brand, units_sold from $file order by 1"),
    ).toEqual([
      { product_key: "Canvas Tote", product_title: "Canvas Tote", brand: "Northwind", units_sold: 2 },
      { product_key: "LS-L", product_title: "Linen Shirt - L", brand: "Northwind", units_sold: 0 },
      { product_key: "LS-M", product_title: "Linen Shirt - M", brand: "Northwind", units_sold: 2 },
      { product_key: "WS-01", product_title: "Wool Socks", brand: "Hearth", units_sold: 0 },
    ]);
  });

  it("reads the Province code as one state, whether or not the city is in the us_cities seed", async () => {
    // Cambridge MA is not in the seed, Boston MA and Austin TX are: every customer gets the name and the code.
    expect(await mart("dim_customers", "select customer_key, city, state, state_code from $file order by 1")).toEqual([
      { customer_key: "dana@example.com", city: "Cambridge", state: "Massachusetts", state_code: "MA" },
      { customer_key: "eli@example.com", city: "Boston", state: "Massachusetts", state_code: "MA" },
      { customer_key: "fay@example.com", city: "Austin", state: "Texas", state_code: "TX" },
    ]);
    expect(
      await mart(
        "fact_orders",
        "select customer_state_at_order as state, count(*)::integer as orders from $file group by 1 order by 1",
      ),
    ).toEqual([
      { state: "Massachusetts", orders: 4 },
      { state: "Texas", orders: 2 },
    ]);
  });

  it("cleans Shopify's quoted zip codes, keeps street lines out of the lake and the rest as drift", async () => {
    expect(
      await readParquet(
        rawFile(files.lake.paths, "files", "users"),
        "select address.postalCode as zip from $file order by 1",
      ),
    ).toEqual([{ zip: "02108" }, { zip: "02139" }, { zip: "78701" }]);
    const manifest = JSON.parse(await readFile(rawManifestFile(files.lake.paths, "files", "order_items"), "utf8"));
    // Notes ("leave at the door"), note attributes, company names and the employee are personal too.
    expect(manifest.details.droppedPersonalColumns).toEqual([
      "Billing Street",
      "Billing Address2",
      "Billing Company",
      "Shipping Street",
      "Shipping Address2",
      "Shipping Company",
      "Notes",
      "Note Attributes",
      "Employee",
    ]);
    expect(manifest.driftFields).toEqual(expect.arrayContaining(["Payment Method", "Total", "Tags"]));
    for (const personal of ["Billing Street", "Notes", "Note Attributes", "Billing Company", "Employee"])
      expect(manifest.driftFields).not.toContain(personal);
    expect(manifest.asOf).toBe("2024-03-05");
  });
});

describe("files source: a customer's contact details over several orders", () => {
  it("takes the address as one block from the latest order, a phone missing there from an earlier order", async () => {
    // Dana's latest order #1005 ships to Somerville and gives no phone; #1001 gave +1 617 555 0101.
    const csv = (await readFile(filesFixture("shopify-orders.csv"), "utf8"))
      .split("\n")
      .map((line) =>
        line.startsWith("#1005,") ? line.replaceAll("+1 617 555 0101", "").replaceAll("Cambridge", "Somerville") : line,
      )
      .join("\n");
    const lake = await filesLake();
    try {
      const path = join(lake.dir, "orders_export.csv");
      await writeFile(path, csv);
      await lake.configure({ path, preset: "shopify" });
      await lake.extract();
      expect(
        await readParquet(
          rawFile(lake.paths, "files", "users"),
          "select customer_key, phone, address.city as city, address.postalCode as zip from $file order by 1",
        ),
      ).toEqual([
        { customer_key: "dana@example.com", phone: "+1 617 555 0101", city: "Somerville", zip: "02139" },
        { customer_key: "eli@example.com", phone: "+1 617 555 0102", city: "Boston", zip: "02108" },
        { customer_key: "fay@example.com", phone: "+1 512 555 0103", city: "Austin", zip: "78701" },
      ]);
    } finally {
      await lake.cleanup();
    }
  });
});
