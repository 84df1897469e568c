// @module-tag slow
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultTransformsDir, loadProject } from "../transforms/engine/project.ts";
import { runCli } from "./helpers/cli.ts";
import { filesFixture } from "./helpers/files-lake.ts";
import { ageLanding, writeSmallShop } from "./helpers/freshness-fixtures.ts";
import { type TestLake, lakesPerTest, readParquet } from "./helpers/test-lake.ts";

const newLake = lakesPerTest();

/** The rows of the printed freshness table, as { entity, measure, status } lines. */
function tableRows(stderr: string): string[][] {
  return stderr
    .split("\n")
    .filter((l) => /^raw_\w+\s/.test(l))
    .map((l) => l.split(/\s{2,}/));
}

describe("duckmart freshness", () => {
  it("prints entity, age, limit and status, exits 0 when fresh or only warning and 1 past error_after", async () => {
    const lake = await newLake();
    await writeSmallShop(lake);
    const fresh = await runCli(["freshness", "--data-dir", lake.dir]);
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toContain("Freshness: FRESH");
    expect(fresh.stderr).toMatch(/entity\s+source\s+measure\s+age\s+limit\s+status/);
    // The sample's optional Stripe tables were never landed here: skipped, not an error.
    expect(tableRows(fresh.stderr).find((r) => r[0] === "raw_stripe_charges")).toEqual([
      "raw_stripe_charges",
      "sample/stripe_charges",
      "extracted",
      "-",
      "warn 26.0 h, error 50.0 h",
      "SKIPPED",
      "not extracted (optional source)",
    ]);

    await ageLanding(lake, "users", 30);
    const warn = await runCli(["freshness", "--data-dir", lake.dir]);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toContain("Freshness: WARN");
    expect(tableRows(warn.stderr).find((r) => r[0] === "raw_users")).toEqual([
      "raw_users",
      "sample/users",
      "extracted",
      "30.0 h",
      "warn 26.0 h, error 50.0 h",
      "WARN",
    ]);

    await ageLanding(lake, "orders", 60);
    const error = await runCli(["freshness", "--data-dir", lake.dir, "--json"]);
    expect(error.code).toBe(1);
    expect(
      tableRows(error.stderr)
        .find((r) => r[0] === "raw_orders" && r[2] === "extracted")
        ?.slice(3, 6),
    ).toEqual(["60.0 h", "warn 26.0 h, error 50.0 h", "ERROR"]);
    const report = JSON.parse(error.stdout);
    expect(report.status).toBe("error");
    const orders = report.checks.find(
      (c: { table: string; measure: string }) => c.table === "raw_orders" && c.measure === "extracted",
    );
    expect(orders.ageHours).toBeGreaterThan(59.99);
    expect(orders.ageHours).toBeLessThan(60.1);
    expect(orders).toMatchObject({ status: "error", warnAfterHours: 26, errorAfterHours: 50 });
  });

  it("errors on a lake never extracted, and skips a table its source does not land (the files source has no carts)", async () => {
    const lake = await newLake();
    const empty = await runCli(["freshness", "--data-dir", lake.dir]);
    expect(empty.code).toBe(1);
    expect(
      tableRows(empty.stderr)
        .find((r) => r[0] === "raw_orders")
        ?.slice(5),
    ).toEqual(["ERROR", "never extracted: run duckmart extract --source sample"]);
    await writeSmallShop(lake);
    await rm(lake.paths.rawEntityDir("sample", "carts"), { recursive: true });
    const partial = await runCli(["freshness", "--data-dir", lake.dir]);
    expect(partial.code).toBe(0);
    expect(
      tableRows(partial.stderr)
        .find((r) => r[0] === "raw_carts")
        ?.slice(5),
    ).toEqual(["SKIPPED", "not landed by the sample source"]);
  });

  it("ages the newest event against the end of the as-of day, not the clock", async () => {
    const lake = await newLake();
    // As of 2026-11-24: the reference is 2026-11-25T00:00Z; the newest order 2026-11-21T12:00 is 3.5 days old.
    await writeSmallShop(lake, "2026-11-21T12:00:00");
    const warn = await runCli(["freshness", "--data-dir", lake.dir, "--json"]);
    expect(warn.code).toBe(0);
    const event = JSON.parse(warn.stdout).checks.find((c: { measure: string }) => c.measure === "newest_event");
    expect(event).toMatchObject({
      table: "raw_orders",
      column: "ordered_at",
      observedAt: "2026-11-21T12:00:00.000Z",
      referenceAt: "2026-11-25T00:00:00.000Z",
      ageHours: 84,
      status: "warn",
    });
    // 8.5 days before the as-of day's end: past error_after (7 days).
    await writeSmallShop(lake, "2026-11-16T12:00:00");
    const error = await runCli(["freshness", "--data-dir", lake.dir]);
    expect(error.code).toBe(1);
    expect(
      tableRows(error.stderr)
        .find((r) => r[2] === "newest ordered_at")
        ?.slice(3, 6),
    ).toEqual(["8.5 d", "warn 48.0 h, error 7.0 d", "ERROR"]);
  });

  it("keeps a backfill with a past --as-of fresh: the sample's newest order is on the as-of day", async () => {
    const lake = await newLake();
    expect((await runCli(["extract", "--data-dir", lake.dir, "--as-of", "2026-10-01"])).code).toBe(0);
    const result = await runCli(["freshness", "--data-dir", lake.dir, "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe("fresh");
    const event = report.checks.find(
      (c: { table: string; measure: string }) => c.table === "raw_orders" && c.measure === "newest_event",
    );
    expect(event.referenceAt).toBe("2026-10-02T00:00:00.000Z");
    expect(event.observedAt.slice(0, 10)).toBe("2026-10-01");
  });

  it("validates the freshness yml, naming the file, the entry and the key", async () => {
    const dir = await mkdtemp(join(tmpdir(), "duckmart-yml-"));
    try {
      await cp(defaultTransformsDir, dir, { recursive: true });
      const path = join(dir, "sources.yml");
      const yml = await readFile(path, "utf8");
      const lineOf = (text: string) => yml.slice(0, yml.indexOf(text)).split("\n").length;
      await writeFile(path, yml.replace("warn_after: 2d", "warn_after: 2 fortnights"));
      await expect(loadProject(dir)).rejects.toThrow(
        `sources.yml:${lineOf("warn_after: 2d")}: sources[3] (raw_orders).freshness.newest_event.warn_after: use a duration like "26h", "3d" or "90m", or count: and period: keys (got "2 fortnights")`,
      );
      await writeFile(path, yml.replace("error_after: 7d", "error_after: 1d"));
      await expect(loadProject(dir)).rejects.toThrow(
        /sources\.yml:\d+: sources\[3\] \(raw_orders\)\.freshness\.newest_event\.warn_after: warn_after must not be longer than error_after/,
      );
      await writeFile(path, yml.replace("      warn_after: 26h\n", "      warn_afer: 26h\n"));
      await expect(loadProject(dir)).rejects.toThrow(
        `sources.yml:${lineOf("      warn_after: 26h\n")}: sources[0] (raw_products).freshness: Unrecognized key: "warn_afer"`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("duckmart run with freshness", () => {
  it("fails past error_after before transform, sync and site: the marts stay as they were", async () => {
    const lake = await newLake();
    await writeSmallShop(lake);
    expect((await runCli(["run", "--data-dir", lake.dir, "--skip", "extract,site"])).code).toBe(0);
    const marts = await readdir(lake.paths.martsDir);
    const before = await Promise.all(marts.map(async (m) => (await stat(join(lake.paths.martsDir, m))).mtimeMs));
    await ageLanding(lake, "products", 51);
    const result = await runCli([
      "run",
      "--data-dir",
      lake.dir,
      "--skip",
      "extract",
      "--database-url",
      "postgres://127.0.0.1:1/none",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Run \S+ failed at step freshness: Freshness past error_after: raw_products extraction is 51\.0 h old \(error after 50\.0 h\)/,
    );
    const runs = (await readdir(lake.paths.runsDir)).sort();
    const manifest = JSON.parse(await readFile(join(lake.paths.runsDir, runs.at(-1)!), "utf8"));
    expect(
      manifest.steps.map((s: { name: string; status: string; reason?: string }) => [s.name, s.status, s.reason]),
    ).toEqual([
      ["extract", "skipped", "--skip"],
      ["freshness", "failed", undefined],
      ["transform", "skipped", "freshness failed"],
      ["test", "skipped", "freshness failed"],
      ["sync", "skipped", "freshness failed"],
      ["site", "skipped", "freshness failed"],
    ]);
    expect(manifest.freshness.status).toBe("error");
    expect(manifest.steps[1].hint).toContain("left as they were");
    const after = await Promise.all(marts.map(async (m) => (await stat(join(lake.paths.martsDir, m))).mtimeMs));
    expect(after).toEqual(before);
  });

  it("on an old export with a later --as-of, says how to proceed, and both ways it names work", async () => {
    // The Shopify fixture's newest order is 2024-03-05 20:45: at the end of 2024-06-01 it is 88 d 3.25 h old, 88.1 d
    // (error after 7 days), in the failure and in the hint alike.
    const env = { DUCKMART_FILES_PATH: filesFixture("shopify-orders.csv"), DUCKMART_FILES_PRESET: "shopify" };
    const run = (lake: TestLake, ...args: string[]) =>
      runCli(["run", "--source", "files", "--data-dir", lake.dir, "--json", ...args], env);
    const later = async () => {
      const lake = await newLake();
      const result = await run(lake, "--as-of", "2024-06-01", "--skip", "site");
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("failed at step freshness");
      return { lake, result };
    };
    const first = await later();
    expect(first.result.stderr).toContain("raw_orders newest event (ordered_at) is 88.1 d old (error after 7.0 d)");
    expect(first.result.stderr).toContain(
      "Hint: raw_orders comes from an order export whose newest ordered_at (2024-03-05) is 88.1 d old at the end of the as-of 2024-06-01 (set by --as-of). To build as of the export's newest order date, leave out --as-of (a files source's as-of is then that date); to build as of 2024-06-01 anyway, add --skip freshness.",
    );
    const check = await runCli(["freshness", "--data-dir", first.lake.dir], env);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(
      "(2024-03-05) is 88.1 d old at the end of the as-of 2024-06-01 it was extracted for. Extract it again without --as-of (a files source's as-of is then its newest order date), or build as of 2024-06-01 anyway: duckmart transform (it does not check freshness) or duckmart run --as-of 2024-06-01 --skip freshness.",
    );
    const newest = await run(first.lake, "--skip", "site");
    expect(newest.code, newest.stderr).toBe(0);
    expect(JSON.parse(newest.stdout)).toMatchObject({ status: "success", asOf: "2024-03-05" });
    // An earlier as-of looks back into the export (no replay of a snapshot it never had): orders #1001-#1004 are
    // dated up to 2024-02-25; #1005 (2024-03-02) and #1006 (2024-03-05) are left out.
    const earlier = await run(first.lake, "--as-of", "2024-03-01", "--skip", "site");
    expect(earlier.code, earlier.stderr).toBe(0);
    expect(JSON.parse(earlier.stdout)).toMatchObject({ status: "success", asOf: "2024-03-01" });
    expect(
      await readParquet(
        first.lake.paths.mart("fact_orders"),
        "select string_agg(order_number, ',' order by order_number) as o from $file",
      ),
    ).toEqual([{ o: "#1001,#1002,#1003,#1004" }]);
    // A day between two landed snapshots (03-01 and 03-05) is extracted from the export, not replayed from 03-01's
    // snapshot, which lacks #1005 (2024-03-02).
    const between = await run(first.lake, "--as-of", "2024-03-03", "--skip", "site");
    expect(between.code, between.stderr).toBe(0);
    expect(JSON.parse(between.stdout)).toMatchObject({ status: "success", asOf: "2024-03-03" });
    expect(
      await readParquet(
        first.lake.paths.mart("fact_orders"),
        "select string_agg(order_number, ',' order by order_number) as o from $file",
      ),
    ).toEqual([{ o: "#1001,#1002,#1003,#1004,#1005" }]);

    const second = await later();
    const skipped = await run(second.lake, "--as-of", "2024-06-01", "--skip", "freshness,site");
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ status: "success", asOf: "2024-06-01" });
  });

  it("on an as-of after today, the failure and its hint give the same age: the export's at its extraction", async () => {
    const env = { DUCKMART_FILES_PATH: filesFixture("shopify-orders.csv"), DUCKMART_FILES_PRESET: "shopify" };
    const lake = await newLake();
    const before = Date.now();
    const result = await runCli(
      ["run", "--source", "files", "--data-dir", lake.dir, "--as-of", "2099-01-01", "--skip", "site"],
      env,
    );
    expect(result.code).toBe(1);
    // The newest order (2024-03-05 20:45) aged to the extraction, now: not to 2099-01-01, which has not come yet.
    const days = (at: number) => ((at - Date.parse("2024-03-05T20:45:00Z")) / 86_400_000).toFixed(1);
    const age = [days(before), days(Date.now())];
    const failure = /raw_orders newest event \(ordered_at\) is (\d+\.\d) d old \(error after 7\.0 d\)/.exec(
      result.stderr,
    );
    expect(age).toContain(failure?.[1]);
    const today = new Date().toISOString().slice(0, 10);
    expect(result.stderr).toContain(
      `Hint: raw_orders comes from an order export whose newest ordered_at (2024-03-05) was ${failure?.[1]} d old when it was extracted on ${today}, for the as-of 2099-01-01 (set by --as-of).`,
    );
    expect(result.stderr).toContain(
      "Leave out --as-of to extract as of the export's newest order date (the files source's default).",
    );
  });

  it("records warnings in the manifest and still succeeds", async () => {
    const lake = await newLake();
    await writeSmallShop(lake);
    await ageLanding(lake, "carts", 27);
    const result = await runCli(["run", "--data-dir", lake.dir, "--skip", "extract,site", "--json"]);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(result.stdout);
    expect(manifest.status).toBe("success");
    expect(manifest.freshness.status).toBe("warn");
    expect(
      manifest.freshness.checks
        .filter((c: { status: string }) => c.status === "warn")
        .map((c: { table: string }) => c.table),
    ).toEqual(["raw_carts"]);
  });
});
