import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Catalog } from "../cli/core/contracts/catalog.ts";
import { transform } from "../transforms/index.ts";
import { order, product, user, writeOrders, writeRaw } from "./helpers/raw-fixtures.ts";
import { readParquet, testLake, type TestLake, paymentColumns } from "./helpers/test-lake.ts";

let lake: TestLake;
const mart = (name: string, sql = "select * from $file") => readParquet(lake.paths.mart(name), sql);

beforeAll(async () => {
  lake = await testLake();
  await writeRaw(lake, "products", [
    product(1, 10, "alpha"),
    product(2, 20, "beta"),
    product(3, 5, "alpha", { stock: 0 }),
  ]);
  await writeRaw(lake, "users", [
    user(1, "Phoenix", "Mississippi", "MS"), // wrong state for the city: corrected to Arizona
    user(2, "Houston", "Texas", "TX"), // right already
    user(3, "Springfield", "Illinois", "IL"), // not in the reference: left alone
  ]);
  await writeRaw(lake, "carts", []);
  await writeOrders(lake, [
    // Order 1 lists product 1 twice, as real DummyJSON carts do: 2 x $10 and 1 x $10, 10% off each -> 18 + 9 = 27.
    order(1, 1, "2026-11-23T10:00:00", "completed", [
      [1, 10, 2, 10],
      [1, 10, 1, 10],
    ]),
    order(2, 2, "2026-11-23T15:00:00", "cancelled", [[2, 20, 1, 0]]),
    order(3, 1, "2026-11-24T09:00:00", "completed", [[2, 20, 2, 10]]), // 40 - 10% = 36
    order(4, 2, "2026-11-24T11:00:00", "pending", [[3, 5, 1, 0]]),
  ]);
  await transform({ config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns });
});
afterAll(() => lake.cleanup());

describe("models on a hand-computed dataset", () => {
  it("daily_revenue: completed revenue after discount, AOV, customers and completion rate per day", async () => {
    const rows = await mart(
      "daily_revenue",
      "select order_date::varchar as d, order_count, completed_order_count, customer_count, revenue_usd::double as revenue, average_order_value_usd::double as aov, completion_rate from $file order by d",
    );
    expect(rows).toEqual([
      {
        d: "2026-11-23",
        order_count: 2,
        completed_order_count: 1,
        customer_count: 2,
        revenue: 27,
        aov: 27,
        completion_rate: 0.5,
      },
      {
        d: "2026-11-24",
        order_count: 2,
        completed_order_count: 1,
        customer_count: 2,
        revenue: 36,
        aov: 36,
        completion_rate: 0.5,
      },
    ]);
  });

  it("fact_order_items keeps both lines when an order lists the same product twice", async () => {
    const rows = await mart(
      "fact_order_items",
      "select order_item_id, line_number, product_id, quantity, net_amount_usd::double as net from $file where order_id = 1 order by line_number",
    );
    expect(rows).toEqual([
      { order_item_id: 1001, line_number: 1, product_id: 1, quantity: 2, net: 18 },
      { order_item_id: 1002, line_number: 2, product_id: 1, quantity: 1, net: 9 },
    ]);
  });

  it("dim_products counts only completed orders, and classifies stock and sales", async () => {
    const rows = await mart(
      "dim_products",
      "select product_id, units_sold, revenue_usd::double as revenue, order_count, stock_status, sales_category from $file order by product_id",
    );
    expect(rows).toEqual([
      {
        product_id: 1,
        units_sold: 3,
        revenue: 27,
        order_count: 1,
        stock_status: "in_stock",
        sales_category: "regular",
      }, // percent_rank 1 of 2 sellers
      {
        product_id: 2,
        units_sold: 2,
        revenue: 36,
        order_count: 1,
        stock_status: "in_stock",
        sales_category: "bestseller",
      }, // top seller: percent_rank 0
      {
        product_id: 3,
        units_sold: 0,
        revenue: 0,
        order_count: 0,
        stock_status: "out_of_stock",
        sales_category: "no sales",
      },
    ]);
  });

  it("corrects a user's state from the city reference and keeps the original", async () => {
    const rows = await mart(
      "dim_customers",
      "select user_id, city, state, state_code, was_location_corrected, display_name, lifetime_value_usd::double as ltv, order_count_segment from $file order by user_id",
    );
    expect(rows).toEqual([
      {
        user_id: 1,
        city: "Phoenix",
        state: "Arizona",
        state_code: "AZ",
        was_location_corrected: true,
        display_name: "First1 L.",
        ltv: 63,
        order_count_segment: "occasional",
      },
      {
        user_id: 2,
        city: "Houston",
        state: "Texas",
        state_code: "TX",
        was_location_corrected: false,
        display_name: "First2 L.",
        ltv: 0,
        order_count_segment: "occasional",
      },
      {
        user_id: 3,
        city: "Springfield",
        state: "Illinois",
        state_code: "IL",
        was_location_corrected: false,
        display_name: "First3 L.",
        ltv: 0,
        order_count_segment: "never",
      },
    ]);
  });

  it("fact_orders bands order sizes", async () => {
    const rows = await mart(
      "fact_orders",
      "select order_id, order_amount_usd::double as amount, order_size_band from $file order by order_id",
    );
    expect(rows.map((r) => r["order_size_band"])).toEqual([
      "small (< $100)",
      "small (< $100)",
      "small (< $100)",
      "small (< $100)",
    ]);
    expect(rows.map((r) => r["amount"])).toEqual([27, 20, 36, 5]);
  });

  it("writes data/catalog.json with docs, pii tags, tests and lineage edges", async () => {
    const { readFile } = await import("node:fs/promises");
    const catalog = JSON.parse(await readFile(lake.paths.catalog, "utf8"));
    const customers = catalog.nodes.find((n: { name: string }) => n.name === "dim_customers");
    expect(customers.description).toContain("One row per customer");
    expect(customers.columns.find((c: { name: string }) => c.name === "email")).toMatchObject({
      pii: true,
      type: "VARCHAR",
    });
    expect(customers.columns.find((c: { name: string }) => c.name === "user_id").tests).toEqual([
      "dim_customers.user_id.unique",
      "dim_customers.user_id.not_null",
    ]);
    expect(catalog.edges).toContainEqual({ from: "int_users_cleaned_locations", to: "dim_customers" });
    expect(catalog.edges).toContainEqual({ from: "raw_orders", to: "stg_orders" });
    expect(catalog.edges).toContainEqual({ from: "us_cities", to: "int_cleaned_locations" });
    expect(catalog.edges).toContainEqual({ from: "int_cleaned_locations", to: "int_users_cleaned_locations" });
    expect(catalog.edges).toContainEqual({ from: "int_cleaned_locations", to: "dim_customers_history" });
    expect(catalog.edges).toContainEqual({ from: "currencies", to: "stg_stripe_charges" });
  });

  it("carries the keys and sync mode declared in the yml as typed catalog fields", async () => {
    const { readFile } = await import("node:fs/promises");
    const catalog = JSON.parse(await readFile(lake.paths.catalog, "utf8")) as Catalog;
    const keys = (name: string) => {
      const { primaryKey, foreignKeys, sync } = catalog.nodes.find((n) => n.name === name)!;
      return { primaryKey, foreignKeys, sync };
    };
    expect(keys("fact_order_items")).toEqual({
      primaryKey: ["order_item_id"],
      foreignKeys: [
        { columns: ["order_id"], references: { model: "fact_orders", columns: ["order_id"] } },
        { columns: ["product_id"], references: { model: "dim_products", columns: ["product_id"] } },
      ],
      sync: { mode: "incremental", uniqueKey: ["order_item_id"] },
    });
    expect(keys("dim_customers")).toEqual({ primaryKey: ["user_id"], foreignKeys: [], sync: { mode: "full" } });
    // Orders and items may reference a customer or product that left the source: those checks are warnings
    // (see the snapshots), so only the order -> item key is declared on the raw tables.
    expect(keys("raw_orders").foreignKeys).toEqual([]);
    expect(keys("raw_order_items").foreignKeys).toEqual([
      { columns: ["order_id"], references: { model: "raw_orders", columns: ["order_id"] } },
    ]);
  });
});
