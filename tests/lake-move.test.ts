// @module-tag slow
import { existsSync } from "node:fs";
import { cp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { readCatalog, type Catalog } from "../cli/core/contracts/catalog.ts";
import { lakePaths } from "../cli/core/paths.ts";
import { cli, currentBuild } from "./helpers/build-lake.ts";
import { serveFolder } from "./helpers/static-server.ts";
import { testLake, type TestLake } from "./helpers/test-lake.ts";

const checkout = fileURLToPath(new URL("..", import.meta.url));
const transformsDir = join(checkout, "transforms");
const lakes: TestLake[] = [];
afterAll(async () => {
  for (const lake of lakes) await lake.cleanup();
});

/** Every file the catalog names, resolved for a lake at `dataDir`, exists. */
function expectFilesResolve(catalog: Catalog): void {
  const paths = [...catalog.nodes.map((n) => n.path), ...(catalog.macros ?? []).map((m) => m.path)].filter(Boolean);
  expect(paths.length).toBeGreaterThan(40);
  for (const path of paths) expect(existsSync(path), path).toBe(true);
}

describe("a lake copied to another path", () => {
  it("keeps a catalog whose paths resolve there, and still transforms, builds and serves its site", async () => {
    const lake = await testLake();
    lakes.push(lake);
    expect((await cli(lake, ["extract"])).code).toBe(0);
    expect((await cli(lake, ["transform"])).code).toBe(0);
    const before = (await currentBuild(lake))!.buildId;
    const text = await readFile(lake.paths.catalog, "utf8");
    // Relative: neither the lake's folder nor the checkout's appears in it.
    expect(text).not.toContain(lake.dir);
    expect(text).not.toContain(checkout);
    const written = JSON.parse(text) as Catalog;
    const orders = written.nodes.find((n) => n.name === "raw_orders")!;
    const snapshot = (await currentBuild(lake))!.inputs.find((i) => i.name === "raw_orders")!.snapshot!;
    expect(orders.path).toBe(`raw/sample/orders/${snapshot}/data.parquet`);
    expect(written.nodes.find((n) => n.name === "dim_products")!.path).toBe("models/marts/core/dim_products.sql");
    expect(written.nodes.find((n) => n.name === "us_cities")!.path).toBe("seeds/us_cities.csv");

    // Copied (symlinks as they are, as a backup restore or `cp -a` does) and the original removed.
    const moved: TestLake = { ...(await testLake()), config: lake.config };
    lakes.push(moved);
    await rm(moved.dir, { recursive: true });
    await cp(lake.dir, moved.dir, { recursive: true, verbatimSymlinks: true });
    await rm(lake.dir, { recursive: true });
    moved.paths = lakePaths(moved.dir);
    expectFilesResolve(await readCatalog(moved.paths.catalog, { dataDir: moved.dir, transformsDir }));
    const rawOrders = (await readCatalog(moved.paths.catalog, { dataDir: moved.dir })).nodes.find(
      (n) => n.name === "raw_orders",
    )!;
    expect(rawOrders.path).toBe(join(moved.dir, orders.path));

    const transform = await cli(moved, ["transform"]);
    expect(transform.code, transform.stderr).toBe(0);
    const after = (await currentBuild(moved))!.buildId;
    expect(after).not.toBe(before);
    expectFilesResolve(await readCatalog(moved.paths.catalog, { dataDir: moved.dir, transformsDir }));
    expect((await cli(moved, ["test"])).code).toBe(0);
    const site = await cli(moved, ["site", "build"]);
    expect(site.code, site.stderr).toBe(0);
    const server = await serveFolder(join(moved.dir, "site"));
    try {
      const index = await fetch(`${server.url}/`);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain(after);
    } finally {
      await server.close();
    }
  });
});
