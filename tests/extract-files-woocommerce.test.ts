import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { builtFilesLake, filesFixture } from "./helpers/files-lake.ts";
import { rawFile, rawManifestFile, readParquet } from "./helpers/test-lake.ts";

// tests/fixtures/files/woocommerce-orders.csv: the columns of WooCommerce's Customer/Order/Coupon Export,
// format "Default - One Row per Item" (order fields repeated on every row). By hand, net = item_total:
//   1201 completed     customer 7   86.40 (2 x LS-M, 96.00 less 10%) + 21.60 (tote, 24.00 less 10%) = 108.00
//   1202 processing -> pending      37.50
//   1203 refunded   -> cancelled    48.00
//   1204 on-hold    -> pending      43.20
//   1205 completed     guest (customer_id 0, keyed on the email)  12.50 less 12.5% = 10.9375
//   1206 failed     -> cancelled    24.00
//   1207 cancelled                  48.00
//   1208 wc-completed  customer 7   25.00
// Completed revenue 108.00 + 10.9375 + 25.00 = 143.9375; customer 7's lifetime value 133.00.
const files = builtFilesLake({ path: filesFixture("woocommerce-orders.csv"), preset: "woocommerce" });
const mart = files.mart;

describe("files source: the woocommerce preset", () => {
  it("maps WooCommerce statuses, with or without wc-, and keeps sub-cent item totals", async () => {
    expect(
      await mart(
        "fact_orders",
        "select order_number, status, order_amount_usd::varchar as net, line_count from $file order by 1",
      ),
    ).toEqual([
      { order_number: "1201", status: "completed", net: "108.000000", line_count: 2 },
      { order_number: "1202", status: "pending", net: "37.500000", line_count: 1 },
      { order_number: "1203", status: "cancelled", net: "48.000000", line_count: 1 },
      { order_number: "1204", status: "pending", net: "43.200000", line_count: 1 },
      { order_number: "1205", status: "completed", net: "10.937500", line_count: 1 },
      { order_number: "1206", status: "cancelled", net: "24.000000", line_count: 1 },
      { order_number: "1207", status: "cancelled", net: "48.000000", line_count: 1 },
      { order_number: "1208", status: "completed", net: "25.000000", line_count: 1 },
    ]);
    expect(await mart("daily_revenue", "select sum(revenue_usd)::varchar as r from $file")).toEqual([
      { r: "143.937500" },
    ]);
    expect(
      await mart(
        "fact_order_items",
        "select discount_amount_usd::varchar as discount, net_amount_usd::varchar as net from $file where order_number = '1205'",
      ),
    ).toEqual([{ discount: "1.562500", net: "10.937500" }]);
  });

  it("keys customers on customer_id, guests (customer_id 0) on the email, products on item_product_id", async () => {
    expect(
      await mart(
        "dim_customers",
        "select customer_key, display_name, lifetime_value_usd::varchar as ltv from $file order by 1",
      ),
    ).toEqual([
      { customer_key: "11", display_name: "Fay O.", ltv: "0.000000" },
      { customer_key: "7", display_name: "Dana R.", ltv: "133.000000" },
      { customer_key: "9", display_name: "Eli B.", ltv: "0.000000" },
      { customer_key: "gus@example.com", display_name: "Gus L.", ltv: "10.937500" },
    ]);
    expect(
      await mart("dim_products", "select product_id, product_key, product_title, units_sold from $file order by 1"),
    ).toEqual([
      { product_id: 41, product_key: "41", product_title: "Linen Shirt - M", units_sold: 2 },
      { product_id: 42, product_key: "42", product_title: "Linen Shirt - L", units_sold: 0 },
      { product_id: 57, product_key: "57", product_title: "Canvas Tote", units_sold: 1 },
      { product_id: 63, product_key: "63", product_title: "Wool Socks", units_sold: 3 },
    ]);
  });

  it("reads the state code as one state, whether or not the city is in the us_cities seed", async () => {
    // Cambridge MA is not in the seed; Boston MA, Austin TX and Denver CO are.
    expect(await mart("dim_customers", "select customer_key, city, state, state_code from $file order by 1")).toEqual([
      { customer_key: "11", city: "Austin", state: "Texas", state_code: "TX" },
      { customer_key: "7", city: "Cambridge", state: "Massachusetts", state_code: "MA" },
      { customer_key: "9", city: "Boston", state: "Massachusetts", state_code: "MA" },
      { customer_key: "gus@example.com", city: "Denver", state: "Colorado", state_code: "CO" },
    ]);
  });

  it("keeps second address lines and notes out of the lake, the rest as drift, and the newest date as as-of", async () => {
    expect(
      await readParquet(
        rawFile(files.lake.paths, "files", "users"),
        "select address.city as city from $file order by 1",
      ),
    ).toEqual([{ city: "Austin" }, { city: "Boston" }, { city: "Cambridge" }, { city: "Denver" }]);
    const manifest = JSON.parse(await readFile(rawManifestFile(files.lake.paths, "files", "order_items"), "utf8"));
    expect(manifest.details.droppedPersonalColumns).toEqual([
      "billing_company",
      "billing_address_2",
      "shipping_address_2",
      "shipping_company",
      "customer_note",
      "order_notes",
    ]);
    expect(manifest.driftFields).toEqual(expect.arrayContaining(["item_refunded", "coupon_items", "item_price"]));
    expect(manifest.driftFields).not.toContain("shipping_first_name");
    expect(manifest.asOf).toBe("2024-04-12");
  });
});
