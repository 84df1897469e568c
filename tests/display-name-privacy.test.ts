// @module-tag postgres
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckmartConfig } from "../cli/core/config-schema.ts";
import { resolveBuild } from "../cli/core/contracts/build-manifest.ts";
import { syncMarts } from "../export/index.ts";
import { buildSiteData } from "../observable/site-data/build-site-data.ts";
import { filesFixture, filesLake, type FilesLake } from "./helpers/files-lake.ts";
import { pgSchema, pgUrl } from "./helpers/mart-fixtures.ts";
import { noPostgres } from "./helpers/services.ts";
import { readParquet } from "./helpers/test-lake.ts";

// tests/fixtures/files/odd-names.csv: names that are not "First Last". None of these may be shown or published.
const secrets = [
  "Madonna",
  "Smith",
  "zoe.quist",
  "madonna@example.com",
  "anna.smith@example.com",
  "ana@example.com",
  "617 555 01",
  "617555",
];
const columns = {
  order_id: "Order ID",
  ordered_at: "Order Date",
  customer_id: "Customer ID",
  customer_name: "Customer Name",
  customer_email: "Email",
  customer_phone: "Phone",
  order_status: "Status",
  product_id: "SKU",
  product_name: "Product",
  category: "Category",
  quantity: "Qty",
  unit_price: "Unit Price",
};

let lake: FilesLake;
let config: DuckmartConfig;
beforeAll(async () => {
  lake = await filesLake();
  config = await lake.configure({ path: filesFixture("odd-names.csv"), columns });
  await lake.extract();
  await lake.transform();
});
afterAll(() => lake.cleanup());

const leaks = (text: string) => secrets.filter((s) => text.toLowerCase().includes(s.toLowerCase()));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("display_name: a single word, 'Last, First', an email or a phone in the name column", () => {
  it("is masked in dim_customers: first name and last initial, one word's initial, else 'Customer <id>'", async () => {
    const rows = await readParquet(
      lake.paths.mart("dim_customers"),
      "select customer_key, user_id::varchar as id, display_name from $file order by 1",
    );
    expect(rows.map((r) => [r["customer_key"], r["display_name"]])).toEqual([
      ["K-1", "M."],
      ["K-2", "Anna S."],
      ["K-3", `Customer ${rows[2]!["id"]}`],
      ["K-4", `Customer ${rows[3]!["id"]}`],
      ["K-5", "Ana S."],
    ]);
  });

  it("never reaches the site's data files", async () => {
    const { layout } = await resolveBuild(lake.paths);
    const pagesDir = join(lake.dir, "site-pages");
    const drillDir = join(lake.dir, "site-drill");
    await buildSiteData(
      { dataDir: lake.paths.root, buildDir: layout.dir, pagesDir, drillDir, memoryLimit: "1GB" },
      async () => undefined,
    );
    const files = [...(await filesUnder(pagesDir)), ...(await filesUnder(drillDir))];
    const customers = await readFile(join(pagesDir, "customers.json"), "utf8");
    expect(customers).toContain("Anna S.");
    for (const file of files) expect({ file, leaks: leaks(await readFile(file, "utf8")) }).toEqual({ file, leaks: [] });
  });

  it.skipIf(noPostgres)("is never published in clear to Postgres", async () => {
    const pg = await pgSchema("dnames");
    try {
      await syncMarts({ config, paths: lake.paths, logger: lake.logger }, { databaseUrl: pgUrl, schema: pg.schema });
      const tables = await pg.client.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = $1 order by 1",
        [pg.schema],
      );
      expect(tables.rows.map((t) => t.table_name)).toContain("dim_customers");
      const names = await pg.client.query(`select display_name from "${pg.schema}".dim_customers order by 1`);
      expect(names.rows.map((r) => r.display_name)).toContain("M.");
      for (const { table_name } of tables.rows) {
        const rows = await pg.client.query(`select t::text as row from "${pg.schema}"."${table_name}" t`);
        const text = rows.rows.map((r) => r.row).join("\n");
        expect({ table_name, leaks: leaks(text) }).toEqual({ table_name, leaks: [] });
      }
    } finally {
      await pg.drop();
    }
  });
});
