import { afterEach, describe, expect, it } from "vitest";
import { extract } from "../extract/index.ts";
import { transform } from "../transforms/index.ts";
import { paymentColumns, testLake, type TestLake } from "./helpers/test-lake.ts";

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

describe("--select builds", () => {
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
