import { readLandingManifest } from "../cli/core/contracts/landing.ts";
import { readFile, stat } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extract } from "../extract/index.ts";
import { parseRetryAfter, retryDelayMs } from "../extract/http/retry.ts";
import { fixture, startFakeDummyJson, type FakeDummyJson } from "./helpers/dummyjson-server.ts";
import { readParquet, testLake, type TestLake, rawFile } from "./helpers/test-lake.ts";

let api: FakeDummyJson;
let lake: TestLake;

async function setup(flags: Record<string, unknown> = {}) {
  lake = await testLake({
    source: "dummyjson",
    "dummyjson.url": api.url,
    "dummyjson.pageSize": 2,
    "dummyjson.backoffMs": 1,
    "dummyjson.timeoutMs": 500,
    ...flags,
  });
}
const run = () => extract({ config: lake.config, paths: lake.paths, logger: lake.logger });

beforeEach(async () => {
  api = await startFakeDummyJson();
});
afterEach(async () => {
  await api.close();
  await lake?.cleanup();
});

describe("dummyjson extraction", () => {
  it("pages through every entity with limit/skip and lands all records", async () => {
    await setup();
    const summary = await run();
    expect(summary.ok).toBe(true);
    // 7 products at 2 per page = 4 pages; 5 users = 3 pages; 4 carts = 2 pages.
    expect(api.requests.filter((r) => r.startsWith("products?")).sort()).toEqual([
      "products?limit=2&skip=0",
      "products?limit=2&skip=2",
      "products?limit=2&skip=4",
      "products?limit=2&skip=6",
    ]);
    // No ORDER BY: pages are spooled in page order, so the file keeps the API's order.
    const products = await readParquet(
      rawFile(lake.paths, "dummyjson", "products"),
      "select id, brand, dimensions.width as width from $file",
    );
    expect(products.map((p) => p["id"])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(products[0]).toEqual({ id: 1, brand: null, width: 1.5 });
    expect(products[1]).toEqual({ id: 2, brand: "Brand2", width: 3 });
    const manifest = await readLandingManifest(lake.paths, "dummyjson", "users");
    expect(manifest).toMatchObject({ source: "dummyjson", entity: "users", rowCount: 5, asOf: "2026-11-24" });
    expect(manifest?.schemaHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it("keeps nested objects and arrays typed as STRUCT and LIST", async () => {
    await setup();
    await run();
    const types = await readParquet(
      rawFile(lake.paths, "dummyjson", "carts"),
      "select column_name, column_type from (describe select * from $file)",
    );
    const products = types.find((t) => t["column_name"] === "products");
    expect(String(products?.["column_type"])).toBe(
      "STRUCT(id BIGINT, title VARCHAR, price DOUBLE, quantity BIGINT, total DOUBLE, discountPercentage DOUBLE, discountedTotal DOUBLE, thumbnail VARCHAR)[]",
    );
  });

  it("retries a 429 after its Retry-After delay, then succeeds", async () => {
    await setup();
    // A fraction of a second keeps the test short; the backoff is 1 ms here, so the wait can only be the header's.
    api.faults.set("users?limit=2&skip=2", [{ status: 429, headers: { "retry-after": "0.3" } }]);
    const started = Date.now();
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(api.requests.filter((r) => r === "users?limit=2&skip=2")).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(lake.logger.text()).toContain(
      '[GET] "' + api.url + '/users?limit=2&skip=2": 429 Too Many Requests; retrying in 300 ms',
    );
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    expect(parseRetryAfter("1", now)).toBe(1000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfter("0.3", now)).toBe(300);
    expect(parseRetryAfter("Tue, 24 Nov 2026 12:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Tue, 24 Nov 2026 11:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(retryDelayMs({ maxAttempts: 3, backoffMs: 1, maxDelayMs: 1000 }, 0, "1", () => 0.5)).toBe(1000);
    expect(retryDelayMs({ maxAttempts: 3, backoffMs: 100 }, 2, null, () => 0.5)).toBe(200);
  });

  it("retries a 500, then succeeds", async () => {
    await setup();
    api.faults.set("carts?limit=2&skip=0", [{ status: 500 }]);
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(
      (await readParquet(rawFile(lake.paths, "dummyjson", "carts"), "select count(*) as n from $file"))[0]?.["n"],
    ).toBe(4);
  });

  it("times out a hanging request and retries it", async () => {
    await setup();
    api.faults.set("products?limit=2&skip=4", [{ hang: true }]);
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(lake.logger.text()).toContain("timed out after 500 ms");
    expect(api.requests.filter((r) => r === "products?limit=2&skip=4")).toHaveLength(2);
  });

  it("gives up after the bounded number of attempts, naming the URL and status", async () => {
    await setup({ "dummyjson.maxAttempts": 3 });
    api.faults.set("users", [{ status: 503 }, { status: 503 }, { status: 503 }]);
    const summary = await run();
    expect(summary.ok).toBe(false);
    const failure = summary.sources[0]!.failed[0]!;
    expect(failure.entity).toBe("users");
    expect(failure.error.message).toBe(
      `[GET] "${api.url}/users?limit=2&skip=0": 503 Service Unavailable (gave up after 3 attempts)`,
    );
  });

  it("stops an entity on a malformed record, names the record and field, and keeps the previous Parquet", async () => {
    await setup();
    await run();
    const before = await stat(rawFile(lake.paths, "dummyjson", "products"));
    const broken = fixture("products") as Record<string, unknown>[];
    broken[4] = { ...broken[4], dimensions: { width: "wide", height: 1, depth: 1 } };
    api.data["products"] = broken;
    const summary = await run();
    expect(summary.ok).toBe(false);
    const failure = summary.sources[0]!.failed.find((f) => f.entity === "products")!;
    expect(failure.error.message).toBe(
      'dummyjson/products: record id=5 failed validation at field "dimensions.width": Invalid input: expected number, received string',
    );
    const after = await stat(rawFile(lake.paths, "dummyjson", "products"));
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(
      (await readParquet(rawFile(lake.paths, "dummyjson", "products"), "select count(*) as n from $file"))[0]?.["n"],
    ).toBe(7);
    // The other entities still landed.
    expect(summary.sources[0]!.landed.map((l) => l.entity)).toContain("users");
  });

  it("lands unknown extra fields and reports them once as schema drift", async () => {
    await setup();
    api.data["users"] = (fixture("users") as Record<string, unknown>[]).map((u, i) => ({
      ...u,
      loyaltyTier: i % 2 ? "gold" : "silver",
      nickname: `n${i}`,
    }));
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(summary.driftWarnings).toEqual([
      { source: "dummyjson", entity: "users", fields: ["loyaltyTier", "nickname"] },
    ]);
    const warnings = lake.logger.lines.filter((l) => l.level === "warn" && l.message.includes("Schema drift"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toBe(
      "Schema drift in dummyjson/users: unknown fields landed as JSON: loyaltyTier, nickname",
    );
    const rows = await readParquet(
      rawFile(lake.paths, "dummyjson", "users"),
      "select id, loyaltyTier::varchar as tier from $file order by id",
    );
    expect(rows.map((r) => r["tier"])).toEqual(['"silver"', '"gold"', '"silver"', '"gold"', '"silver"']);
  });

  it("fails when the server reports more records than it serves", async () => {
    await setup();
    api.totalOverride["carts"] = 6;
    const summary = await run();
    const failure = summary.sources[0]!.failed.find((f) => f.entity === "carts")!;
    expect(failure.error.message).toBe("dummyjson/carts: received 4 records but the server reported total=6");
  });

  it("never lands secret user fields", async () => {
    await setup();
    await run();
    const columns = (
      await readParquet(
        rawFile(lake.paths, "dummyjson", "users"),
        "select column_name, column_type from (describe select * from $file)",
      )
    ).map((c) => `${c["column_name"]} ${c["column_type"]}`);
    for (const secret of ["password", "ssn", "ein", "crypto", "ip", "macAddress", "userAgent"])
      expect(columns.some((c) => c.startsWith(`${secret} `))).toBe(false);
    expect(columns).toContain("bank STRUCT(cardExpire VARCHAR, cardType VARCHAR, currency VARCHAR)");
    const bytes = await readFile(rawFile(lake.paths, "dummyjson", "users"));
    for (const value of [
      "secret-pass-1",
      "900-00-0001",
      "4111111111111111",
      "GB00TEST00000001",
      "0xwallet1",
      "10.0.0.1",
      "00:11:22:33:44:01",
    ]) {
      expect(bytes.includes(Buffer.from(value))).toBe(false);
    }
  });

  it("derives orders and items from carts, keeping a product listed twice in one cart as two lines", async () => {
    await setup();
    await run();
    const items = await readParquet(
      rawFile(lake.paths, "dummyjson", "order_items"),
      "select order_id, line_number, product_id, quantity, line_total from $file where order_id = 2 order by line_number",
    );
    // Cart 2 lists product 2 twice (quantities 1 and 3); price of product 2 is 11.5.
    expect(items).toEqual([
      { order_id: 2, line_number: 1, product_id: 2, quantity: 1, line_total: 11.5 },
      { order_id: 2, line_number: 2, product_id: 2, quantity: 3, line_total: 34.5 },
      { order_id: 2, line_number: 3, product_id: 5, quantity: 1, line_total: 21.25 },
    ]);
    const orders = await readParquet(
      rawFile(lake.paths, "dummyjson", "orders"),
      "select order_id, user_id, line_count, total_quantity, gross_total from $file order by order_id",
    );
    expect(orders[1]).toEqual({ order_id: 2, user_id: 2, line_count: 3, total_quantity: 5, gross_total: 67.25 });
  });
});
