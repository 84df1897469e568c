import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extract } from "../extract/index.ts";
import { startFakeDummyJson, type FakeDummyJson } from "./helpers/dummyjson-server.ts";
import { readParquet, testLake, type TestLake, rawFile } from "./helpers/test-lake.ts";

const entities = ["products", "users", "carts", "orders", "order_items"];
const checksum = (lake: TestLake, entity: string) =>
  readParquet(
    rawFile(lake.paths, "sample", entity),
    "select count(*) as n, sum(hash(t))::varchar as h from $file t",
  ).then((r) => r[0]);

let a: TestLake;
let b: TestLake;
let other: TestLake;
beforeAll(async () => {
  [a, b, other] = await Promise.all([testLake({ scale: 5 }), testLake({ scale: 5 }), testLake({ scale: 5, seed: 7 })]);
  for (const lake of [a, b, other]) await extract({ config: lake.config, paths: lake.paths, logger: lake.logger });
});
afterAll(async () => {
  for (const lake of [a, b, other]) await lake.cleanup();
});

describe("sample source", () => {
  it("is deterministic for a seed and as-of, and changes with the seed", async () => {
    for (const entity of entities) expect(await checksum(a, entity)).toEqual(await checksum(b, entity));
    expect((await checksum(a, "orders"))?.["h"]).not.toEqual((await checksum(other, "orders"))?.["h"]);
  });

  it("sizes by scale: scale 5 has about five times DummyJSON's carts", async () => {
    const counts = await Promise.all(
      ["products", "users", "carts"].map((e) =>
        readParquet(rawFile(a.paths, "sample", e), "select count(*) as n from $file"),
      ),
    );
    expect(counts.map((c) => c[0]?.["n"])).toEqual([Math.round(194 * Math.sqrt(5)), Math.round(208 * 5 ** 0.85), 1040]);
  });

  it("dates orders over the 13 weeks (91 days) up to as-of, with all four statuses and more orders on weekends", async () => {
    const range = await readParquet(
      rawFile(a.paths, "sample", "orders"),
      "select min(ordered_at)::date::varchar as lo, max(ordered_at)::date::varchar as hi, count(distinct status) as statuses from $file",
    );
    expect(range[0]).toEqual({ lo: "2026-08-26", hi: "2026-11-24", statuses: 4 });
    const days = await readParquet(
      rawFile(a.paths, "sample", "orders"),
      "select count(*) filter (where dayofweek(ordered_at) = 6) / 13.0 as sat, count(*) filter (where dayofweek(ordered_at) = 2) / 13.0 as tue from $file where ordered_at::date <= date '2026-11-24'",
    );
    expect(Number(days[0]?.["sat"])).toBeGreaterThan(Number(days[0]?.["tue"]));
  });

  it("looks like a shop: unbranded and out-of-stock products, city/state disagreements, Pareto-shaped spend", async () => {
    const products = (
      await readParquet(
        rawFile(a.paths, "sample", "products"),
        "select count(*) filter (where brand is null) as unbranded, count(*) filter (where stock = 0) as out_of_stock, count(*) filter (where stock between 1 and 9) as low_stock, count(distinct category) as categories from $file",
      )
    )[0]!;
    expect(Number(products["unbranded"])).toBeGreaterThan(0);
    expect(Number(products["out_of_stock"])).toBeGreaterThan(0);
    expect(Number(products["low_stock"])).toBeGreaterThan(0);
    expect(Number(products["categories"])).toBeGreaterThanOrEqual(15);
    const seed = "read_csv('" + new URL("../transforms/seeds/us_cities.csv", import.meta.url).pathname + "')";
    const mismatched = (
      await readParquet(
        rawFile(a.paths, "sample", "users"),
        `select count(*) as n from $file u join ${seed} c on c.city = u.address.city where c.state <> u.address.state`,
      )
    )[0]?.["n"];
    expect(Number(mismatched)).toBeGreaterThan(0);
    const share = (
      await readParquet(
        rawFile(a.paths, "sample", "orders"),
        `
      with spend as (select user_id, sum(discounted_total) as s from $file group by user_id),
      ranked as (select s, row_number() over (order by s desc) as r, count(*) over () as n from spend)
      select sum(s) filter (where r <= n * 0.2) / sum(s) as top_share from ranked`,
      )
    )[0]?.["top_share"];
    expect(Number(share)).toBeGreaterThan(0.5);
    const returning = (
      await readParquet(
        rawFile(a.paths, "sample", "orders"),
        "select count(*) as n from (select user_id from $file group by user_id having count(*) > 1)",
      )
    )[0]?.["n"];
    expect(Number(returning)).toBeGreaterThan(50);
  });

  it("lands exactly the same column names and types as the DummyJSON source", async () => {
    let api: FakeDummyJson | undefined;
    try {
      api = await startFakeDummyJson();
      const lake = await testLake({ source: "dummyjson", "dummyjson.url": api.url });
      await extract({ config: lake.config, paths: lake.paths, logger: lake.logger });
      for (const entity of entities) {
        const describe = "select column_name, column_type from (describe select * from $file)";
        expect(await readParquet(rawFile(a.paths, "sample", entity), describe)).toEqual(
          await readParquet(rawFile(lake.paths, "dummyjson", entity), describe),
        );
      }
      await lake.cleanup();
    } finally {
      await api?.close();
    }
  });
});
