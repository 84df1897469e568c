// @module-tag slow
import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { currentRawFile } from "../cli/core/contracts/landing.ts";
import { binPath, outputOf, runCli, type CliResult } from "./helpers/cli.ts";
import { ageLanding, writeSmallShop } from "./helpers/freshness-fixtures.ts";
import { order, writeOrders } from "./helpers/raw-fixtures.ts";
import { decodedBody, startSmtp, type ReceivedMail } from "./helpers/smtp-server.ts";
import { startWebhook } from "./helpers/webhook-server.ts";
import { readParquet, type TestLake, lakesPerTest } from "./helpers/test-lake.ts";

const PASSWORD = "Sm7p-Pa55w0rd-Xq9";
const login = { user: "alerts@shop.example", pass: PASSWORD };
const servers: { close(): Promise<void> }[] = [];
const newLake = lakesPerTest();
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function setup(options: { orderedAt?: string } = {}) {
  const lake = await newLake();
  await writeSmallShop(lake, options.orderedAt);
  const smtp = await startSmtp(login);
  servers.push(smtp);
  const env = {
    DUCKMART_SMTP_URL: smtp.url,
    DUCKMART_ALERT_EMAIL_TO: "ops@shop.example, owner@shop.example",
    DUCKMART_SHOP_NAME: "Acme Ducks",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_RUN_ID: "4242",
  };
  const run = (args: string[] = [], extra: Record<string, string> = {}) =>
    runCli(["run", "--data-dir", lake.dir, "--skip", "extract,site", ...args], { ...env, ...extra });
  return { lake, smtp, env, run };
}

/**
 * `duckmart run` as a scheduler runs it, stopped by `signal` halfway through its transform (a half-written build
 * is on disk): what it printed, its exit code, and how long it took to exit after the signal.
 */
async function interruptedRun(
  lake: TestLake,
  env: Record<string, string>,
  signal: NodeJS.Signals,
): Promise<CliResult & { exitMs: number }> {
  const child = spawn(process.execPath, [binPath, "run", "--data-dir", lake.dir, "--skip", "extract,site"], {
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", NO_COLOR: "1", ...env },
  });
  const result = outputOf(child);
  const halfBuild = async () =>
    (await readdir(lake.paths.buildsDir).catch((): string[] => [])).some((d) => d.startsWith(".tmp-"));
  for (let i = 0; !(await halfBuild()); i++) {
    if (i > 3000) throw new Error("timed out waiting for a half build");
    await new Promise((r) => setTimeout(r, 10));
  }
  const signalled = Date.now();
  child.kill(signal);
  const done = await result;
  return { ...done, exitMs: Date.now() - signalled };
}

async function lastManifest(lake: TestLake) {
  const files = (await readdir(lake.paths.runsDir)).filter((f) => f.endsWith(".json")).sort();
  return JSON.parse(await readFile(join(lake.paths.runsDir, files.at(-1)!), "utf8"));
}

/** No message, raw or decoded, carries the SMTP password or any customer's email address (read from the landing). */
async function expectNoSecretsOrPii(lake: TestLake, mails: ReceivedMail[], output: string) {
  const users = await readParquet(currentRawFile(lake.paths, "sample", "users")!, "select email from $file");
  const customerEmails = users.map((u) => String(u["email"]));
  expect(customerEmails).toEqual(["ada.lovelace@customers.example", "grace.hopper@customers.example"]);
  for (const text of [...mails.flatMap((m) => [m.raw, decodedBody(m.raw), m.subject]), output]) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(encodeURIComponent(PASSWORD));
    for (const email of customerEmails) expect(text).not.toContain(email);
  }
}

describe("email alerts", () => {
  it("sends one email for a failed run: shop, status and failing step in the subject; run, error, hint, logs in the body", async () => {
    const { lake, smtp, run } = await setup();
    // A duplicate order id, on an order by a customer whose email must not leak: stg_orders.order_id is not unique.
    await writeOrders(lake, [
      order(7, 1, "2026-11-24T10:00:00", "completed", [[1, 10, 1, 0]]),
      order(7, 2, "2026-11-24T11:00:00", "completed", [[1, 10, 2, 0]]),
    ]);
    const result = await run();
    expect(result.code).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    const manifest = await lastManifest(lake);
    expect(smtp.logins).toEqual(["alerts@shop.example"]);
    expect(mail.to).toEqual(["ops@shop.example", "owner@shop.example"]);
    expect(mail.subject).toBe("[Acme Ducks] duckmart run FAILED at step test");
    const body = decodedBody(mail.raw);
    expect(body).toContain(`Run: ${manifest.runId}`);
    expect(body).toContain("Failing step: test");
    expect(body).toMatch(/Error: \d+ data test\(s\) failed on build b-[\w-]+: .*stg_orders\.order_id\.unique/);
    expect(body).toContain(`Build: ${manifest.buildId}`);
    expect(body).toContain("Logs: https://github.com/acme/shop/actions/runs/4242");
    expect(manifest.alerts).toEqual({ kind: "failure", webhook: "off", email: "sent", sent: 1, failed: 0 });
    await expectNoSecretsOrPii(lake, smtp.mails, result.stdout + result.stderr + JSON.stringify(manifest));
  });

  it("sends one email when freshness is past error_after, with the hint, and none for a clean run", async () => {
    const { lake, smtp, run } = await setup();
    const clean = await run();
    expect(clean.code).toBe(0);
    expect(smtp.mails).toHaveLength(0);
    expect((await lastManifest(lake)).alerts).toEqual({
      kind: "none",
      webhook: "off",
      email: "none",
      sent: 0,
      failed: 0,
    });

    await ageLanding(lake, "users", 71);
    const stale = await run();
    expect(stale.code).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.subject).toBe("[Acme Ducks] duckmart run FAILED at step freshness");
    const body = decodedBody(mail.raw);
    expect(body).toContain(
      "Error: Freshness past error_after: raw_users extraction is 71.0 h old (error after 50.0 h)",
    );
    expect(body).toMatch(/Hint: The source stopped updating .* left as they were/);
    expect(body).toContain("sync: skipped (freshness failed)");
    await expectNoSecretsOrPii(lake, smtp.mails, stale.stdout + stale.stderr);
  });

  it("sends a digest of warnings when switched on, once a day for the same warnings, and an all-clear", async () => {
    const { lake, smtp, run } = await setup({ orderedAt: "2026-11-21T12:00:00" });
    const digest = { DUCKMART_ALERT_DIGEST: "1" };
    await ageLanding(lake, "carts", 30);
    // Without the switch: a run with warnings sends nothing.
    expect((await run()).code).toBe(0);
    expect(smtp.mails).toHaveLength(0);
    const first = await run([], digest);
    expect(first.code).toBe(0);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.subject).toBe("[Acme Ducks] duckmart run succeeded: 2 warning(s)");
    const body = decodedBody(smtp.mails[0]!.raw);
    expect(body).toContain("Warnings (2):");
    expect(body).toContain("- Freshness: raw_carts extraction is 30.0 h old (warn after 26.0 h)");
    expect(body).toContain("- Freshness: raw_orders newest event (ordered_at) is 3.5 d old (warn after 48.0 h)");
    expect((await lastManifest(lake)).alerts).toMatchObject({ kind: "digest", email: "sent", sent: 1 });
    // The same warnings again the same day: not sent twice.
    expect((await run([], digest)).code).toBe(0);
    expect(smtp.mails).toHaveLength(1);
    expect((await lastManifest(lake)).alerts).toMatchObject({ kind: "none", sent: 0 });
    // Warnings gone: the all-clear digest.
    // Warnings gone: a fresh order (daily revenue gains a day, so the row-count guard is happy) and fresh carts.
    await writeOrders(lake, [
      order(7, 1, "2026-11-21T12:00:00", "completed", [[1, 10, 1, 0]]),
      order(8, 2, "2026-11-24T10:00:00", "completed", [[1, 10, 2, 0]]),
    ]);
    await ageLanding(lake, "carts", 0);
    expect((await run([], digest)).code).toBe(0);
    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails[1]!.subject).toBe("[Acme Ducks] duckmart run succeeded: all clear");
    await expectNoSecretsOrPii(lake, smtp.mails, "");
  });

  it("counts a failed send and keeps the run's exit code; the password is never printed", async () => {
    const { lake, smtp, run, env } = await setup();
    await ageLanding(lake, "users", 72);
    const badUrl = env.DUCKMART_SMTP_URL.replace(encodeURIComponent(PASSWORD), "wrong-password");
    const failed = await run([], { DUCKMART_SMTP_URL: badUrl });
    expect(failed.code).toBe(1);
    expect(smtp.mails).toHaveLength(0);
    expect(failed.stderr).toMatch(
      /Could not send the failure alert by email to smtp:\/\/alerts%40shop\.example:\*\*\*@127\.0\.0\.1:\d+/,
    );
    expect((await lastManifest(lake)).alerts).toEqual({
      kind: "failure",
      webhook: "off",
      email: "failed",
      sent: 0,
      failed: 1,
    });
    expect(failed.stderr + failed.stdout).not.toContain("wrong-password");
    // Unreachable SMTP on a clean run with the digest: still exit 0.
    await ageLanding(lake, "users", 0);
    const clean = await run([], {
      DUCKMART_SMTP_URL: "smtp://u:p4ssw0rd-unused@127.0.0.1:1",
      DUCKMART_ALERT_DIGEST: "1",
    });
    expect(clean.code).toBe(0);
    expect((await lastManifest(lake)).alerts).toMatchObject({ kind: "digest", email: "failed", failed: 1 });
    expect(clean.stderr).not.toContain("p4ssw0rd-unused");
    await expectNoSecretsOrPii(lake, smtp.mails, failed.stderr + failed.stdout);
  });

  it("sends one email (and the webhook) for a run interrupted by SIGTERM (a CI timeout), before it exits with 143", async () => {
    const { lake, smtp, env } = await setup();
    const webhook = await startWebhook();
    servers.push(webhook);
    const result = await interruptedRun(
      lake,
      { ...env, DUCKMART_ALERT_WEBHOOK: `${webhook.url}/hooks/T000/B000/alerts` },
      "SIGTERM",
    );
    expect(result.code, result.stderr).toBe(143);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    const manifest = await lastManifest(lake);
    expect(manifest).toMatchObject({ status: "interrupted", interrupted: { during: "transform", signal: "SIGTERM" } });
    expect(mail.to).toEqual(["ops@shop.example", "owner@shop.example"]);
    expect(mail.subject).toBe("[Acme Ducks] duckmart run INTERRUPTED at step transform (SIGTERM)");
    const body = decodedBody(mail.raw);
    expect(body).toContain(`duckmart run ${manifest.runId} was interrupted by SIGTERM at step transform`);
    expect(body).toContain(`Run: ${manifest.runId}`);
    expect(body).toContain("Status: interrupted");
    expect(body).toContain("Error: interrupted (SIGTERM)");
    expect(body).toContain("The build it was making was not published: the last good one stays current.");
    expect(body).toContain("Logs: https://github.com/acme/shop/actions/runs/4242");
    expect(body).toContain("transform: failed");
    // Recorded in the run's manifest and in `duckmart runs`, and said on the way out.
    expect(webhook.bodies).toHaveLength(1);
    expect(webhook.bodies[0]).toMatchObject({
      kind: "failure",
      run_id: manifest.runId,
      status: "interrupted",
      interrupted: { during: "transform", signal: "SIGTERM" },
      failing_step: "transform",
      error: "interrupted (SIGTERM)",
      logs_url: "https://github.com/acme/shop/actions/runs/4242",
    });
    expect(manifest.alerts).toEqual({ kind: "failure", webhook: "sent", email: "sent", sent: 2, failed: 0 });
    expect(result.stderr).toMatch(
      /Alert \(failure\) sent by email to smtp:\/\/alerts%40shop\.example:\*\*\*@127\.0\.0\.1:\d+/,
    );
    const runs = await runCli(["runs", "--data-dir", lake.dir, "--json"]);
    expect(JSON.parse(runs.stdout)[0]).toMatchObject({
      runId: manifest.runId,
      status: "interrupted",
      alerts: { kind: "failure", sent: 2, failed: 0 },
    });
    await expectNoSecretsOrPii(lake, smtp.mails, result.stdout + result.stderr + JSON.stringify(manifest));
  });

  it("does not hold up an interrupted run's exit: an SMTP server that never answers costs at most 5 s", async () => {
    const { lake, env } = await setup();
    // Accepts the connection and never greets: nodemailer's own timeouts are 10 s and more.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    servers.push({
      close: () => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), silent.close(() => resolve()))),
    });
    const { port } = silent.address() as AddressInfo;
    const result = await interruptedRun(
      lake,
      { ...env, DUCKMART_SMTP_URL: `smtp://u:p4ssw0rd-silent@127.0.0.1:${port}` },
      "SIGINT",
    );
    expect(result.code, result.stderr).toBe(130);
    expect(sockets.length).toBeGreaterThan(0);
    expect(result.exitMs).toBeGreaterThanOrEqual(5_000);
    expect(result.exitMs).toBeLessThan(8_000);
    expect(result.stderr).toContain(
      `Could not send the failure alert by email to smtp://u:***@127.0.0.1:${port}: not sent within 5 s (the run was exiting)`,
    );
    expect(result.stderr).not.toContain("p4ssw0rd-silent");
    expect((await lastManifest(lake)).alerts).toEqual({
      kind: "failure",
      webhook: "off",
      email: "failed",
      sent: 0,
      failed: 1,
    });
  });

  it("`duckmart freshness --alert` emails when a table is past error_after (a stopped schedule)", async () => {
    const { lake, smtp, env } = await setup();
    await ageLanding(lake, "orders", 100);
    const result = await runCli(["freshness", "--data-dir", lake.dir, "--alert"], env);
    expect(result.code).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.subject).toBe("[Acme Ducks] duckmart freshness ERROR: raw_orders");
    expect(decodedBody(smtp.mails[0]!.raw)).toContain("ERROR raw_orders extraction is 4.2 d old (error after 50.0 h)");
    await expectNoSecretsOrPii(lake, smtp.mails, result.stderr);
  });
});
