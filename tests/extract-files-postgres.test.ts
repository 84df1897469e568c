// @module-tag postgres
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckmartConfig } from "../cli/core/config-schema.ts";
import { syncMarts } from "../export/index.ts";
import { filesFixture, filesLake, genericColumns, type FilesLake } from "./helpers/files-lake.ts";
import { pgSchema, pgUrl } from "./helpers/mart-fixtures.ts";
import { noPostgres } from "./helpers/services.ts";

let lake: FilesLake;
let config: DuckmartConfig;

beforeAll(async () => {
  lake = await filesLake();
  config = await lake.configure({ path: filesFixture("orders.csv"), columns: genericColumns });
  await lake.extract();
  await lake.transform();
});
afterAll(() => lake.cleanup());

describe.skipIf(noPostgres)("files source: the Postgres sync", () => {
  it("keeps the natural keys and exact amounts in Postgres", async () => {
    const pg = await pgSchema("files");
    try {
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
