// @module-tag slow
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { pgUrl } from "./helpers/mart-fixtures.ts";
import { order, product, user, writeOrders, writeRaw } from "./helpers/raw-fixtures.ts";
import { charge, startFakeStripe, TEST_KEY } from "./helpers/stripe-server.ts";
import { readParquet, type TestLake, lakesPerTest } from "./helpers/test-lake.ts";
import { startWebhook } from "./helpers/webhook-server.ts";

const newLake = lakesPerTest();
const noSite = ["--skip", "site"];

async function manifests(lake: TestLake) {
  const files = (await readdir(lake.paths.runsDir)).sort();
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(lake.paths.runsDir, f), "utf8"))));
}

describe("duckmart run", () => {
  it("refuses a second run on the same data dir, naming the holder", async () => {
    const lake = await newLake();
    const holder = spawn("sleep", ["30"]);
    await mkdir(lake.dir, { recursive: true });
    await writeFile(
      lake.paths.lock,
      JSON.stringify({
        pid: holder.pid,
        host: (await import("node:os")).hostname(),
        startedAt: "2026-11-24T06:17:00.000Z",
        runId: "holder-run",
      }),
    );
    const refused = await runCli(["run", "--data-dir", lake.dir, ...noSite]);
    holder.kill();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Another duckmart command is writing this data dir: duckmart run (pid ${holder.pid}`,
    );
    expect(refused.stderr).toContain("started 2026-11-24T06:17:00.000Z");
    // The hint says the holder is running (it is: a live pid on this host), not to delete the lock by hand.
    expect(refused.stderr).toContain(`It is still running (pid ${holder.pid} on this host`);
    expect(refused.stderr).toContain("taken over automatically");
    expect(refused.stderr).not.toContain("delete");
    // An expected refusal, fully explained: no stack trace to offer.
    expect(refused.stderr).not.toContain("--debug");
  });

  it("refuses a lock held from another host, where deleting it by hand is the way out once that command is gone", async () => {
    const lake = await newLake();
    await mkdir(lake.dir, { recursive: true });
    const holder = { pid: 1, host: "elsewhere.invalid", startedAt: "2026-11-24T06:17:00.000Z", command: "transform" };
    await writeFile(lake.paths.lock, JSON.stringify(holder));
    const refused = await runCli(["transform", "--data-dir", lake.dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("duckmart transform (pid 1 on elsewhere.invalid");
    expect(refused.stderr).toContain(`another host (elsewhere.invalid)`);
    expect(refused.stderr).toContain(`delete ${lake.paths.lock}`);
    expect(JSON.parse(await readFile(lake.paths.lock, "utf8"))).toEqual(holder);
  });

  it("refuses a truly concurrent run", async () => {
    const lake = await newLake();
    const first = runCli(["run", "--data-dir", lake.dir, "--scale", "20", ...noSite]);
    for (let i = 0; i < 200; i++) {
      if ((await readdir(lake.dir).catch((): string[] => [])).includes(".duckmart.lock")) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const second = await runCli(["run", "--data-dir", lake.dir, ...noSite]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /Another duckmart command is writing this data dir: duckmart run \(pid \d+ on .*, started .*\)/,
    );
    expect((await first).code).toBe(0);
  });

  it("takes over a stale lock left by a killed run", async () => {
    const lake = await newLake();
    const dead = spawn("true");
    await new Promise((r) => dead.on("exit", r));
    await mkdir(lake.dir, { recursive: true });
    await writeFile(
      lake.paths.lock,
      JSON.stringify({
        pid: dead.pid,
        host: (await import("node:os")).hostname(),
        startedAt: "2026-11-23T00:00:00.000Z",
        runId: "killed",
      }),
    );
    const result = await runCli(["run", "--data-dir", lake.dir, ...noSite]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Taking over a stale lock from a command that is gone (pid ${dead.pid}`);
  });

  it("stops before sync and site when an error-severity data test fails, exits 1 and posts the alert", async () => {
    const lake = await newLake();
    await writeRaw(lake, "products", [product(1, 10, "alpha")]);
    await writeRaw(lake, "users", [user(1, "Austin", "Texas", "TX")]);
    await writeRaw(lake, "carts", []);
    // Two orders with the same id: stg_orders.order_id is not unique.
    await writeOrders(lake, [
      order(7, 1, "2026-11-20T10:00:00", "completed", [[1, 10, 1, 0]]),
      order(7, 1, "2026-11-21T10:00:00", "completed", [[1, 10, 2, 0]]),
    ]);
    const hook = await startWebhook();
    const secretHook = `${hook.url}/services/T000/B000/SuperSecretToken`;
    const result = await runCli(["run", "--data-dir", lake.dir, "--skip", "extract", "--database-url", pgUrl], {
      DUCKMART_ALERT_WEBHOOK: secretHook,
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_RUN_ID: "42",
    });
    await hook.close();
    expect(result.code).toBe(1);
    const [manifest] = await manifests(lake);
    expect(
      manifest.steps.map((s: { name: string; status: string; reason?: string }) => [s.name, s.status, s.reason]),
    ).toEqual([
      ["extract", "skipped", "--skip"],
      ["freshness", "ok", undefined],
      ["transform", "ok", undefined],
      ["test", "failed", undefined],
      ["sync", "skipped", "test failed"],
      ["site", "skipped", "test failed"],
    ]);
    expect(hook.bodies).toHaveLength(1);
    const body = hook.bodies[0]!;
    expect(body).toMatchObject({
      run_id: manifest.runId,
      status: "failed",
      failing_step: "test",
      logs_url: "https://github.com/acme/shop/actions/runs/42",
    });
    expect(String(body["error"])).toContain("stg_orders.order_id.unique");
    expect(String(body["text"])).toContain(`duckmart run ${manifest.runId} failed`);
    expect(hook.paths).toEqual(["/services/T000/B000/SuperSecretToken"]);
    expect(result.stderr + result.stdout).not.toContain("SuperSecretToken");
    expect(JSON.stringify(manifest)).not.toContain("SuperSecretToken");
    expect(result.stderr).toMatch(/sync\s+SKIPPED\s+test failed/);
  });

  it("a failed extract skips every step downstream, not only the next one", async () => {
    const lake = await newLake();
    const result = await runCli(["run", "--data-dir", lake.dir, ...noSite, "--source", "dummyjson"], {
      DUCKMART_DUMMYJSON_URL: "http://127.0.0.1:9",
      DUCKMART_HTTP_MAX_ATTEMPTS: "1",
      DATABASE_URL: pgUrl,
    });
    expect(result.code).toBe(1);
    const [manifest] = await manifests(lake);
    expect(
      manifest.steps.map((s: { name: string; status: string; reason?: string }) => [s.name, s.status, s.reason]),
    ).toEqual([
      ["extract", "failed", undefined],
      ["freshness", "skipped", "extract failed"],
      ["transform", "skipped", "extract failed"],
      ["test", "skipped", "extract failed"],
      ["sync", "skipped", "extract failed"],
      ["site", "skipped", "--skip"],
    ]);
  });

  it("keeps the deprecated --max-age: warns past it on every extraction and alerts; prints the manifest with --json", async () => {
    const lake = await newLake();
    const hook = await startWebhook();
    const result = await runCli(["run", "--data-dir", lake.dir, ...noSite, "--max-age", "0", "--json"], {
      DUCKMART_ALERT_WEBHOOK: hook.url,
    });
    await hook.close();
    expect(result.code).toBe(0);
    const manifest = JSON.parse(result.stdout);
    expect(manifest.status).toBe("success");
    expect(result.stderr).toContain("--max-age is deprecated");
    expect(manifest.freshness.status).toBe("warn");
    expect(hook.bodies).toHaveLength(1);
    expect(hook.bodies[0]).toMatchObject({ kind: "digest", status: "success", run_id: manifest.runId });
    expect(String(hook.bodies[0]!["text"])).toMatch(
      /Freshness: raw_orders extraction is 0\.\d h old \(warn after 0\.0 h\)/,
    );
    expect(manifest.alerts).toEqual({ kind: "digest", webhook: "sent", email: "off", sent: 1, failed: 0 });
  });

  it("re-runs a past day reproducibly with --as-of: identical marts", async () => {
    const [a, b] = [await newLake(), await newLake()];
    for (const lake of [a, b])
      expect((await runCli(["run", "--data-dir", lake.dir, "--as-of", "2026-10-01", ...noSite])).code).toBe(0);
    const marts = (await readdir(a.paths.martsDir)).filter((f) => f.endsWith(".parquet"));
    expect(marts.length).toBeGreaterThanOrEqual(9);
    for (const file of marts) {
      const sum = (lake: TestLake) =>
        readParquet(join(lake.paths.martsDir, file), "select count(*) as n, sum(hash(t))::varchar as h from $file t");
      expect(await sum(a), file).toEqual(await sum(b));
    }
    const days = await readParquet(a.paths.mart("daily_revenue"), "select max(order_date)::varchar as d from $file");
    expect(days[0]!["d"]).toBe("2026-10-01");
  });

  it("catches up after a gap: the next run picks up every payment created meanwhile", async () => {
    const api = await startFakeStripe();
    const lake = await newLake();
    const env = { STRIPE_API_KEY: TEST_KEY, DUCKMART_STRIPE_API_BASE: api.url };
    const day = (d: number) => Date.parse(`2026-11-${String(d).padStart(2, "0")}T12:00:00Z`) / 1000;
    api.data.charges = [charge("ch_day18", day(18), 1000, { orderId: 1 })];
    expect((await runCli(["run", "--data-dir", lake.dir, "--as-of", "2026-11-18", ...noSite], env)).code).toBe(0);
    // Three scheduled runs are missed; payments keep coming in.
    api.data.charges.push(...[19, 20, 21, 22].map((d) => charge(`ch_day${d}`, day(d), 1000 * d, { orderId: d })));
    api.requests.length = 0;
    expect((await runCli(["run", "--data-dir", lake.dir, "--as-of", "2026-11-22", ...noSite], env)).code).toBe(0);
    await api.close();
    expect(api.requests.filter((r) => r.startsWith("/v1/charges"))).toEqual([
      `/v1/charges?limit=100&created[gt]=${day(18) - 3600}`,
    ]);
    const payments = await readParquet(
      lake.paths.mart("fact_payments"),
      "select charge_id from $file order by charge_id",
    );
    expect(payments.map((p) => p["charge_id"])).toEqual(["ch_day18", "ch_day19", "ch_day20", "ch_day21", "ch_day22"]);
    const captured = await readParquet(
      lake.paths.mart("daily_revenue"),
      "select order_date::varchar as d, captured_usd::double as c from $file where order_date >= date '2026-11-19' order by d",
    );
    expect(captured).toEqual([
      { d: "2026-11-19", c: 190 },
      { d: "2026-11-20", c: 200 },
      { d: "2026-11-21", c: 210 },
      { d: "2026-11-22", c: 220 },
    ]);
  });
});
