// @module-tag e2e
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readBuildManifest, readBuildPointer } from "../cli/core/contracts/build-manifest.ts";
import { lakePaths, type LakePaths } from "../cli/core/paths.ts";
import { runCli } from "./helpers/cli.ts";
import { rows } from "./helpers/build-lake.ts";
import { rawFile, readParquet } from "./helpers/test-lake.ts";
import { genericColumns } from "./helpers/files-lake.ts";

// A two-line order export (as of 2024-03-02, its newest order date): customers Ana and Ben, products DL-1 and MG-7,
// orders CA-1 and CA-2. Its history, counted by hand: 2 customers, 2 products, 2 orders, one version each.
const csv = [
  "Order ID,Order Date,Customer Name,Email,Status,SKU,Product,Category,Qty,Unit Price,Discount %,Net",
  "CA-1,2024-03-01 10:00:00,Ana Silva,ana@example.com,completed,DL-1,Desk Lamp,Home,1,20.00,0,20.00",
  "CA-2,2024-03-02 11:00:00,Ben Okafor,ben@example.com,completed,MG-7,Mug,Kitchen,2,5.00,0,10.00",
];
// The fixture mapping without a customer id: customers are told apart by their email.
const { customer_id: _noCustomerId, ...columns } = genericColumns;
const snapshots = ["customers_snapshot", "orders_snapshot", "products_snapshot"];

interface Shop {
  paths: LakePaths;
  duckmart(args: string[], env?: Record<string, string>): ReturnType<typeof runCli>;
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A project whose duckmart.config.ts maps the export (files.orderLines) and names no `source`; a small sample. */
async function shop(): Promise<Shop> {
  const dir = await mkdtemp(join(tmpdir(), "duckmart-sources-"));
  dirs.push(dir);
  await writeFile(join(dir, "orders.csv"), csv.join("\n") + "\n");
  const config = { files: { orderLines: { path: join(dir, "orders.csv"), columns } } };
  await writeFile(join(dir, "duckmart.config.ts"), `export default ${JSON.stringify(config)};\n`);
  const data = join(dir, "data");
  return {
    paths: lakePaths(data),
    duckmart: (args, env = {}) =>
      runCli([...args, "--data-dir", data], { DUCKMART_SCALE: "0.3", DUCKMART_THREADS: "1", ...env }, dir),
  };
}

const ok = async (result: ReturnType<typeof runCli>) => {
  const { code, stderr } = await result;
  expect(stderr).not.toMatch(/ERROR/);
  expect(code, stderr).toBe(0);
  return stderr;
};
const historyRows = (paths: LakePaths, source: string, snapshot: string) =>
  rows(join(paths.historyDir(source, snapshot), "latest", "*", "*.parquet"));
const currentBuild = async (paths: LakePaths) =>
  (await readBuildManifest(paths, (await readBuildPointer(paths))!.buildId))!;

describe("history is kept per shop source", () => {
  it("switching sample -> files -> sample neither mixes nor replaces another source's history (old layout moved)", async () => {
    const { paths, duckmart } = await shop();
    await ok(duckmart(["extract", "--source", "sample", "--as-of", "2026-12-05"]));
    await ok(duckmart(["transform"]));
    const sample: Record<string, number> = {};
    for (const s of snapshots) sample[s] = await historyRows(paths, "sample", s);
    const sampleUsers = await rows(rawFile(paths, "sample", "users"));
    expect(sample["customers_snapshot"]).toBe(sampleUsers);

    // The lake as the code before per-source history wrote it: history/<snapshot>/, no source in its manifest.
    for (const s of snapshots) {
      await rename(paths.historyDir("sample", s), paths.legacyHistoryDir(s));
      const file = join(paths.legacyHistoryDir(s), "current.json");
      const { shopSource: _dropped, ...old } = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
      await writeFile(file, JSON.stringify(old));
    }
    await rm(join(paths.historyRoot, "sample"), { recursive: true });

    await ok(duckmart(["extract", "--source", "files"]));
    await ok(duckmart(["transform"]));
    const files = await currentBuild(paths);
    expect(files.shopSource).toBe("files");
    // Only the export's own day is applied: the sample's 2026-12-05 is not re-applied from the export.
    expect(files.history?.map((h) => [h.snapshot, h.days, h.rowCount])).toEqual([
      ["customers_snapshot", ["2024-03-02"], 2],
      ["orders_snapshot", ["2024-03-02"], 2],
      ["products_snapshot", ["2024-03-02"], 2],
    ]);
    // The old history was moved to the sample (the source its days read), untouched.
    expect((await readdir(paths.historyRoot)).sort()).toEqual(["files", "sample"]);
    for (const s of snapshots) expect(await historyRows(paths, "sample", s)).toBe(sample[s]);

    const back = await ok(duckmart(["transform"], { DUCKMART_SOURCE: "sample" }));
    expect(back).toContain("History: up to date for 2026-12-05");
    // No customer, product or order of the export in the sample's marts.
    const customers = await readParquet(
      paths.mart("dim_customers"),
      "select count(*) as n, count(*) filter (where is_deleted) as deleted from $file",
    );
    expect(customers[0]).toEqual({ n: sampleUsers, deleted: 0 });
    expect(await rows(paths.mart("history_orders"))).toBe(sample["orders_snapshot"]);
    expect(await rows(paths.mart("history_products"))).toBe(sample["products_snapshot"]);
  });
});

describe("the shop source of a plain run", () => {
  it("is the one extracted last, as for transform, and the run says which and why", async () => {
    const { paths, duckmart } = await shop();
    await ok(duckmart(["extract", "--source", "files"]));
    const run = await ok(duckmart(["run", "--skip", "site"]));
    expect(run).toContain("Shop source: files (extracted last in this data dir");
    expect(await currentBuild(paths)).toMatchObject({ shopSource: "files", shopSourceOrigin: "last extracted" });
    expect(existsSync(paths.rawDir("sample"))).toBe(false);
    expect(await rows(paths.mart("fact_orders"))).toBe(2);

    const configured = await ok(duckmart(["run", "--skip", "site"], { DUCKMART_SOURCE: "sample" }));
    expect(configured).toContain("Shop source: sample (configured: DUCKMART_SOURCE)");
    expect(await currentBuild(paths)).toMatchObject({ shopSource: "sample", shopSourceOrigin: "configured" });
    expect((await readdir(paths.historyRoot)).sort()).toEqual(["files", "sample"]);
  });

  it("a plain extract re-lands the shop source extracted last, and says so", async () => {
    const { paths, duckmart } = await shop();
    await ok(duckmart(["extract", "--source", "files"]));
    const again = await ok(duckmart(["extract"]));
    expect(again).toContain("Shop source: files (extracted last in this data dir");
    expect(existsSync(paths.rawDir("sample"))).toBe(false);
    await ok(duckmart(["transform"]));
    expect(await currentBuild(paths)).toMatchObject({ shopSource: "files" });
    expect(await rows(paths.mart("fact_orders"))).toBe(2);
  });
});
