// @module-tag postgres
// @module-tag e2e
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { binPath } from "./helpers/cli.ts";
import { cli, currentBuild } from "./helpers/build-lake.ts";
import { pgSchema, pgUrl } from "./helpers/mart-fixtures.ts";
import { testLake, type TestLake } from "./helpers/test-lake.ts";
import { noPostgres } from "./helpers/services.ts";
import { queryRows, withDuckdb } from "../cli/core/duckdb.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function newLake(): Promise<TestLake> {
  const lake = await testLake();
  cleanups.push(() => lake.cleanup());
  return lake;
}
const childEnv = (extra: Record<string, string> = {}) => ({
  PATH: process.env["PATH"] ?? "",
  HOME: process.env["HOME"] ?? "/tmp",
  DUCKMART_AS_OF: "2026-11-24",
  ...extra,
});
async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the data-dir lock", () => {
  it("refuses a standalone extract while a run holds the data dir, naming the holder", async () => {
    const lake = await newLake();
    const run = spawn(process.execPath, [binPath, "run", "--data-dir", lake.dir, "--scale", "30", "--skip", "site"], {
      env: childEnv(),
      stdio: "ignore",
    });
    const done = new Promise<number | null>((r) => run.on("exit", r));
    await waitFor(
      async () => (await readdir(lake.dir).catch((): string[] => [])).includes(".duckmart.lock"),
      "the lock",
    );
    const started = Date.now();
    const refused = await cli(lake, ["extract"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Another duckmart command is writing this data dir: duckmart run (pid ${run.pid} on`,
    );
    expect(refused.stderr).toMatch(/started \d{4}-\d\d-\d\dT[\d:.]+Z, run \d{8}T\d{6}Z-\d+\)/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await done).toBe(0);
  });

  it("on Ctrl-C or SIGTERM says where it stopped, records the run as interrupted, releases the lock", async () => {
    const lake = await newLake();
    expect((await cli(lake, ["extract", "--scale", "1"])).code).toBe(0);
    expect((await cli(lake, ["transform"])).code).toBe(0);
    const good = (await currentBuild(lake))!.buildId;
    const interrupt = async (signal: NodeJS.Signals, ready: () => Promise<boolean>, what: string) => {
      const run = spawn(process.execPath, [binPath, "run", "--data-dir", lake.dir, "--scale", "30", "--skip", "site"], {
        env: childEnv({ NO_COLOR: "1" }),
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      run.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<[number | null, string | null]>((r) => run.on("close", (code, sig) => r([code, sig])));
      await waitFor(ready, what);
      run.kill(signal);
      const [code, killedBy] = await exited;
      return { code, killedBy, stderr, pid: run.pid! };
    };
    const halfBuild = async () =>
      (await readdir(lake.paths.buildsDir).catch((): string[] => [])).some((d) => d.startsWith(".tmp-"));
    const sigint = await interrupt("SIGINT", halfBuild, "a half build");
    expect([sigint.code, sigint.killedBy]).toEqual([130, null]);
    const runFile = (await readdir(lake.paths.runsDir)).find((f) => f.endsWith(`-${sigint.pid}.json`))!;
    const runId = runFile.replace(/\.json$/, "");
    expect(sigint.stderr.split("\n").filter((l) => l.includes("interrupted"))).toEqual([
      ` ERROR  Run ${runId} interrupted during transform; the last good build stays current (${good})`,
    ]);
    expect(existsSync(lake.paths.lock)).toBe(false);
    const manifest = JSON.parse(await readFile(join(lake.paths.runsDir, runFile), "utf8"));
    expect(manifest).toMatchObject({
      runId,
      status: "interrupted",
      interrupted: { during: "transform", signal: "SIGINT" },
    });
    expect(manifest.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ["extract", "ok"],
      ["freshness", "ok"],
      ["transform", "failed"],
    ]);
    expect(manifest.steps[2].error).toBe("interrupted (SIGINT)");
    expect((await currentBuild(lake))!.buildId).toBe(good);

    // SIGTERM (a scheduler's stop) during the extract: 128 + 15.
    const landing = async () =>
      (await readdir(lake.paths.rawEntityDir("sample", "orders")).catch((): string[] => [])).some((d) =>
        d.startsWith(".pending-"),
      );
    const sigterm = await interrupt("SIGTERM", landing, "a pending snapshot");
    expect([sigterm.code, sigterm.killedBy]).toEqual([143, null]);
    expect(sigterm.stderr).toContain(`interrupted during extract; the last good build stays current (${good})`);
    expect(existsSync(lake.paths.lock)).toBe(false);

    // The next command neither takes over a stale lock nor marks anything abandoned; runs shows both as interrupted.
    const listed = await cli(lake, ["runs", "--json"]);
    expect(
      JSON.parse(listed.stdout)
        .map((r: { status: string }) => r.status)
        .slice(0, 2),
    ).toEqual(["interrupted", "interrupted"]);
    const table = (await cli(lake, ["runs"])).stdout.split("\n");
    expect(table[0]).toMatch(/^run {2,}status {2,}started/);
    expect(table[2]).toMatch(/^\S+ +INTERRUPTED /);
    const next = await cli(lake, ["transform"]);
    expect(next.code).toBe(0);
    expect(next.stderr).not.toContain("stale lock");
    expect(next.stderr).not.toContain("abandoned");
  });

  it.skipIf(noPostgres)(
    "shows a killed run as abandoned, and the next command cleans up after it (and Postgres says so)",
    async () => {
      const lake = await newLake();
      const db = await pgSchema("builds_runs");
      cleanups.push(() => db.drop());
      const run = spawn(process.execPath, [binPath, "run", "--data-dir", lake.dir, "--scale", "30", "--skip", "site"], {
        env: childEnv(),
        stdio: "ignore",
      });
      // The manifest is first written after the extract step: kill during the transform.
      await waitFor(
        async () => (await readdir(lake.paths.runsDir).catch((): string[] => [])).length > 0,
        "a run manifest",
      );
      await waitFor(
        async () => (await readdir(lake.paths.buildsDir).catch((): string[] => [])).some((d) => d.startsWith(".tmp-")),
        "a half build",
      );
      run.kill("SIGKILL");
      await new Promise((r) => run.on("exit", r));
      await writeFile(join(lake.dir, ".left-by-a-crash.json.123.abcd.tmp"), "{}");
      const pending = join(lake.paths.rawEntityDir("sample", "products"), ".pending-20261124T000000000Z");
      await mkdir(pending, { recursive: true });
      await writeFile(join(pending, "data.parquet"), "half");
      const runId = (await readdir(lake.paths.runsDir))[0]!.replace(/\.json$/, "");
      expect(JSON.parse(await readFile(join(lake.paths.runsDir, `${runId}.json`), "utf8")).status).toBe("running");

      const listed = await cli(lake, ["runs", "--json"]);
      expect(JSON.parse(listed.stdout)[0]).toMatchObject({ runId, status: "abandoned" });

      const next = await cli(lake, ["transform"]);
      expect(next.code).toBe(0);
      expect(next.stderr).toContain(`Marked abandoned (process gone): run ${runId}`);
      expect(JSON.parse(await readFile(join(lake.paths.runsDir, `${runId}.json`), "utf8")).status).toBe("abandoned");
      expect((await readdir(lake.dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
      expect((await readdir(lake.paths.buildsDir)).filter((d) => d.startsWith("."))).toEqual([]);
      expect(existsSync(pending)).toBe(false);

      const synced = await cli(lake, ["sync", "--schema", db.schema], { DATABASE_URL: pgUrl });
      expect(synced.code).toBe(0);
      const row = await db.client.query(`select status from "${db.schema}".duckmart_runs where run_id = $1`, [runId]);
      expect(row.rows).toEqual([{ status: "abandoned" }]);
    },
  );
});

describe.skipIf(noPostgres)("builds", () => {
  it("lists builds with the current one marked; test and sync take --build; Postgres records the build id", async () => {
    const lake = await newLake();
    const db = await pgSchema("builds_list");
    cleanups.push(() => db.drop());
    expect((await cli(lake, ["extract"])).code).toBe(0);
    expect((await cli(lake, ["transform"])).code).toBe(0);
    const first = (await currentBuild(lake))!;
    expect((await cli(lake, ["transform"])).code).toBe(0);
    const second = (await currentBuild(lake))!;
    expect(second.buildId).not.toBe(first.buildId);
    expect(second.modelsFingerprint).toBe(first.modelsFingerprint);
    expect(second.modelsFingerprint).toMatch(/^[0-9a-f]{64}$/);

    const listed = await cli(lake, ["builds"]);
    // The table is the command's output, on stdout, as plain text (no log icon before the header).
    const lines = listed.stdout.split("\n");
    expect(lines[0]).toMatch(/^current {2}build {2,}created/);
    expect(lines.find((l) => l.includes(second.buildId))).toMatch(
      /^\*\s+b-.*passed\s+sample \(last extracted\)\s+sample\s+2026-11-24/,
    );
    expect(lines.find((l) => l.includes(first.buildId))).toMatch(/^\s+b-.*passed/);

    const tested = await cli(lake, ["test", "--build", first.buildId]);
    expect(tested.code).toBe(0);
    expect(tested.stderr).toContain(`Attaching`);
    expect(tested.stderr).toContain(first.buildId);
    expect((await cli(lake, ["test", "--build", "latest"])).code).toBe(2);
    expect((await cli(lake, ["test", "--build", "b-20200101-000000-abcd"])).code).toBe(2);

    const env = { DATABASE_URL: pgUrl };
    const synced = await cli(lake, ["sync", "--schema", db.schema, "--build", first.buildId], env);
    expect(synced.code).toBe(0);
    expect(synced.stderr).toMatch(new RegExp(`Synced \\d+ marts of build ${first.buildId} to schema`));
    const state = async () =>
      (await db.client.query(`select distinct build_id from "${db.schema}".duckmart_sync_state`)).rows;
    expect(await state()).toEqual([{ build_id: first.buildId }]);
    expect((await cli(lake, ["sync", "--schema", db.schema], env)).code).toBe(0);
    expect(await state()).toEqual([{ build_id: second.buildId }]);
  });

  it("runs record their build; the raw lake reads as Hive partitions; retention keeps the recent as-of days", async () => {
    const lake = await newLake();
    const db = await pgSchema("builds_hive");
    cleanups.push(() => db.drop());
    for (const day of ["2026-11-01", "2026-11-10", "2026-11-20"])
      expect((await cli(lake, ["extract", "--as-of", day], { DUCKMART_RAW_RETENTION_DAYS: "10" })).code).toBe(0);
    const run = await cli(lake, ["run", "--skip", "site", "--schema", db.schema], {
      DUCKMART_RAW_RETENTION_DAYS: "10",
      DATABASE_URL: pgUrl,
    });
    expect(run.code).toBe(0);
    const build = (await currentBuild(lake))!;
    expect(build.runId).toMatch(/^\d{8}T\d{6}Z-\d+$/);
    expect(run.stderr).toContain(`Build ${build.buildId} (now current): shop sample, payments sample`);
    const runs = await db.client.query(`select build_id from "${db.schema}".duckmart_runs where run_id = $1`, [
      build.runId,
    ]);
    expect(runs.rows).toEqual([{ build_id: build.buildId }]);
    // 2026-11-01 is more than 10 days before the newest as-of day (11-24): removed; 11-20 kept.
    expect((await readdir(lake.paths.rawEntityDir("sample", "orders"))).sort()).toEqual([
      "as_of=2026-11-20",
      "as_of=2026-11-24",
      "current.json",
    ]);
    const days = await withDuckdb({}, (c) =>
      queryRows(
        c,
        `select as_of::varchar as as_of, count(distinct extracted_at) as snapshots, count(*) as n
         from read_parquet('${lake.paths.rawRoot}/sample/orders/*/*/data.parquet', hive_partitioning = true)
         group by as_of order by as_of`,
      ),
    );
    expect(days.map((d) => [d["as_of"], Number(d["snapshots"])])).toEqual([
      ["2026-11-20", 1],
      ["2026-11-24", 1],
    ]);
  });
});
