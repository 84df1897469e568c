import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteLiteral, withDuckdb } from "../cli/core/duckdb.ts";
import { syncMarts } from "../export/index.ts";
import { filesFixture, filesLake, genericColumns, type FilesLake } from "./helpers/files-lake.ts";
import { pgSchema, pgUrl } from "./helpers/mart-fixtures.ts";
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

  it("keeps the natural keys and exact amounts in Postgres", async () => {
    const pg = await pgSchema("files");
    try {
      const lake = lakes["csv"]!;
      const config = await lake.configure({ path: filesFixture("orders.csv"), columns: genericColumns });
      await syncMarts({ config, paths: lake.paths, logger: lake.logger }, { databaseUrl: pgUrl, schema: pg.schema });
      const orders = await pg.client.query(
        `select order_number, order_amount_usd::text as amount from "${pg.schema}".fact_orders order by 1`,
      );
      expect(orders.rows.slice(0, 2)).toEqual([
        { order_number: "CA-1001", amount: "41.483000" },
        { order_number: "CA-1002", amount: "17.491250" },
      ]);
      const total = await pg.client.query(`select sum(order_amount_usd)::text as t from "${pg.schema}".fact_orders`);
      expect(total.rows[0].t).toBe("257.809250");
      const products = await pg.client.query(`select product_key from "${pg.schema}".dim_products order by 1`);
      expect(products.rows.map((r) => r.product_key)).toEqual(["SKU-A", "SKU-B", "SKU-C", "SKU-D"]);
    } finally {
      await pg.drop();
    }
  });
});
