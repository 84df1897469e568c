// @module-tag postgres
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { noPostgres } from "./helpers/services.ts";
import { pgSchema, pgUrl } from "./helpers/mart-fixtures.ts";
import { runCli } from "./helpers/cli.ts";
import { readParquet, testLake, type TestLake } from "./helpers/test-lake.ts";
import { readHistoryManifest } from "../cli/core/contracts/history.ts";

// The scheduler's cache is not durable: with a warehouse, history survives losing the whole local lake.
let lake: TestLake;
let db: Awaited<ReturnType<typeof pgSchema>>;
const run = (day: string) =>
  runCli(["run", "--data-dir", lake.dir, "--as-of", day, "--skip", "site", "--schema", db.schema], {
    DATABASE_URL: pgUrl,
  });
const productVersions = (sql: string) =>
  readParquet(join(lake.paths.historyDir("sample", "products_snapshot"), "latest", "*", "*.parquet"), sql);

beforeAll(async () => {
  if (noPostgres) return;
  lake = await testLake();
  db = await pgSchema("hist");
});
afterAll(async () => {
  if (noPostgres) return;
  await db.drop();
  await lake.cleanup();
});

describe.skipIf(noPostgres)("history with a warehouse", () => {
  it("syncs the history marts, and restores history into a lake that lost it before building day 3", async () => {
    for (const day of ["2026-11-20", "2026-11-21"]) {
      const result = await run(day);
      expect(result.code, result.stderr).toBe(0);
    }
    // What the sample changed between the two days, as the lake recorded it.
    const before = await productVersions(
      "select product_id, valid_from::varchar as f, valid_to::varchar as t, unit_price_usd::double as p, stock_quantity as s from $file order by all",
    );
    expect(before.filter((r) => r["f"] === "2026-11-21").length).toBeGreaterThan(0);
    const synced = await db.client.query(
      `select count(*)::int as n, min(valid_from)::text as first from "${db.schema}".history_products`,
    );
    expect(synced.rows[0]).toEqual({ n: before.length, first: "2026-11-20" });

    await rm(lake.dir, { recursive: true, force: true });
    const day3 = await run("2026-11-22");
    expect(day3.code, day3.stderr).toBe(0);
    expect(day3.stderr).toMatch(
      /History of products_snapshot restored from the warehouse \(.*history_products, [\d,]+ rows, as of 2026-11-21\): the local copy was missing/,
    );
    const after = await productVersions(
      "select product_id, valid_from::varchar as f, valid_to::varchar as t, unit_price_usd::double as p, stock_quantity as s from $file where valid_from < date '2026-11-22' order by all",
    );
    // Days 1 and 2 are back as they were, except that versions replaced on day 3 are now closed.
    expect(after.map((r) => ({ ...r, t: r["t"] === "2026-11-22" ? null : r["t"] }))).toEqual(before);
    const manifest = await readHistoryManifest(lake.paths, "sample", "customers_snapshot");
    expect(manifest?.days.map((d) => d.asOf)).toEqual(["2026-11-22"]);
    const customers = await readParquet(
      join(lake.paths.historyDir("sample", "customers_snapshot"), "latest", "*", "*.parquet"),
      "select min(valid_from)::varchar as first from $file",
    );
    expect(customers[0]!["first"]).toBe("2026-11-20");
  });
});
