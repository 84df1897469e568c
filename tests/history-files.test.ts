import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { historySource, publishHistory } from "../cli/core/history-store.ts";
import { filesLake, genericColumns, type FilesLake } from "./helpers/files-lake.ts";
import { withTestDuckdb } from "./helpers/test-duckdb.ts";
import { readParquet } from "./helpers/test-lake.ts";

// Export 1 (as of 2024-03-02): Ana buys the Desk Lamp (DL-1) and Ben the Mug (MG-7). Export 2 (as of 2024-03-05), a
// newer export of the shop, no longer holds Ben nor the Mug: both stay in the marts, flagged deleted, under the
// natural keys the export gave them (the SKU; the email, as the export has no customer id).
const header = "Order ID,Order Date,Customer Name,Email,Status,SKU,Product,Category,Qty,Unit Price,Discount %,Net";
const ana = "CA-1,2024-03-01 10:00:00,Ana Silva,ana@example.com,completed,DL-1,Desk Lamp,Home,1,20.00,0,20.00";
const ben = "CA-2,2024-03-02 11:00:00,Ben Okafor,ben@example.com,completed,MG-7,Mug,Kitchen,2,5.00,0,10.00";
const anaAgain = "CA-3,2024-03-05 09:00:00,Ana Silva,ana@example.com,completed,DL-1,Desk Lamp,Home,1,20.00,0,20.00";
// Export 3 (as of 2024-03-06): the same days of sales (the row-count guards hold), all of the Pen (PN-2).
const pens = ["CA-1,2024-03-01", "CA-3,2024-03-05", "CA-4,2024-03-06"].map(
  (order) => `${order} 12:00:00,Ana Silva,ana@example.com,completed,PN-2,Pen,Office,1,2.00,0,2.00`,
);
const { customer_id: _noCustomerId, ...columns } = genericColumns;

/** Extract and transform one export (a new file each time, as a newer export of the shop). */
async function load(lake: FilesLake, name: string, lines: string[]): Promise<void> {
  const path = join(lake.dir, name);
  await writeFile(path, [header, ...lines].join("\n") + "\n");
  await lake.configure({ path, columns });
  await lake.extract();
  await lake.transform();
}

/** Rewrite a snapshot's history as the code before the natural keys wrote it: without `column`. */
async function dropHistoryColumn(lake: FilesLake, snapshot: string, column: string): Promise<void> {
  const history = (await historySource(lake.paths, "files", snapshot))!;
  await withTestDuckdb(async (c) => {
    await c.run(`create temp table old as select * exclude (${column}) from ${history.sql}`);
    await publishHistory(c, lake.paths, "old", "all", { ...history.manifest, shopSource: "files" });
  });
}

describe("files source: a product and a customer missing from a newer export", () => {
  let lake: FilesLake;
  beforeAll(async () => {
    lake = await filesLake();
    await load(lake, "export-1.csv", [ana, ben]);
    await load(lake, "export-2.csv", [ana, anaAgain]);
  });
  afterAll(() => lake?.cleanup());

  it("keeps the deleted product under its SKU", async () => {
    expect(
      await readParquet(
        lake.paths.mart("dim_products"),
        "select product_key, product_title, is_deleted from $file order by product_key",
      ),
    ).toEqual([
      { product_key: "DL-1", product_title: "Desk Lamp", is_deleted: false },
      { product_key: "MG-7", product_title: "Mug", is_deleted: true },
    ]);
  });

  it("keeps the deleted customer under their email", async () => {
    expect(
      await readParquet(lake.paths.mart("dim_customers"), "select customer_key, is_deleted from $file order by 1"),
    ).toEqual([
      { customer_key: "ana@example.com", is_deleted: false },
      { customer_key: "ben@example.com", is_deleted: true },
    ]);
  });

  it("keeps the customer key (personal data) out of the history mart the warehouse receives", async () => {
    const columns = await readParquet(lake.paths.mart("history_customers"), "describe select * from $file");
    expect(columns.map((c) => c["column_name"])).not.toContain("customer_key");
    expect(
      await readParquet(
        lake.paths.mart("history_products"),
        "select product_key, is_deleted from $file where is_current order by 1",
      ),
    ).toEqual([
      { product_key: "DL-1", is_deleted: false },
      { product_key: "MG-7", is_deleted: true },
    ]);
  });
});

describe("files source: a history written before the snapshots kept the natural keys", () => {
  let lake: FilesLake;
  beforeAll(async () => {
    lake = await filesLake();
    await load(lake, "export-1.csv", [ana, ben]);
    await dropHistoryColumn(lake, "products_snapshot", "product_key");
    await dropHistoryColumn(lake, "customers_snapshot", "customer_key");
    await load(lake, "export-2.csv", [ana, anaAgain]);
  });
  afterAll(() => lake?.cleanup());

  it("adds the key to the history, keeps every version, and fills the versions still open from the source", async () => {
    expect(
      await readParquet(
        lake.paths.mart("history_products"),
        "select product_title, product_key, valid_from::varchar as f, valid_to::varchar as t, is_deleted from $file order by product_title, valid_from",
      ),
    ).toEqual([
      { product_title: "Desk Lamp", product_key: "DL-1", f: "2024-03-02", t: null, is_deleted: false },
      { product_title: "Mug", product_key: null, f: "2024-03-02", t: "2024-03-05", is_deleted: false },
      { product_title: "Mug", product_key: null, f: "2024-03-05", t: null, is_deleted: true },
    ]);
    expect(lake.logger.text()).toMatch(/Snapshot products_snapshot: new column\(s\) product_key added to its history/);
  });

  it("names a record that left before the upgrade by its id (its key was never recorded)", async () => {
    const [mug] = await readParquet(
      lake.paths.mart("dim_products"),
      "select product_id::varchar as id, product_key from $file where is_deleted",
    );
    expect(mug!["product_key"]).toBe(mug!["id"]);
  });

  it("names a record that leaves after the upgrade by its natural key", async () => {
    await load(lake, "export-3.csv", pens);
    expect(
      await readParquet(lake.paths.mart("dim_products"), "select product_key, is_deleted from $file order by 1"),
    ).toEqual([
      { product_key: expect.stringMatching(/^\d+$/), is_deleted: true },
      { product_key: "DL-1", is_deleted: true },
      { product_key: "PN-2", is_deleted: false },
    ]);
    expect(
      await readParquet(lake.paths.mart("dim_customers"), "select customer_key, is_deleted from $file order by 1"),
    ).toEqual([
      { customer_key: expect.stringMatching(/^\d+$/), is_deleted: true },
      { customer_key: "ana@example.com", is_deleted: false },
    ]);
  });
});
