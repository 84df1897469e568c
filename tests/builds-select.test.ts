import { afterEach, describe, expect, it } from "vitest";
import { extract } from "../extract/index.ts";
import { recordLastShopSource } from "../cli/core/shop-source.ts";
import { transform } from "../transforms/index.ts";
import { loadProject } from "../transforms/engine/project.ts";
import { order, product, user, writeOrders, writeRaw } from "./helpers/raw-fixtures.ts";
import { paymentColumns, rawFile, readParquet, testLake, type TestLake } from "./helpers/test-lake.ts";

const lakes: TestLake[] = [];
afterEach(async () => {
  for (const lake of lakes.splice(0)) await lake.cleanup();
});

async function newLake(): Promise<TestLake> {
  const lake = await testLake();
  lakes.push(lake);
  return lake;
}

const contextOf = (lake: TestLake) => ({ config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns });

async function count(path: string): Promise<number> {
  return Number((await readParquet(path, "select count(*) as n from $file"))[0]?.["n"]);
}

/** A DummyJSON-shaped shop landed as extract would land it, with order ids the sample never uses. */
async function landDummyJson(lake: TestLake, orderIds: number[]): Promise<void> {
  const dummy = { ...lake, config: { ...lake.config, source: "dummyjson" as const } };
  await writeRaw(dummy, "products", [product(1, 10, "alpha")]);
  await writeRaw(dummy, "users", [user(1, "Austin", "Texas", "TX")]);
  await writeRaw(dummy, "carts", []);
  await writeOrders(
    dummy,
    orderIds.map((id) => order(id, 1, "2026-11-20T10:00:00", "completed", [[1, 10, 1, 0]])),
  );
  await recordLastShopSource(lake.paths, "dummyjson", new Date().toISOString());
}

describe("--select carries marts over only from a build of the same sources and inputs", () => {
  it("after a switch to another source, builds every mart from the new source instead of mixing the two", async () => {
    const lake = await newLake();
    await landDummyJson(lake, [900001, 900002]);
    const first = await transform(contextOf(lake));
    expect(first.build.shopSource).toBe("dummyjson");
    expect(await count(lake.paths.mart("fact_orders"))).toBe(2);

    await extract({ config: lake.config, paths: lake.paths, logger: lake.logger });
    const summary = await transform(contextOf(lake), { select: ["dim_products"] });
    expect(summary.promoted).toBe(true);
    expect(summary.build.shopSource).toBe("sample");
    // Nothing comes from the DummyJSON build: every mart was built from the sample.
    expect(summary.build.models.filter((m) => m.reusedFrom)).toEqual([]);
    const sampleOrders = await count(rawFile(lake.paths, "sample", "orders"));
    expect(sampleOrders).toBeGreaterThan(2);
    expect(await count(lake.paths.mart("fact_orders"))).toBe(sampleOrders);
    const dummyIds = await readParquet(
      lake.paths.mart("fact_orders"),
      "select count(*) as n from $file where order_id in (900001, 900002)",
    );
    expect(Number(dummyIds[0]?.["n"])).toBe(0);
    const marts = [...(await loadProject()).models.values()].filter((m) => m.materialized === "table").length;
    expect(lake.logger.text()).toContain(
      `building every other mart (${marts - 1}) too, not carried over: build ${first.build.buildId} read shop dummyjson, payments none; this build reads shop sample, payments sample`,
    );
  });

  it("rebuilds the marts whose raw snapshot changed and still carries over the ones whose inputs did not", async () => {
    const lake = await newLake();
    await writeRaw(lake, "products", [product(1, 10, "alpha"), product(2, 20, "beta")]);
    await writeRaw(lake, "users", [user(1, "Austin", "Texas", "TX")]);
    await writeRaw(lake, "carts", []);
    await writeOrders(lake, [order(1, 1, "2026-11-20T10:00:00", "completed", [[1, 10, 1, 0]])]);
    const first = await transform(contextOf(lake));
    expect(await count(lake.paths.mart("fact_orders"))).toBe(1);

    const orders = [1, 2, 3].map((id) => order(id, 1, "2026-11-21T10:00:00", "completed", [[2, 20, 1, 0]]));
    await writeOrders(lake, orders);
    const summary = await transform(contextOf(lake), { select: ["dim_customers"] });
    expect(await count(lake.paths.mart("fact_orders"))).toBe(3);
    const reused = summary.build.models.filter((m) => m.reusedFrom).map((m) => m.name);
    expect(reused).not.toContain("fact_orders");
    // A mart that reads no orders (the new snapshot) is still linked from the first build.
    expect(reused.length).toBeGreaterThan(0);
    for (const name of reused)
      expect(summary.build.models.find((m) => m.name === name)?.reusedFrom).toBe(first.build.buildId);
    expect(lake.logger.text()).toMatch(
      /read raw_orders from sample as_of=2026-11-24\/extracted_at=[^;]+; this build reads sample as_of=2026-11-24/,
    );
  });

  it("tests a selected mart against the marts carried over (relationships to dim_customers)", async () => {
    const lake = await newLake();
    await extract({ config: lake.config, paths: lake.paths, logger: lake.logger });
    await transform(contextOf(lake), { test: true });
    for (const select of ["fact_orders", "fact_orders+", "+fact_orders"]) {
      const summary = await transform(contextOf(lake), { select: [select], test: true });
      const relationship = summary.tests.find((t) => t.id === "fact_orders.user_id.relationships.dim_customers");
      expect(relationship?.status, select).toBe("pass");
      expect(
        summary.tests.filter((t) => t.status === "error" || t.status === "fail"),
        select,
      ).toEqual([]);
      expect(summary.promoted, select).toBe(true);
      expect(summary.build.models.find((m) => m.name === "dim_customers")?.reusedFrom, select).toBeDefined();
    }
    // duckmart test --select fact_orders: the same tests on the current build.
    const attached = await transform(contextOf(lake), { mode: "attach", select: ["fact_orders"], test: true });
    expect(attached.tests.find((t) => t.id === "fact_orders.user_id.relationships.dim_customers")?.status).toBe("pass");
    expect(attached.testsPassed).toBe(true);
  });
});
