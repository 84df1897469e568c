import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extract } from "../extract/index.ts";
import { charge, invoice, refund, startFakeStripe, TEST_KEY, type FakeStripe } from "./helpers/stripe-server.ts";
import { readParquet, testLake, type TestLake, rawFile } from "./helpers/test-lake.ts";

let api: FakeStripe;
let lake: TestLake;
const T0 = 1_790_000_000; // 2026-09-21
const setup = async (key: string | null = TEST_KEY) => {
  lake = await testLake({ "stripe.apiKey": key ?? undefined, "stripe.apiBase": api.url });
};
const run = (fullRefresh = false) =>
  extract({ config: lake.config, paths: lake.paths, logger: lake.logger, fullRefresh }, ["stripe"]);
const ids = (entity: string) =>
  readParquet(rawFile(lake.paths, "stripe", entity), "select id from $file order by id").then((r) =>
    r.map((x) => x["id"]),
  );

beforeEach(async () => {
  api = await startFakeStripe();
  api.data.charges = Array.from({ length: 250 }, (_, i) =>
    charge(`ch_${String(i).padStart(4, "0")}`, T0 + i * 60, 1000 + i, { orderId: i + 1 }),
  );
  api.data.refunds = [refund("re_0001", "ch_0001", T0 + 5000, 300)];
  api.data.invoices = [
    invoice("in_0001", T0 + 100, 5000, [
      { id: "il_0001", amount: 3000 },
      { id: "il_0002", amount: 2000 },
    ]),
  ];
});
afterEach(async () => {
  await api.close();
  await lake?.cleanup();
});

describe("stripe extraction", () => {
  it("pages through charges with the SDK's auto-pagination (limit 100, starting_after)", async () => {
    await setup();
    const summary = await run();
    expect(summary.ok).toBe(true);
    const chargeRequests = api.requests.filter((r) => r.startsWith("/v1/charges"));
    expect(chargeRequests).toHaveLength(3);
    expect(chargeRequests[0]).toBe("/v1/charges?limit=100");
    expect(chargeRequests[1]).toBe("/v1/charges?limit=100&starting_after=ch_0150");
    expect((await ids("charges")).length).toBe(250);
    expect(await ids("invoice_lines")).toEqual(["il_0001", "il_0002"]);
    const invoiceLine = await readParquet(
      rawFile(lake.paths, "stripe", "invoice_lines"),
      "select invoice_id, amount from $file where id = 'il_0001'",
    );
    expect(invoiceLine).toEqual([{ invoice_id: "in_0001", amount: 3000 }]);
    // Nothing personal from the invoice payload lands.
    const columns = await readParquet(
      rawFile(lake.paths, "stripe", "invoices"),
      "select column_name from (describe select * from $file)",
    );
    expect(columns.map((c) => c["column_name"])).not.toContain("customer_email");
  });

  it("fetches only newer objects on the second run, and does not duplicate rows", async () => {
    await setup();
    await run();
    const cursor = JSON.parse(await readFile(lake.paths.state("stripe"), "utf8"));
    expect(cursor.charges).toBe(T0 + 249 * 60);
    api.data.charges.push(
      charge("ch_9001", T0 + 90_000, 777, { orderId: 9001 }),
      charge("ch_9002", T0 + 90_060, 778, { orderId: 9002 }),
    );
    api.requests.length = 0;
    await run();
    expect(api.requests.find((r) => r.startsWith("/v1/charges"))).toBe(
      `/v1/charges?limit=100&created[gt]=${T0 + 249 * 60 - 3600}`,
    );
    const landed = await ids("charges");
    expect(landed).toHaveLength(252);
    expect(new Set(landed).size).toBe(252);
    expect(landed).toContain("ch_9002");
  });

  it("loses nothing when a run crashes between landing and saving the cursor", async () => {
    await setup();
    await run();
    api.data.charges.push(charge("ch_9001", T0 + 90_000, 777));
    // The crash: data landed, cursor never saved. Simulated by restoring the old cursor after the run.
    const before = await readFile(lake.paths.state("stripe"), "utf8");
    await run();
    const { writeFile } = await import("node:fs/promises");
    await writeFile(lake.paths.state("stripe"), before);
    api.data.charges.push(charge("ch_9002", T0 + 90_100, 778));
    await run();
    const landed = await ids("charges");
    expect(landed).toHaveLength(252);
    expect(landed).toEqual(expect.arrayContaining(["ch_9001", "ch_9002"]));
    // And a crash before landing (the API fails mid-run) keeps both the old data and the old cursor.
    const cursorBefore = await readFile(lake.paths.state("stripe"), "utf8");
    api.data.charges.push(charge("ch_9003", T0 + 90_200, 779));
    api.faults.set("refunds", [{ status: 400 }]);
    const failed = await run();
    expect(failed.ok).toBe(false);
    expect(await readFile(lake.paths.state("stripe"), "utf8")).toBe(cursorBefore);
    expect(await ids("charges")).toHaveLength(252);
    await run();
    expect(await ids("charges")).toHaveLength(253);
  });

  it("retries a 429 marked Stripe-Should-Retry, then succeeds", async () => {
    await setup();
    api.faults.set("charges", [{ status: 429, headers: { "stripe-should-retry": "true" } }]);
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(api.requests.filter((r) => r === "/v1/charges?limit=100")).toHaveLength(2);
  });

  it("fails clearly on a rejected key (401), never skipping", async () => {
    await setup("sk_test_wrongKey123");
    const summary = await run();
    expect(summary.ok).toBe(false);
    expect(summary.sources[0]!.skipped).toBeUndefined();
    expect(summary.sources[0]!.failed[0]!.error.message).toBe(
      "Stripe rejected the API key (401) while listing charges",
    );
  });

  it("skips with one clear notice when no key is set", async () => {
    await setup(null);
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(summary.sources[0]!.skipped).toBe("no STRIPE_API_KEY");
    expect(lake.logger.lines.filter((l) => l.message.includes("Stripe skipped"))).toHaveLength(1);
    expect(api.requests).toHaveLength(0);
  });

  it("never puts the key in log lines, errors, landed files or state", async () => {
    // In process; tests/extract-stripe-cli.test.ts does the same through the real CLI's stdout and stderr.
    await setup();
    expect((await run()).ok).toBe(true);
    // Then a rejected key against the same data dir, as a second CLI run would.
    const config = { ...lake.config, stripe: { ...lake.config.stripe, apiKey: `${TEST_KEY}x` } };
    const wrong = await extract({ config, paths: lake.paths, logger: lake.logger }, ["stripe"]);
    expect(wrong.ok).toBe(false);
    const error = wrong.sources[0]!.failed[0]!.error;
    expect(error.message).toBe("Stripe rejected the API key (401) while listing charges");
    const texts = [lake.logger.text(), error.message, String(error.stack), JSON.stringify(wrong)];
    const files = (await readdir(lake.dir, { recursive: true, withFileTypes: true }))
      .filter((f) => f.isFile())
      .map((f) => join(f.parentPath, f.name));
    expect(files.some((f) => f.endsWith("data.parquet"))).toBe(true);
    expect(files).toContain(lake.paths.state("stripe"));
    for (const file of files) texts.push((await readFile(file)).toString("latin1"));
    for (const text of texts) expect(text).not.toContain("DuckmartSecretKey");
  });
});
