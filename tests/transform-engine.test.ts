import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { withDuckdb } from "../cli/core/duckdb.ts";
import { runDataTests } from "../cli/stages/transform-stage.ts";
import { transform } from "../transforms/index.ts";
import { buildGraph, selectModels } from "../transforms/engine/graph.ts";
import { defaultTransformsDir, loadProject } from "../transforms/engine/project.ts";
import { rawTables } from "../transforms/engine/raw-sources.ts";
import { lakePaths } from "../cli/core/paths.ts";
import { order, product, user, writeOrders, writeRaw } from "./helpers/raw-fixtures.ts";
import { readParquet, paymentColumns, lakesPerTest } from "./helpers/test-lake.ts";

const newLake = lakesPerTest();
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function baseLake(
  orders: ReturnType<typeof order>[],
  users = [user(1, "Austin", "Texas", "TX"), user(2, "Boston", "Massachusetts", "MA")],
) {
  const lake = await newLake();
  await writeRaw(lake, "products", [product(1, 10, "alpha"), product(2, 20, "beta")]);
  await writeRaw(lake, "users", users);
  await writeRaw(lake, "carts", []);
  await writeOrders(lake, orders);
  return lake;
}

async function projectWith(models: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "duckmart-models-"));
  dirs.push(dir);
  await mkdir(join(dir, "models", "staging"), { recursive: true });
  for (const [name, sql] of Object.entries(models)) await writeFile(join(dir, "models", "staging", `${name}.sql`), sql);
  return dir;
}

describe("RFM scoring", () => {
  it("assigns quintiles at the edges: 10 customers, 2 per score, ties broken by user id", async () => {
    // Customer k has k completed orders of $k*10 each, the latest k days... (11 - k) days before as-of.
    const users = Array.from({ length: 10 }, (_, i) => user(i + 1, "Austin", "Texas", "TX"));
    const orders = users.flatMap((_, i) => {
      const k = i + 1;
      return Array.from({ length: k }, (_, j) =>
        order(k * 100 + j, k, `2026-11-${String(24 - (11 - k) - j).padStart(2, "0")}T12:00:00`, "completed", [
          [1, 10 * k, 1, 0],
        ]),
      );
    });
    const lake = await baseLake(orders, users);
    await transform({ config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns });
    const rows = await readParquet(
      lake.paths.mart("customer_segmentation"),
      "select user_id, recency_days, frequency_count, recency_score, frequency_score, monetary_score, rfm_segment from $file order by user_id",
    );
    expect(rows.map((r) => [r["user_id"], r["recency_score"], r["frequency_score"], r["monetary_score"]])).toEqual([
      [1, 1, 1, 1],
      [2, 1, 1, 1],
      [3, 2, 2, 2],
      [4, 2, 2, 2],
      [5, 3, 3, 3],
      [6, 3, 3, 3],
      [7, 4, 4, 4],
      [8, 4, 4, 4],
      [9, 5, 5, 5],
      [10, 5, 5, 5],
    ]);
    expect(rows[0]).toMatchObject({ recency_days: 10, frequency_count: 1, rfm_segment: "hibernating" });
    expect(rows[9]).toMatchObject({ recency_days: 1, frequency_count: 10, rfm_segment: "champions" });
    expect(rows[4]!["rfm_segment"]).toBe("needs attention");
  });
});

describe("data tests", () => {
  it("fail on an orphan, printing the model, column, test, count and the sample row", async () => {
    // Product 99 was never in the catalog: the raw and staging checks warn (a product that left the catalog is
    // kept in dim_products by its snapshot), and fact_order_items -> dim_products fails.
    const lake = await baseLake([
      order(1, 1, "2026-11-20T10:00:00", "completed", [
        [1, 10, 1, 0],
        [99, 5, 1, 0],
      ]),
    ]);
    await transform({ config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns });
    await expect(runDataTests({ config: lake.config, paths: lake.paths, logger: lake.logger })).rejects.toThrow(
      /data test\(s\) failed on build b-[\d-]+[0-9a-f]{4}: .*fact_order_items\.product_id\.relationships\.dim_products/,
    );
    const text = lake.logger.text();
    expect(text).toContain(
      "Warning: relationships on stg_order_items.product_id (every product_id exists in stg_products.product_id)",
    );
    expect(text).toMatch(
      /1 failing row\(s\); first 1:\norder_item_id\s+order_id\s+line_number\s+product_id.*\n.*\n1002\s+1\s+2\s+99/,
    );
  });

  it("pass on clean data, and a warning-severity failure does not fail the run", async () => {
    const lake = await baseLake(
      [order(1, 1, "2026-11-20T10:00:00", "completed", [[1, 10, 1, 0]])],
      [user(1, "Austin", "Texas", "TX", { gender: "unknown" })],
    );
    await transform({ config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns });
    const summary = await runDataTests({ config: lake.config, paths: lake.paths, logger: lake.logger });
    expect(summary.testsPassed).toBe(true);
    const warned = summary.tests.filter((t) => t.status === "warn");
    expect(warned.map((t) => [t.id, t.failingRows])).toEqual([["stg_users.gender.accepted_values", 1]]);
  });
});

describe("dependency graph", () => {
  it("finds dependencies from the SQL, ignoring CTE names", async () => {
    const project = await loadProject();
    await withDuckdb({}, async (c) => {
      const graph = await buildGraph(
        c,
        project,
        rawTables(lakePaths("/nonexistent"), "sample", paymentColumns).map((r) => r.name),
      );
      expect(graph.deps.get("dim_customers")).toEqual([
        "customers_snapshot",
        "int_customer_orders",
        "int_users_cleaned_locations",
        "stg_users",
      ]);
      expect(graph.deps.get("stg_orders")).toEqual(["raw_orders"]);
      expect(graph.order.indexOf("stg_orders")).toBeLessThan(graph.order.indexOf("fact_orders"));
      expect(selectModels(graph, ["dim_products+"])).toEqual([
        "dim_products",
        "product_performance",
        "rpt_top_products",
      ]);
      expect(selectModels(graph, ["+int_product_sales"])).toEqual([
        "stg_orders",
        "stg_order_items",
        "int_product_sales",
      ]);
      expect(selectModels(graph, ["fact_orders"])).toEqual(["fact_orders"]);
    });
  });

  it("names both models of a cycle", async () => {
    const dir = await projectWith({
      a_model: "with x as (select * from b_model) select * from x",
      b_model: "select * from a_model",
    });
    const lake = await baseLake([]);
    await expect(
      transform({ config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns, transformsDir: dir }),
    ).rejects.toThrow('Model "a_model" is part of a cycle: a_model -> b_model -> a_model');
  });

  it("rejects a yml slip such as an unquoted comma in a description, naming the file and key", async () => {
    const dir = await projectWith({ stg_things: "select 1 as thing_id" });
    await writeFile(
      join(dir, "models", "staging", "_staging.yml"),
      "models:\n  - name: stg_things\n    columns:\n      - { name: thing_id, description: One, two }\n",
    );
    await expect(loadProject(dir)).rejects.toThrow(
      "models/staging/_staging.yml:4: flow-style mapping ({ ... }); write one key per line (block style)",
    );
  });

  it("names the model and the unknown reference", async () => {
    const dir = await projectWith({ stg_things: "select * from raw_thingz" });
    const lake = await baseLake([]);
    await expect(
      transform({ config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns, transformsDir: dir }),
    ).rejects.toThrow('Model "stg_things" references unknown table "raw_thingz"');
  });
});

describe("selection and empty marts", () => {
  it("--select rebuilds only the chosen mart into a new build and links the others from the current one", async () => {
    const lake = await baseLake([order(1, 1, "2026-11-20T10:00:00", "completed", [[1, 10, 1, 0]])]);
    const context = { config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns };
    await expect(transform(context, { select: ["fact_orders"] })).rejects.toThrow(
      /no current build to take them from: run a full "duckmart transform" first/,
    );
    const first = await transform(context);
    const summary = await transform(context, { select: ["fact_orders"] });
    expect(summary.models.filter((m) => m.materialized === "table" && m.status === "built").map((m) => m.name)).toEqual(
      ["fact_orders"],
    );
    expect(summary.build.buildId).not.toBe(first.build.buildId);
    expect(summary.promoted).toBe(true);
    const reused = summary.build.models.filter((m) => m.reusedFrom).map((m) => m.name);
    expect(reused).toContain("dim_products");
    expect(reused).not.toContain("fact_orders");
    // Reused marts are hard links to the earlier build's immutable files, not copies.
    const { statSync } = await import("node:fs");
    const inode = (id: string, model: string) =>
      statSync(join(lake.paths.buildDir(id), "marts", `${model}.parquet`)).ino;
    expect(inode(summary.build.buildId, "dim_products")).toBe(inode(first.build.buildId, "dim_products"));
    expect(inode(summary.build.buildId, "fact_orders")).not.toBe(inode(first.build.buildId, "fact_orders"));
    expect(existsSync(lake.paths.mart("dim_products"))).toBe(true);
  });

  it("refuses to build a lake where nothing has landed, saying what to run, and records no build", async () => {
    const lake = await newLake();
    await expect(
      transform({ config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns }),
    ).rejects.toThrow(`Nothing has landed from sample in ${lake.paths.root}: there is nothing to build`);
    expect(existsSync(join(lake.paths.root, "builds"))).toBe(false);
  });

  it("writes a mart with zero rows with its full schema", async () => {
    const lake = await baseLake([]);
    await transform({ config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns });
    const columns = await readParquet(
      lake.paths.mart("fact_orders"),
      "select column_name from (describe select * from $file)",
    );
    expect(columns.map((c) => c["column_name"])).toContain("order_size_band");
    expect((await readParquet(lake.paths.mart("fact_orders"), "select count(*) as n from $file"))[0]?.["n"]).toBe(0);
    expect(
      (await readParquet(lake.paths.mart("customer_segmentation"), "select count(*) as n from $file"))[0]?.["n"],
    ).toBe(0);
  });

  it("keeps the models folder self-contained (copyable as a project)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "duckmart-copy-"));
    dirs.push(dir);
    await cp(defaultTransformsDir, dir, { recursive: true });
    const project = await loadProject(dir);
    expect([...project.models.keys()].length).toBe((await loadProject()).models.size);
  });
});
