// @module-tag slow
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binPath, runCli, type CliResult } from "./helpers/cli.ts";
import { freePort, isListening, waitForPort } from "./helpers/ports.ts";
import { rawFile, readParquet, testLake, type TestLake } from "./helpers/test-lake.ts";

let lake: TestLake;
let run: CliResult;
const lines = (r: CliResult) => (r.stdout + r.stderr).trimEnd().split("\n");
const siteDir = () => lake.config.siteDir!;

beforeAll(async () => {
  lake = await testLake();
  run = await runCli(["run", "--data-dir", lake.dir, "--as-of", "2026-11-24"], { DUCKMART_SITE_DIR: siteDir() });
}, 300_000);
afterAll(() => lake.cleanup());

describe("duckmart run's output", () => {
  it("is a summary of at most 40 lines: each step, key row counts, where the site is, how to add a warehouse", async () => {
    expect(run.code, run.stderr).toBe(0);
    const output = lines(run);
    expect(output.length, output.join("\n")).toBeLessThanOrEqual(40);
    const text = output.join("\n");
    expect(text).not.toContain("Sourcemap");
    for (const step of ["extract", "transform", "test", "site"]) expect(text).toMatch(new RegExp(`${step}: ok in `));
    expect(text).toContain(
      "sync: skipped (no DATABASE_URL): No warehouse configured: set DATABASE_URL (or --database-url) to sync the marts to Postgres.",
    );
    // Row counts read back from the landed Parquet, not from the code under test.
    const count = async (entity: string) =>
      Number((await readParquet(rawFile(lake.paths, "sample", entity), "select count(*) as n from $file"))[0]!["n"]);
    for (const entity of ["products", "users", "orders", "order_items"])
      expect(text).toContain(`${entity} ${(await count(entity)).toLocaleString("en-US")}`);
    const { results } = JSON.parse(await readFile(lake.paths.testResults, "utf8")) as { results: { status: string }[] };
    const passed = results.filter((t) => t.status === "pass").length;
    expect(passed).toBeGreaterThan(100);
    expect(text).toContain(`test: ok in`);
    expect(text).toMatch(new RegExp(`${passed} pass, 0 warn, 0 fail, 0 error`));
    // The site went to the configured folder, and the output says where.
    expect(existsSync(join(siteDir(), "index.html"))).toBe(true);
    // The dashboards plus a page per category and per product.
    const products = Number(
      (
        await readParquet(lake.paths.mart("dim_products"), "select count(*) + count(distinct category) as n from $file")
      )[0]!["n"],
    );
    expect(text).toContain(`${7 + products} pages in ${siteDir()}`);
    // No per-test table and no per-entity progress lines.
    expect(text).not.toMatch(/^model\s+column\s+test/m);
    expect(text).not.toContain("landed 208 rows");
  });

  it("lists every data test with --verbose, on run and on test", async () => {
    const { results } = JSON.parse(await readFile(lake.paths.testResults, "utf8")) as { results: unknown[] };
    const verbose = await runCli(["run", "--data-dir", lake.dir, "--only", "test", "--verbose"]);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stderr).toMatch(/^model\s+column\s+test\s+status\s+failing$/m);
    expect(lines(verbose).length).toBeGreaterThan(results.length);
    const quiet = await runCli(["test", "--data-dir", lake.dir]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(lines(quiet).length).toBeLessThanOrEqual(3);
    const listed = await runCli(["test", "--data-dir", lake.dir, "--verbose"]);
    expect(lines(listed).length).toBeGreaterThan(results.length);
  });
});

describe("duckmart site dev", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`stops its preview server on ${signal}: the process exits and the port is closed`, async () => {
      const port = await freePort();
      const child = spawn(process.execPath, [binPath, "site", "dev", "--data-dir", lake.dir, "--port", String(port)], {
        env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", NO_COLOR: "1" },
      });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      await waitForPort(port, 60_000);
      child.kill(signal);
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 10_000))]);
      if (code === "still running") child.kill("SIGKILL");
      expect(code, output).toBe(0);
      expect(await isListening(port), output).toBe(false);
      expect(output).toContain(`http://127.0.0.1:${port}/`);
      expect(output).not.toMatch(/deprecat|Warning/i);
    });
  }
});
