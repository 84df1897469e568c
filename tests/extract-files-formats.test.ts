// @module-tag slow
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteLiteral, withDuckdb } from "../cli/core/duckdb.ts";
import { filesFixture, filesLake, genericColumns, type FilesLake } from "./helpers/files-lake.ts";
import { readParquet } from "./helpers/test-lake.ts";

const marts = [
  "fact_orders",
  "fact_order_items",
  "dim_products",
  "dim_customers",
  "daily_revenue",
  "product_performance",
];
const lakes: Record<string, FilesLake> = {};

beforeAll(async () => {
  // The same lines as Parquet (typed by DuckDB's sniffer: dates as TIMESTAMP, amounts as DOUBLE) and as NDJSON.
  const csvLake = await filesLake();
  const csv = filesFixture("orders.csv");
  const copies = { parquet: join(csvLake.dir, "orders.parquet"), ndjson: join(csvLake.dir, "orders.ndjson") };
  // And as a glob over two CSV files: lines 1-5 (orders CA-1001 to CA-1003) and lines 6-10.
  const lines = (await readFile(csv, "utf8")).trimEnd().split("\n");
  await writeFile(join(csvLake.dir, "part-1.csv"), `${[lines[0], ...lines.slice(1, 6)].join("\n")}\n`);
  await writeFile(join(csvLake.dir, "part-2.csv"), `${[lines[0], ...lines.slice(6)].join("\n")}\n`);
  await withDuckdb({}, async (c) => {
    await c.run(
      `copy (select * from read_csv(${quoteLiteral(csv)})) to ${quoteLiteral(copies.parquet)} (format parquet)`,
    );
    await c.run(`copy (select * from read_csv(${quoteLiteral(csv)})) to ${quoteLiteral(copies.ndjson)} (format json)`);
  });
  for (const [format, path] of [
    ["csv", csv],
    ["parquet", copies.parquet],
    ["ndjson", copies.ndjson],
    ["glob", join(csvLake.dir, "part-*.csv")],
  ] as const) {
    const lake = format === "csv" ? csvLake : await filesLake();
    await lake.configure({ path, columns: genericColumns });
    await lake.extract();
    await lake.transform();
    lakes[format] = lake;
  }
});
afterAll(async () => {
  for (const lake of Object.values(lakes)) await lake.cleanup();
});

describe("files source: CSV, Parquet, NDJSON and a glob of CSVs with the same lines", () => {
  it.each(["parquet", "ndjson", "glob"])("%s gives marts identical to the CSV's", async (format) => {
    for (const name of marts) {
      const sql = "select * from $file order by all";
      expect(await readParquet(lakes[format]!.paths.mart(name), sql), name).toEqual(
        await readParquet(lakes["csv"]!.paths.mart(name), sql),
      );
    }
  });
});
