// @module-tag slow
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, createPool } from "../export/postgres/connection.ts";
import { runCli } from "./helpers/cli.ts";
import { TEST_KEY } from "./helpers/stripe-server.ts";

// `.invalid` never resolves (RFC 6761): ENOTFOUND at once, offline or not.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "duckmart-dns-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("a host that does not resolve", () => {
  it("DummyJSON: names the URL and the setting, without retrying or blaming --concurrency", async () => {
    const lake = join(dir, "dummyjson");
    const started = Date.now();
    const result = await runCli(["extract", "--source", "dummyjson", "--data-dir", lake], {
      DUCKMART_DUMMYJSON_URL: "https://shop.invalid",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot resolve the host "shop.invalid" of the DummyJSON URL https://shop.invalid');
    expect(result.stderr).toContain("Hint: Check the host name in DUCKMART_DUMMYJSON_URL / dummyjson.url");
    expect(result.stderr).toContain("Without network, --source sample lands the same entities offline.");
    // Said once for the three entities it failed, not once per entity and again at the end.
    expect(result.stderr.split("Cannot resolve the host").length - 1).toBe(1);
    expect(result.stderr).toContain(
      "Extract failed: dummyjson/products, dummyjson/users, dummyjson/carts: Cannot resolve",
    );
    expect(result.stderr).not.toContain("concurrency");
    expect(result.stderr).not.toContain("retrying");
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(existsSync(join(lake, "raw", "dummyjson", "users.parquet"))).toBe(false);
    // `duckmart run` ends with the failed step's own hint too, not only where its run manifest is.
    const run = await runCli(["run", "--source", "dummyjson", "--data-dir", lake, "--skip", "site"], {
      DUCKMART_DUMMYJSON_URL: "https://shop.invalid",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Hint: Check the host name in DUCKMART_DUMMYJSON_URL .* Skipped as it failed: freshness, transform, test, sync\. See /,
    );
  });

  it("Stripe: names the API base and DUCKMART_STRIPE_API_BASE, never the key", async () => {
    const result = await runCli(["extract", "--source", "stripe", "--data-dir", join(dir, "stripe")], {
      STRIPE_API_KEY: TEST_KEY,
      DUCKMART_STRIPE_API_BASE: "http://stripe.invalid:12111",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot resolve the host "stripe.invalid" of the Stripe API base');
    expect(result.stderr).toContain("DUCKMART_STRIPE_API_BASE / stripe.apiBase");
    expect(result.stderr.split("Cannot resolve the host").length - 1).toBe(1);
    expect(result.stderr).not.toContain(TEST_KEY);
  });

  it("Postgres: names the redacted URL and DATABASE_URL / --database-url", async () => {
    const url = "postgres://duck:S3cretPw@warehouse.invalid:5432/shop";
    const pool = createPool(url);
    try {
      const error = await connect(pool, url).then(
        () => undefined,
        (e: unknown) => e as Error & { hint?: string },
      );
      expect(error?.message).toBe(
        'Cannot resolve the host "warehouse.invalid" of the warehouse postgres://duck:***@warehouse.invalid:5432/shop (ENOTFOUND)',
      );
      expect(error?.hint).toContain("DATABASE_URL / DUCKMART_DATABASE_URL / --database-url / databaseUrl");
      expect(JSON.stringify([error?.message, error?.hint])).not.toContain("S3cretPw");
    } finally {
      await pool.end();
    }
  });

  it("alert webhook: names the webhook (secret path hidden) and DUCKMART_ALERT_WEBHOOK", async () => {
    const result = await runCli(["run", "--only", "test", "--data-dir", join(dir, "webhook")], {
      DUCKMART_ALERT_WEBHOOK: "https://hooks.invalid/T000/B000/s3cretToken",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Could not send the failure alert by webhook to https://hooks.invalid/***: Cannot resolve the host "hooks.invalid" of the alert webhook https://hooks.invalid/***',
    );
    expect(result.stderr).toContain("Check the host name in DUCKMART_ALERT_WEBHOOK / alertWebhook");
    expect(result.stderr).not.toContain("s3cretToken");
  });
});
