// @module-tag e2e
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { cli, currentBuild } from "./helpers/build-lake.ts";
import { fixture, startFakeDummyJson, type FakeDummyJson } from "./helpers/dummyjson-server.ts";
import { readParquet, testLake, type TestLake } from "./helpers/test-lake.ts";
import { queryRows, withDuckdb, type Row } from "../cli/core/duckdb.ts";
import type { BuildManifest } from "../cli/core/contracts/build-manifest.ts";

// Day 1 (2026-11-23) serves the fixture. Day 2 (2026-11-24): user 2 moves from Houston to Austin; product 2's price
// goes from 11.50 to 12.65 (+10%) and its stock from 5 to 0; product 5, still on cart 2, leaves the catalog.
const [day1, day2] = ["2026-11-23", "2026-11-24"];
type Product = { id: number; price: number; stock: number; availabilityStatus: string };
type User = { id: number; address: { city: string; state: string; stateCode: string } };

let api: FakeDummyJson;
let lake: TestLake;
const builds: Record<string, BuildManifest> = {};
const env = () => ({ DUCKMART_DUMMYJSON_URL: api.url, DUCKMART_SOURCE: "dummyjson" });
const run = async (day: string) => {
  const result = await cli(lake, ["run", "--as-of", day, "--skip", "site"], env());
  expect(result.stderr).not.toMatch(/ERROR/);
  expect(result.code, result.stderr).toBe(0);
  return result;
};
const history = (snapshot: string, sql: string) =>
  readParquet(join(lake.paths.historyDir("dummyjson", snapshot), "latest", "*", "*.parquet"), sql);

beforeAll(async () => {
  api = await startFakeDummyJson();
  lake = await testLake();
  const first = await run(day1);
  expect(first.stderr).toContain(`dummyjson is a live API: extracting it for as-of ${day1}`);
  builds[day1] = (await currentBuild(lake))!;
  const products = fixture("products") as Product[];
  const changed = products.find((p) => p.id === 2)!;
  api.data["products"] = products
    .filter((p) => p.id !== 5)
    .map((p) => (p === changed ? { ...p, price: 12.65, stock: 0, availabilityStatus: "Out of Stock" } : p));
  api.data["users"] = (fixture("users") as User[]).map((u) =>
    u.id === 2 ? { ...u, address: { ...u.address, city: "Austin", state: "Texas", stateCode: "TX" } } : u,
  );
  await run(day2);
  builds[day2] = (await currentBuild(lake))!;
}, 120_000);
afterAll(async () => {
  await api.close();
  await lake.cleanup();
});

describe("snapshots of a DummyJSON shop that changes between two days", () => {
  it("keeps every version of a changed product with closed intervals, and flags the one that left", async () => {
    const rows = await history(
      "products_snapshot",
      "select product_id, valid_from::varchar as f, valid_to::varchar as t, is_current, is_deleted, unit_price_usd::double as price, stock_quantity as stock from $file where product_id in (2, 5) order by product_id, valid_from",
    );
    expect(rows).toEqual([
      { product_id: 2, f: day1, t: day2, is_current: false, is_deleted: false, price: 11.5, stock: 5 },
      { product_id: 2, f: day2, t: null, is_current: true, is_deleted: false, price: 12.65, stock: 0 },
      { product_id: 5, f: day1, t: day2, is_current: false, is_deleted: false, price: 21.25, stock: 99 },
      { product_id: 5, f: day2, t: null, is_current: true, is_deleted: true, price: 21.25, stock: 99 },
    ]);
    const unchanged = await history(
      "products_snapshot",
      "select count(*) as n from $file where product_id not in (2, 5)",
    );
    expect(unchanged[0]!["n"]).toBe(5);
  });

  it("keeps the customer's move as two versions", async () => {
    const rows = await history(
      "customers_snapshot",
      "select valid_from::varchar as f, valid_to::varchar as t, city from $file where user_id = 2 order by valid_from",
    );
    expect(rows).toEqual([
      { f: day1, t: day2, city: "Houston" },
      { f: day2, t: null, city: "Austin" },
    ]);
  });

  it("does not break the daily run when a product leaves the catalog: it stays in dim_products, flagged", async () => {
    expect(builds[day2]!.status).toBe("passed");
    const results = JSON.parse(
      await readFile(join(lake.paths.buildDir(builds[day2]!.buildId), "test-results.json"), "utf8"),
    ) as {
      results: { id: string; status: string; failingRows: number }[];
    };
    const byId = (id: string) => results.results.find((r) => r.id === id);
    expect(byId("raw_order_items.product_id.relationships.raw_products")).toMatchObject({
      status: "warn",
      failingRows: 1,
    });
    expect(byId("fact_order_items.product_id.relationships.dim_products")?.status).toBe("pass");
    const deleted = await readParquet(
      lake.paths.mart("dim_products"),
      "select product_id, is_deleted from $file where is_deleted",
    );
    expect(deleted).toEqual([{ product_id: 5, is_deleted: true }]);
    const lines = await readParquet(
      lake.paths.mart("fact_order_items"),
      "select count(*) as n from $file where product_id = 5",
    );
    expect(lines[0]!["n"]).toBe(1);
  });

  it("computes the history marts: price change, stock-out, the move, and the location at order time", async () => {
    const prices = await readParquet(
      lake.paths.mart("product_price_history"),
      "select version_number, price_change_pct, is_price_change, is_stock_out, effective_price_usd::double as eff from $file where product_id = 2 order by valid_from",
    );
    // (12.65 - 11.50) / 11.50 = +10.00%; 12.65 less 10% = 11.385.
    expect(prices).toEqual([
      { version_number: 1, price_change_pct: null, is_price_change: false, is_stock_out: false, eff: 10.35 },
      { version_number: 2, price_change_pct: 10, is_price_change: true, is_stock_out: true, eff: 11.385 },
    ]);
    const moves = await readParquet(
      lake.paths.mart("dim_customers_history"),
      "select user_id, previous_city, city, state from $file where is_move",
    );
    expect(moves).toEqual([{ user_id: 2, previous_city: "Houston", city: "Austin", state: "Texas" }]);
    // Orders of user 2 placed before day 2 carry Houston; one placed on day 2 would carry Austin.
    const orders = await readParquet(
      lake.paths.mart("fact_orders"),
      "select order_date::varchar as d, customer_city_at_order as city from $file where user_id = 2",
    );
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) expect(o["city"]).toBe(String(o["d"]) >= day2 ? "Austin" : "Houston");
  });

  it("times status changes seen between the two days in the order timeline", async () => {
    // Independently: each order's status in the two days' raw snapshots.
    const raw = (day: string) =>
      `read_parquet('${lake.paths.rawEntityDir("dummyjson", "orders")}/as_of=${day}/*/data.parquet')`;
    const expected = await sql(`
      select a.order_id, b.status as current_status,
          case when a.status <> 'completed' and b.status = 'completed' then date '${day2}' - cast(b.ordered_at as date) end as days_to_complete
      from ${raw(day1)} a join ${raw(day2)} b using (order_id)
      where a.ordered_at = b.ordered_at order by order_id`);
    const timeline = await readParquet(
      lake.paths.mart("order_status_timeline"),
      "select order_id, current_status, days_to_complete from $file order by order_id",
    );
    expect(timeline.filter((t) => expected.some((e) => e["order_id"] === t["order_id"]))).toEqual(expected);
  });

  it("passes its own tests: one current row per key, no overlapping intervals", async () => {
    const results = JSON.parse(
      await readFile(join(lake.paths.buildDir(builds[day2]!.buildId), "test-results.json"), "utf8"),
    ) as {
      results: { id: string; status: string }[];
    };
    const scd = results.results.filter((r) => /one_current_row|no_overlapping_intervals/.test(r.id));
    expect(scd).toHaveLength(6);
    expect(scd.every((r) => r.status === "pass")).toBe(true);
  });

  it("changes nothing when the same day runs again", async () => {
    const before = await allHistory();
    await run(day2);
    expect(await allHistory()).toEqual(before);
  });

  it("replays day 1 from its retained snapshots: the same rows as the original build", async () => {
    const requests = api.requests.length;
    const replay = await run(day1);
    expect(replay.stderr).toContain(`replay of ${day1}`);
    expect(api.requests.length).toBe(requests);
    const build = (await currentBuild(lake))!;
    expect(build).toMatchObject({ replayOf: day1, asOf: day1 });
    const original = join(lake.paths.buildDir(builds[day1]!.buildId), "marts");
    const replayed = join(lake.paths.buildDir(build.buildId), "marts");
    for (const mart of builds[day1]!.models.map((m) => m.name)) {
      const [a, b] = [`'${original}/${mart}.parquet'`, `'${replayed}/${mart}.parquet'`];
      const diff = await sql(
        `select (select count(*) from (from ${a} except all from ${b})) + (select count(*) from (from ${b} except all from ${a})) as n, (select count(*) from ${a}) as rows`,
      );
      expect(diff[0], mart).toMatchObject({ n: 0 });
    }
  });

  it("rebuilds the same history from the retained raw snapshots with transform --full-refresh", async () => {
    const before = await allHistory();
    const refresh = await cli(lake, ["transform", "--full-refresh"], env());
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(await allHistory()).toEqual(before);
  });

  it("says when a day's snapshots are gone, naming the retention setting", async () => {
    const result = await cli(lake, ["run", "--as-of", "2026-10-01", "--skip", "site"], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Cannot replay 2026-10-01");
    expect(result.stderr).toContain("retention.rawDays");
  });

  it("lays raw and history out as Hive partitions that other engines read as they are", async () => {
    const days = await sql(
      `select as_of::varchar as d, count(*) / count(distinct extracted_at) as n from read_parquet('${lake.paths.rawEntityDir("dummyjson", "products")}/*/*/data.parquet', hive_partitioning = true) group by all order by all`,
    );
    expect(days.filter((d) => d["d"] === day1 || d["d"] === day2).map((d) => d["n"])).toEqual([7, 6]);
    const months = await sql(
      `select valid_from_month, count(*) as n from read_parquet('${lake.paths.historyDir("dummyjson", "products_snapshot")}/latest/*/*.parquet', hive_partitioning = true) group by all`,
    );
    expect(months).toEqual([{ valid_from_month: "2026-11", n: 9 }]);
  });
});

function sql(query: string): Promise<Row[]> {
  return withDuckdb({}, (c) => queryRows(c, query));
}

async function allHistory(): Promise<Row[][]> {
  return Promise.all(
    ["customers_snapshot", "products_snapshot", "orders_snapshot"].map((s) =>
      history(s, "select * from $file order by all"),
    ),
  );
}
