// @module-tag e2e
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { cli } from "./helpers/build-lake.ts";
import { readParquet, testLake, type TestLake } from "./helpers/test-lake.ts";
import { queryRows, withDuckdb, type Row } from "../cli/core/duckdb.ts";

// The offline default shows history: three days a week apart of the sample shop, checked against its raw snapshots.
const days = ["2026-11-08", "2026-11-15", "2026-11-22"];
let lake: TestLake;
const raw = (entity: string, day: string) =>
  `read_parquet('${lake.paths.rawEntityDir("sample", entity)}/as_of=${day}/*/data.parquet', hive_partitioning = false)`;
const sql = (query: string): Promise<Row[]> => withDuckdb({}, (c) => queryRows(c, query));

beforeAll(async () => {
  lake = await testLake();
  for (const day of days) {
    const result = await cli(lake, ["run", "--as-of", day, "--skip", "site"]);
    expect(result.code, result.stderr).toBe(0);
  }
}, 120_000);
afterAll(() => lake.cleanup());

describe("history of the sample shop over three days", () => {
  it("times completions and cancellations the raw snapshots show, and flags orders stuck in pending", async () => {
    // Independently: each order's status per day, for the current order on its id (same ordered_at as today).
    const expected = await sql(`
      with statuses as (
          ${days.map((d) => `select order_id, ordered_at, status, date '${d}' as day from ${raw("orders", d)}`).join(" union all ")}
      ),
      today as (select order_id, ordered_at, status from statuses where day = date '${days[2]}'),
      seen as (select s.* from statuses s join today t using (order_id, ordered_at))
      select
          t.order_id,
          case when min(day) filter (where s.status = 'completed') > min(day)
                  or (min(day) filter (where s.status = 'completed') = min(day) and min(day) = cast(t.ordered_at as date))
              then min(day) filter (where s.status = 'completed') - cast(t.ordered_at as date) end as days_to_complete,
          case when min(day) filter (where s.status = 'cancelled') > min(day)
                  or (min(day) filter (where s.status = 'cancelled') = min(day) and min(day) = cast(t.ordered_at as date))
              then min(day) filter (where s.status = 'cancelled') - cast(t.ordered_at as date) end as days_to_cancel,
          t.status = 'pending' and date '${days[2]}' - cast(t.ordered_at as date) >= 3 as is_stuck_pending,
      from today t join seen s using (order_id)
      group by t.order_id, t.ordered_at, t.status
      order by t.order_id`);
    const timeline = await readParquet(
      lake.paths.mart("order_status_timeline"),
      "select order_id, days_to_complete, days_to_cancel, is_stuck_pending from $file order by order_id",
    );
    expect(timeline).toEqual(expected);
    expect(timeline.filter((t) => t["days_to_complete"] !== null).length).toBeGreaterThan(0);
  });

  it("records the moves the raw users show, and carries the location at order time", async () => {
    const moved = await sql(`
      select count(*) as n from ${raw("users", days[0]!)} a join ${raw("users", days[2]!)} b using (id)
      where a.address.city <> b.address.city or a.address.state <> b.address.state`);
    const moves = await readParquet(
      lake.paths.mart("dim_customers_history"),
      "select count(distinct user_id) as n from $file where is_move",
    );
    expect(moves[0]!["n"]).toBe(moved[0]!["n"]);
    expect(moved[0]!["n"]).toBeGreaterThan(0);
    // Every order's city is the one of the version valid on its order day (or the first version).
    const mismatches = await sql(`
      select count(*) as n
      from '${lake.paths.mart("fact_orders")}' o
      join '${lake.paths.mart("dim_customers_history")}' h
          on h.user_id = o.user_id
          and (o.order_date >= h.valid_from or h.version_number = 1)
          and (h.valid_to is null or o.order_date < h.valid_to)
      where o.customer_city_at_order is distinct from h.city`);
    expect(mismatches[0]!["n"]).toBe(0);
  });

  it("keeps price changes and stock-outs as versions valid from the day they were seen", async () => {
    const changed = await sql(`
      select count(*) as n from ${raw("products", days[1]!)} a join ${raw("products", days[2]!)} b using (id)
      where a.price <> b.price`);
    const versions = await readParquet(
      lake.paths.mart("product_price_history"),
      `select count(*) as n from $file where is_price_change and valid_from = date '${days[2]}'`,
    );
    expect(versions[0]!["n"]).toBe(changed[0]!["n"]);
    expect(changed[0]!["n"]).toBeGreaterThan(0);
    const history = await readParquet(
      join(lake.paths.historyDir("sample", "products_snapshot"), "latest", "*", "*.parquet"),
      "select count(distinct valid_from) as days from $file",
    );
    expect(history[0]!["days"]).toBe(3);
  });
});
