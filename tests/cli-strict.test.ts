// @module-tag slow
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { startFakeStripe, TEST_KEY, type FakeStripe } from "./helpers/stripe-server.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "duckmart-strict-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Case {
  args: string[];
  env?: Record<string, string>;
  /** Every string must appear on stderr. */
  says: string[];
}

// Each mistake exits 2, names the flag (or env var) and the fix, and lands nothing.
const mistakes: Case[] = [
  { args: ["sync", "--databse-url", "x"], says: ["Unknown flag --databse-url", "did you mean --database-url?"] },
  { args: ["extract", "--sede", "1"], says: ["Unknown flag --sede", "did you mean --seed?"] },
  { args: ["run", "--only-steps", "extract"], says: ["Unknown flag --only-steps", "did you mean --only?"] },
  { args: ["extrct"], says: ['Unknown command "extrct"', 'did you mean "extract"?'] },
  { args: ["site", "buld"], says: ['Unknown command "buld"', 'did you mean "build"?'] },
  { args: ["extract", "-x"], says: ["Unknown flag -x"] },
  { args: ["extract", "sample"], says: ['Unexpected argument "sample"'] },
  { args: ["extract", "--as-of"], says: ["--as-of needs a value"] },
  {
    args: ["run", "--skip", "site", "--skip", "freshness"],
    says: ['--skip is given twice ("site" and "freshness")', "Give one list: --skip site,freshness."],
  },
  {
    args: ["extract", "--as-of", "2026-11-01", "--as-of=2026-11-02"],
    says: ["--as-of is given twice", "Give --as-of once."],
  },
  { args: ["extract", "--as-of", "2026-13-45"], says: ["--as-of", "no such day", "2026-13-45"] },
  { args: ["run", "--as-of", "2026-02-30"], says: ["--as-of", "no such day"] },
  { args: ["extract", "--as-of", "31/01/2026"], says: ["--as-of", "YYYY-MM-DD"] },
  { args: ["extract"], env: { DUCKMART_AS_OF: "2026-13-45" }, says: ["env DUCKMART_AS_OF", "no such day"] },
  { args: ["run", "--retries", "abc"], says: ['Invalid --retries "abc"', "whole number from 0 to 10"] },
  { args: ["run", "--retries", "1.5"], says: ["Invalid --retries", "whole number"] },
  { args: ["run", "--max-age", "-5"], says: ['Invalid --max-age "-5"', "from 0 to 8784 hours"] },
  { args: ["run", "--only", "extract,tranform"], says: ['Invalid --only "tranform"', "did you mean transform?"] },
  {
    args: ["run", "--skip", "deploy"],
    says: ['Invalid --skip "deploy"', "extract, freshness, transform, test, sync, site"],
  },
  { args: ["run", "--select", "dim_custmers"], says: ['no model named "dim_custmers"', '"dim_customers"'] },
  { args: ["run", "--json=yes"], says: ["--json is a switch"] },
  { args: ["extract", "--scale", "0"], says: ["--scale", "above 0"] },
  { args: ["extract", "--scale", ""], says: ["--scale needs a value"] },
  { args: ["extract", "--seed", "x"], says: ["--seed", "use a number"] },
  { args: ["extract", "--seed", "0x10"], says: ["--seed", "use a number"] },
  { args: ["extract", "--source", "dummyjson", "--page-size", "0"], says: ["--page-size", "from 1 to 1000"] },
  { args: ["extract", "--source", "dummyjson", "--concurrency", "many"], says: ["--concurrency", "use a number"] },
  { args: ["extract", "--memory-limit", "lots"], says: ["--memory-limit", '"2GB"'] },
  { args: ["extract"], env: { DUCKMART_SCALE: "-1" }, says: ["env DUCKMART_SCALE", "above 0"] },
  { args: ["sync", "--schema", "pg_catalog"], says: ["--schema", "reserved by Postgres"] },
  { args: ["sync", "--schema", "information_schema"], says: ["--schema", "reserved by Postgres"] },
  { args: ["run"], env: { DUCKMART_SCHEMA: "pg_toast" }, says: ["env DUCKMART_SCHEMA", "reserved by Postgres"] },
  { args: ["sync", "--database-url", "localhost"], says: ["--database-url", "postgres://"] },
  { args: ["site", "dev", "--port", "99999"], says: ['Invalid --port "99999"'] },
  // No flag is silently ignored: transform builds as of the landed data, so --as-of is refused with the way.
  { args: ["transform", "--as-of", "2026-01-31"], says: ["does not take --as-of", "extract --as-of"] },
  { args: ["runs", "--memory-limit", "1GB"], says: ["does not take --memory-limit"] },
  { args: ["extract", "--page-size", "50"], says: ["--page-size applies to the dummyjson source only"] },
  { args: ["extract", "--source", "dummyjson", "--seed", "7"], says: ["--seed applies to the sample source only"] },
  { args: ["run", "--only", "transform", "--scale", "2"], says: ["--scale applies to the sample source only"] },
  { args: ["extract", "--source", "shopify"], says: ['Unknown source "shopify"', "sample, dummyjson"] },
  { args: ["extract", "--source", "samlpe,stripe"], says: ['Unknown source "samlpe"', 'did you mean "sample"?'] },
  { args: ["extract", "--source", "sample,dummyjson"], says: ["two shop sources"] },
  { args: ["extract", "--source", "stripe"], says: ["--source stripe needs a Stripe API key", "STRIPE_API_KEY"] },
];

describe("a strict CLI", () => {
  it.each(mistakes)("refuses duckmart $args with exit 2 and lands nothing", async ({ args, env, says }) => {
    const cwd = await mkdtemp(join(dir, "cwd-"));
    const lake = join(cwd, "lake");
    await mkdir(lake);
    const result = await runCli(args, { DUCKMART_DATA_DIR: lake, ...env }, cwd);
    expect(result.stderr).toSatisfy((text: string) => says.every((s) => text.includes(s)));
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain("    at ");
    expect(await readdir(lake)).toEqual([]);
    expect(await readdir(cwd)).toEqual(["lake"]);
  });

  it("refuses an impossible date from duckmart.config.mjs, naming the key", async () => {
    const cwd = await mkdtemp(join(dir, "config-"));
    await writeFile(join(cwd, "duckmart.config.mjs"), 'export default { asOf: "2026-04-31" };\n');
    const result = await runCli(["extract"], {}, cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"asOf" in duckmart.config.ts: no such day');
    expect(existsSync(join(cwd, "data"))).toBe(false);
  });

  it("refuses a misspelt key in duckmart.config.mjs instead of ignoring it", async () => {
    const cwd = await mkdtemp(join(dir, "config-"));
    await writeFile(join(cwd, "duckmart.config.mjs"), "export default { dummyjson: { pagesize: 50 } };\n");
    const result = await runCli(["extract"], {}, cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Unknown config key "dummyjson.pagesize" in duckmart.config.ts: did you mean "dummyjson.pageSize"?',
    );
    expect(existsSync(join(cwd, "data"))).toBe(false);
  });

  it("documents each command's choice in --help", async () => {
    const transform = await runCli(["transform", "--help"], {}, dir);
    expect(transform.code).toBe(0);
    expect(transform.stdout).toContain("as of the day the landed data is for (set it with extract --as-of)");
    expect(transform.stdout).not.toContain("--as-of=");
    const extract = await runCli(["extract", "--help"], {}, dir);
    expect(extract.stdout).toContain("comma-separated");
    expect(extract.stdout).toContain("sample,stripe");
  });

  describe("--source as a comma list", () => {
    let stripe: FakeStripe;
    beforeAll(async () => {
      stripe = await startFakeStripe();
    });
    afterAll(() => stripe.close());

    it("lands the shop source and Stripe from one --source sample,stripe", async () => {
      const lake = join(dir, "both");
      const env = { STRIPE_API_KEY: TEST_KEY, DUCKMART_STRIPE_API_BASE: stripe.url };
      const result = await runCli(
        ["extract", "--source", "sample,stripe", "--data-dir", lake, "--as-of", "2026-11-24"],
        env,
        dir,
      );
      expect(result.stderr).toContain("sample/orders: landed");
      expect(result.code).toBe(0);
      expect(await readdir(join(lake, "raw"))).toEqual(["sample", "stripe"]);
      expect(await readdir(join(lake, "raw", "stripe", "charges"))).toContain("current.json");
    });
  });
});
