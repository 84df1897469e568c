import { existsSync } from "node:fs";
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BuildManifest } from "../../cli/core/contracts/build-manifest.ts";
import { readCatalog } from "../../cli/core/contracts/catalog.ts";
import { withDuckdb } from "../../cli/core/duckdb.ts";
import { categoryDatasets, productDocumentsSql } from "./drill-down-datasets.ts";
import { customersDataset, productsDataset } from "./customer-product-datasets.ts";
import { lineageDataset } from "./lineage-dataset.ts";
import { qualityDataset } from "./quality-dataset.ts";
import { dailyDataset, operationsDataset, paymentsDataset, salesMixDataset } from "./sales-datasets.ts";
import { assertNoPii, openMarts, piiColumns, queryOn, siteJson } from "./site-data-kit.ts";

export interface SiteDataOptions {
  /** The lake (runs, raw snapshots). */
  dataDir: string;
  /** The build the site shows: its marts/, catalog.json and build.json. */
  buildDir: string;
  /** observable/src/data/gen: the pages' FileAttachments (Framework copies them into the site). */
  pagesDir: string;
  /**
   * A staging folder for the drill-down documents (categories/<slug>.json, products/<id>.json), moved into the
   * site's `_data/` after Framework ran (none: skip them).
   */
  drillDir?: string;
  memoryLimit: string;
  tempDirectory?: string;
}

export interface SiteData {
  files: number;
  categories: { category: string; slug: string }[];
  products: number;
  largestProductBytes: number;
}

/**
 * Compute every data file of the site in one process and one DuckDB instance (instead of one process per
 * Framework loader), behind the privacy guard. The pages' files land in `pagesDir` (swapped in whole); the
 * product documents (thousands) in `productsDir`, written while Framework builds the pages.
 */
export async function buildSiteData(options: SiteDataOptions, whileProducts: () => Promise<void>): Promise<SiteData> {
  const catalog = await readCatalog(join(options.buildDir, "catalog.json"), { dataDir: options.dataDir });
  const build = existsSync(join(options.buildDir, "build.json"))
    ? (JSON.parse(await readFile(join(options.buildDir, "build.json"), "utf8")) as Partial<BuildManifest>)
    : null;
  const pii = piiColumns(catalog);
  return withDuckdb({ memoryLimit: options.memoryLimit, tempDirectory: options.tempDirectory }, async (connection) => {
    const views = await openMarts(connection, options.buildDir, catalog);
    const q = queryOn(connection);
    const fresh = `${options.pagesDir}.tmp-${process.pid}`;
    await rm(fresh, { recursive: true, force: true });
    await mkdir(fresh, { recursive: true });
    let files = 0;
    const write = async (name: string, value: unknown) => {
      assertNoPii(name, value, pii);
      await writeFile(join(fresh, name), siteJson(value));
      files++;
    };
    await write("daily.json", await dailyDataset(q));
    await write("sales-mix.json", await salesMixDataset(q));
    await write("customers.json", await customersDataset(q));
    await write("products.json", await productsDataset(q));
    await write("operations.json", await operationsDataset(q));
    await write("payments.json", await paymentsDataset(q, (v) => views.has(v), build?.paymentsSource ?? "sample"));
    await write("lineage.json", lineageDataset(catalog));
    await write("quality.json", await qualityDataset(q, options.dataDir, catalog, build));
    await swap(fresh, options.pagesDir);
    const categories = await categoryDatasets(q);
    const index = categories.map(({ category, slug }) => ({ category, slug }));
    if (options.drillDir) {
      await rm(options.drillDir, { recursive: true, force: true });
      await mkdir(join(options.drillDir, "categories"), { recursive: true });
      for (const c of categories) {
        assertNoPii(`categories/${c.slug}.json`, c.data, pii);
        await writeFile(join(options.drillDir, "categories", `${c.slug}.json`), siteJson(c.data));
        files++;
      }
    }

    // Framework builds the pages (whileProducts) while DuckDB writes one document per product.
    const [products] = await Promise.all([
      options.drillDir
        ? writeProductDocuments(q, join(options.drillDir, "products"), pii, views.has("product_price_history"))
        : { count: 0, largest: 0 },
      whileProducts(),
    ]);
    return {
      files: files + products.count,
      categories: index,
      products: products.count,
      largestProductBytes: products.largest,
    };
  });
}

async function writeProductDocuments(
  q: ReturnType<typeof queryOn>,
  dir: string,
  pii: Map<string, string>,
  priceHistory: boolean,
): Promise<{ count: number; largest: number }> {
  await mkdir(dir, { recursive: true });
  const ids = (await q(`select product_id from product_performance order by product_id`)).map((r) =>
    Number(r["product_id"]),
  );
  let largest = 0;
  let count = 0;
  for (let start = 0; start < ids.length; start += 4000) {
    const batch = ids.slice(start, start + 4000);
    const rows = await q(productDocumentsSql(batch[0]!, batch.at(-1)!, { priceHistory }));
    if (start === 0 && rows[0]) assertNoPii("products/<id>.json", JSON.parse(String(rows[0]["document"])), pii);
    const queue = rows.map((r) => [String(r["product_id"]), String(r["document"])] as const);
    const worker = async () => {
      for (let next = queue.pop(); next; next = queue.pop()) {
        largest = Math.max(largest, Buffer.byteLength(next[1]));
        await writeFile(join(dir, `${next[0]}.json`), next[1]);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    count += rows.length;
  }
  return { count, largest };
}

/**
 * Give every category and product its page: Framework rendered `categories/[category].md` and
 * `products/[product].md` once each (the "template" path); each category and product gets a hard link to that HTML
 * (the page reads its id from its URL) and its document under `_data/`. Returns the pages placed per folder.
 */
export async function placeDrillDownPages(output: string, drillDir: string): Promise<Record<string, number>> {
  await mkdir(join(output, "_data"), { recursive: true });
  const placed: Record<string, number> = {};
  for (const folder of ["categories", "products"]) {
    const template = join(output, folder, "template.html");
    if (!existsSync(template)) throw new Error(`The ${folder} page template ${template} was not built`);
    await rename(join(drillDir, folder), join(output, "_data", folder));
    const queue = (await readdir(join(output, "_data", folder))).map((f) => f.replace(/\.json$/, ""));
    placed[folder] = queue.length;
    const worker = async () => {
      for (let id = queue.pop(); id; id = queue.pop()) await link(template, join(output, folder, `${id}.html`));
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await rm(template);
  }
  return placed;
}

async function swap(fresh: string, target: string): Promise<void> {
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) await rename(target, old);
  await rename(fresh, target);
  await rm(old, { recursive: true, force: true });
}

export async function fileBytes(path: string): Promise<number> {
  return existsSync(path) ? (await stat(path)).size : 0;
}
