// @module-tag e2e
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { extract } from "../extract/index.ts";
import { transform } from "../transforms/index.ts";
import { defaultTransformsDir } from "../transforms/engine/project.ts";
import { listBuilds } from "../cli/core/contracts/build-manifest.ts";
import { runDataTests, runTransform } from "../cli/stages/transform-stage.ts";
import { binPath } from "./helpers/cli.ts";
import { cli, currentBuild, martsSnapshot } from "./helpers/build-lake.ts";
import { guardShop } from "./helpers/raw-fixtures.ts";
import { paymentColumns, rawFile, testLake, type TestLake } from "./helpers/test-lake.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function newLake(flags: Record<string, unknown> = {}): Promise<TestLake> {
  const lake = await testLake(flags);
  cleanups.push(() => lake.cleanup());
  return lake;
}
const contextOf = (lake: TestLake, transformsDir?: string) => ({
  config: lake.config,
  paths: lake.paths,
  logger: lake.logger,
  paymentColumns,
  ...(transformsDir ? { transformsDir } : {}),
});

describe("a failed transform leaves the current build as it was", () => {
  it("a model failing at run time: no mixed marts; test, sync and site still see the last complete build", async () => {
    const lake = await newLake();
    const dir = await mkdtemp(join(tmpdir(), "duckmart-project-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(defaultTransformsDir, dir, { recursive: true });
    await extract(contextOf(lake));
    const good = await transform(contextOf(lake, dir));
    const before = await martsSnapshot(lake);
    // A mart late in the graph fails at run time, after others were already built into the new build.
    await writeFile(
      join(dir, "models", "marts", "finance", "payments_reconciliation.sql"),
      "select error('reconciliation exploded') as reconciliation_id",
    );
    await expect(transform(contextOf(lake, dir))).rejects.toThrow(/reconciliation exploded/);
    expect((await currentBuild(lake))?.buildId).toBe(good.build.buildId);
    expect(await martsSnapshot(lake)).toEqual(before);
    const builds = await listBuilds(lake.paths);
    // Two builds in the same second order by their random suffix: compare as a set.
    expect(builds.map((b) => [b.status, b.buildId === good.build.buildId]).sort()).toEqual([
      ["built", true],
      ["failed", false],
    ]);
    const failed = builds.find((b) => b.status === "failed")!;
    expect(failed.error).toContain("reconciliation exploded");
    expect(existsSync(join(lake.paths.buildDir(failed.buildId), "marts"))).toBe(false);
    expect((await readdir(lake.paths.buildsDir)).filter((d) => d.startsWith(".tmp-"))).toEqual([]);
    const tested = await runDataTests(contextOf(lake, dir));
    expect(tested.build.buildId).toBe(good.build.buildId);
  });

  it("SIGKILL in the middle of a transform leaves the current build and data/marts as they were", async () => {
    const lake = await newLake({ scale: 40 });
    const env = { DUCKMART_SCALE: "40" };
    expect((await cli(lake, ["extract"], env)).code).toBe(0);
    expect((await cli(lake, ["transform"], env)).code).toBe(0);
    const current = (await currentBuild(lake))!.buildId;
    const before = await martsSnapshot(lake);
    const child = spawn(process.execPath, [binPath, "transform", "--data-dir", lake.dir], {
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", DUCKMART_SCALE: "40" },
      stdio: "ignore",
    });
    // Kill once the new build has written some marts (but not all).
    let seen: string[] = [];
    for (let i = 0; i < 800 && seen.length < 3; i++) {
      const tmp = (await readdir(lake.paths.buildsDir)).find((d) => d.startsWith(".tmp-"));
      seen = tmp
        ? (await readdir(join(lake.paths.buildsDir, tmp, "marts")).catch(() => [])).filter((f) =>
            f.endsWith(".parquet"),
          )
        : [];
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect((await currentBuild(lake))?.buildId).toBe(current);
    expect(await martsSnapshot(lake)).toEqual(before);
    // The next command that takes the lock removes the half build and the temp files.
    const tested = await cli(lake, ["test"], env);
    expect(tested.code).toBe(0);
    expect(tested.stderr).toContain("Taking over a stale lock from a command that is gone");
    expect(tested.stderr).toMatch(/Removed \d+ leftover\(s\) of a killed command/);
    expect((await readdir(lake.paths.buildsDir)).filter((d) => d.startsWith("."))).toEqual([]);
    expect(await martsSnapshot(lake)).toEqual(before);
  });

  it("a corrupt raw file names the file and the command that re-extracts it; the current build is untouched", async () => {
    const lake = await newLake();
    expect((await cli(lake, ["extract"])).code).toBe(0);
    expect((await cli(lake, ["transform"])).code).toBe(0);
    const before = await martsSnapshot(lake);
    const file = rawFile(lake.paths, "sample", "order_items");
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const result = await cli(lake, ["transform"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Raw file ${file} (sample/order_items) cannot be read`);
    expect(result.stderr).toContain(
      'Re-extract it with "duckmart extract --source sample". The current build is unchanged.',
    );
    expect(await martsSnapshot(lake)).toEqual(before);
  });
});

describe("row-count guards", () => {
  it("refuse an empty mart and one that shrank by more than half, unless its yml allows it", async () => {
    const lake = await newLake();
    await guardShop(lake, 10);
    const first = await runTransform(contextOf(lake));
    const before = await martsSnapshot(lake);

    await guardShop(lake, 4);
    await expect(runTransform(contextOf(lake))).rejects.toThrow(/dim_products\.row_count_guard/);
    expect(lake.logger.text()).toContain("dim_products shrank from 10 to 4 rows (-60%, limit 50%)");
    expect((await currentBuild(lake))?.buildId).toBe(first.build.buildId);
    expect(await martsSnapshot(lake)).toEqual(before);

    await guardShop(lake, 0);
    await expect(runTransform(contextOf(lake))).rejects.toThrow(/fact_orders\.row_count_guard/);
    expect(lake.logger.text()).toContain("fact_orders came out empty; the previous build had 1 rows");
    expect((await currentBuild(lake))?.buildId).toBe(first.build.buildId);
    expect(await martsSnapshot(lake)).toEqual(before);

    // Exactly half is allowed; an explicit override in the yml lets a mart shrink further.
    await guardShop(lake, 5);
    const half = await runTransform(contextOf(lake));
    expect(half.promoted).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), "duckmart-project-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(defaultTransformsDir, dir, { recursive: true });
    const yml = join(dir, "models", "marts", "core", "_core.yml");
    const text = await readFile(yml, "utf8");
    const allow = "    guards:\n      row_count:\n        max_shrink_pct: 100\n";
    await writeFile(
      yml,
      text
        .replace(/( {2}- name: dim_products\n(?: {4}[^\n]*\n)*?)( {4}columns:)/, `$1${allow}$2`)
        .replace(/( {2}- name: product_performance\n(?: {4}[^\n]*\n)*?)( {4}columns:)/, `$1${allow}$2`),
    );
    const historyYml = join(dir, "models", "marts", "history", "_history.yml");
    await writeFile(
      historyYml,
      (await readFile(historyYml, "utf8"))
        .replace(/( {2}- name: product_price_history\n(?: {4}[^\n]*\n)*?)( {4}columns:)/, `$1${allow}$2`)
        .replace(/( {2}- name: history_products\n(?: {4}[^\n]*\n)*?)( {4}columns:)/, `$1${allow}$2`),
    );
    await guardShop(lake, 1);
    const shrunk = await runTransform(contextOf(lake, dir));
    expect(shrunk.promoted).toBe(true);
  });
});
