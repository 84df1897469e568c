// @module-tag slow
import { readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { charge, invoice, refund, startFakeStripe, TEST_KEY, type FakeStripe } from "./helpers/stripe-server.ts";

// The real CLI as a child process (tests/extract-stripe.test.ts checks the extraction itself in process).
let api: FakeStripe;
beforeAll(async () => {
  api = await startFakeStripe();
  const t0 = 1_790_000_000;
  api.data.charges = Array.from({ length: 250 }, (_, i) =>
    charge(`ch_${String(i).padStart(4, "0")}`, t0 + i * 60, 1000 + i, { orderId: i + 1 }),
  );
  api.data.refunds = [refund("re_0001", "ch_0001", t0 + 5000, 300)];
  api.data.invoices = [invoice("in_0001", t0 + 100, 5000, [{ id: "il_0001", amount: 3000 }])];
});
afterAll(() => api.close());

describe("stripe extraction through the CLI", () => {
  it("never shows the key in output, errors, landed files or state", async () => {
    const dir = join(tmpdir(), `stripe-cli-${process.pid}`);
    const env = { STRIPE_API_KEY: TEST_KEY, DUCKMART_STRIPE_API_BASE: api.url };
    const ok = await runCli(["extract", "--source", "stripe", "--data-dir", dir, "--debug"], env);
    expect(ok.code).toBe(0);
    const wrong = await runCli(["extract", "--source", "stripe", "--data-dir", dir, "--debug"], {
      ...env,
      STRIPE_API_KEY: `${TEST_KEY}x`,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("Stripe rejected the API key (401)");
    const files = (await readdir(join(dir, "raw", "stripe"), { recursive: true, withFileTypes: true }))
      .filter((f) => f.isFile())
      .map((f) => join(f.parentPath, f.name));
    expect(files.some((f) => f.endsWith("data.parquet"))).toBe(true);
    const contents = await Promise.all([...files.map((f) => readFile(f)), readFile(join(dir, "state", "stripe.json"))]);
    for (const text of [ok.stdout, ok.stderr, wrong.stdout, wrong.stderr, ...contents.map((c) => c.toString("latin1"))])
      expect(text).not.toContain("DuckmartSecretKey");
    await rm(dir, { recursive: true, force: true });
  });
});
