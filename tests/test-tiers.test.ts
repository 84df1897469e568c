// @module-tag slow
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { freePort } from "./helpers/ports.ts";
import { startEmbeddedPostgres } from "./setup/embedded-postgres.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const vitestBin = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");

/** A nested `vitest run` of one fast file, with the given service settings and nothing inherited from this run. */
function nestedVitest(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(VITEST|DUCKMART_|CI$|NODE_OPTIONS$|TEST$)/.test(k)),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vitestBin, "run", "--config", "tests/vitest.config.ts", "tests/config.test.ts"],
      {
        cwd: root,
        env: { ...clean, NO_COLOR: "1", ...env },
      },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("test tiers", () => {
  it("skips with one line saying what to install when a service is missing, and fails instead when required", async () => {
    const port = await freePort();
    const missing = {
      DUCKMART_TEST_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test`,
      CHROMIUM_PATH: "/nonexistent/chromium",
    };
    const local = await nestedVitest(missing);
    expect(local.code, local.output).toBe(0);
    const skips = local.output.split("\n").filter((l) => l.startsWith("skipped: "));
    expect(skips).toEqual([
      expect.stringMatching(
        new RegExp(`^skipped: Postgres not reachable at 127\\.0\\.0\\.1:${port} .* — start it or fix the URL$`),
      ),
      "skipped: Chromium not found at /nonexistent/chromium — install it (apt-get install chromium) or set CHROMIUM_PATH",
    ]);
    for (const required of [{ DUCKMART_REQUIRE_SERVICES: "1" }, { CI: "true" }] as Record<string, string>[]) {
      const ci = await nestedVitest({ ...missing, ...required });
      expect(ci.code, ci.output).toBe(1);
      expect(ci.output).toContain("Required test services are missing");
      expect(ci.output).toContain(`Postgres not reachable at 127.0.0.1:${port}`);
      expect(ci.output).toContain("Chromium not found at /nonexistent/chromium");
    }
  });

  it("starts a real embedded Postgres, the fallback when none answers", async () => {
    const embedded = await startEmbeddedPostgres();
    try {
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      const row = (
        await client.query("select current_database() as db, current_setting('server_version_num')::int as v")
      ).rows[0];
      await client.end();
      expect(row.db).toBe("test");
      expect(row.v).toBeGreaterThanOrEqual(150000);
    } finally {
      await embedded.stop();
    }
  });
});
