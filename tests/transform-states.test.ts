import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transform } from "../transforms/index.ts";
import { order, product, user, writeOrders, writeRaw } from "./helpers/raw-fixtures.ts";
import { readParquet, testLake, type TestLake, paymentColumns } from "./helpers/test-lake.ts";

// Shop exports give a US state as its code (Shopify's Province, WooCommerce's state: "MA") with no separate code;
// the us_cities seed names the state in full for the cities it knows. A state must be one value in the marts.
let lake: TestLake;
const mart = (name: string, sql: string) => readParquet(lake.paths.mart(name), sql);
const located = (id: number, city: string, state: string | null, stateCode: string | null, country: string) =>
  user(id, city, "", "", {
    address: { address: `${id} Main Street`, city, state, stateCode, postalCode: "1", coordinates: null, country },
  });

beforeAll(async () => {
  lake = await testLake();
  await writeRaw(lake, "products", [product(1, 10, "alpha")]);
  await writeRaw(lake, "users", [
    located(1, "Cambridge", "MA", null, "US"), // a code, a city the seed does not know
    located(2, "Boston", "MA", null, "US"), // a code, a city the seed knows (Massachusetts)
    located(3, "Springfield", "Illinois", null, "United States"), // a name without its code
    located(4, "Salem", null, "OR", "US"), // a code in the code field only
    located(5, "Perth", "WA", null, "AU"), // not a US state: Western Australia stays as given
    located(6, "Phoenix", "Mississippi", "MS", "United States"), // the wrong state for the city: corrected
  ]);
  await writeRaw(lake, "carts", []);
  await writeOrders(lake, [
    order(1, 1, "2026-11-23T10:00:00", "completed", [[1, 10, 1, 0]]),
    order(2, 2, "2026-11-24T10:00:00", "completed", [[1, 10, 2, 0]]),
  ]);
  await transform({ config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns });
});
afterAll(() => lake.cleanup());

describe("US states in the marts", () => {
  const expected = [
    { user_id: 1, state: "Massachusetts", state_code: "MA" },
    { user_id: 2, state: "Massachusetts", state_code: "MA" },
    { user_id: 3, state: "Illinois", state_code: "IL" },
    { user_id: 4, state: "Oregon", state_code: "OR" },
    { user_id: 5, state: "WA", state_code: null },
    { user_id: 6, state: "Arizona", state_code: "AZ" },
  ];

  it("reads a state code as its state, fills a missing code, and corrects only what the city reference contradicts", async () => {
    expect(await mart("dim_customers", "select user_id, state, state_code from $file order by 1")).toEqual(expected);
    expect(await mart("dim_customers", "select user_id from $file where was_location_corrected order by 1")).toEqual([
      { user_id: 6 },
    ]);
    expect(await mart("dim_customers_history", "select user_id, state, state_code from $file order by 1")).toEqual(
      expected,
    );
  });

  it("groups one state as one value, in dim_customers and at order time", async () => {
    expect(
      await mart(
        "dim_customers",
        "select state, state_code, count(*)::integer as customers from $file where user_id <= 2 group by all",
      ),
    ).toEqual([{ state: "Massachusetts", state_code: "MA", customers: 2 }]);
    expect(
      await mart("fact_orders", "select order_id, customer_state_at_order as state from $file order by 1"),
    ).toEqual([
      { order_id: 1, state: "Massachusetts" },
      { order_id: 2, state: "Massachusetts" },
    ]);
  });
});
