// @module-tag postgres
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckmartConfig } from "../cli/core/config-schema.ts";
import { syncMarts } from "../export/index.ts";
import { filesFixture, filesLake, genericColumns, type FilesLake } from "./helpers/files-lake.ts";
import { pgSchema, pgUrl } from "./helpers/mart-fixtures.ts";
import { noPostgres } from "./helpers/services.ts";

let lake: FilesLake;
let config: DuckmartConfig;
let large: FilesLake;
let largeConfig: DuckmartConfig;

beforeAll(async () => {
  lake = await filesLake();
  config = await lake.configure({ path: filesFixture("orders.csv"), columns: genericColumns });
  await lake.extract();
  await lake.transform();
  // tests/transform-large-money.test.ts has the fixture by hand: totals past 10^12, each to the millionth.
  large = await filesLake();
  largeConfig = await large.configure({
    path: filesFixture("large-money-orders.csv"),
    columns: {
      order_id: "order_id",
      ordered_at: "ordered_at",
      customer_id: "customer_id",
      order_status: "status",
      product_id: "sku",
      category: "category",
      quantity: "qty",
      unit_price: "unit_price",
    },
  });
  await large.extract();
  await large.transform();
});
afterAll(async () => {
  await lake.cleanup();
  await large.cleanup();
});

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

describe.skipIf(noPostgres)("files source: money totals past 10^12 in Postgres", () => {
  it("publishes the sums as numeric(38,6), exactly, and a line as numeric(18,6)", async () => {
    const pg = await pgSchema("files_large");
    try {
      const result = await syncMarts(
        { config: largeConfig, paths: large.paths, logger: large.logger },
        { databaseUrl: pgUrl, schema: pg.schema, verify: true },
      );
      expect(result.checks.filter((c) => !c.match)).toEqual([]);
      const value = async (sql: string) => (await pg.client.query(sql)).rows;
      expect(
        await value(`select lifetime_value_usd::text as ltv, average_order_value_usd::text as aov
          from "${pg.schema}".dim_customers order by lifetime_value_usd desc limit 1`),
      ).toEqual([{ ltv: "3020000000002.222194", aov: "143809523809.63" }]);
      expect(
        await value(
          `select order_amount_usd::text as amount from "${pg.schema}".fact_orders where order_number = 'L-21'`,
        ),
      ).toEqual([{ amount: "1140000000000.740730" }]);
      expect(
        await value(`select revenue_usd::text as revenue from "${pg.schema}".daily_revenue order by order_date`),
      ).toEqual([
        { revenue: "1080000000001.481472" },
        { revenue: "799999999999.999992" },
        { revenue: "1140000000001.410730" },
      ]);
      expect(
        await value(`select distinct revenue_usd::text as revenue from "${pg.schema}".rpt_kpis_by_period
          where comparison = 'current' and category = 'All'`),
      ).toEqual([{ revenue: "3020000000002.892194" }]);
      const types = await value(`select table_name, column_name, numeric_precision::int as p, numeric_scale::int as s
        from information_schema.columns where table_schema = '${pg.schema}'
          and (table_name, column_name) in (('fact_orders', 'order_amount_usd'), ('fact_order_items', 'net_amount_usd'),
            ('customer_segmentation', 'monetary_usd'), ('rpt_daily_sales_by_category', 'revenue_usd'))
        order by 1`);
      expect(types).toEqual([
        { table_name: "customer_segmentation", column_name: "monetary_usd", p: 38, s: 6 },
        { table_name: "fact_order_items", column_name: "net_amount_usd", p: 18, s: 6 },
        { table_name: "fact_orders", column_name: "order_amount_usd", p: 38, s: 6 },
        { table_name: "rpt_daily_sales_by_category", column_name: "revenue_usd", p: 38, s: 6 },
      ]);
    } finally {
      await pg.drop();
    }
  });
});
