// @module-tag e2e
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, currentBuild, rows } from "./helpers/build-lake.ts";
import { fixture, startFakeDummyJson, type FakeDummyJson } from "./helpers/dummyjson-server.ts";
import { charge, startFakeStripe, TEST_KEY, type FakeStripe } from "./helpers/stripe-server.ts";
import { rawFile, lakesPerTest } from "./helpers/test-lake.ts";

let api: FakeDummyJson;
let stripe: FakeStripe;
const newLake = lakesPerTest();
beforeAll(async () => {
  api = await startFakeDummyJson();
  stripe = await startFakeStripe();
  stripe.data.charges = [charge("ch_real_1", Date.parse("2026-11-23T10:00:00Z") / 1000, 1234, { orderId: null })];
});
afterAll(async () => {
  await api.close();
  await stripe.close();
});
const ok = (result: { code: number | null; stderr: string }) => {
  expect(result.stderr).not.toMatch(/ERROR/);
  expect(result.code).toBe(0);
  return result;
};

// The DummyJSON fixture's order lines, counted from the fixture itself.
const dummyjsonItems = (fixture("carts") as { products: unknown[] }[]).reduce((n, c) => n + c.products.length, 0);

describe("the shop source of a build", () => {
  it("is the last extracted one: extract --source dummyjson then a plain transform builds from DummyJSON", async () => {
    const lake = await newLake();
    const env = { DUCKMART_DUMMYJSON_URL: api.url };
    ok(await cli(lake, ["extract"], env));
    ok(await cli(lake, ["transform"], env));
    expect((await currentBuild(lake))?.shopSource).toBe("sample");

    ok(await cli(lake, ["extract", "--source", "dummyjson"], env));
    const transformed = ok(await cli(lake, ["transform"], env));
    const build = (await currentBuild(lake))!;
    expect(build).toMatchObject({
      shopSource: "dummyjson",
      shopSourceOrigin: "last extracted",
      paymentsSource: "none",
    });
    expect(transformed.stderr).toContain(
      `Build ${build.buildId}: shop dummyjson (last extracted), payments none configured`,
    );
    expect(build.inputs.find((i) => i.name === "raw_order_items")).toMatchObject({
      source: "dummyjson",
      rowCount: dummyjsonItems,
    });
    expect(await rows(lake.paths.mart("fact_order_items"))).toBe(dummyjsonItems);
    // No payments source configured: the payment marts are empty, never filled with synthetic charges.
    expect(await rows(lake.paths.mart("fact_payments"))).toBe(0);
    expect(await rows(lake.paths.mart("payments_reconciliation"))).toBe(0);

    // A source named explicitly wins over the last extracted one, and the build says so (not silently).
    const configured = ok(await cli(lake, ["transform"], { ...env, DUCKMART_SOURCE: "sample" }));
    expect(configured.stderr).toContain(
      "Building from sample, the configured source (env); the last extract was from dummyjson: add --source dummyjson to build that instead.",
    );
    expect(await currentBuild(lake)).toMatchObject({ shopSource: "sample", shopSourceOrigin: "configured" });
    expect(await rows(lake.paths.mart("fact_order_items"))).toBe(
      await rows(rawFile(lake.paths, "sample", "order_items")),
    );
  });

  it("DUCKMART_SOURCE=dummyjson run after a sample run reconciles nothing against the sample's charges", async () => {
    const lake = await newLake();
    ok(await cli(lake, ["run", "--skip", "site"]));
    expect(await rows(lake.paths.mart("fact_payments"))).toBeGreaterThan(0);
    const run = ok(
      await cli(lake, ["run", "--skip", "site"], { DUCKMART_SOURCE: "dummyjson", DUCKMART_DUMMYJSON_URL: api.url }),
    );
    const build = (await currentBuild(lake))!;
    expect(build).toMatchObject({ shopSource: "dummyjson", paymentsSource: "none" });
    expect(run.stderr).toContain(`Build ${build.buildId} (now current): shop dummyjson, payments none configured`);
    expect(build.inputs.filter((i) => i.name.startsWith("raw_stripe_")).every((i) => i.snapshot === undefined)).toBe(
      true,
    );
    expect(await rows(lake.paths.mart("fact_payments"))).toBe(0);
  });

  it("a sample run uses the sample's payments, never a Stripe snapshot left by an earlier run", async () => {
    const lake = await newLake();
    const withStripe = { STRIPE_API_KEY: TEST_KEY, DUCKMART_STRIPE_API_BASE: stripe.url };
    ok(await cli(lake, ["run", "--skip", "site"], withStripe));
    expect(await currentBuild(lake)).toMatchObject({ shopSource: "sample", paymentsSource: "stripe" });
    expect(await rows(lake.paths.mart("fact_payments"))).toBe(1);

    ok(await cli(lake, ["run", "--skip", "site"]));
    const build = (await currentBuild(lake))!;
    expect(build.paymentsSource).toBe("sample");
    expect(build.inputs.find((i) => i.name === "raw_stripe_charges")).toMatchObject({
      source: "sample",
      entity: "stripe_charges",
    });
    const sampleCharges = await rows(rawFile(lake.paths, "sample", "stripe_charges"));
    expect(await rows(lake.paths.mart("fact_payments"))).toBe(sampleCharges);
  });
});
